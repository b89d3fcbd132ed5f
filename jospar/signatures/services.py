"""Recording a digital signature: the canonical document of the object is built, the CMS is
verified against it as the actor's, and only a signature that passes is stored."""

import json

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.signatures import canonical
from jospar.signatures.models import Signature
from jospar.signatures.verify import Verification, decode, verify


def body_of(obj):
    return obj.plan.body


def replayed() -> str:
    return _("This signature was already used: sign the document again.")


@transaction.atomic
def signature_record(*, actor, obj, kind: str, cms: str) -> Signature:
    """Verify `cms` as `actor`'s signature of `obj` (as `kind`) and store it; a refusal raises
    ValidationError with the reason and writes nothing. A signature of an earlier version of the
    object is refused (its document hash differs from the object's now), and so is a CMS that
    was stored before (the same signature sent twice)."""
    document = canonical.document_of(kind, obj)
    verification: Verification = verify(cms, document, actor)
    if not verification.ok:
        raise ValidationError(verification.reason, code="signature")
    cms_der = decode(cms)  # (verified, so it decodes)
    if Signature.objects.filter(cms=cms_der).exists():
        raise ValidationError(replayed(), code="signature")
    signature = Signature(
        body=body_of(obj),
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        kind=kind,
        document_format=json.loads(document)["format"],
        document_sha256=canonical.sha256(document),
        document=document,
        cms=cms_der,
        signer=actor,
        signer_name=verification.signer_name,
        iin=verification.iin,
        bin=verification.bin,
        certificate_serial=verification.serial,
        certificate_issuer=verification.issuer,
        certificate_subject=verification.subject,
        valid_from=verification.not_before,
        valid_to=verification.not_after,
        signed_at=verification.signing_time,
        verified_at=timezone.now(),
        backend=verification.backend,
        result="valid",
    )
    signature._history_user = actor
    signature.save()
    return signature


def covers(signature: Signature) -> bool:
    """Whether the signature still covers its object: the object's document now is the one
    signed."""
    document = canonical.document_of(signature.kind, signature.signed_object)
    return canonical.sha256(document) == signature.document_sha256


def step_signature(*, actor, obj, kind: str, cms: str, body=None) -> Signature | None:
    """The digital signature of a step on `obj` (as `kind`), as its body's setting for that kind
    asks (StateBody.eds_use): without a CMS the step goes on unless the signature is required;
    with one it is verified and recorded, or the step is refused. Refusals are ValidationErrors
    under `cms` with the reason; the caller runs this inside the step's transaction, so a
    refusal changes nothing."""
    from jospar.orgs.models import SignatureUse

    use = (body or body_of(obj)).eds_use(kind)
    if not (cms or "").strip():
        if use == SignatureUse.REQUIRED:
            raise ValidationError({"cms": required_message(kind)})
        return None
    if use == SignatureUse.OFF:
        raise ValidationError({"cms": _("This body does not use the digital signature here.")})
    try:
        return signature_record(actor=actor, obj=obj, kind=kind, cms=cms)
    except ValidationError as refusal:
        raise ValidationError({"cms": refusal.messages}) from None


def required_message(kind: str) -> str:
    return {
        "proposal": _("This body signs the proposals with a digital signature."),
        "submission": _("This body signs the quarterly information with a digital signature."),
        "revision": _("This body signs the approval of the plan with a digital signature."),
        "report": _("This body signs the quarterly report with a digital signature."),
        "decision": _("This body signs the decisions with a digital signature."),
    }[kind]


def latest_signature(obj) -> Signature | None:
    """The latest digital signature of `obj` (of any kind), if it was signed."""
    if obj is None or obj.pk is None:
        return None
    return (
        Signature.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
        )
        .order_by("-verified_at", "-pk")
        .first()
    )


def latest_signatures(objects) -> dict[int, Signature]:
    """The latest digital signature of each of `objects` (rows of one model) that was signed,
    by the object's id, in one query."""
    objects = [obj for obj in objects if obj.pk is not None]
    if not objects:
        return {}
    found = Signature.objects.filter(
        content_type=ContentType.objects.get_for_model(objects[0]),
        object_id__in=[obj.pk for obj in objects],
    ).order_by("verified_at", "pk")
    return {signature.object_id: signature for signature in found}  # the latest wins


def latest_signatures_of_parts(objects, model, parent: str) -> dict[int, Signature]:
    """The latest digital signature of the parts (rows of `model`, linked to their object by
    the field `parent`) of each of `objects`, by the object's id, in one query: what a plan's
    approval signed is its revision."""
    ids = [obj.pk for obj in objects if obj.pk is not None]
    if not ids:
        return {}
    parts = model._default_manager.filter(**{f"{parent}__in": ids})
    found = (
        Signature.objects.filter(
            content_type=ContentType.objects.get_for_model(model),
            object_id__in=parts.values("pk"),
        )
        .annotate(
            parent_id=Subquery(
                model._default_manager.filter(pk=OuterRef("object_id")).values(parent)[:1]
            )
        )
        .order_by("verified_at", "pk")
    )
    return {signature.parent_id: signature for signature in found}  # the latest wins
