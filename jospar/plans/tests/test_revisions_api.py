from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from jospar.plans import services
from jospar.plans.models import (
    Action,
    CompletionForm,
    OperationalPlan,
    PlanEvent,
    PlanStatus,
    RegulationTask,
    Revision,
    RevisionBasis,
)
from jospar.plans.terms import TermKind
from tests.factories import (
    AmendmentFactory,
    BudgetProgramFactory,
    DevelopmentPlanFactory,
    DirectionFactory,
    GoalFactory,
    IndicatorValueFactory,
    TargetIndicatorFactory,
    UnitFactory,
    operational_plan,
)
from tests.openapi import served_schema
from tests.worlds import approved_plan_world, shared_world

PLANS = "/api/v1/operational-plans/"
REVISIONS = "/api/v1/revisions/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


world_once, world = shared_world(approved_plan_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]


@pytest.fixture
def official(world):
    return world.official


def approve(plan, planner, official) -> OperationalPlan:
    services.plan_submit(actor=planner, plan=plan)
    return services.plan_approve(actor=official, plan=plan)


@pytest.fixture
def approved(world):
    """The world's plan, approved on 5 January 2026: six actions under two target indicators
    and a task; q2 has a co-executor and a budget program."""
    return world.plan, world.actions, world.indicators


def another_development_plan(body, year: int):
    return DevelopmentPlanFactory(body=body, start_year=year, end_year=year)


def adjust(plan, planner) -> None:
    services.adjustment_start(
        actor=planner, plan=plan, basis=RevisionBasis.OTHER, basis_text="New tasks of the body"
    )


# Starting an adjustment


def test_the_planner_starts_an_adjustment_on_monitoring(api, approved, planner):
    plan, _actions, _ = approved
    data = {"basis": "monitoring", "basis_reference": "Report for Q1, recommendation 3"}
    response = api(planner).post(f"{PLANS}{plan.pk}/adjust/", data)
    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["status"], answer["basis"]) == ("draft", "monitoring")
    assert answer["basis_reference"] == "Report for Q1, recommendation 3"
    assert answer["events"][-1]["kind"] == "adjustment"
    assert answer["events"][-1]["actor"] == planner.pk
    assert answer["steps"] == ["submit"]
    plan.refresh_from_db()
    assert (plan.status, plan.basis) == (PlanStatus.DRAFT, RevisionBasis.MONITORING)


def test_an_adjustment_on_an_amendment_names_it(api, approved, planner):
    plan, _actions, _ = approved
    amendment = AmendmentFactory(plan=plan.development_plan, description="Targets raised")
    data = {"basis": "amendment", "basis_amendment": amendment.pk}
    response = api(planner).post(f"{PLANS}{plan.pk}/adjust/", data)
    assert response.status_code == 200, response.content
    assert (response.json()["basis"], response.json()["basis_amendment"]) == (
        "amendment",
        amendment.pk,
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"basis": "amendment"}, "basis_amendment"),
        ({"basis": "monitoring", "basis_reference": "  "}, "basis_reference"),
        ({"basis": "other"}, "basis_text"),
        ({"basis": "initial", "basis_text": "Again"}, "basis"),
        ({"basis": "whim"}, "basis"),
        ({}, "basis"),
    ],
)
def test_a_missing_basis_detail_is_a_400_naming_the_field(api, approved, planner, data, field):
    plan, _actions, _ = approved
    response = api(planner).post(f"{PLANS}{plan.pk}/adjust/", data)
    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert OperationalPlan.objects.get().status == PlanStatus.APPROVED
    assert not PlanEvent.objects.filter(kind=PlanEvent.Kind.ADJUSTMENT).exists()


def test_an_amendment_of_another_development_plan_is_a_400(api, body, approved, planner):
    plan, _actions, _ = approved
    amendment = AmendmentFactory(
        plan=DevelopmentPlanFactory(body=body, start_year=2030, end_year=2034)
    )
    data = {"basis": "amendment", "basis_amendment": amendment.pk}
    response = api(planner).post(f"{PLANS}{plan.pk}/adjust/", data)
    assert response.status_code == 400
    assert response.json() == {"basis_amendment": ["It amends another development plan."]}


