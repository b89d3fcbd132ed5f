"""Two planners editing the same action: the second save is told who saved in between and
what, never writes over it (before: both got 200 and the last one won, a stale form even
emptying the other's form of completion)."""

import pytest
from django.urls import reverse

from jospar.lib.records import Conflict
from jospar.orgs.models import Role
from jospar.plans import services
from jospar.plans.models import Action
from jospar.plans.terms import TermKind
from tests.factories import ActionFactory, TargetIndicatorFactory, member, operational_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(body):
    plan = operational_plan(body)
    indicator = TargetIndicatorFactory(goal__direction__plan=plan.development_plan)
    return ActionFactory(plan=plan, indicator=indicator, name="Line the canal", term_kind="")


@pytest.fixture
def other_planner(body):
    return member(body, Role.PLANNER, first_name="Marat", last_name="Seitov")


def test_a_save_from_an_older_version_is_a_conflict(action, planner, other_planner):
    read = action.version
    services.action_update(actor=other_planner, action=action, version=read, name="Theirs")
    mine = Action.objects.get(pk=action.pk)
    with pytest.raises(Conflict) as conflict:
        services.action_update(actor=planner, action=mine, version=read, name="Mine")
    assert "Seitov Marat saved this at" in conflict.value.message
    assert conflict.value.current.name == "Theirs"
    assert Action.objects.get(pk=action.pk).name == "Theirs"
    services.action_update(actor=planner, action=mine, version=read + 1, name="Mine after all")
    assert Action.objects.get(pk=action.pk).version == read + 2


def test_the_api_answers_409_to_a_stale_version(api, action, planner, other_planner):
    url = f"/api/v1/actions/{action.pk}/"
    read = api(planner).get(url).json()["version"]
    assert api(other_planner).patch(url, {"name": "Theirs", "version": read}).status_code == 200
    stale = api(planner).patch(url, {"name": "Mine", "version": read})
    assert stale.status_code == 409
    assert stale.json()["version"] == read + 1
    assert "saved this at" in stale.json()["detail"]
    assert Action.objects.get(pk=action.pk).name == "Theirs"
    unversioned = api(planner).patch(url, {"name": "Mine, knowingly"})  # an older client
    assert unversioned.status_code == 200


def test_the_page_keeps_my_text_and_shows_theirs(client, body, action, planner, other_planner):
    plan = action.plan
    url = reverse("plans:action_edit", args=[body.pk, plan.pk, action.pk])
    client.force_login(planner)
    form = client.get(url).context["form"]
    data = {
        "anchor": f"indicator:{action.indicator_id}",
        "name": "Line the main canal, 12 km",
        "term_kind": TermKind.QUARTER,
        "term_quarter": 4,
        "version": form.initial["version"],
    }
    services.action_update(
        actor=other_planner, action=action, version=action.version, name="Line the canal by May"
    )
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Seitov Marat saved this at" in page
    assert "They saved: Line the canal by May" in page
    assert "Line the main canal, 12 km" in page  # what I typed is still in the form
    assert Action.objects.get(pk=action.pk).name == "Line the canal by May"
    again = client.post(url, data | {"version": response.context["form"].data["version"]})
    assert again.status_code == 200
    assert Action.objects.get(pk=action.pk).name == "Line the main canal, 12 km"
