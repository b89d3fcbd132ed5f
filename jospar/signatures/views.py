"""What every page that signs a step with the digital signature shares: the canonical document
it reads when the person presses the button, and the page's permission to reach NCALayer."""

import base64

from django.conf import settings
from django.http import HttpResponse

from jospar.signatures import canonical


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
