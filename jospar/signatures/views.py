"""What every page that signs a step with the digital signature shares: the canonical document
it reads when the person presses the button, the check of the signer's certificate NCALayer
signed with (shown before the step is taken), and the page's permission to reach NCALayer.
And a stored signature shown: its page and downloads for the object's readers, and the public
page of its verification code, which a printed form's reader opens without logging in."""

import base64

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from jospar.documents.appendices import ExportFile
from jospar.documents.export_views import file_response
from jospar.lib.views import body_for
from jospar.signatures import canonical, selectors, verify
from jospar.signatures.models import Signature


def document_response(kind: str, obj) -> HttpResponse:
    """The canonical document of `obj` as `kind`, base64, as NCALayer is given it to sign. The
    caller has checked that the person may take the step it signs."""
    document = canonical.document_of(kind, obj)
    return HttpResponse(base64.b64encode(document), content_type="text/plain; charset=us-ascii")


def with_ncalayer(response: HttpResponse) -> HttpResponse:
    """The page may reach NCALayer (its WebSocket on the person's own computer); only pages
    that sign get this hole in the content security policy."""
    response._csp_update = {"connect-src": ["'self'", settings.NCALAYER_URL]}
    return response


def _day(moment) -> str:
    """A certificate's day as the pages show dates (signatures/signed.html)."""
    return formats.date_format(timezone.localtime(moment), "d.m.Y") if moment else ""


@login_required
@require_POST
def check_certificate(request: HttpRequest) -> JsonResponse:
    """The signer certificate of the CMS `cms` (base64, as NCALayer returned it), shown to the
    person before the step it signs is taken: its details as lines of the active language and
    the reasons the step would refuse it for, whatever the document. Nothing is stored."""
    found = verify.check(request.POST.get("cms", ""), request.user)
    details = found.details
    lines = []
    if details:
        lines = [
            {"label": label, "value": value}
            for label, value in (
                (_("Signer"), details["signer_name"]),
                (_("IIN"), details["iin"]),
                (_("Organisation BIN"), details["bin"]),
                (_("Certificate serial"), details["serial"]),
                (_("Issued by"), details["issuer"]),
                (
                    _("Valid"),
                    _("from %(start)s to %(end)s")
                    % {"start": _day(details["not_before"]), "end": _day(details["not_after"])},
                ),
            )
            if value
        ]
    return JsonResponse(
        {
            "ok": not found.problems,
            "certificate": lines,
            "problems": found.problems,
        }
    )


@login_required
def signature_page(request: HttpRequest, body_id: int, signature_id: int) -> HttpResponse:
    body = body_for(request, body_id)
    signature = selectors.signature_for(request.user, body.pk, signature_id)
    context = {
        "body": body,
        "signature": signature,
        "object_name": selectors.object_name(signature),
        "object_url": selectors.object_url(signature),
        "covers": selectors.still_covers(signature),
        "verification_url": selectors.verification_url(signature),
    }
    return render(request, "signatures/signature.html", context)


# The files of a stored signature: extension → (content type, its bytes).
FILES = {
    # the CMS as stored (DER): a detached signature of the document
    "cms": ("application/pkcs7-signature", lambda signature: bytes(signature.cms)),
    # the canonical document that was signed, byte for byte
    "json": ("application/json", lambda signature: bytes(signature.document)),
    # the CMS, the document and how to check them, as one ZIP
    "zip": ("application/zip", selectors.package),
}


def signature_file(signature: Signature, extension: str) -> HttpResponse:
    """A file of the signature (FILES) as a download; the caller has checked its reader."""
    content_type, content_of = FILES[extension]
    name = f"{selectors.file_stem(signature)}.{extension}"
    return file_response(ExportFile(content_of(signature), name, content_type))


def _download(request, body_id, signature_id, extension):
    body = body_for(request, body_id)
    return signature_file(selectors.signature_for(request.user, body.pk, signature_id), extension)


@login_required
def signature_cms(request: HttpRequest, body_id: int, signature_id: int) -> HttpResponse:
    return _download(request, body_id, signature_id, "cms")


@login_required
def signature_document(request: HttpRequest, body_id: int, signature_id: int) -> HttpResponse:
    return _download(request, body_id, signature_id, "json")


@login_required
def signature_package(request: HttpRequest, body_id: int, signature_id: int) -> HttpResponse:
    return _download(request, body_id, signature_id, "zip")


# Lookups of codes that name no signature, per address and per LOOKUP_WINDOW seconds: past
# LOOKUP_MISSES, the page answers 429 until the window ends. With 60-bit codes guessing is hopeless
# anyway; this keeps a script from trying.
LOOKUP_MISSES = 20
LOOKUP_WINDOW = 600


def _misses_key(request: HttpRequest) -> str:
    return f"signatures:verify:{request.META.get('REMOTE_ADDR', '')}"


@require_safe
def verify_page(request: HttpRequest, code: str) -> HttpResponse:
    """What a printed form's QR code opens, without logging in: whether a signature with the
    code exists, who signed what and when, and whether it still covers the document. No IIN in
    full, no download."""
    key = _misses_key(request)
    if cache.get(key, 0) >= LOOKUP_MISSES:
        response = render(request, "signatures/verify.html", {"throttled": True}, status=429)
        response["Retry-After"] = str(LOOKUP_WINDOW)
        return response
    signature = (
        Signature.objects.select_related("body", "content_type")
        .filter(code=selectors.normal_code(code))
        .first()
    )
    if signature is None:
        if cache.add(key, 1, LOOKUP_WINDOW) is False:
            cache.incr(key)
        return render(request, "signatures/verify.html", {"code": code}, status=404)
    context = {
        "code": signature.code,
        "signature": signature,
        "signed_on": selectors.signed_on(signature),
        "masked_iin": selectors.masked_iin(signature.iin),
        "covers": selectors.still_covers(signature),
    }
    response = render(request, "signatures/verify.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
