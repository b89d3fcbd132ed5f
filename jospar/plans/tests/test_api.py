import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jospar.deadlines.calendar import today
from jospar.orgs.models import Role
from jospar.plans import services
from jospar.plans.models import (
    Action,
    CompletionForm,
    OperationalPlan,
    PlanStatus,
    Proposal,
    ProposalStatus,
    RegulationTask,
)
from jospar.plans.terms import TermKind
from tests.factories import (
    BudgetProgramFactory,
    DevelopmentPlanFactory,
    DirectionFactory,
    GoalFactory,
    IndicatorValueFactory,
    TargetIndicatorFactory,
    UnitFactory,
    member,
    operational_plan,
)
from tests.openapi import served_schema

pytestmark = pytest.mark.django_db

ACTIONS = "/api/v1/actions/"
PLANS = "/api/v1/operational-plans/"
PROPOSALS = "/api/v1/proposals/"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def oplan(body):
    return operational_plan(body, 2026)


@pytest.fixture
def indicator(oplan):
    """A target indicator with a value for 2026: the plan needs an action for it."""
    goal = GoalFactory(direction=DirectionFactory(plan=oplan.development_plan, number=1), number=1)
    target = TargetIndicatorFactory(goal=goal)
    IndicatorValueFactory(indicator=target, year=2026, planned=Decimal(5))
    return target


@pytest.fixture
def task(body):
    return RegulationTask.objects.create(body=body, number=1, name="Informing the public")


@pytest.fixture
def form():
    return CompletionForm.objects.get(name="Order of the Minister")


@pytest.fixture
def official(body):
    return member(body, Role.OFFICIAL, username="official")


@pytest.fixture
def head(body, unit):
    return member(body, Role.UNIT_HEAD, unit=unit, username="head")


def content(anchor, unit, form, **fields) -> dict:
    """The payload of a complete action under `anchor` (an indicator or a task)."""
    kind = "task" if isinstance(anchor, RegulationTask) else "indicator"
    return {
        kind: anchor.pk,
        "name": "Adopt the rules of water use",
        "lead_unit": unit.pk,
        "term_kind": "quarter",
        "term_quarter": 2,
        "completion_form": form.pk if form else None,
    } | fields


def add_action(planner, oplan, anchor, unit, form, **fields) -> Action:
    kind = "task" if isinstance(anchor, RegulationTask) else "indicator"
    values = {
        kind: anchor,
        "name": "Adopt the rules of water use",
        "lead_unit": unit,
        "term_kind": TermKind.QUARTER,
        "term_quarter": 2,
        "completion_form": form,
    } | fields
    return services.action_create(actor=planner, plan=oplan, **values)


def approve(oplan) -> None:
    OperationalPlan.objects.filter(pk=oplan.pk).update(status=PlanStatus.APPROVED)


# Operational plans


def test_the_planner_opens_a_plan_and_sees_its_deadline(api, body, unit, planner):
    development = DevelopmentPlanFactory(body=body, signed_on=today() - dt.timedelta(days=3))
    data = {
        "body": body.pk,
        "year": 2026,
        "development_plan": development.pk,
        "planning_unit": unit.pk,
    }
    response = api(planner).post(PLANS, data)
    assert response.status_code == 201, response.content
    plan = response.json()
    assert plan["status"] == "draft"
    assert plan["approval_deadline"] == (development.signed_on + dt.timedelta(days=10)).isoformat()
    assert (plan["days_left"], plan["days_late"], plan["countdown"]) == (7, 0, "7 days left")
    assert (plan["approved_on"], plan["approved_by"], plan["approved_late"]) == (None, None, False)
    assert plan["events"] == []
    assert plan["steps"] == ["submit"]
    assert OperationalPlan.objects.get().history.first().history_user == planner


def test_a_plan_past_its_deadline_counts_the_days_late(api, oplan, viewer):
    oplan.approval_basis_on = dt.date(2025, 12, 1)
    oplan.save()
    plan = api(viewer).get(f"{PLANS}{oplan.pk}/").json()
    late = (today() - dt.date(2025, 12, 11)).days
    assert (plan["approval_deadline"], plan["days_left"], plan["days_late"]) == (
        "2025-12-11",
        0,
        late,
    )
    assert plan["approval_basis"] == (
        "10 days from the basis date recorded on the plan, 01.12.2025"
    )
    assert plan["steps"] == []


def test_a_later_year_without_a_basis_date_has_no_deadline_yet(api, oplan, planner):
    """2026 of a development plan signed on 20.12.2024: not counted from that signing."""
    url = f"{PLANS}{oplan.pk}/"
    plan = api(planner).get(url).json()
    assert [plan[f] for f in ("approval_deadline", "approval_basis", "days_late")] == [
        None,
        None,
        None,
    ]
    response = api(planner).patch(
        url, {"approval_basis_on": "2026-01-05", "version": plan["version"]}, format="json"
    )
    assert response.status_code == 200, response.content
    plan = response.json()
    assert (plan["approval_deadline"], plan["approval_basis_on"]) == ("2026-01-15", "2026-01-05")
    assert plan["approval_basis"].startswith("10 days from the basis date recorded")


