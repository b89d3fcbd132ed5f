"""A list costs the same number of queries for 5 rows as for 50: the session, the user, the
count, the page and one query per prefetched relation."""

import pytest

from jospar.orgs.models import Role
from tests.factories import (
    AmendmentFactory,
    BudgetProgramFactory,
    DevelopmentPlanFactory,
    DirectionFactory,
    GoalFactory,
    IndicatorValueFactory,
    MacroIndicatorFactory,
    RoleFactory,
    StateBodyFactory,
    TargetIndicatorFactory,
    UnitFactory,
    member,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 5


def add_bodies(user, n):
    for _ in range(n):
        RoleFactory(user=user, body=StateBodyFactory(), role=Role.VIEWER)


def add_units(body, n):
    UnitFactory.create_batch(n, body=body)


def add_programs(body, n):
    BudgetProgramFactory.create_batch(n, body=body)


def add_members(body, n):
    for _ in range(n):
        member(body, Role.VIEWER)


def add_plans(body, n):
    first = 1900 + body.development_plans.count()
    for year in range(first, first + n):
        DevelopmentPlanFactory(body=body, start_year=year, end_year=year)


def first_plan(body):
    plan = body.development_plans.first()
    return plan or DevelopmentPlanFactory(body=body)


def add_amendments(body, n):
    AmendmentFactory.create_batch(n, plan=first_plan(body))


def add_directions(body, n):
    DirectionFactory.create_batch(n, plan=first_plan(body))


def add_goals(body, n):
    GoalFactory.create_batch(n, direction=DirectionFactory(plan=first_plan(body)))


def add_indicators(body, n):
    direction = DirectionFactory(plan=first_plan(body))
    goal = GoalFactory(direction=direction)
    for i in range(n):
        indicator = (
            MacroIndicatorFactory(direction=direction)
            if i % 2
            else TargetIndicatorFactory(goal=goal)
        )
        IndicatorValueFactory(indicator=indicator, year=2025)
        IndicatorValueFactory(indicator=indicator, year=2026)


LISTS = {
    "bodies": add_bodies,
    "units": add_units,
    "budget-programs": add_programs,
    "users": add_members,
    "role-assignments": add_members,
    "development-plans": add_plans,
    "amendments": add_amendments,
    "directions": add_directions,
    "goals": add_goals,
    "indicators": add_indicators,
}


@pytest.mark.parametrize("resource", LISTS)
def test_a_list_costs_the_same_for_5_and_50_rows(
    api, body, admin_user, resource, django_assert_max_num_queries
):
    client = api(admin_user)
    owner = admin_user if resource == "bodies" else body
    for added, total in ((5, 5), (45, 50)):
        LISTS[resource](owner, added)
        with django_assert_max_num_queries(MAX_QUERIES):
            response = client.get(f"/api/v1/{resource}/")
        assert response.json()["count"] >= total
