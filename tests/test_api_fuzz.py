"""Schemathesis over the whole OpenAPI schema, as the planner and as the monitor.

Every operation of the schema the app generates is one test: a few cases that Schemathesis
draws from the schema (valid ones and, through its negative mode, invalid ones) are sent
through the WSGI app with each role's API token, drawn once for both roles. Each answer must
be below 500 with a status code the schema documents.

The world is the reports stage (`tests.worlds.q2_report`: an approved plan, accepted
information for the 2nd quarter, the monitor's report on it) at a fixed moment after it.
Generated ids rarely name an object, so a non-negative id in the path or in a payload is
mapped onto the ids of the model that the field names (a negative one is kept: it must be a
404); each case runs in a transaction rolled back after it, so every case of an operation sees
the same world. The cases are drawn deterministically (`derandomize`), so a run repeats; the
whole module stops at TIME_BUDGET, the operations not reached by then are skipped.
"""

import json
import time
from functools import cache

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.db.models import Model
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.plumbing import force_instance, is_serializer
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, note, settings
from rest_framework import relations
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import status_code_conformance

from jospar.accounts.services import token_issue
from tests import worlds

MAX_EXAMPLES = 6  # per operation and role, besides the examples of the schema
TIME_BUDGET = 150  # seconds for the whole module (its world included)


def generated_schema() -> tuple[dict, dict[str, dict[str, type[Model]]]]:
    """The schema as /api/v1/schema/ serves it, and the related fields of each request
    component: component name → field name → the model the field's ids name."""
    generator = SchemaGenerator()
    raw = generator.get_schema(request=None, public=True)
    related = {}
    for component in generator.registry._components.values():
        if component.type == component.SCHEMA and is_serializer(component.object):
            fields = force_instance(component.object).fields.items()
            related[component.name] = {
                name: model for name, field in fields if (model := related_model(field))
            }
    return json.loads(OpenApiJsonRenderer().render(raw, renderer_context={})), related


def related_model(field) -> type[Model] | None:
    if isinstance(field, relations.ManyRelatedField):
        field = field.child_relation
    if isinstance(field, relations.RelatedField) and field.queryset is not None:
        return field.queryset.model
    return None


RAW, RELATED = generated_schema()
CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",
            "mode": "all",
        },
        "phases": {"coverage": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_dict(RAW, config=CONFIG)
schema.app = get_wsgi_application()


def build():
    world = worlds.monitoring_world()
    worlds.q2_report(world)
    return world


world_once, world = worlds.shared_world(build)


@pytest.fixture(scope="module")
def deadline() -> float:
    """When the module's time is up (counted from its first test)."""
    return time.monotonic() + TIME_BUDGET


@pytest.fixture(autouse=True)
def connection_kept_open():
    """The WSGI app closes the database connection at the end of a request when it is not
    kept (`CONN_MAX_AGE` 0); on PostgreSQL that would close the test's own connection inside
    its transaction. Django's test client leaves the connection open in the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


ROLES = ("planner", "monitor")


# One parameter, for the test ids: without a parameter of pytest's, Schemathesis gives every
# operation's test the same node id, and pytest-xdist would run only one of them.
@pytest.fixture(params=[ROLES], ids=["+".join(ROLES)])
def tokens(request, world) -> dict[str, str]:
    """Each role's API token, the clock standing a day after the report was compiled."""
    with worlds.at("2026-07-14 10:00"):
        yield {
            role: token_issue(user=getattr(world, role), name="fuzz")[1] for role in request.param
        }


@cache
def path_model(path: str) -> type[Model]:
    """The model whose id `{id}` is in the path template."""
    view = resolve(path.replace("{id}", "1")).func
    viewset = getattr(view, "cls", None) or view.view_class
    return viewset.queryset.model


def real_id(model: type[Model], value):
    """A non-negative generated id as the id of one of the model's rows; anything else as it
    came (a negative id, a string, null)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return value
    ids = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
    return ids[value % len(ids)] if ids else value


def point_at_real_objects(case) -> None:
    if "id" in (case.path_parameters or {}):
        model = path_model(case.path)
        case.path_parameters["id"] = real_id(model, case.path_parameters["id"])
    body = RAW["paths"][case.path][case.method.lower()].get("requestBody", {})
    refs = [media["schema"].get("$ref", "") for media in body.get("content", {}).values()]
    fields = next((RELATED[ref.rsplit("/", 1)[1]] for ref in refs if ref), {})
    if not isinstance(case.body, dict):
        return
    for name, model in fields.items():
        value = case.body.get(name)
        if isinstance(value, list):
            case.body[name] = [real_id(model, item) for item in value]
        elif value is not None:
            case.body[name] = real_id(model, value)


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck))
def test_no_server_error_and_every_answer_documented(case, tokens, deadline):
    """Each case is sent as each role: the roles see the same cases, drawn once."""
    if time.monotonic() > deadline:
        pytest.skip(f"the fuzz test's {TIME_BUDGET} s are spent")
    point_at_real_objects(case)
    for role, token in tokens.items():
        note(f"as the {role}")
        with transaction.atomic():
            response = case.call(headers={"Authorization": f"Token {token}"})
            transaction.set_rollback(True)
        case.validate_response(response, checks=[not_a_server_error, status_code_conformance])
