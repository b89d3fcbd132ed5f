"""Next year's plan from this one: recurring actions go on, unfinished ones are offered."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jospar.lib.history import history_rows
from jospar.orgs.models import Role
from jospar.plans import services
from jospar.plans.carryover import next_year_offer
from jospar.plans.models import OperationalPlan, PlanStatus
from jospar.plans.terms import TermKind
from tests.factories import IndicatorValueFactory, member
from tests.worlds import monitoring_world, q2_report, shared_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]


def reported_world():
    """The approved plan 2026 and its report on the 2nd quarter: q2 partially executed."""
    world = monitoring_world()
    q2_report(world)
    return world


# Built once for the module; the tests that build a plan of their own (plan_world) are in
# test_next_year_own_plans.py.
world_once, world = shared_world(reported_world)


def keys_of(world, actions) -> set[str]:
    names = {action.pk: key for key, action in world.actions.items()}
    return {names[action.action_id] for action in actions}


def test_recurring_actions_go_on_and_the_unfinished_are_offered(world):
    offer = next_year_offer(world.plan)

    assert offer.problem == ""
    assert offer.year == 2027
    assert keys_of(world, [c.action for c in offer.recurring]) == {"quarterly", "annual"}
    assert keys_of(world, [c.action for c in offer.unfinished]) == {"q2"}
    assert offer.unfinished[0].status_display == "partially executed"
    assert offer.report.quarter == 2


def test_an_indicator_without_a_value_for_the_new_year_is_a_warning(world):
    offer = next_year_offer(world.plan)
    # the world's indicators have values for 2026 only; the task's action has no indicator
    assert len(offer.warnings) == 2
    assert all("has no planned value for 2027" in w for w in offer.warnings)

    IndicatorValueFactory(indicator=world.indicator, year=2027, planned=Decimal(45))
    assert next_year_offer(world.plan).warnings == []


def test_the_new_plan_carries_the_recurring_and_the_chosen_actions_with_their_links(world):
    q2 = world.actions["q2"]

    new = services.plan_prepare_next(actor=world.planner, plan=world.plan, carry=[q2.pk])

    assert (new.year, new.status, new.development_plan) == (
        2027,
        PlanStatus.DRAFT,
        world.development,
    )
    carried = {action.carried_from_id: action for action in new.actions.all()}
    assert set(carried) == {q2.pk, world.actions["quarterly"].pk, world.actions["annual"].pk}
    again = carried[q2.pk]
    assert again.name == "Repair the canals"
    assert (again.indicator, again.lead_unit) == (world.indicator, world.unit)
    assert (again.term_kind, again.term_quarter) == (TermKind.QUARTER, 2)
    assert list(again.co_executors.all()) == [world.partner]
    assert list(again.budget_programs.all()) == [world.program]
    assert again.completion_form == world.form
    annual = carried[world.actions["annual"].pk]
    assert (annual.task, annual.indicator) == (world.task, None)
    # the source keeps its link to what continues it
    assert list(q2.carried_to.all()) == [again]


def test_unfinished_actions_left_unticked_stay_behind(world):
    new = services.plan_prepare_next(actor=world.planner, plan=world.plan, carry=[])
    assert world.actions["q2"].pk not in set(new.actions.values_list("carried_from", flat=True))
    assert new.actions.count() == 2


def test_history_names_the_link_both_ways(world):
    q2 = world.actions["q2"]
    new = services.plan_prepare_next(actor=world.planner, plan=world.plan, carry=[q2.pk])
    again = new.actions.get(carried_from=q2)

    source_changes = [c for row in history_rows(q2) for c in row.changes]
    assert any(
        c.field == "Carried over into" and c.new == f"{new}: Repair the canals"
        for c in source_changes
    )
    new_changes = [c for row in history_rows(again) for c in row.changes]
    assert any(c.field == "carried over from" and c.new == "Repair the canals" for c in new_changes)


def test_only_the_offered_actions_can_be_chosen(world):
    with pytest.raises(ValidationError, match="Only the unfinished actions"):
        services.plan_prepare_next(
            actor=world.planner, plan=world.plan, carry=[world.actions["q1"].pk]
        )
    assert not OperationalPlan.objects.filter(year=2027).exists()


def test_only_a_planner_prepares_the_next_plan(world):
    with pytest.raises(PermissionDenied):
        services.plan_prepare_next(actor=world.executor, plan=world.plan)
    assert not OperationalPlan.objects.filter(year=2027).exists()


# --- the page ----------------------------------------------------------------------------------


def test_the_plan_page_offers_the_next_year_to_the_planner_only(client, world):
    url = world.plan.get_absolute_url()
    client.force_login(world.planner)
    assert "Prepare the plan for 2027" in client.get(url).content.decode()
    client.force_login(world.executor)
    assert "Prepare the plan for 2027" not in client.get(url).content.decode()


def test_the_planner_prepares_the_next_plan_on_the_page(client, world):
    url = reverse("plans:next_year", args=[world.body.pk, world.plan.pk])
    client.force_login(world.planner)
    page = client.get(url).content.decode()
    assert "Report the water use" not in page  # (the world's names, as typed)
    assert "Report on water use" in page and "Repair the canals" in page
    assert "has no planned value for 2027" in page

    response = client.post(url, {"carry": [world.actions["q2"].pk]})

    new = OperationalPlan.objects.get(body=world.body, year=2027)
    assert response.status_code == 302 and response["Location"] == new.get_absolute_url()
    assert new.actions.count() == 3
    follow = client.get(response["Location"]).content.decode()
    assert "The plan for 2027 is prepared: 3 actions carried over." in follow
    assert client.get(url).status_code == 200  # the page now says the plan exists
    assert "exists already" in client.get(url).content.decode()


def test_a_choice_that_is_not_offered_is_refused_on_the_page(client, world):
    client.force_login(world.planner)
    url = reverse("plans:next_year", args=[world.body.pk, world.plan.pk])
    response = client.post(url, {"carry": [world.actions["q1"].pk]})
    assert response.status_code == 400
    assert not OperationalPlan.objects.filter(year=2027).exists()


def test_the_page_is_closed_to_those_who_do_not_plan(client, world):
    client.force_login(member(world.body, Role.VIEWER, username="viewer"))
    url = reverse("plans:next_year", args=[world.body.pk, world.plan.pk])
    assert client.get(url).status_code == 403


# --- the API -----------------------------------------------------------------------------------


def test_the_api_offers_and_prepares_the_next_plan(api, world):
    url = f"/api/v1/operational-plans/{world.plan.pk}/"
    offer = api(world.planner).get(url + "next-year-offer/").json()
    assert offer["year"] == 2027 and offer["problem"] == ""
    assert [c["name"] for c in offer["unfinished"]] == ["Repair the canals"]
    assert {c["name"] for c in offer["recurring"]} == {
        "Report on water use",
        "Publish the annual report",
    }

    refused = api(world.planner).post(url + "next-year/", {"carry": [world.actions["q1"].pk]})
    assert refused.status_code == 400
    assert not OperationalPlan.objects.filter(year=2027).exists()
    assert api(world.executor).post(url + "next-year/", {}).status_code == 403

    made = api(world.planner).post(
        url + "next-year/", {"carry": [offer["unfinished"][0]["action"]]}
    )
    assert made.status_code == 201
    assert made.json()["year"] == 2027
    assert OperationalPlan.objects.get(year=2027).actions.count() == 3
