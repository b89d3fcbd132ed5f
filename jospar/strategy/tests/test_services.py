import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jospar.strategy import services
from jospar.strategy.models import DevelopmentPlan, Indicator, IndicatorValue
from tests.factories import (
    DevelopmentPlanFactory,
    DirectionFactory,
    GoalFactory,
    IndicatorValueFactory,
    TargetIndicatorFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(body):
    return DevelopmentPlanFactory(body=body)


def test_planner_types_in_a_development_plan(body, planner, unit):
    plan = services.development_plan_create(
        actor=planner,
        body=body,
        title="Development plan of the ministry",
        start_year=2025,
        end_year=2029,
        signed_on=dt.date(2024, 12, 27),
    )
    direction = services.direction_create(actor=planner, plan=plan, number=1, name="Water")
    goal = services.goal_create(actor=planner, plan=plan, direction=direction, number=1, name="G")
    target = services.indicator_create(
        actor=planner,
        plan=plan,
        kind=Indicator.Kind.TARGET,
        goal=goal,
        number=1,
        name="Share of irrigated land",
        unit_of_measure="%",
        baseline=Decimal("41.2"),
        baseline_year=2024,
        responsible_unit=unit,
        values={2025: Decimal("42"), 2026: Decimal("43.5")},
    )
    assert goal.code == "1.1"
    assert {v.year: v.planned for v in target.values.all()} == {
        2025: Decimal("42"),
        2026: Decimal("43.5"),
    }
    assert target.history.get().history_user == planner
    assert IndicatorValue.history.filter(history_user=planner).count() == 2


def test_the_period_must_be_ordered(body, planner):
    with pytest.raises(ValidationError) as error:
        services.development_plan_create(
            actor=planner,
            body=body,
            title="T",
            start_year=2029,
            end_year=2025,
            signed_on=dt.date(2024, 12, 1),
        )
    assert "end_year" in error.value.message_dict
    assert not DevelopmentPlan.objects.exists()


def test_a_value_for_a_year_outside_the_period_is_refused(plan, planner):
    goal = GoalFactory(direction=DirectionFactory(plan=plan))
    with pytest.raises(ValidationError) as error:
        services.indicator_create(
            actor=planner,
            plan=plan,
            kind="target",
            goal=goal,
            number=1,
            name="I",
            unit_of_measure="%",
            values={2031: Decimal(1)},
        )
    assert "values" in error.value.message_dict
    assert not Indicator.objects.exists()


def test_a_value_that_is_not_a_number_is_refused(plan, planner):
    goal = GoalFactory(direction=DirectionFactory(plan=plan))
    with pytest.raises(ValidationError):
        services.indicator_create(
            actor=planner,
            plan=plan,
            kind="target",
            goal=goal,
            number=1,
            name="I",
            unit_of_measure="%",
            values={2025: "lots"},
        )
    assert not Indicator.objects.exists()


def test_updating_values_adds_changes_and_removes(plan, planner):
    indicator = TargetIndicatorFactory(goal=GoalFactory(direction=DirectionFactory(plan=plan)))
    IndicatorValueFactory(indicator=indicator, year=2025, planned=Decimal(1))
    IndicatorValueFactory(indicator=indicator, year=2026, planned=Decimal(2))
    services.indicator_update(
        actor=planner, indicator=indicator, values={2025: Decimal(5), 2026: None, 2027: Decimal(7)}
    )
    assert {v.year: v.planned for v in indicator.values.all()} == {
        2025: Decimal(5),
        2027: Decimal(7),
    }


def test_an_amendment_cannot_predate_the_signing(plan, planner):
    with pytest.raises(ValidationError) as error:
        services.amendment_create(
            actor=planner,
            plan=plan,
            signed_on=plan.signed_on - dt.timedelta(days=1),
            description="Earlier",
        )
    assert "signed_on" in error.value.message_dict
    assert not plan.amendments.exists()
    services.amendment_create(
        actor=planner, plan=plan, signed_on=plan.signed_on, description="Same day is fine"
    )


def test_duplicate_numbers_are_refused_on_the_field(plan, planner):
    direction = DirectionFactory(plan=plan, number=1)
    with pytest.raises(ValidationError) as error:
        services.direction_create(actor=planner, plan=plan, number=1, name="Again")
    assert "number" in error.value.message_dict
    GoalFactory(direction=direction, number=1)
    with pytest.raises(ValidationError) as error:
        services.goal_create(actor=planner, plan=plan, direction=direction, number=1, name="G")
    assert "number" in error.value.message_dict


def test_a_goal_cannot_hang_off_another_plans_direction(body, plan, planner):
    other_plan = DevelopmentPlanFactory(body=body, start_year=2030, end_year=2034)
    foreign = DirectionFactory(plan=other_plan)
    with pytest.raises(ValidationError) as error:
        services.goal_create(actor=planner, plan=plan, direction=foreign, number=1, name="G")
    assert "direction" in error.value.message_dict


def test_shrinking_the_period_below_existing_values_is_refused(plan, planner):
    indicator = TargetIndicatorFactory(goal=GoalFactory(direction=DirectionFactory(plan=plan)))
    IndicatorValueFactory(indicator=indicator, year=2029)
    with pytest.raises(ValidationError):
        services.development_plan_update(actor=planner, plan=plan, end_year=2028)


@pytest.mark.parametrize("role_fixture", ["admin_user", "viewer", "executor", "outsider"])
def test_only_the_planner_edits_the_development_plan(request, plan, role_fixture):
    user = request.getfixturevalue(role_fixture)
    with pytest.raises(PermissionDenied):
        services.direction_create(actor=user, plan=plan, number=1, name="D")
    with pytest.raises(PermissionDenied):
        services.development_plan_update(actor=user, plan=plan, title="Renamed")