def test_an_amendment_of_another_body_is_not_found(api, other_body, approved, planner):
    plan, _actions, _ = approved
    foreign = AmendmentFactory(plan=DevelopmentPlanFactory(body=other_body))
    data = {"basis": "amendment", "basis_amendment": foreign.pk}
    response = api(planner).post(f"{PLANS}{plan.pk}/adjust/", data)
    assert response.status_code == 404
    assert list(response.json()) == ["basis_amendment"]
    assert OperationalPlan.objects.get().status == PlanStatus.APPROVED


def test_a_second_start_names_who_opened_the_adjustment(api, approved, planner):
    plan, _actions, _ = approved
    client = api(planner)
    data = {"basis": "other", "basis_text": "New tasks of the body"}
    assert client.post(f"{PLANS}{plan.pk}/adjust/", data).status_code == 200
    response = client.post(f"{PLANS}{plan.pk}/adjust/", data)
    assert response.status_code == 400
    [message] = response.json()["non_field_errors"]
    assert message.startswith(f"An adjustment is already open: {planner} started it on ")
    assert PlanEvent.objects.filter(kind=PlanEvent.Kind.ADJUSTMENT).count() == 1


def test_a_plan_never_approved_is_not_adjusted(api, body, planner):
    plan = operational_plan(body, 2027, development_plan=another_development_plan(body, 2027))
    data = {"basis": "other", "basis_text": "New tasks of the body"}
    response = api(planner).post(f"{PLANS}{plan.pk}/adjust/", data)
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Only an approved plan can be adjusted."]}


@pytest.mark.parametrize("role", ["executor", "viewer", "official", "admin_user"])
def test_only_the_planner_starts_an_adjustment(request, api, approved, role):
    plan, _actions, _ = approved
    data = {"basis": "other", "basis_text": "New tasks of the body"}
    response = api(request.getfixturevalue(role)).post(f"{PLANS}{plan.pk}/adjust/", data)
    assert response.status_code == 403
    assert OperationalPlan.objects.get().status == PlanStatus.APPROVED


def test_an_outsider_cannot_adjust_another_bodys_plan(api, approved, outsider):
    plan, _actions, _ = approved
    data = {"basis": "other", "basis_text": "New tasks of the body"}
    assert api(outsider).post(f"{PLANS}{plan.pk}/adjust/", data).status_code == 404
    assert OperationalPlan.objects.get().status == PlanStatus.APPROVED


# Reading revisions


def test_a_viewer_lists_the_revisions_with_their_basis(
    api, body, approved, planner, official, viewer
):
    plan, actions, _ = approved
    amendment = AmendmentFactory(plan=plan.development_plan)
    services.adjustment_start(
        actor=planner, plan=plan, basis="amendment", basis_amendment=amendment
    )
    services.action_update(actor=planner, action=actions["q1"], term_quarter=4)
    approve(plan, planner, official)
    other = operational_plan(body, 2027, development_plan=plan.development_plan)
    client = api(viewer)
    rows = results(client.get(REVISIONS, {"plan": plan.pk}))
    assert [(r["number"], r["basis"], r["basis_amendment"]) for r in rows] == [
        (1, "initial", None),
        (2, "amendment", amendment.pk),
    ]
    first = rows[0]
    assert (first["approved_by"], first["approved_by_name"]) == (official.pk, str(official))
    # 2026 of a development plan signed in 2024, no basis date recorded: no R6 day to be late to
    assert first["approved_late"] is False
    assert {"basis_reference", "basis_text", "approved_on", "plan", "id"} <= set(first)
    assert "entries" not in first
    assert len(results(client.get(REVISIONS, {"body": body.pk}))) == 2
    assert results(client.get(REVISIONS, {"plan": other.pk})) == []
    assert client.get(REVISIONS, {"plan": "latest"}).status_code == 400


