"""`/health/` for a load balancer (django-health-check): 200 when every check passes, 503 when
one fails; JSON when asked (Accept: application/json or ?format=json), else a short page or
text. No login; the answers name the checks and a one-line reason, never a host, a path or a
password.

`HealthCheckMiddleware`, first in MIDDLEWARE, answers `/health/` before any other middleware:
no session, no redirect to HTTPS, and no check of the Host header, so a load balancer may ask
by the server's address. That is safe because the answer uses no host name (the feed formats,
which would, still check it) and is never cached.

A check is a class in CHECKS (a HealthCheck of django-health-check: `run()` raises
ServiceUnavailable to fail); add one there. A check that raises ServiceWarning is reported (its
line says "Warning: …") but keeps the answer 200: the background worker's heartbeat is one,
since a load balancer must not take the web servers out of service because the worker stopped
(a monitoring system alerts on the warning instead).
"""

import dataclasses
import datetime as dt

from asgiref.sync import async_to_sync
from django import db
from django.conf import settings
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from health_check import Database, HealthCheck, Storage
from health_check.exceptions import ServiceUnavailable, ServiceWarning
from health_check.views import HealthCheckView

HEALTH_PATH = "/health/"


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration of the code that runs is applied to the database."""

    alias: str = "default"

    def run(self) -> None:
        connection = connections[self.alias]
        try:
            with connection.temporary_connection():  # closed after, in this check's thread
                executor = MigrationExecutor(connection)
                plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except db.Error as error:
            raise ServiceUnavailable("Database unreachable") from error
        if plan:
            raise ServiceUnavailable(f"migrations not applied: {len(plan)}")


@dataclasses.dataclass
class Worker(HealthCheck):
    """`jospar worker` beat within WORKER_HEALTH_SECONDS (a warning otherwise: see above)."""

    def run(self) -> None:
        from jospar.ops.heartbeat import last_beat

        try:
            with connections["default"].temporary_connection():  # this check's own thread
                beat = last_beat()
        except db.Error as error:
            raise ServiceUnavailable("Database unreachable") from error
        if beat is None:
            raise ServiceWarning("no worker has run yet")
        age = (dt.datetime.now(dt.UTC) - beat).total_seconds()
        if age > settings.WORKER_HEALTH_SECONDS:
            raise ServiceWarning(f"the last heartbeat of a worker was {age:.0f} s ago")


CHECKS = (
    Database,  # SELECT 1 on the default database
    Migrations,
    Storage,  # writes, reads and deletes a file in default_storage
    Worker,  # the most recent heartbeat of `jospar worker`
)


class HealthView(HealthCheckView):
    checks = CHECKS

    async def get(self, request, *args, **kwargs):
        response = await super().get(request, *args, **kwargs)
        errors = [result.error for result in self.results if result.error]
        if errors and all(isinstance(error, ServiceWarning) for error in errors):
            response.status_code = 200  # reported, not a reason to stop serving
        elif response.status_code == 500:  # a check failed: "unavailable" to a load balancer
            response.status_code = 503
        return response


class HealthCheckMiddleware:
    """Answers HEALTH_PATH itself, ahead of every other middleware (see the module's text)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.view = async_to_sync(HealthView.as_view())

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info != HEALTH_PATH:
            return self.get_response(request)
        response = self.view(request)
        if hasattr(response, "render"):
            response.render()
        return response
