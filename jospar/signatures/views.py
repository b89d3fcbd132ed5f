"""What every page that signs a step with the digital signature shares: the canonical document
it reads when the person presses the button, and the page's permission to reach NCALayer.
And a stored signature shown: its page and downloads for the object's readers, and the public
page of its verification code, which a printed form's reader opens without logging in."""

import base64

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from jospar.documents.appendices import ExportFile
from jospar.documents.export_views import file_response
from jospar.lib.views import body_for
from jospar.signatures import canonical, selectors
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
