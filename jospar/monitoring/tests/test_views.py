from decimal import Decimal

import pytest
from django.urls import reverse

from jospar.monitoring.models import ProgressEntry, Submission, SubmissionStatus
from jospar.orgs.models import Role
from jospar.plans import services as plan_services
from jospar.plans.models import CompletionForm
from jospar.plans.terms import TermKind
from tests.factories import (
    DirectionFactory,
    GoalFactory,
    IndicatorValueFactory,
    TargetIndicatorFactory,
    UnitFactory,
    member,
    operational_plan,
)

pytestmark = pytest.mark.django_db


def approved_plan(body, planner, units, actions_per_unit=2):
    plan = operational_plan(body, 2026)
    goal = GoalFactory(direction=DirectionFactory(plan=plan.development_plan))
    indicator = TargetIndicatorFactory(goal=goal, responsible_unit=units[0])
    IndicatorValueFactory(indicator=indicator, year=2026, planned=Decimal(40))
    form, _ = CompletionForm.objects.get_or_create(body=None, name="Report")
    for unit in units:
        for n in range(actions_per_unit):
            plan_services.action_create(
                actor=planner,
                plan=plan,
                indicator=indicator,
                name=f"{unit.code} action {n}",
                lead_unit=unit,
                term_kind=TermKind.QUARTER,
                term_quarter=2 if n == 0 else 4,
                completion_form=form,
            )
    official = member(body, Role.OFFICIAL)
    plan_services.plan_submit(actor=planner, plan=plan)
    plan_services.plan_approve(actor=official, plan=plan)
    return plan, indicator


@pytest.fixture
def world(body, planner, unit, clock):
    clock("2026-07-02 10:00")
    other = UnitFactory(body=body, name="Legal department")
    plan, indicator = approved_plan(body, planner, [unit, other])
    return {
        "plan": plan,
        "indicator": indicator,
        "unit": unit,
        "other": other,
        "executor": member(body, Role.EXECUTOR, unit=unit),
        "head": member(body, Role.UNIT_HEAD, unit=unit),
        "stranger": member(body, Role.EXECUTOR, unit=other),
        "monitor": member(body, Role.MONITOR),
    }


def url(name, w, *extra, quarter=2, unit=None):
    plan = w["plan"]
    return reverse(
        f"monitoring:{name}", args=[plan.body_id, plan.pk, quarter, (unit or w["unit"]).pk, *extra]
    )


def test_an_executor_opens_fills_and_the_head_signs(client, world, clock):
    w = world
    client.force_login(w["executor"])
    assert client.post(url("submission", w)).status_code == 302
    submission = Submission.objects.get()
    page = client.get(url("submission", w)).content.decode()
    assert "U" in page and "action 0" in page
    action = submission.plan.actions.get(name__endswith="action 0", lead_unit=w["unit"])
    response = client.post(
        url("entry_save", w, action.pk),
        {"version": 0, "status": "not_executed", "actual": "Draft agreed", "reasons": ""},
        HTTP_HX_REQUEST="true",
    )
    assert 'value="1"' in response.content.decode()  # the new version, out of band
    client.force_login(w["head"])
    client.post(url("step", w, "sign"))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT  # stopped: no reasons given
    client.force_login(w["executor"])
    client.post(
        url("entry_save", w, action.pk),
        {
            "version": 1,
            "status": "not_executed",
            "actual": "Draft agreed",
            "reasons": "The ministry of finance has not agreed the budget",
        },
        HTTP_HX_REQUEST="true",
    )
    clock("2026-07-13 09:00")
    client.force_login(w["head"])
    client.post(url("step", w, "sign"))
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.days_late == 3