def test_a_year_outside_the_development_plan_is_a_400(api, body, planner):
    development = DevelopmentPlanFactory(body=body)
    data = {"body": body.pk, "year": 2031, "development_plan": development.pk}
    response = api(planner).post(PLANS, data)
    assert response.status_code == 400
    assert list(response.json()) == ["year"]
    assert not OperationalPlan.objects.exists()


def test_a_second_plan_for_the_year_is_a_400(api, body, oplan, planner):
    data = {"body": body.pk, "year": 2026, "development_plan": oplan.development_plan_id}
    response = api(planner).post(PLANS, data)
    assert response.status_code == 400
    assert response.json() == {"year": ["The body already has an operational plan for this year."]}
    assert OperationalPlan.objects.count() == 1


def test_a_development_plan_of_another_body_is_not_found(api, body, other_body, planner):
    foreign = DevelopmentPlanFactory(body=other_body)
    response = api(planner).post(
        PLANS, {"body": body.pk, "year": 2026, "development_plan": foreign.pk}
    )
    assert response.status_code == 404
    assert "development_plan" in response.json()
    assert not OperationalPlan.objects.exists()


@pytest.mark.parametrize("role", ["executor", "viewer", "admin_user"])
def test_only_the_planner_opens_and_changes_plans(request, api, body, oplan, unit, role):
    client = api(request.getfixturevalue(role))
    data = {"body": body.pk, "year": 2027, "development_plan": oplan.development_plan_id}
    assert client.post(PLANS, data).status_code == 403
    assert client.patch(f"{PLANS}{oplan.pk}/", {"planning_unit": unit.pk}).status_code == 403
    assert OperationalPlan.objects.get().planning_unit is None


def test_the_planner_changes_a_draft_but_not_an_approved_plan(api, oplan, unit, planner):
    client = api(planner)
    response = client.patch(f"{PLANS}{oplan.pk}/", {"planning_unit": unit.pk})
    assert response.status_code == 200, response.content
    assert response.json()["planning_unit"] == unit.pk
    approve(oplan)
    response = client.patch(f"{PLANS}{oplan.pk}/", {"planning_unit": None}, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["The plan is approved and cannot be changed."]}
    assert OperationalPlan.objects.get().planning_unit == unit


def test_plans_are_filtered_by_year_and_body(api, body, oplan, viewer):
    later = operational_plan(body, 2027, development_plan=oplan.development_plan)
    client = api(viewer)
    assert ids(client.get(PLANS, {"year": 2027})) == [later.pk]
    assert ids(client.get(PLANS, {"body": body.pk})) == [later.pk, oplan.pk]
    assert client.get(PLANS, {"year": "next"}).status_code == 400


def test_an_outsider_sees_no_plan_of_another_body(api, body, oplan, outsider):
    client = api(outsider)
    assert ids(client.get(PLANS)) == []
    assert client.get(f"{PLANS}{oplan.pk}/").status_code == 404
    assert client.get(f"{PLANS}{oplan.pk}/layout/").status_code == 404
    assert client.get(f"{PLANS}{oplan.pk}/check/").status_code == 404
    assert client.post(f"{PLANS}{oplan.pk}/submit/").status_code == 404
    data = {"body": body.pk, "year": 2027, "development_plan": oplan.development_plan_id}
    assert client.post(PLANS, data).status_code == 404
    assert OperationalPlan.objects.count() == 1


# Approval (R6)


@pytest.fixture
def complete_plan(oplan, planner, task, unit, form):
    add_action(planner, oplan, task, unit, form, term_kind=TermKind.YEAR)
    return oplan


def test_the_planner_submits_and_the_official_approves(api, complete_plan, planner, official):
    OperationalPlan.objects.filter(pk=complete_plan.pk).update(
        approval_basis_on=dt.date(2025, 12, 1)
    )
    url = f"{PLANS}{complete_plan.pk}/"
    response = api(planner).post(url + "submit/")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    assert api(official).get(url).json()["steps"] == ["approve", "return"]
    response = api(official).post(url + "approve/")
    assert response.status_code == 200, response.content
    plan = response.json()
    assert plan["status"] == "approved"
    assert (plan["approved_on"], plan["approved_by"]) == (today().isoformat(), official.pk)
    assert plan["approved_late"]  # the development plan was signed in 2024
    assert [(e["kind"], e["actor"]) for e in plan["events"]] == [
        ("submitted", planner.pk),
        ("approved", official.pk),
    ]


def test_the_planner_cannot_approve(api, complete_plan, planner):
    client = api(planner)
    client.post(f"{PLANS}{complete_plan.pk}/submit/")
    assert client.post(f"{PLANS}{complete_plan.pk}/approve/").status_code == 403
    assert OperationalPlan.objects.get().status == PlanStatus.SUBMITTED


@pytest.mark.parametrize("role", ["executor", "viewer", "official"])
def test_only_the_planner_submits(request, api, complete_plan, role):
    response = api(request.getfixturevalue(role)).post(f"{PLANS}{complete_plan.pk}/submit/")
    assert response.status_code == 403
    assert OperationalPlan.objects.get().status == PlanStatus.DRAFT