def test_a_revision_shows_its_actions_as_approved(api, approved, planner, viewer):
    plan, actions, _ = approved
    adjust(plan, planner)
    services.action_update(actor=planner, action=actions["q2"], name="Renamed in the draft")
    revision = Revision.objects.get()
    response = api(viewer).get(f"{REVISIONS}{revision.pk}/")
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["number"], data["basis"]) == (1, "initial")
    entries = data["entries"]
    assert [e["number"] for e in entries] == [1, 2, 3, 4, 5, 6]
    q2 = next(e for e in entries if e["action"] == actions["q2"].pk)
    assert q2["name"] == "Repair the canals"  # the revision keeps what was approved
    assert q2["budget_codes"] == "001"
    assert (q2["lead_unit"], q2["lead_unit_name"]) == (
        actions["q2"].lead_unit_id,
        str(actions["q2"].lead_unit),
    )
    assert q2["co_executor_names"] == ["Department of finance"]
    assert q2["term_display"] == "2 quarter"
    assert q2["completion_display"] == "Report"
    assert q2["section"] == 1
    last = entries[-1]
    assert (last["name"], last["section"], last["term_display"]) == (
        "Publish the annual report",
        2,
        "during the year",
    )


def test_a_revision_cannot_be_changed_or_deleted(api, approved, planner, official):
    plan, _actions, _ = approved
    revision = Revision.objects.get()
    url = f"{REVISIONS}{revision.pk}/"
    for client in (api(planner), api(official)):
        assert client.put(url, {"number": 7, "basis_text": "x"}).status_code == 405
        assert client.patch(url, {"number": 7}).status_code == 405
        assert client.delete(url).status_code == 405
        assert client.post(REVISIONS, {"plan": plan.pk, "number": 2}).status_code == 405
    assert Revision.objects.get() == revision
    assert (Revision.objects.get().number, Revision.objects.get().basis_text) == (1, "")
    assert revision.actions.count() == 6


def test_an_outsider_cannot_read_another_bodys_revisions(api, other_body, approved, outsider):
    plan, _actions, _ = approved
    revision = Revision.objects.get()
    client = api(outsider)
    assert results(client.get(REVISIONS)) == []
    assert results(client.get(REVISIONS, {"plan": plan.pk})) == []
    assert client.get(f"{REVISIONS}{revision.pk}/").status_code == 404
    compare = f"{PLANS}{plan.pk}/compare/"
    assert client.get(compare, {"a": 1, "b": 1}).status_code == 404
    assert client.get(compare, {"a": 1, "b": "draft", "download": "xlsx"}).status_code == 404


# Comparing


def test_identical_revisions_have_an_empty_diff(api, approved, viewer):
    plan, _actions, _ = approved
    client = api(viewer)
    response = client.get(f"{PLANS}{plan.pk}/compare/", {"a": 1, "b": 1})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "a": "Revision 1",
        "b": "Revision 1",
        "added": [],
        "removed": [],
        "changed": [],
    }
    response = client.get(f"{PLANS}{plan.pk}/compare/", {"a": 1, "b": "draft"})
    assert (response.json()["added"], response.json()["changed"]) == ([], [])


def test_a_term_change_is_one_changed_entry(api, approved, planner, official, viewer):
    plan, actions, _ = approved
    adjust(plan, planner)
    services.action_update(actor=planner, action=actions["q1"], term_quarter=4)
    client = api(viewer)
    draft = client.get(f"{PLANS}{plan.pk}/compare/", {"a": 1, "b": "draft"}).json()
    approve(plan, planner, official)
    second = client.get(f"{PLANS}{plan.pk}/compare/", {"a": "1", "b": "2"}).json()
    assert (draft["b"], second["b"]) == ("draft", "Revision 2")
    for diff in (draft, second):
        assert (diff["added"], diff["removed"]) == ([], [])
        [changed] = diff["changed"]
        assert (changed["old"]["action"], changed["new"]["action"]) == (actions["q1"].pk,) * 2
        assert changed["moved"] is False
        assert changed["changes"] == [
            {"field": "term", "label": "Term of execution", "old": "1 quarter", "new": "4 quarter"}
        ]
        assert (changed["old"]["term"], changed["new"]["term"]) == ("1 quarter", "4 quarter")


