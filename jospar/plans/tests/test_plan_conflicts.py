"""Two planners editing the operational plan's own details (its planning unit, its basis): the
second save, started from the version before the first, is told who saved in between and what,
and writes nothing (before, the last one won without a word)."""

import pytest
from django.test import Client
from django.urls import reverse

from jospar.lib.records import Conflict
from jospar.orgs.models import Role
from jospar.plans import services
from jospar.plans.models import OperationalPlan
from tests.factories import UnitFactory, member, operational_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def oplan(body):
    return operational_plan(body)


@pytest.fixture
def units(body):
    return (
        UnitFactory(body=body, name="Department of irrigation"),
        UnitFactory(body=body, name="Department of strategy"),
    )


@pytest.fixture
def other_planner(body):
    return member(body, Role.PLANNER, first_name="Marat", last_name="Seitov")


def stored(plan) -> OperationalPlan:
    return OperationalPlan.objects.get(pk=plan.pk)


def test_a_save_from_an_older_version_is_a_conflict(oplan, units, planner, other_planner):
    theirs, mine = units
    read = oplan.version
    services.plan_update(
        actor=other_planner, plan=stored(oplan), version=read, planning_unit=theirs
    )
    with pytest.raises(Conflict) as conflict:
        services.plan_update(actor=planner, plan=stored(oplan), version=read, planning_unit=mine)
    assert "Seitov Marat saved this at" in conflict.value.message
    assert conflict.value.current.planning_unit == theirs
    assert stored(oplan).planning_unit == theirs
    services.plan_update(actor=planner, plan=stored(oplan), version=read + 1, planning_unit=mine)
    assert stored(oplan).planning_unit == mine
    assert stored(oplan).version == read + 2


def test_the_api_answers_409_to_a_stale_version(api, oplan, units, planner, other_planner):
    theirs, mine = units
    url = f"/api/v1/operational-plans/{oplan.pk}/"
    first, second = api(planner), api(other_planner)
    read = first.get(url).json()["version"]
    assert second.get(url).json()["version"] == read
    saved = second.patch(url, {"planning_unit": theirs.pk, "version": read}, format="json")
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == read + 1
    stale = first.patch(url, {"planning_unit": mine.pk, "version": read}, format="json")
    assert stale.status_code == 409
    assert stale.json() == {"detail": stale.json()["detail"], "version": read + 1}
    assert "Seitov Marat saved this at" in stale.json()["detail"]
    assert stored(oplan).planning_unit == theirs
    fresh = first.patch(url, {"planning_unit": mine.pk, "version": read + 1}, format="json")
    assert fresh.status_code == 200
    assert stored(oplan).planning_unit == mine
    unversioned = first.patch(url, {"planning_unit": theirs.pk}, format="json")  # older client
    assert unversioned.status_code == 200
    assert stored(oplan).planning_unit == theirs


def test_the_api_takes_no_version_for_a_new_plan(api, body, plan, planner):
    created = api(planner).post(
        "/api/v1/operational-plans/",
        {"body": body.pk, "year": 2027, "development_plan": plan.pk, "version": 7},
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["version"] == 0


def page_data(response, **changes) -> dict:
    form = response.context["form"]
    data = {f.html_name: f.value() for f in form if f.value() is not None}
    return data | changes


def test_the_page_keeps_my_choice_and_shows_theirs(body, oplan, units, planner, other_planner):
    theirs, mine = units
    url = reverse("plans:plan_edit", args=[body.pk, oplan.pk])
    first, second = Client(), Client()
    first.force_login(planner)
    second.force_login(other_planner)
    mine_form, their_form = first.get(url), second.get(url)
    assert mine_form.status_code == their_form.status_code == 200
    assert second.post(url, page_data(their_form, planning_unit=theirs.pk)).status_code == 302
    response = first.post(url, page_data(mine_form, planning_unit=mine.pk))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Seitov Marat saved this at" in page
    assert "They saved: Department of strategy" not in page
    assert "They saved: Department of irrigation" in page
    assert stored(oplan).planning_unit == theirs
    assert response.context["form"]["planning_unit"].value() == str(mine.pk)  # my choice kept
    again = first.post(
        url,
        page_data(
            mine_form, planning_unit=mine.pk, version=response.context["form"].data["version"]
        ),
    )
    assert again.status_code == 302
    assert stored(oplan).planning_unit == mine


def test_the_plan_page_links_its_edit_page_while_editable(client, body, oplan, planner):
    client.force_login(planner)
    page = client.get(oplan.get_absolute_url()).content.decode()
    assert reverse("plans:plan_edit", args=[body.pk, oplan.pk]) in page
