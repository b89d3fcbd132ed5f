from decimal import Decimal

import pytest
from django.urls import reverse

from jospar.strategy.models import Indicator
from tests.factories import (
    DevelopmentPlanFactory,
    DirectionFactory,
    GoalFactory,
    IndicatorValueFactory,
    MacroIndicatorFactory,
    TargetIndicatorFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(body):
    return DevelopmentPlanFactory(body=body, title="Development plan 2025-2029")


def build_plan(plan, goals: int) -> None:
    direction = DirectionFactory(plan=plan)
    MacroIndicatorFactory(direction=direction)
    for _ in range(goals):
        goal = GoalFactory(direction=direction)
        indicator = TargetIndicatorFactory(goal=goal)
        for year in plan.years:
            IndicatorValueFactory(indicator=indicator, year=year)


def test_the_plan_shows_target_values_per_year(client, plan, viewer):
    build_plan(plan, goals=1)
    client.force_login(viewer)
    page = client.get(reverse("strategy:plan", args=[plan.body_id, plan.pk])).content.decode()
    for year in plan.years:
        assert f">{year}<" in page
    assert ">110<" in page
    assert "Goal 1." in page or "Goal" in page


@pytest.mark.parametrize("goals", [2, 20])
def test_the_plan_page_costs_the_same_queries_at_any_size(
    client, plan, viewer, goals, django_assert_max_num_queries
):
    build_plan(plan, goals=goals)
    client.force_login(viewer)
    with django_assert_max_num_queries(12):
        client.get(reverse("strategy:plan", args=[plan.body_id, plan.pk]))


def test_planner_adds_a_target_indicator_with_yearly_values(client, plan, planner, unit):
    goal = GoalFactory(direction=DirectionFactory(plan=plan))
    client.force_login(planner)
    url = reverse("strategy:indicator_new", args=[plan.body_id, plan.pk, "target"])
    response = client.post(
        url,
        {
            "goal": goal.pk,
            "number": 1,
            "name": "Water losses in canals",
            "unit_of_measure": "%",
            "baseline": "30",
            "baseline_year": 2024,
            "responsible_unit": unit.pk,
            "value_2025": "28",
            "value_2026": "26.5",
        },
    )
    assert response.status_code == 302, response.content.decode()
    indicator = Indicator.objects.get(name="Water losses in canals")
    assert indicator.values.count() == 2


def test_a_value_that_is_not_a_number_shows_on_its_field(client, plan, planner):
    goal = GoalFactory(direction=DirectionFactory(plan=plan))
    client.force_login(planner)
    url = reverse("strategy:indicator_new", args=[plan.body_id, plan.pk, "target"])
    response = client.post(
        url,
        {"goal": goal.pk, "number": 1, "name": "N", "unit_of_measure": "%", "value_2025": "abc"},
    )
    assert response.status_code == 400
    assert "value_2025" in response.context["form"].errors
    assert not Indicator.objects.exists()


def test_an_early_amendment_is_refused_on_the_date(client, plan, planner):
    client.force_login(planner)
    response = client.post(
        reverse("strategy:amendment_new", args=[plan.body_id, plan.pk]),
        {"signed_on": "2020-01-01", "description": "Too early"},
    )
    assert response.status_code == 400
    assert "signed_on" in response.context["form"].errors
    assert not plan.amendments.exists()


def test_a_viewer_cannot_edit(client, plan, viewer):
    client.force_login(viewer)
    url = reverse("strategy:direction_new", args=[plan.body_id, plan.pk])
    assert client.post(url, {"number": 1, "name": "D"}).status_code == 403
    assert not plan.directions.exists()


def test_an_object_of_another_plan_is_404(client, body, plan, planner):
    other = DevelopmentPlanFactory(body=body, start_year=2030, end_year=2034)
    direction = DirectionFactory(plan=other)
    client.force_login(planner)
    url = reverse("strategy:direction_edit", args=[body.pk, plan.pk, direction.pk])
    assert client.get(url).status_code == 404


def test_a_value_typed_in_russian_is_read_as_people_write_it(client, plan, planner):
    goal = GoalFactory(direction=DirectionFactory(plan=plan))
    client.force_login(planner)
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    url = reverse("strategy:indicator_new", args=[plan.body_id, plan.pk, "target"])
    response = client.post(
        url,
        {
            "goal": goal.pk,
            "number": 1,
            "name": "N",
            "unit_of_measure": "%",
            "value_2025": "16,5",
            "baseline": "10,25",
        },
    )
    assert response.status_code == 302
    indicator = Indicator.objects.get()
    assert indicator.values.get().planned == Decimal("16.5")
    assert indicator.baseline == Decimal("10.25")


def test_the_indicator_history_shows_its_planned_values(client, plan, planner):
    from jospar.strategy import services

    indicator = TargetIndicatorFactory(goal=GoalFactory(direction=DirectionFactory(plan=plan)))
    services.indicator_update(actor=planner, indicator=indicator, values={2027: Decimal(15)})
    services.indicator_update(actor=planner, indicator=indicator, values={2027: Decimal("16.25")})
    client.force_login(planner)
    url = reverse("orgs:history", args=[plan.body_id, "strategy.indicator", indicator.pk])
    page = client.get(url).content.decode()
    assert "Planned value for 2027" in page
    assert "<del>15</del>" in page and "16.25" in page
