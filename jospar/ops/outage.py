"""While the database is unreachable: the API answers 503 with a JSON detail, pages a short
"try again in a minute" page, both with Retry-After. Nothing here touches the database: the
language comes from the request's cookie or Accept-Language header (never the session), and
the page is rendered without context processors (no user, no messages).

Three places catch the error, for it can rise in three: `DatabaseOutageMiddleware` (from a
page's view), `server_error` (Django's handler500, from a middleware such as the session's or
the two-factor enrolment's) and `api_outage` (from DRF's exception handler, for API views).
"""

import sys

import structlog
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import defaults

OUTAGE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30

log = structlog.stdlib.get_logger("jospar.outage")


def outage_of(exc: BaseException | None) -> BaseException | None:
    """The database error behind `exc` (itself, or what it was raised from), or None."""
    for _depth in range(5):
        if exc is None or isinstance(exc, OUTAGE_ERRORS):
            return exc
        exc = exc.__cause__ or exc.__context__
    return None


def is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith("/api/")


def message() -> str:
    return _("The service is briefly unavailable. Please try again in a minute.")


def outage_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    """The 503 answer, in the language the person reads."""
    log.error(
        "database_unavailable",
        error=type(error).__name__,
        detail=str(error).strip().splitlines()[0][:200] if str(error).strip() else "",
        path=request.path,
    )
    language = translation.get_language_from_request(request)
    with translation.override(language):
        if is_api(request):
            response = JsonResponse({"detail": message()}, status=503)
        else:
            page = render_to_string("503.html", {"message": message()})
            response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseOutageMiddleware:
    """Turns a view's database connection error into the 503 answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        error = outage_of(exception)
        return outage_response(request, error) if error is not None else None


def server_error(request: HttpRequest, template_name: str = defaults.ERROR_500_TEMPLATE_NAME):
    """handler500: the 503 answer when the error was the database's connection, else Django's
    500 page."""
    error = outage_of(sys.exc_info()[1])
    if error is not None:
        return outage_response(request, error)
    return defaults.server_error(request, template_name)


def api_outage(exc: Exception, request: HttpRequest):
    """For DRF's exception handler: the 503 answer, or None when `exc` is something else."""
    error = outage_of(exc)
    return outage_response(request, error) if error is not None else None
