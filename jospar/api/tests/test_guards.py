"""Out-of-range requests get an answer, not a 500: every list clamps its page, and a JSON
body nested deeper than the decoder follows is a 400."""

import pytest
from django.urls import reverse

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
