"""Reading a stored signature: who may see it, what it signed and where that is, whether it still
covers it, its public verification link and QR code, and the package a verifier downloads."""

import io
import zipfile

import segno
from django.db.models import Model
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.notifications.services import site_link
from jospar.orgs.visibility import sees
from jospar.signatures.models import CODE_LENGTH, Signature
from jospar.signatures.services import covers


def signature_for(user, body_id: int, signature_id: int) -> Signature:
    """The body's signature if the user sees the object it signed (the object's own rule in
    `orgs.visibility`: a unit's information to its unit and the body-wide roles, the report to
    the body-wide roles, the plan to every member); a 404 for anyone else."""
    signature = get_object_or_404(
        Signature.objects.select_related("body", "signer", "content_type"),
        pk=signature_id,
        body_id=body_id,
    )
    signed = signature.signed_object
    if signed is None or not sees(user, signed):
        raise Http404
    return signature


def still_covers(signature: Signature) -> bool:
    """Whether the signature covers its object as it is now (a deleted object: no)."""
    if signature.signed_object is None:
        return False
    return covers(signature)


def object_url(signature: Signature) -> str:
    """The page of the signed object: its own, or for a revision the plan's revisions."""
    signed = signature.signed_object
    if signed is None:
        return ""
    if hasattr(signed, "get_absolute_url"):
        return signed.get_absolute_url()
    plan = getattr(signed, "plan", None)
    try:
        return reverse("plans:revisions", args=[plan.body_id, plan.pk]) if plan else ""
    except NoReverseMatch:
        return ""


def object_name(signature: Signature) -> str:
    signed = signature.signed_object
    if signed is None:
        return _("(deleted)")
    plan = getattr(signed, "plan", None)
    if signature.kind == "revision" and plan is not None:
        return f"{plan}, {signed}"
    return str(signed)


def signed_on(signature: Signature):
    """When it was signed, as a reader reads it: the signing time the CMS states, else the time
    the server verified it; local time."""
    return timezone.localtime(signature.signed_at or signature.verified_at)


def normal_code(code: str) -> str:
    """A code as typed: case and separators do not matter."""
    return "".join(ch for ch in code.upper() if ch.isalnum())[: CODE_LENGTH + 1]


def verification_path(signature: Signature) -> str:
    return reverse("signatures:verify", args=[signature.code])


def verification_url(signature: Signature) -> str:
    """The public page of the signature's code, absolute (SITE_URL): what a form prints."""
    return site_link(verification_path(signature))


def qr_code(url: str):
    return segno.make(url, error="m")


def qr_png(url: str, scale: int = 4) -> bytes:
    image = io.BytesIO()
    qr_code(url).save(image, kind="png", scale=scale, border=2)
    return image.getvalue()


def qr_svg(url: str) -> str:
    image = io.BytesIO()
    qr_code(url).save(image, kind="svg", scale=4, border=2, xmldecl=False, svgns=True)
    return image.getvalue().decode("utf-8")


def file_stem(signature: Signature) -> str:
    return f"signature-{signature.kind}-{signature.object_id}-{signature.code}"


def readme(signature: Signature) -> str:
    """How a verifier checks the package's signature without Jospar."""
    lines = [
        _("Digital signature (EDS) of a Jospar document"),
        "",
        _("Signed by: %(name)s, IIN %(iin)s")
        % {"name": signature.signer_name, "iin": signature.iin},
        _("Certificate: %(serial)s, issued by %(issuer)s")
        % {"serial": signature.certificate_serial, "issuer": signature.certificate_issuer},
        _("Document: %(format)s, SHA-256 %(sha)s")
        % {"format": signature.document_format, "sha": signature.document_sha256},
        _("Verification code: %(code)s, %(url)s")
        % {"code": signature.code, "url": verification_url(signature)},
        "",
        _(
            "signature.cms is the signature (CMS, DER, detached); document.json is the signed "
            "document."
        ),
        _("The integrity of the signature over the document is checked with OpenSSL:"),
        "  openssl cms -verify -inform DER -in signature.cms -content document.json -binary "
        "-noverify -out /dev/null",
        _(
            "To check the certificate's chain as well, leave out -noverify and give the root "
            "certificates of the National Certification Authority (NCA) of Kazakhstan with "
            "-CAfile; a GOST signature is checked with NCA's own tools (NCANode, Kalkan)."
        ),
        "  sha256sum document.json",
    ]
    return "\n".join(lines) + "\n"


def package(signature: Signature) -> bytes:
    """The signature, the signed document and a README, as one ZIP."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("signature.cms", bytes(signature.cms))
        archive.writestr("document.json", bytes(signature.document))
        archive.writestr("README.txt", readme(signature))
    return buffer.getvalue()


def signatures_of(obj: Model):
    """The signatures of an object, oldest first; a plan's include its revisions'."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from jospar.plans.models import OperationalPlan, Revision

    found = Q(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
    if isinstance(obj, OperationalPlan):
        revisions = Revision.objects.filter(plan=obj).values_list("pk", flat=True)
        found |= Q(
            content_type=ContentType.objects.get_for_model(Revision), object_id__in=revisions
        )
    return Signature.objects.filter(found).select_related("signer").order_by("verified_at", "pk")


def masked_iin(iin: str) -> str:
    """An IIN shown in public: its last four digits only (the first six are the birth date)."""
    return "•" * max(len(iin) - 4, 0) + iin[-4:]
