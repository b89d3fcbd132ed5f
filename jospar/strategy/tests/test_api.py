import datetime as dt
from decimal import Decimal

import pytest

from jospar.strategy.models import (
    Amendment,
    DevelopmentPlan,
    Goal,
    Indicator,
    IndicatorValue,
    StrategicDirection,
)
from tests.factories import (
    AmendmentFactory,
    DevelopmentPlanFactory,
    DirectionFactory,
    GoalFactory,
    IndicatorValueFactory,
    MacroIndicatorFactory,
    TargetIndicatorFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

PLAN = {"title": "Plan 2026–2030", "start_year": 2026, "end_year": 2030, "signed_on": "2025-12-18"}
WRONG_ROLES = ["viewer", "executor", "admin_user"]


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


# Development plans


def test_the_planner_adds_a_development_plan(api, body, planner):
    response = api(planner).post("/api/v1/development-plans/", {"body": body.pk, **PLAN})
    assert response.status_code == 201, response.content
    plan = DevelopmentPlan.objects.get()
    assert (plan.body, plan.start_year, plan.signed_on) == (body, 2026, dt.date(2025, 12, 18))
    assert plan.history.first().history_user == planner


@pytest.mark.parametrize("role", WRONG_ROLES)
def test_only_the_planner_adds_plans(request, api, body, role):
    user = request.getfixturevalue(role)
    response = api(user).post("/api/v1/development-plans/", {"body": body.pk, **PLAN})
    assert response.status_code == 403
    assert not DevelopmentPlan.objects.exists()


def test_an_outsider_cannot_add_a_plan_to_another_body(api, body, outsider):
    response = api(outsider).post("/api/v1/development-plans/", {"body": body.pk, **PLAN})
    assert response.status_code == 404
    assert not DevelopmentPlan.objects.exists()


def test_a_period_ending_before_it_starts_is_a_400(api, body, planner):
    data = {"body": body.pk, **PLAN, "end_year": 2024}
    response = api(planner).post("/api/v1/development-plans/", data)
    assert response.status_code == 400
    assert list(response.json()) == ["end_year"]
    assert not DevelopmentPlan.objects.exists()


def test_a_second_plan_starting_in_the_same_year_is_a_400(api, body, plan, planner):
    data = {"body": body.pk, **PLAN, "start_year": plan.start_year}
    response = api(planner).post("/api/v1/development-plans/", data)
    assert response.status_code == 400
    assert list(response.json()) == ["start_year"]
    assert DevelopmentPlan.objects.count() == 1


def test_a_year_that_is_not_a_number_is_a_400(api, body, planner):
    data = {"body": body.pk, **PLAN, "start_year": "twenty"}
    response = api(planner).post("/api/v1/development-plans/", data)
    assert response.status_code == 400
    assert list(response.json()) == ["start_year"]


def test_the_planner_changes_a_plan(api, plan, planner):
    response = api(planner).patch(f"/api/v1/development-plans/{plan.pk}/", {"document": "No 12"})
    assert response.status_code == 200, response.content
    plan.refresh_from_db()
    assert plan.document == "No 12"
    assert plan.history.first().history_user == planner


def test_an_outsider_sees_no_plan_of_another_body(api, plan, other_plan, outsider):
    client = api(outsider)
    assert ids(client.get("/api/v1/development-plans/")) == [other_plan.pk]
    assert client.get(f"/api/v1/development-plans/{plan.pk}/").status_code == 404
    assert client.patch(f"/api/v1/development-plans/{plan.pk}/", {"title": "X"}).status_code == 404


def test_plans_are_not_deleted_through_the_api(api, plan, planner):
    assert api(planner).delete(f"/api/v1/development-plans/{plan.pk}/").status_code == 405


# Amendments


def test_the_planner_records_an_amendment(api, plan, planner):
    data = {"plan": plan.pk, "signed_on": "2025-06-02", "description": "2026 targets revised"}
    response = api(planner).post("/api/v1/amendments/", data)
    assert response.status_code == 201, response.content
    amendment = Amendment.objects.get()
    assert amendment.plan == plan
    assert amendment.history.first().history_user == planner


def test_an_amendment_dated_before_signing_is_a_400(api, plan, planner):
    data = {"plan": plan.pk, "signed_on": "2024-01-10", "description": "Too early"}
    response = api(planner).post("/api/v1/amendments/", data)
    assert response.status_code == 400
    assert response.json() == {
        "signed_on": ["An amendment cannot be dated before the plan was signed (20.12.2024)."]
    }
    assert not Amendment.objects.exists()


def test_a_date_that_is_not_a_date_is_a_400(api, plan, planner):
    data = {"plan": plan.pk, "signed_on": "soon", "description": "?"}
    response = api(planner).post("/api/v1/amendments/", data)
    assert response.status_code == 400
    assert list(response.json()) == ["signed_on"]


@pytest.mark.parametrize("role", WRONG_ROLES)
def test_only_the_planner_records_amendments(request, api, plan, role):
    data = {"plan": plan.pk, "signed_on": "2025-06-02", "description": "x"}
    assert api(request.getfixturevalue(role)).post("/api/v1/amendments/", data).status_code == 403
    assert not Amendment.objects.exists()


def test_amendments_are_filtered_by_plan(api, body, plan, viewer):
    later = DevelopmentPlanFactory(body=body, start_year=2030, end_year=2034)
    mine = AmendmentFactory(plan=plan)
    AmendmentFactory(plan=later)
    assert ids(api(viewer).get("/api/v1/amendments/", {"plan": plan.pk})) == [mine.pk]
    assert len(ids(api(viewer).get("/api/v1/amendments/", {"body": body.pk}))) == 2


def test_an_outsider_sees_no_amendment_of_another_body(api, plan, outsider):
    amendment = AmendmentFactory(plan=plan)
    client = api(outsider)
    assert ids(client.get("/api/v1/amendments/")) == []
    assert client.delete(f"/api/v1/amendments/{amendment.pk}/").status_code == 404
    assert Amendment.objects.exists()


def test_the_planner_deletes_an_amendment(api, plan, planner):
    amendment = AmendmentFactory(plan=plan)
    assert api(planner).delete(f"/api/v1/amendments/{amendment.pk}/").status_code == 204
    assert not Amendment.objects.exists()


# Strategic directions


def test_the_planner_adds_a_direction(api, plan, planner):
    response = api(planner).post(
        "/api/v1/directions/", {"plan": plan.pk, "number": 1, "name": "Water security"}
    )
    assert response.status_code == 201, response.content
    direction = StrategicDirection.objects.get()
    assert direction.history.first().history_user == planner


def test_a_duplicate_direction_number_is_a_400_on_the_field(api, plan, planner):
    DirectionFactory(plan=plan, number=1)
    response = api(planner).post("/api/v1/directions/", {"plan": plan.pk, "number": 1, "name": "X"})
    assert response.status_code == 400
    assert response.json() == {"number": ["A direction with this number exists."]}
    assert StrategicDirection.objects.count() == 1


def test_a_direction_cannot_move_to_another_plan(api, body, plan, planner):
    direction = DirectionFactory(plan=plan)
    later = DevelopmentPlanFactory(body=body, start_year=2030, end_year=2034)
    response = api(planner).patch(f"/api/v1/directions/{direction.pk}/", {"plan": later.pk})
    assert response.status_code == 200
    direction.refresh_from_db()
    assert direction.plan == plan


@pytest.mark.parametrize("role", WRONG_ROLES)
def test_only_the_planner_changes_directions(request, api, plan, role):
    direction = DirectionFactory(plan=plan)
    client = api(request.getfixturevalue(role))
    url = f"/api/v1/directions/{direction.pk}/"
    assert client.patch(url, {"name": "X"}).status_code == 403
    assert client.delete(url).status_code == 403
    assert StrategicDirection.objects.get().name == direction.name


def test_an_outsider_cannot_add_a_direction_to_another_plan(api, plan, outsider):
    response = api(outsider).post(
        "/api/v1/directions/", {"plan": plan.pk, "number": 1, "name": "X"}
    )
    assert response.status_code == 404
    assert not StrategicDirection.objects.exists()


# Goals


def test_the_planner_adds_a_goal_to_a_direction(api, plan, planner):
    direction = DirectionFactory(plan=plan, number=2)
    response = api(planner).post(
        "/api/v1/goals/", {"direction": direction.pk, "number": 1, "name": "Safe water"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["plan"] == plan.pk
    assert response.json()["code"] == "2.1"
    assert Goal.objects.get().history.first().history_user == planner


def test_a_duplicate_goal_number_is_a_400_on_the_field(api, plan, planner):
    goal = GoalFactory(direction=DirectionFactory(plan=plan))
    data = {"direction": goal.direction_id, "number": goal.number, "name": "Again"}
    response = api(planner).post("/api/v1/goals/", data)
    assert response.status_code == 400
    assert list(response.json()) == ["number"]
    assert Goal.objects.count() == 1


def test_a_goal_cannot_move_to_a_direction_of_another_plan(api, body, plan, planner):
    goal = GoalFactory(direction=DirectionFactory(plan=plan))
    later = DevelopmentPlanFactory(body=body, start_year=2030, end_year=2034)
    elsewhere = DirectionFactory(plan=later)
    response = api(planner).patch(f"/api/v1/goals/{goal.pk}/", {"direction": elsewhere.pk})
    assert response.status_code == 400
    assert list(response.json()) == ["direction"]
    assert Goal.objects.get().direction_id == goal.direction_id


def test_an_outsider_cannot_add_a_goal_to_another_body(api, plan, outsider):
    direction = DirectionFactory(plan=plan)
    data = {"direction": direction.pk, "number": 1, "name": "X"}
    assert api(outsider).post("/api/v1/goals/", data).status_code == 404
    assert not Goal.objects.exists()


@pytest.mark.parametrize("role", WRONG_ROLES)
def test_only_the_planner_adds_goals(request, api, plan, role):
    direction = DirectionFactory(plan=plan)
    data = {"direction": direction.pk, "number": 1, "name": "X"}
    assert api(request.getfixturevalue(role)).post("/api/v1/goals/", data).status_code == 403
    assert not Goal.objects.exists()


def test_goals_are_filtered_by_plan_and_direction(api, body, plan, other_plan, viewer, outsider):
    first, second = DirectionFactory(plan=plan), DirectionFactory(plan=plan)
    goal = GoalFactory(direction=first)
    GoalFactory(direction=second)
    GoalFactory(direction=DirectionFactory(plan=other_plan))
    client = api(viewer)
    assert len(ids(client.get("/api/v1/goals/", {"plan": plan.pk}))) == 2
    assert ids(client.get("/api/v1/goals/", {"direction": first.pk})) == [goal.pk]
    assert ids(client.get("/api/v1/goals/", {"plan": other_plan.pk})) == []
    assert len(ids(api(outsider).get("/api/v1/goals/"))) == 1


# Indicators


@pytest.fixture
def goal(plan):
    return GoalFactory(direction=DirectionFactory(plan=plan, number=1), number=1)


def target(parent: Goal, /, **fields) -> dict:
    """The payload of a target indicator of `parent`; `fields` replace its entries."""
    return {
        "plan": parent.direction.plan_id,
        "kind": "target",
        "goal": parent.pk,
        "number": 1,
        "name": "Share of villages with safe water",
        "unit_of_measure": "%",
        "baseline": "80.5",
        "baseline_year": 2024,
        "values": [{"year": 2025, "planned": "12.5"}, {"year": 2026, "planned": "90"}],
    } | fields


def test_the_planner_adds_a_target_indicator_with_planned_values(api, goal, unit, planner):
    data = target(goal, responsible_unit=unit.pk)
    response = api(planner).post("/api/v1/indicators/", data, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["values"] == [
        {"year": 2025, "planned": "12.5"},
        {"year": 2026, "planned": "90"},
    ]
    assert response.json()["baseline"] == "80.5"
    indicator = Indicator.objects.get()
    assert dict(indicator.values.values_list("year", "planned")) == {
        2025: Decimal("12.5"),
        2026: Decimal(90),
    }
    assert indicator.history.first().history_user == planner
    assert indicator.values.first().history.first().history_user == planner


def test_the_planner_adds_a_macro_indicator_to_a_direction(api, goal, planner):
    data = target(goal, kind="macro", goal=None, direction=goal.direction_id, values=[])
    response = api(planner).post("/api/v1/indicators/", data, format="json")
    assert response.status_code == 201, response.content
    assert Indicator.objects.get().direction == goal.direction


def test_a_macro_indicator_given_a_goal_is_a_400_on_the_field(api, goal, planner):
    data = target(goal, kind="macro", direction=goal.direction_id)
    response = api(planner).post("/api/v1/indicators/", data, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["goal"]
    assert not Indicator.objects.exists()


def test_a_target_indicator_without_a_goal_is_a_400_on_the_field(api, goal, planner):
    response = api(planner).post("/api/v1/indicators/", target(goal, goal=None), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["goal"]


def test_a_planned_value_that_is_not_a_number_is_a_400_on_the_field(api, goal, planner):
    data = target(goal, values=[{"year": 2025, "planned": "a lot"}])
    response = api(planner).post("/api/v1/indicators/", data, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["values"]
    assert "planned" in response.json()["values"][0]
    assert not Indicator.objects.exists()


def test_a_year_outside_the_plan_period_is_a_400_on_the_field(api, goal, planner):
    data = target(goal, values=[{"year": 2031, "planned": "1"}])
    response = api(planner).post("/api/v1/indicators/", data, format="json")
    assert response.status_code == 400
    assert response.json() == {"values": ["2031 is outside the plan period 2025–2029."]}
    assert not Indicator.objects.exists()
    assert not IndicatorValue.objects.exists()


def test_a_year_given_twice_is_a_400(api, goal, planner):
    values = [{"year": 2025, "planned": "1"}, {"year": 2025, "planned": "2"}]
    response = api(planner).post("/api/v1/indicators/", target(goal, values=values), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["values"]


def test_a_baseline_that_is_not_a_number_is_a_400(api, goal, planner):
    response = api(planner).post("/api/v1/indicators/", target(goal, baseline="n/a"), format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["baseline"]


def test_the_values_given_replace_the_planned_values(api, goal, planner):
    indicator = TargetIndicatorFactory(goal=goal)
    IndicatorValueFactory(indicator=indicator, year=2025, planned=Decimal(1))
    IndicatorValueFactory(indicator=indicator, year=2026, planned=Decimal(2))
    values = [{"year": 2026, "planned": "2.5"}, {"year": 2027, "planned": "3"}]
    response = api(planner).patch(
        f"/api/v1/indicators/{indicator.pk}/", {"values": values}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["values"] == values
    assert dict(indicator.values.values_list("year", "planned")) == {
        2026: Decimal("2.5"),
        2027: Decimal(3),
    }


def test_a_change_without_values_keeps_them(api, goal, planner):
    value = IndicatorValueFactory(indicator=TargetIndicatorFactory(goal=goal), year=2025)
    url = f"/api/v1/indicators/{value.indicator_id}/"
    response = api(planner).patch(url, {"name": "Renamed"}, format="json")
    assert response.status_code == 200, response.content
    assert IndicatorValue.objects.get() == value


def test_the_kind_of_an_indicator_does_not_change(api, goal, planner):
    indicator = TargetIndicatorFactory(goal=goal)
    response = api(planner).patch(f"/api/v1/indicators/{indicator.pk}/", {"kind": "macro"})
    assert response.status_code == 200
    assert Indicator.objects.get().kind == "target"


@pytest.mark.parametrize("role", WRONG_ROLES)
def test_only_the_planner_writes_indicators(request, api, goal, role):
    client = api(request.getfixturevalue(role))
    assert client.post("/api/v1/indicators/", target(goal), format="json").status_code == 403
    indicator = TargetIndicatorFactory(goal=goal)
    url = f"/api/v1/indicators/{indicator.pk}/"
    assert client.patch(url, {"name": "X"}, format="json").status_code == 403
    assert client.delete(url).status_code == 403
    assert Indicator.objects.get().name == indicator.name


def test_an_outsider_cannot_add_an_indicator_to_another_plan(api, goal, outsider):
    response = api(outsider).post("/api/v1/indicators/", target(goal), format="json")
    assert response.status_code == 404
    assert not Indicator.objects.exists()


def test_a_responsible_unit_of_another_body_is_not_found(api, goal, planner, other_body):
    foreign = UnitFactory(body=other_body)
    data = target(goal, responsible_unit=foreign.pk)
    response = api(planner).post("/api/v1/indicators/", data, format="json")
    assert response.status_code == 404
    assert "responsible_unit" in response.json()
    assert not Indicator.objects.exists()


def test_an_outsider_sees_no_indicator_of_another_body(api, goal, outsider):
    indicator = TargetIndicatorFactory(goal=goal)
    client = api(outsider)
    assert ids(client.get("/api/v1/indicators/")) == []
    assert client.get(f"/api/v1/indicators/{indicator.pk}/").status_code == 404
    assert client.delete(f"/api/v1/indicators/{indicator.pk}/").status_code == 404
    assert Indicator.objects.exists()


def test_indicators_are_filtered_by_kind(api, goal, viewer):
    macro = MacroIndicatorFactory(direction=goal.direction)
    TargetIndicatorFactory(goal=goal)
    client = api(viewer)
    assert ids(client.get("/api/v1/indicators/", {"kind": "macro"})) == [macro.pk]
    assert client.get("/api/v1/indicators/", {"kind": "micro"}).status_code == 400


def test_the_planner_deletes_an_indicator_and_the_history_names_them(api, goal, planner):
    indicator = TargetIndicatorFactory(goal=goal)
    assert api(planner).delete(f"/api/v1/indicators/{indicator.pk}/").status_code == 204
    record = Indicator.history.filter(id=indicator.pk).first()
    assert (record.history_type, record.history_user) == ("-", planner)
