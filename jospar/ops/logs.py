"""Logs (structlog on top of the standard library's logging): in production one JSON object a
line on standard error, in DEBUG a readable line; Django's own loggers (django.request…) go
through the same formatter, so every line of a request carries its request id.

- `jospar.request`: one line per request (request id, user, body, method, path, status,
  duration in milliseconds). The request id is the proxy's X-Request-ID when it sends a sane
  one, else a new one; the response carries it back in the same header.
- `jospar.audit`: logins (success and failure, never the password), logouts, two-factor
  failures, lockouts, and answers that refused something (403) or found nothing (404).
"""

import logging
import re
import time
import uuid

import structlog
from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

REQUEST_ID_HEADER = "X-Request-ID"
# A request id from outside is taken only if it cannot forge a log line or a header.
_SANE_ID = re.compile(r"[A-Za-z0-9._:@-]{1,128}\Z")
# The sender of user_login_failed for a wrong two-factor code (the password was right).
SECOND_FACTOR = "jospar.second_factor"

request_log = structlog.stdlib.get_logger("jospar.request")
audit_log = structlog.stdlib.get_logger("jospar.audit")


def _shared_processors() -> list:
    """What every line gets, from structlog or from a standard library logger."""
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]


def formatter(*, json: bool) -> structlog.stdlib.ProcessorFormatter:
    """The logging formatter: a JSON object a line, or a readable line for a developer."""
    renderer = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if json
        else structlog.dev.ConsoleRenderer(
            colors=False, exception_formatter=structlog.dev.plain_traceback
        )
    )
    last = [structlog.processors.format_exc_info] if json else []
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_shared_processors(),
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, *last, renderer],
    )


def logging_config(*, json: bool, level: str) -> dict:
    """Configure structlog and return Django's LOGGING: the `console` handler (standard error)
    of the root logger, formatted by `formatter`; the request and audit lines at INFO whatever
    the root's level."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_shared_processors(),
            structlog.stdlib.PositionalArgumentsFormatter(),
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structured": {"()": formatter, "json": json}},
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structured"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "jospar.request": {"level": "INFO"},
            "jospar.audit": {"level": "INFO"},
        },
    }


def gunicorn_logging(django_logging: dict) -> dict:
    """gunicorn's logging (its `logconfig_dict`): Django's, plus gunicorn's own error log
    (starting, workers booting or timing out) through the same formatter on standard error,
    and its access log as plain lines on standard output."""
    return {
        **django_logging,
        "formatters": {**django_logging["formatters"], "access": {"format": "%(message)s"}},
        "handlers": {
            **django_logging["handlers"],
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "access",
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            **django_logging.get("loggers", {}),
            "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
        },
    }


def user_fields(request: HttpRequest | None, user=None) -> dict:
    """user_id and username of `user`, or of the request's user if the request has already
    looked it up: the log never reads the session or the database itself (it may be down)."""
    if user is None and request is not None:
        user = getattr(request, "user", None)
        if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
            user = None
    if user is None or not user.is_authenticated:
        return {"user_id": None, "username": None}
    return {"user_id": user.pk, "username": user.get_username()}


def request_fields(request: HttpRequest | None) -> dict:
    if request is None:
        return {}
    match = getattr(request, "resolver_match", None)
    body = match.kwargs.get("body_id") if match is not None else None
    return {"ip": request.META.get("REMOTE_ADDR"), "body_id": body}


def audit(event: str, request: HttpRequest | None = None, *, user=None, **fields) -> None:
    """One audit line: the event, who (if known), from where, and `fields`."""
    level = logging.INFO if event in {"login", "logout"} else logging.WARNING
    audit_log.log(level, event, **user_fields(request, user), **request_fields(request), **fields)


class RequestLogMiddleware:
    """Gives the request its id and logs one line when its answer is ready (and an audit
    line for a 403 or a 404). First in MIDDLEWARE, so that it sees every answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = given if _SANE_ID.match(given) else uuid.uuid4().hex
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request.request_id)
        started = time.monotonic()
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request.request_id
        fields = {
            "method": request.method,
            "path": request.path,
            "status": response.status_code,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
            **user_fields(request),
            **request_fields(request),
        }
        request_log.info("request", **fields)
        if response.status_code == 403:
            audit_log.warning("permission_denied", **fields)
        elif response.status_code == 404:
            audit_log.warning("not_found", **fields)
        # The id stays bound until the request is finished (jospar.ops.signals), so that
        # Django's own line about this answer (django.request) carries it too.
        return response