def test_added_and_removed_actions(api, approved, planner, viewer):
    plan, actions, indicators = approved
    adjust(plan, planner)
    services.action_delete(actor=planner, action=actions["q2"])
    services.action_create(
        actor=planner,
        plan=plan,
        indicator=indicators[0],
        name="New action",
        lead_unit=actions["q1"].lead_unit,
        term_kind=TermKind.MONTH,
        term_month=11,
        completion_form=actions["q1"].completion_form,
    )
    diff = api(viewer).get(f"{PLANS}{plan.pk}/compare/", {"a": 1, "b": "draft"}).json()
    assert [(e["name"], e["term"]) for e in diff["added"]] == [("New action", "November")]
    removed = [(e["action"], e["name"]) for e in diff["removed"]]
    assert removed == [(actions["q2"].pk, "Repair the canals")]
    assert diff["changed"] == []  # the others are renumbered, not changed


def test_a_moved_action_is_moved_not_removed_and_added(api, approved, planner, viewer):
    plan, actions, indicators = approved
    adjust(plan, planner)
    services.action_update(actor=planner, action=actions["q1"], indicator=indicators[1])
    diff = api(viewer).get(f"{PLANS}{plan.pk}/compare/", {"a": 1, "b": "draft"}).json()
    assert (diff["added"], diff["removed"]) == ([], [])
    [changed] = diff["changed"]
    assert changed["new"]["action"] == actions["q1"].pk
    assert changed["moved"] is True
    assert [c["field"] for c in changed["changes"]] == ["place"]
    assert changed["old"]["place"] == str(indicators[0])
    assert changed["new"]["place"] == str(indicators[1])
    assert changed["old"]["anchor"] == f"indicator:{indicators[0].pk}"