def test_a_plan_with_errors_is_not_submitted(api, oplan, indicator, planner):
    response = api(planner).post(f"{PLANS}{oplan.pk}/submit/")
    assert response.status_code == 400
    assert list(response.json()) == ["non_field_errors"]
    assert "completeness check" in response.json()["non_field_errors"][0]
    assert OperationalPlan.objects.get().status == PlanStatus.DRAFT


def test_a_return_needs_a_comment(api, complete_plan, planner, official):
    api(planner).post(f"{PLANS}{complete_plan.pk}/submit/")
    url = f"{PLANS}{complete_plan.pk}/return/"
    client = api(official)
    for data in ({}, {"comment": "  "}):
        response = client.post(url, data)
        assert response.status_code == 400
        assert list(response.json()) == ["comment"]
    assert OperationalPlan.objects.get().status == PlanStatus.SUBMITTED
    response = client.post(url, {"comment": "Add an action for 1.1"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "returned"
    assert response.json()["events"][-1]["comment"] == "Add an action for 1.1"
    assert response.json()["events"][-1]["actor_name"] == str(official)


def test_the_planner_cannot_return_the_plan(api, complete_plan, planner):
    client = api(planner)
    client.post(f"{PLANS}{complete_plan.pk}/submit/")
    response = client.post(f"{PLANS}{complete_plan.pk}/return/", {"comment": ""})
    assert response.status_code == 403
    assert OperationalPlan.objects.get().status == PlanStatus.SUBMITTED


def test_a_step_out_of_turn_is_a_400(api, complete_plan, official):
    response = api(official).post(f"{PLANS}{complete_plan.pk}/approve/")
    assert response.status_code == 400
    assert OperationalPlan.objects.get().status == PlanStatus.DRAFT
    assert not complete_plan.events.exists()


def test_an_adjustment_on_monitoring_has_no_approval_deadline(
    api, complete_plan, planner, official
):
    services.plan_submit(actor=planner, plan=complete_plan)
    services.plan_approve(actor=official, plan=complete_plan)
    services.adjustment_start(
        actor=planner, plan=complete_plan, basis="monitoring", basis_reference="Report Q1"
    )
    plan = api(planner).get(f"{PLANS}{complete_plan.pk}/").json()
    assert plan["status"] == "draft"
    assert [plan[f] for f in ("approval_deadline", "days_left", "days_late", "countdown")] == [
        None
    ] * 4


def test_an_action_of_an_approved_revision_deleted_in_an_adjustment_leaves_the_plan(
    api, oplan, task, unit, form, planner, official
):
    kept = add_action(planner, oplan, task, unit, form, term_kind=TermKind.YEAR, name="Kept")
    gone = add_action(planner, oplan, task, unit, form, term_kind=TermKind.YEAR, name="Gone")
    services.plan_submit(actor=planner, plan=oplan)
    services.plan_approve(actor=official, plan=oplan)
    services.adjustment_start(actor=planner, plan=oplan, basis="other", basis_text="New tasks")
    client = api(planner)
    assert client.delete(f"{ACTIONS}{gone.pk}/").status_code == 204
    assert Action.objects.filter(pk=gone.pk, removed=True).exists()  # the revision keeps it
    assert ids(client.get(ACTIONS, {"plan": oplan.pk})) == [kept.pk]
    assert client.get(f"{ACTIONS}{gone.pk}/").status_code == 404
    rows = client.get(f"{PLANS}{oplan.pk}/layout/").json()
    assert [r["anchor"] for r in rows if r["kind"] == "action"] == [f"action-{kept.pk}"]


# The completeness check and the layout


def test_the_check_lists_errors_and_warnings(api, oplan, indicator, viewer):
    response = api(viewer).get(f"{PLANS}{oplan.pk}/check/")
    assert response.status_code == 200, response.content
    found = [p for p in response.json() if "no name in" not in p["message"]]
    assert [(p["level"], p["anchor"]) for p in found] == [
        ("error", f"indicator-{indicator.pk}"),
        ("warning", "section-2"),
    ]
    # the factories write English only: the names lack Kazakh and Russian, as warnings
    missing = [p for p in response.json() if "no name in" in p["message"]]
    assert {p["level"] for p in missing} == {"warning"}
    assert any(p["message"].endswith("have no name in Kazakh.") for p in missing)
    assert any(p["message"].endswith("have no name in Russian.") for p in missing)
    assert "no actions" in response.json()[0]["message"]


def test_the_layout_numbers_the_actions_through_the_plan(
    api, body, oplan, indicator, task, unit, form, planner, viewer
):
    other = UnitFactory(body=body, code="D9")
    first = add_action(planner, oplan, indicator, unit, form)
    second = add_action(planner, oplan, task, other, form, term_kind=TermKind.YEAR)
    rows = api(viewer).get(f"{PLANS}{oplan.pk}/layout/").json()
    assert [(r["kind"], r["number"], r["anchor"]) for r in rows] == [
        ("section", None, "section-1"),
        ("direction", None, f"direction-{indicator.goal.direction_id}"),
        ("goal", None, f"goal-{indicator.goal_id}"),
        ("target", None, f"indicator-{indicator.pk}"),
        ("action", 1, f"action-{first.pk}"),
        ("section", None, "section-2"),
        ("task", None, f"task-{task.pk}"),
        ("action", 2, f"action-{second.pk}"),
    ]
    assert rows[0]["text"].startswith("I. Actions to achieve the goals")
    assert rows[3]["of_the_year"]
    assert rows[4]["text"] == first.name
    assert rows[4]["action"]["term_display"] == "2 quarter"
    assert rows[4]["action"]["completion_display"] == "Order of the Minister"
    assert rows[4]["action"]["lead_unit_name"] == str(unit)
    assert rows[7]["action"]["term_display"] == "during the year"
    assert rows[3]["action"] is None

    only_other = api(viewer).get(f"{PLANS}{oplan.pk}/layout/", {"unit": other.pk}).json()
    assert [(r["number"], r["anchor"]) for r in only_other if r["kind"] == "action"] == [
        (2, f"action-{second.pk}")
    ]


def test_a_unit_filter_that_is_not_an_id_is_a_400(api, oplan, viewer):
    response = api(viewer).get(f"{PLANS}{oplan.pk}/layout/", {"unit": "water"})
    assert response.status_code == 400
    assert list(response.json()) == ["unit"]


# Actions


def test_the_planner_adds_an_action(api, body, oplan, indicator, unit, form, planner):
    program = BudgetProgramFactory(body=body, code="001")
    co = UnitFactory(body=body, code="D5")
    data = content(indicator, unit, form, plan=oplan.pk, budget_programs=[program.pk])
    data["co_executors"] = [co.pk]
    response = api(planner).post(ACTIONS, data, format="json")
    assert response.status_code == 201, response.content
    action = response.json()
    assert (action["plan"], action["section"], action["position"]) == (oplan.pk, 1, 1)
    assert (action["budget_programs"], action["budget_program_codes"]) == ([program.pk], ["001"])
    assert action["co_executors"] == [co.pk]
    assert action["co_executor_names"] == [str(co)]
    assert action["term_display"] == "2 quarter"
    assert action["completion_display"] == "Order of the Minister"
    assert action["proposal"] is None
    saved = Action.objects.get()
    assert saved.history.first().history_user == planner
    assert "001" in saved.history.first().history_change_reason


def test_an_action_with_a_date_and_free_text_form(api, oplan, task, unit, planner):
    data = content(task, unit, form=None, plan=oplan.pk, term_kind="date")
    data |= {"term_date": "2026-12-20", "completion_form": None, "completion_text": "Report"}
    response = api(planner).post(ACTIONS, data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["term_display"] == "by 20 December"
    assert (response.json()["section"], response.json()["completion_display"]) == (2, "Report")


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"term_kind": "date", "term_date": "2027-01-10"}, "term_date"),
        ({"term_kind": "quarter", "term_quarter": 5}, "term_quarter"),
        ({"term_kind": "weekly"}, "term_kind"),
        ({"name": " "}, "name"),
        ({"term_date": "soon"}, "term_date"),
    ],
)
def test_a_bad_value_is_a_400_on_its_field(api, oplan, indicator, unit, form, planner, bad, field):
    data = content(indicator, unit, form, plan=oplan.pk, **bad)
    response = api(planner).post(ACTIONS, data, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert not Action.objects.exists()


def test_a_term_date_outside_the_plan_year_names_the_year(
    api, oplan, indicator, unit, form, planner
):
    data = content(indicator, unit, form, plan=oplan.pk, term_kind="date", term_date="2027-01-10")
    response = api(planner).post(ACTIONS, data, format="json")
    assert response.json() == {"term_date": ["The date is outside the plan year 2026."]}


def test_a_budget_program_of_another_body_is_not_found(
    api, other_body, oplan, indicator, unit, form, planner
):
    foreign = BudgetProgramFactory(body=other_body, code="999")
    data = content(indicator, unit, form, plan=oplan.pk, budget_programs=[foreign.pk])
    response = api(planner).post(ACTIONS, data, format="json")
    assert response.status_code == 404
    assert list(response.json()) == ["budget_programs"]
    assert not Action.objects.exists()


def test_a_co_executor_equal_to_the_lead_is_a_400(api, oplan, indicator, unit, form, planner):
    data = content(indicator, unit, form, plan=oplan.pk, co_executors=[unit.pk])
    response = api(planner).post(ACTIONS, data, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "co_executors": ["The responsible executor cannot also be a co-executor."]
    }
    assert not Action.objects.exists()


def test_a_form_of_completion_of_another_body_is_not_found(
    api, other_body, oplan, indicator, unit, planner
):
    foreign = CompletionForm.objects.create(body=other_body, name="Minutes of the board")
    response = api(planner).post(
        ACTIONS, content(indicator, unit, foreign, plan=oplan.pk), format="json"
    )
    assert response.status_code == 404
    assert list(response.json()) == ["completion_form"]
    assert not Action.objects.exists()


def test_an_indicator_of_another_development_plan_is_a_400(api, body, oplan, unit, form, planner):
    later = DevelopmentPlanFactory(body=body, start_year=2030, end_year=2034)
    foreign = TargetIndicatorFactory(goal=GoalFactory(direction=DirectionFactory(plan=later)))
    response = api(planner).post(
        ACTIONS, content(foreign, unit, form, plan=oplan.pk), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["indicator"]


def test_an_action_has_at_most_one_anchor(api, oplan, indicator, task, unit, form, planner):
    client = api(planner)
    both = content(indicator, unit, form, plan=oplan.pk, task=task.pk)
    response = client.post(ACTIONS, both, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["indicator"]
    assert not Action.objects.exists()
    # neither: section II, under its heading with no task
    neither = content(indicator, unit, form, plan=oplan.pk, indicator=None)
    response = client.post(ACTIONS, neither, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["indicator"], body["task"], body["section"]) == (None, None, 2)


def test_the_planner_changes_an_action_and_another_anchor_replaces_the_first(
    api, oplan, indicator, task, unit, form, planner
):
    action = add_action(planner, oplan, indicator, unit, form)
    response = api(planner).patch(
        f"{ACTIONS}{action.pk}/", {"name": "Renamed", "task": task.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["task"]) == ("Renamed", task.pk)
    assert (response.json()["indicator"], response.json()["section"]) == (None, 2)
    action.refresh_from_db()
    assert (action.task, action.indicator) == (task, None)
    assert action.history.first().history_user == planner


def test_the_plan_of_an_action_does_not_change(api, body, oplan, indicator, unit, form, planner):
    action = add_action(planner, oplan, indicator, unit, form)
    later = operational_plan(body, 2027, development_plan=oplan.development_plan)
    response = api(planner).patch(f"{ACTIONS}{action.pk}/", {"plan": later.pk}, format="json")
    assert response.status_code == 200
    assert Action.objects.get().plan == oplan


def test_a_bad_change_is_a_400_and_changes_nothing(api, oplan, indicator, unit, form, planner):
    action = add_action(planner, oplan, indicator, unit, form)
    data = {"name": "Renamed", "term_kind": "half", "term_half": 3}
    response = api(planner).patch(f"{ACTIONS}{action.pk}/", data, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["term_half"]
    action.refresh_from_db()
    assert (action.name, action.term_kind) == ("Adopt the rules of water use", "quarter")


def test_actions_are_not_replaced_whole(api, oplan, indicator, unit, form, planner):
    action = add_action(planner, oplan, indicator, unit, form)
    data = content(indicator, unit, form)
    assert api(planner).put(f"{ACTIONS}{action.pk}/", data).status_code == 405


def test_the_planner_moves_and_deletes_actions(api, oplan, indicator, unit, form, planner):
    first = add_action(planner, oplan, indicator, unit, form, name="First")
    second = add_action(planner, oplan, indicator, unit, form, name="Second")
    client = api(planner)
    response = client.post(f"{ACTIONS}{second.pk}/move/", {"offset": -1}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["position"] == 1
    assert Action.objects.get(pk=first.pk).position == 2
    assert client.delete(f"{ACTIONS}{second.pk}/").status_code == 204
    assert Action.objects.get().position == 1
    record = Action.history.filter(id=second.pk).first()
    assert (record.history_type, record.history_user) == ("-", planner)


def test_a_move_by_more_than_one_is_a_400(api, oplan, indicator, unit, form, planner):
    action = add_action(planner, oplan, indicator, unit, form)
    response = api(planner).post(f"{ACTIONS}{action.pk}/move/", {"offset": 2}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["offset"]


@pytest.mark.parametrize("role", ["executor", "viewer", "official"])
def test_only_the_planner_writes_actions(request, api, oplan, indicator, unit, form, planner, role):
    action = add_action(planner, oplan, indicator, unit, form)
    client = api(request.getfixturevalue(role))
    url = f"{ACTIONS}{action.pk}/"
    data = content(indicator, unit, form, plan=oplan.pk)
    assert client.get(url).status_code == 200
    assert client.post(ACTIONS, data, format="json").status_code == 403
    assert client.patch(url, {"name": "X"}, format="json").status_code == 403
    assert client.post(url + "move/", {"offset": -1}, format="json").status_code == 403
    assert client.delete(url).status_code == 403
    assert Action.objects.get().name == action.name


def test_an_outsider_gets_nothing_of_another_bodys_actions(
    api, oplan, indicator, unit, form, planner, outsider
):
    action = add_action(planner, oplan, indicator, unit, form)
    client = api(outsider)
    url = f"{ACTIONS}{action.pk}/"
    assert ids(client.get(ACTIONS)) == []
    assert client.get(url).status_code == 404
    assert client.patch(url, {"name": "X"}, format="json").status_code == 404
    assert client.post(url + "move/", {"offset": 1}, format="json").status_code == 404
    assert client.delete(url).status_code == 404
    response = client.post(ACTIONS, content(indicator, unit, form, plan=oplan.pk), format="json")
    assert response.status_code == 404
    assert Action.objects.get().name == action.name


def test_an_approved_plan_keeps_its_actions(api, oplan, indicator, unit, form, planner):
    action = add_action(planner, oplan, indicator, unit, form)
    approve(oplan)
    client = api(planner)
    url = f"{ACTIONS}{action.pk}/"
    for response in (
        client.patch(url, {"name": "Changed"}, format="json"),
        client.post(ACTIONS, content(indicator, unit, form, plan=oplan.pk), format="json"),
        client.post(url + "move/", {"offset": 1}, format="json"),
        client.delete(url),
    ):
        assert response.status_code == 400
        assert response.json() == {
            "non_field_errors": ["The plan is approved and cannot be changed."]
        }
    assert Action.objects.get().name == action.name


def test_actions_are_filtered_by_plan_and_unit(
    api, body, oplan, indicator, task, unit, form, planner, viewer
):
    other = UnitFactory(body=body, code="D9")
    led = add_action(planner, oplan, indicator, unit, form)
    shared = add_action(planner, oplan, task, other, form, co_executors=[unit])
    elsewhere = add_action(planner, oplan, task, other, form)
    later = operational_plan(body, 2027, development_plan=oplan.development_plan)
    client = api(viewer)
    assert sorted(ids(client.get(ACTIONS, {"unit": unit.pk}))) == [led.pk, shared.pk]
    assert sorted(ids(client.get(ACTIONS, {"unit": other.pk}))) == [shared.pk, elsewhere.pk]
    assert len(ids(client.get(ACTIONS, {"plan": oplan.pk}))) == 3
    assert ids(client.get(ACTIONS, {"plan": later.pk})) == []
    assert len(ids(client.get(ACTIONS, {"body": body.pk}))) == 3


# Proposals (R5)


def proposal_of(executor, oplan, unit, indicator, **fields) -> Proposal:
    return services.proposal_create(
        actor=executor, plan=oplan, unit=unit, indicator=indicator, name="Inventory", **fields
    )


def test_a_proposal_goes_from_the_executor_through_the_head_into_the_plan(
    api, oplan, indicator, unit, form, executor, head, planner
):
    data = {
        "plan": oplan.pk,
        "unit": unit.pk,
        "indicator": indicator.pk,
        "name": "Inventory of canals",
        "term_kind": "half",
        "term_half": 1,
        "completion_form": form.pk,
    }
    response = api(executor).post(PROPOSALS, data, format="json")
    assert response.status_code == 201, response.content
    proposal = response.json()
    assert (proposal["status"], proposal["author"], proposal["lead_unit"]) == (
        "draft",
        executor.pk,
        unit.pk,
    )
    url = f"{PROPOSALS}{proposal['id']}/"

    assert api(executor).post(url + "sign/").status_code == 403
    response = api(head).post(url + "sign/")
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["signed_by"]) == ("signed", head.pk)

    response = api(planner).post(url + "accept/", {"name": "Inventory of main canals"})
    assert response.status_code == 201, response.content
    action = response.json()
    assert (action["proposal"], action["name"]) == (proposal["id"], "Inventory of main canals")
    assert (action["term_display"], action["plan"]) == ("1 half-year", oplan.pk)
    proposal = api(executor).get(url).json()
    assert (proposal["status"], proposal["action"]) == ("accepted", action["id"])
    assert Proposal.objects.get().history.first().history_user == planner


def test_a_proposal_is_accepted_only_once_signed(api, oplan, indicator, unit, executor, planner):
    proposal = proposal_of(executor, oplan, unit, indicator)
    response = api(planner).post(f"{PROPOSALS}{proposal.pk}/accept/")
    assert response.status_code == 400
    assert not Action.objects.exists()


def test_an_accepted_proposal_with_a_bad_edit_stays_signed(
    api, oplan, indicator, unit, executor, head, planner
):
    proposal = proposal_of(executor, oplan, unit, indicator)
    services.proposal_sign(actor=head, proposal=proposal)
    data = {"term_kind": "date", "term_date": "2025-05-05"}
    response = api(planner).post(f"{PROPOSALS}{proposal.pk}/accept/", data)
    assert response.status_code == 400
    assert list(response.json()) == ["term_date"]
    assert Proposal.objects.get().status == ProposalStatus.SIGNED
    assert not Action.objects.exists()


def test_declining_needs_a_reason(api, oplan, indicator, unit, executor, head, planner):
    proposal = proposal_of(executor, oplan, unit, indicator)
    services.proposal_sign(actor=head, proposal=proposal)
    url = f"{PROPOSALS}{proposal.pk}/decline/"
    client = api(planner)
    for data in ({}, {"reason": " "}):
        response = client.post(url, data)
        assert response.status_code == 400
        assert list(response.json()) == ["reason"]
    assert Proposal.objects.get().status == ProposalStatus.SIGNED
    response = client.post(url, {"reason": "Already in 1.1"})
    assert response.status_code == 200, response.content
    assert (response.json()["status"], response.json()["decline_reason"]) == (
        "declined",
        "Already in 1.1",
    )


def test_only_the_planner_decides_on_proposals(
    api, oplan, indicator, unit, executor, head, official
):
    proposal = proposal_of(executor, oplan, unit, indicator)
    services.proposal_sign(actor=head, proposal=proposal)
    for user in (executor, head, official):
        client = api(user)
        assert client.post(f"{PROPOSALS}{proposal.pk}/accept/").status_code == 403
        response = client.post(f"{PROPOSALS}{proposal.pk}/decline/", {"reason": "No"})
        assert response.status_code == 403
    assert Proposal.objects.get().status == ProposalStatus.SIGNED


def test_another_units_people_neither_see_nor_sign_a_proposal(
    api, body, oplan, indicator, unit, executor
):
    proposal = proposal_of(executor, oplan, unit, indicator)
    elsewhere = UnitFactory(body=body, code="D8")
    for role in (Role.EXECUTOR, Role.UNIT_HEAD):
        client = api(member(body, role, unit=elsewhere))
        assert ids(client.get(PROPOSALS)) == []
        assert client.get(f"{PROPOSALS}{proposal.pk}/").status_code == 404
        assert client.post(f"{PROPOSALS}{proposal.pk}/sign/").status_code == 404
        assert client.patch(f"{PROPOSALS}{proposal.pk}/", {"name": "X"}).status_code == 404
    assert Proposal.objects.get().status == ProposalStatus.DRAFT


def test_the_body_wide_roles_see_every_proposal(
    api, body, oplan, indicator, unit, executor, planner, viewer
):
    elsewhere = UnitFactory(body=body, code="D8")
    theirs = proposal_of(member(body, Role.EXECUTOR, unit=elsewhere), oplan, elsewhere, indicator)
    mine = proposal_of(executor, oplan, unit, indicator)
    assert ids(api(executor).get(PROPOSALS)) == [mine.pk]
    for user in (planner, viewer):
        assert ids(api(user).get(PROPOSALS)) == [theirs.pk, mine.pk]
    assert ids(api(viewer).get(PROPOSALS, {"unit": elsewhere.pk})) == [theirs.pk]


def test_an_executor_proposes_for_their_own_unit_only(api, body, oplan, indicator, executor):
    elsewhere = UnitFactory(body=body, code="D8")
    data = {"plan": oplan.pk, "unit": elsewhere.pk, "indicator": indicator.pk, "name": "X"}
    assert api(executor).post(PROPOSALS, data).status_code == 403
    assert not Proposal.objects.exists()


def test_the_executor_changes_and_deletes_a_draft_only(api, oplan, indicator, unit, executor, head):
    proposal = proposal_of(executor, oplan, unit, indicator)
    client = api(executor)
    url = f"{PROPOSALS}{proposal.pk}/"
    response = client.patch(url, {"name": "Inventory of all canals"})
    assert response.status_code == 200, response.content
    assert Proposal.objects.get().name == "Inventory of all canals"
    services.proposal_sign(actor=head, proposal=proposal)
    assert client.patch(url, {"name": "Late change"}).status_code == 400
    assert client.delete(url).status_code == 400
    assert Proposal.objects.get().name == "Inventory of all canals"

    draft = proposal_of(executor, oplan, unit, indicator)
    assert client.delete(f"{PROPOSALS}{draft.pk}/").status_code == 204
    assert not Proposal.objects.filter(pk=draft.pk).exists()


def test_an_outsider_sees_no_proposal_of_another_body(
    api, oplan, indicator, unit, executor, outsider
):
    proposal = proposal_of(executor, oplan, unit, indicator)
    client = api(outsider)
    assert ids(client.get(PROPOSALS)) == []
    assert client.get(f"{PROPOSALS}{proposal.pk}/").status_code == 404
    assert client.post(f"{PROPOSALS}{proposal.pk}/accept/").status_code == 404
    assert client.delete(f"{PROPOSALS}{proposal.pk}/").status_code == 404
    assert Proposal.objects.exists()


# Forms of completion and tasks from the regulation

FORMS = "/api/v1/completion-forms/"
TASKS = "/api/v1/regulation-tasks/"


def test_a_member_lists_the_shared_forms_and_their_bodys_own(api, body, other_body, viewer):
    own = CompletionForm.objects.create(body=body, name="Minutes of the board")
    foreign = CompletionForm.objects.create(body=other_body, name="Tourism report")
    found = ids(api(viewer).get(FORMS, {"limit": 1000}))
    shared = CompletionForm.objects.filter(body=None)
    assert set(found) == {own.pk, *shared.values_list("pk", flat=True)}
    assert foreign.pk not in found
    assert set(ids(api(viewer).get(FORMS, {"body": body.pk, "limit": 1000}))) == set(found)


def test_the_administrator_adds_a_form_of_completion(api, body, admin_user):
    response = api(admin_user).post(FORMS, {"body": body.pk, "name": " Minutes of the board "})
    assert response.status_code == 201, response.content
    assert response.json()["label"] == "Minutes of the board"
    form = CompletionForm.objects.get(body=body)
    assert form.history.first().history_user == admin_user
    response = api(admin_user).post(FORMS, {"body": body.pk, "name": "Minutes of the board"})
    assert response.status_code == 400
    assert list(response.json()) == ["name"]


def test_a_form_needs_a_body(api, admin_user):
    response = api(admin_user).post(FORMS, {"name": "Minutes"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["body"]
    response = api(admin_user).post(FORMS, {"body": None, "name": "Minutes"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["body"]


@pytest.mark.parametrize("role", ["planner", "executor", "viewer"])
def test_only_the_administrator_adds_forms(request, api, body, role):
    response = api(request.getfixturevalue(role)).post(FORMS, {"body": body.pk, "name": "X"})
    assert response.status_code == 403
    assert not CompletionForm.objects.filter(body=body).exists()


def test_an_outsider_cannot_add_a_form_to_another_body(api, body, outsider):
    assert api(outsider).post(FORMS, {"body": body.pk, "name": "X"}).status_code == 404
    assert not CompletionForm.objects.filter(body=body).exists()


def test_the_planner_adds_and_changes_a_task(api, body, planner):
    client = api(planner)
    response = client.post(TASKS, {"body": body.pk, "number": 2, "name": "Public services"})
    assert response.status_code == 201, response.content
    task = RegulationTask.objects.get()
    assert task.history.first().history_user == planner
    response = client.patch(f"{TASKS}{task.pk}/", {"name": "Public services online"})
    assert response.status_code == 200, response.content
    assert RegulationTask.objects.get().name == "Public services online"


def test_a_duplicate_task_number_is_a_400(api, body, task, planner):
    response = api(planner).post(TASKS, {"body": body.pk, "number": 1, "name": "Again"})
    assert response.status_code == 400
    assert response.json() == {"number": ["A task with this number exists."]}
    assert RegulationTask.objects.count() == 1


@pytest.mark.parametrize("role", ["executor", "viewer", "admin_user"])
def test_only_the_planner_writes_tasks(request, api, body, task, role):
    client = api(request.getfixturevalue(role))
    assert client.post(TASKS, {"body": body.pk, "number": 2, "name": "X"}).status_code == 403
    assert client.patch(f"{TASKS}{task.pk}/", {"name": "X"}).status_code == 403
    assert RegulationTask.objects.get().name == task.name


def test_an_outsider_sees_no_task_of_another_body(api, body, task, outsider):
    client = api(outsider)
    assert ids(client.get(TASKS)) == []
    assert client.get(f"{TASKS}{task.pk}/").status_code == 404
    assert client.post(TASKS, {"body": body.pk, "number": 2, "name": "X"}).status_code == 404


# Queries: a plan of 40 actions costs what a plan of 10 does


def add_actions(oplan, indicator, task, unit, co, program, form, n: int) -> None:
    start = oplan.actions.count()
    actions = Action.objects.bulk_create(
        Action(
            plan=oplan,
            indicator=indicator if i % 2 else None,
            task=None if i % 2 else task,
            name=f"Action {i}",
            position=i,
            lead_unit=unit,
            term_kind=TermKind.QUARTER,
            term_quarter=1 + i % 4,
            completion_form=form,
        )
        for i in range(start, start + n)
    )
    Action.budget_programs.through.objects.bulk_create(
        Action.budget_programs.through(action=a, budgetprogram=program) for a in actions
    )
    Action.co_executors.through.objects.bulk_create(
        Action.co_executors.through(action=a, unit=co) for a in actions
    )


@pytest.mark.parametrize(
    "url",
    ["/api/v1/operational-plans/{plan}/layout/", "/api/v1/actions/?plan={plan}"],
)
def test_a_plan_of_40_actions_costs_as_many_queries_as_one_of_10(
    api, body, oplan, indicator, task, unit, form, viewer, url, django_assert_max_num_queries
):
    co = UnitFactory(body=body, code="D6")
    program = BudgetProgramFactory(body=body)
    client = api(viewer)
    url = url.format(plan=oplan.pk)
    add_actions(oplan, indicator, task, unit, co, program, form, 10)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    add_actions(oplan, indicator, task, unit, co, program, form, 30)
    with django_assert_max_num_queries(len(small)):
        response = client.get(url)
    assert response.status_code == 200
    rows = response.json()
    if "results" in rows:
        assert rows["count"] == 40
    else:
        assert sum(r["kind"] == "action" for r in rows) == 40


def test_the_proposals_list_costs_the_same_for_5_and_50_rows(
    api, body, oplan, indicator, unit, executor, planner, django_assert_max_num_queries
):
    co = UnitFactory(body=body, code="D6")
    program = BudgetProgramFactory(body=body)
    # The signatures are looked up by the proposals' content type, which Django reads once per
    # process: read it here, so that the count is the same whichever test ran before.
    ContentType.objects.get_for_model(Proposal)
    for added, total in ((5, 5), (45, 50)):
        for _ in range(added):
            proposal_of(
                executor, oplan, unit, indicator, co_executors=[co], budget_programs=[program]
            )
        for client in (api(executor), api(planner)):
            with django_assert_max_num_queries(9):
                response = client.get(PROPOSALS)
            assert response.json()["count"] == total


def test_the_schema_describes_the_plan_resources(api, viewer):
    paths = served_schema(api(viewer))["paths"]
    for path in (
        "/api/v1/operational-plans/{id}/submit/",
        "/api/v1/operational-plans/{id}/approve/",
        "/api/v1/operational-plans/{id}/return/",
        "/api/v1/operational-plans/{id}/check/",
        "/api/v1/operational-plans/{id}/layout/",
        "/api/v1/actions/{id}/move/",
        "/api/v1/proposals/{id}/sign/",
        "/api/v1/proposals/{id}/accept/",
        "/api/v1/proposals/{id}/decline/",
        "/api/v1/completion-forms/",
        "/api/v1/regulation-tasks/{id}/",
    ):
        assert path in paths
    layout = paths["/api/v1/operational-plans/{id}/layout/"]["get"]
    assert [p["name"] for p in layout["parameters"]] == ["id", "unit"]
