"""Out-of-range requests get an answer, not a 500: every list clamps its page, and a JSON
body nested deeper than the decoder follows is a 400."""

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.plumbing import force_instance, is_serializer
from rest_framework import serializers

from jospar.api.guards import MAX_PAGE
from jospar.api.urls import router
from jospar.orgs.models import Role
from tests.factories import StateBodyFactory, UnitFactory, member

pytestmark = pytest.mark.django_db

HUGE = "9223372036854775808"  # one past the largest 64-bit integer


def list_urls():
    for prefix, viewset, basename in router.registry:
        if hasattr(viewset, "list"):
            yield prefix, reverse(f"{basename}-list")


@pytest.fixture
def planner():
    body = StateBodyFactory()
    UnitFactory.create_batch(3, body=body)
    return member(body, Role.PLANNER)


@pytest.mark.parametrize(
    "query",
    [
        {"limit": HUGE, "offset": HUGE},
        {"limit": HUGE},
        {"offset": HUGE},
        {"limit": "-5", "offset": "-5"},
        {"limit": "1e400"},
    ],
    ids=["both", "limit", "offset", "negative", "not-a-number"],
)
def test_every_list_clamps_its_page(api, planner, query):
    client = api(planner)
    checked = 0
    for prefix, url in list_urls():
        response = client.get(url, query)
        assert response.status_code == 200, (prefix, query, response.status_code)
        body = response.json()
        if isinstance(body, dict) and "results" in body:
            assert len(body["results"]) <= MAX_PAGE
            checked += 1
    assert checked >= 15


def test_a_large_limit_gets_the_largest_page(api, planner):
    response = api(planner).get("/api/v1/units/", {"limit": HUGE, "offset": HUGE})
    assert response.json()["count"] == 3 and response.json()["results"] == []
    everything = api(planner).get("/api/v1/units/", {"limit": HUGE})
    assert len(everything.json()["results"]) == 3


def test_json_nested_too_deeply_is_a_400(api, planner):
    deep = "[" * 5000 + "]" * 5000
    response = api(planner).generic("POST", "/api/v1/units/", deep, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": "JSON parse error - the body is nested too deeply."}


def test_every_integer_a_request_sends_is_bounded():
    """An integer field of a request body holds at most a 64-bit integer (jospar.api.filters.
    integer_input), as the list filters' ids do; ids of objects are looked up by the related
    fields, which the database bounds. Related fields aside, every writable integer of every
    request component of the schema is checked, so that a new one cannot forget it."""
    generator = SchemaGenerator()
    generator.get_schema(request=None, public=True)
    unbounded = []
    for component in generator.registry._components.values():
        if component.type != component.SCHEMA or not is_serializer(component.object):
            continue
        if not component.name.endswith("Request"):  # an answer's, not a request's
            continue
        for name, field in force_instance(component.object).fields.items():
            value = field.child if isinstance(field, serializers.ListField) else field
            if isinstance(value, serializers.IntegerField) and not field.read_only:
                if value.max_value is None or value.min_value is None:
                    unbounded.append(f"{component.name}.{name}")
    assert unbounded == []