def test_a_conflicting_save_shows_the_other_text(client, world):
    w = world
    client.force_login(w["executor"])
    client.post(url("submission", w))
    action = w["plan"].actions.filter(lead_unit=w["unit"]).first()
    client.post(
        url("entry_save", w, action.pk),
        {"version": 0, "status": "executed", "actual": "Mine first"},
    )
    response = client.post(
        url("entry_save", w, action.pk),
        {"version": 0, "status": "executed", "actual": "Second writer"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert "Mine first" in page and "was not saved" in page
    assert ProgressEntry.objects.get().actual == "Mine first"


def test_another_units_executor_can_neither_see_nor_write(client, world):
    w = world
    client.force_login(w["executor"])
    client.post(url("submission", w))
    action = w["plan"].actions.filter(lead_unit=w["unit"]).first()
    client.force_login(w["stranger"])
    assert client.get(url("submission", w)).status_code == 404
    response = client.post(url("entry_save", w, action.pk), {"version": 0, "actual": "X"})
    assert response.status_code == 404
    assert not ProgressEntry.objects.exists()


def test_an_entry_for_another_units_action_is_refused(client, world):
    w = world
    client.force_login(w["executor"])
    client.post(url("submission", w))
    foreign = w["plan"].actions.filter(lead_unit=w["other"]).first()
    response = client.post(url("entry_save", w, foreign.pk), {"version": 0, "actual": "X"})
    assert response.status_code == 400
    assert "not one your unit reports on" in response.content.decode()
    assert not ProgressEntry.objects.exists()


def test_a_non_numeric_indicator_value_is_refused(client, world):
    w = world
    client.force_login(w["executor"])
    client.post(url("submission", w))
    response = client.post(
        url("actual_save", w, w["indicator"].pk), {"version": 0, "value": "about forty"}
    )
    assert response.status_code == 400
    assert "Enter a number" in response.content.decode()


def test_the_quarter_is_not_open_before_it_starts(client, world):
    w = world
    client.force_login(w["executor"])
    response = client.post(url("submission", w, quarter=4), follow=True)
    assert "opens on 01.10.2026" in response.content.decode()
    assert not Submission.objects.exists()


def test_the_monitor_returns_and_accepts(client, world, clock):
    w = world
    submission = Submission.objects.create(
        plan=w["plan"], unit=w["unit"], quarter=2, status=SubmissionStatus.SUBMITTED
    )
    client.force_login(w["monitor"])
    client.post(url("step", w, "return"), {"comment": ""})
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    client.post(url("step", w, "return"), {"comment": "Attach the protocol"})
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    client.force_login(w["executor"])
    assert "Attach the protocol" in client.get(url("submission", w)).content.decode()


@pytest.mark.parametrize("units", [2, 20])
def test_the_board_costs_the_same_queries_for_any_number_of_units(
    client, body, planner, units, clock, django_assert_max_num_queries
):
    clock("2026-07-02 10:00")
    all_units = [UnitFactory(body=body) for _ in range(units)]
    plan, _indicator = approved_plan(body, planner, all_units, actions_per_unit=3)
    for unit in all_units[: units // 2]:
        Submission.objects.create(plan=plan, unit=unit, quarter=2)
    client.force_login(member(body, Role.MONITOR))
    with django_assert_max_num_queries(15):
        page = client.get(reverse("monitoring:board", args=[body.pk, plan.pk, 2]))
    assert page.content.decode().count("data-unit=") == units


@pytest.mark.parametrize("actions", [2, 40])
def test_the_submission_page_costs_the_same_queries_for_any_number_of_actions(
    client, body, planner, unit, actions, clock, django_assert_max_num_queries
):
    clock("2026-07-02 10:00")
    plan, _indicator = approved_plan(body, planner, [unit], actions_per_unit=actions)
    executor = member(body, Role.EXECUTOR, unit=unit)
    submission = Submission.objects.create(plan=plan, unit=unit, quarter=2)
    for action in plan.actions.all():
        ProgressEntry.objects.create(
            submission=submission, action=action, status="executed", actual="Done", version=1
        )
    client.force_login(executor)
    with django_assert_max_num_queries(25):
        client.get(reverse("monitoring:submission", args=[body.pk, plan.pk, 2, unit.pk]))


def test_another_unit_cannot_read_a_drafts_history(client, world):
    w = world
    client.force_login(w["executor"])
    client.post(url("submission", w))
    submission = Submission.objects.get()
    history = reverse(
        "orgs:history", args=[w["plan"].body_id, "monitoring.submission", submission.pk]
    )
    assert client.get(history).status_code == 200
    client.force_login(w["stranger"])
    assert client.get(history).status_code == 404
    client.force_login(w["monitor"])
    assert client.get(history).status_code == 200