def test_the_comparison_downloads_as_xlsx(api, approved, planner, viewer):
    plan, actions, _ = approved
    adjust(plan, planner)
    services.action_update(actor=planner, action=actions["q1"], term_quarter=4)
    query = {"a": 1, "b": "draft", "download": "xlsx"}
    response = api(viewer).get(f"{PLANS}{plan.pk}/compare/", query)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="plan-2026-1-draft.xlsx"'
    sheet = load_workbook(BytesIO(response.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Audit the reservoirs" in cells
    assert {"1 quarter", "4 quarter"} <= set(cells)


@pytest.mark.parametrize(
    ("query", "fields"),
    [({}, ["a", "b"]), ({"a": 1}, ["b"]), ({"a": "first", "b": 1}, ["a"])],
)
def test_both_sides_must_be_given(api, approved, viewer, query, fields):
    plan, _actions, _ = approved
    response = api(viewer).get(f"{PLANS}{plan.pk}/compare/", query)
    assert response.status_code == 400
    assert sorted(response.json()) == fields


def test_an_unknown_revision_number_is_not_found(api, approved, viewer):
    plan, _actions, _ = approved
    response = api(viewer).get(f"{PLANS}{plan.pk}/compare/", {"a": 1, "b": 2})
    assert response.status_code == 404
    assert response.json() == {"b": ["The plan has no revision 2."]}


def test_the_schema_documents_the_revisions(api, viewer):
    paths = served_schema(api(viewer))["paths"]
    operations = [
        paths["/api/v1/revisions/"]["get"],
        paths["/api/v1/revisions/{id}/"]["get"],
        paths["/api/v1/operational-plans/{id}/adjust/"]["post"],
        paths["/api/v1/operational-plans/{id}/compare/"]["get"],
    ]
    assert all(operation.get("summary") for operation in operations)
    assert set(paths["/api/v1/revisions/{id}/"]) == {"get"}
    compare = paths["/api/v1/operational-plans/{id}/compare/"]["get"]
    assert set(compare["responses"]["200"]["content"]) == {"application/json", XLSX}


# The number of queries does not grow with the plan


def large_plan(body, planner, unit, official, n: int, year: int) -> OperationalPlan:
    """An approved plan of `n` actions under 4 indicators and a task, in adjustment, with
    budget programs and co-executors; one action's term changed in the draft."""
    development = another_development_plan(body, year)
    plan = operational_plan(body, year, development_plan=development)
    goal = GoalFactory(direction=DirectionFactory(plan=plan.development_plan))
    indicators = [TargetIndicatorFactory(goal=goal) for _ in range(4)]
    for indicator in indicators:
        IndicatorValueFactory(indicator=indicator, year=year, planned=Decimal(1))
    task = RegulationTask.objects.create(body=body, number=year, name=f"Task for {year}")
    form = CompletionForm.objects.get(name="Report")
    partner = UnitFactory(body=body)
    program = BudgetProgramFactory(body=body)
    anchors = [{"indicator": i} for i in indicators] + [{"task": task}]
    actions = Action.objects.bulk_create(
        Action(
            plan=plan,
            name=f"Action {k}",
            position=k + 1,
            lead_unit=unit,
            term_kind=TermKind.QUARTER,
            term_quarter=k % 4 + 1,
            completion_form=form,
            **anchors[k % len(anchors)],
        )
        for k in range(n)
    )
    Action.co_executors.through.objects.bulk_create(
        Action.co_executors.through(action_id=a.pk, unit_id=partner.pk) for a in actions
    )
    Action.budget_programs.through.objects.bulk_create(
        Action.budget_programs.through(action_id=a.pk, budgetprogram_id=program.pk) for a in actions
    )
    approve(plan, planner, official)
    adjust(plan, planner)
    services.action_update(actor=planner, action=actions[0], term_quarter=4)
    approve(plan, planner, official)
    adjust(plan, planner)
    services.action_update(actor=planner, action=actions[1], term_quarter=4)
    return plan


def queries_of(client, url, query) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, query)
    assert response.status_code == 200, response.content
    return len(context)


@pytest.mark.parametrize(
    "query",
    [
        {"a": 1, "b": 2},
        {"a": 1, "b": "draft"},
        {"a": 1, "b": "draft", "download": "xlsx"},
    ],
)
def test_the_comparison_costs_the_same_for_10_and_40_actions(
    api, body, unit, planner, official, viewer, query, django_assert_max_num_queries
):
    client = api(viewer)
    small = large_plan(body, planner, unit, official, 10, 2027)
    expected = queries_of(client, f"{PLANS}{small.pk}/compare/", query)
    large = large_plan(body, planner, unit, official, 40, 2028)
    with django_assert_max_num_queries(expected):
        response = client.get(f"{PLANS}{large.pk}/compare/", query)
    assert response.status_code == 200
    if "download" not in query:  # revision 2 changed one term, the draft another
        assert len(response.json()["changed"]) == (1 if query["b"] == 2 else 2)


def test_a_revision_costs_the_same_for_10_and_40_actions(
    api, body, unit, planner, official, viewer, django_assert_max_num_queries
):
    client = api(viewer)
    small = large_plan(body, planner, unit, official, 10, 2027)
    expected = queries_of(client, f"{REVISIONS}{small.revisions.last().pk}/", {})
    listed = queries_of(client, REVISIONS, {"plan": small.pk})
    large = large_plan(body, planner, unit, official, 40, 2028)
    url = f"{REVISIONS}{large.revisions.last().pk}/"
    with django_assert_max_num_queries(expected):
        response = client.get(url)
    assert len(response.json()["entries"]) == 40
    with django_assert_max_num_queries(listed):
        assert len(results(client.get(REVISIONS))) == 2 + 2 + 1  # and the world's plan's
