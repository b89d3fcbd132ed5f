"""Next year's plan from plans that the tests build for themselves (tests.worlds.plan_world):
a dated term, the plans that cannot be prepared, and the queries at two sizes. They cannot sit
beside the world that test_next_year.py shares between its tests."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jospar.plans import services
from jospar.plans.carryover import next_year_offer, shifted_date
from jospar.plans.models import OperationalPlan
from jospar.plans.terms import TermKind
from tests.factories import (
    DevelopmentPlanFactory,
    DirectionFactory,
    GoalFactory,
    IndicatorValueFactory,
    TargetIndicatorFactory,
    operational_plan,
)
from tests.worlds import APPROVED_ON, at, plan_world

pytestmark = pytest.mark.django_db


def test_a_dated_term_moves_to_the_new_year():
    world = plan_world()
    dated = services.action_create(
        actor=world.planner,
        plan=world.plan,
        indicator=world.indicator,
        name="Hold the water forum",
        lead_unit=world.unit,
        term_kind=TermKind.DATE,
        term_date=dt.date(2026, 10, 1),
        completion_form=world.form,
    )
    with at(APPROVED_ON):
        world.approve()
    frozen = world.plan.revisions.get().actions.get(action=dated)
    (content,) = services._carried_content(world.plan, [frozen], 2027)
    assert (content["term_kind"], content["term_date"]) == (TermKind.DATE, dt.date(2027, 10, 1))
    assert shifted_date(dt.date(2028, 2, 29), 2029) == dt.date(2029, 2, 28)
    assert shifted_date(None, 2027) is None


@pytest.mark.parametrize(
    "situation, message",
    [
        ("not approved", "approve this plan first"),
        ("next exists", "The plan for 2027 exists already."),
        ("period ends", "ends in 2026"),
    ],
)
def test_a_plan_that_cannot_be_prepared_says_why_and_writes_nothing(situation, message):
    world = plan_world()
    if situation != "not approved":
        with at(APPROVED_ON):
            world.approve()
    if situation == "next exists":
        operational_plan(world.body, 2027, development_plan=world.development)
    if situation == "period ends":
        world.development.end_year = 2026
        world.development.save()
    plans_before = OperationalPlan.objects.count()

    assert message in next_year_offer(world.plan).problem
    with pytest.raises(ValidationError, match=message):
        services.plan_prepare_next(actor=world.planner, plan=world.plan)
    assert OperationalPlan.objects.count() == plans_before


def recurring_plan(world, development, year: int, count: int) -> OperationalPlan:
    """An approved plan of `year` of `count` quarterly actions, each with a co-executor and a
    budget program."""
    plan = operational_plan(world.body, year, development_plan=development)
    goal = GoalFactory(direction=DirectionFactory(plan=development))
    indicator = TargetIndicatorFactory(goal=goal, responsible_unit=world.unit)
    IndicatorValueFactory(indicator=indicator, year=year, planned=Decimal(1))
    for n in range(count):
        services.action_create(
            actor=world.planner,
            plan=plan,
            indicator=indicator,
            name=f"Action {n}",
            lead_unit=world.unit,
            term_kind=TermKind.QUARTERLY,
            co_executors=[world.partner],
            budget_programs=[world.program],
            completion_form=world.form,
        )
    services.plan_submit(actor=world.planner, plan=plan)
    services.plan_approve(actor=world.official, plan=plan)
    return plan


def test_preparing_costs_the_same_queries_for_3_or_30_actions():
    world = plan_world()
    development = DevelopmentPlanFactory(body=world.body, start_year=2030, end_year=2034)
    counts = []
    for year, count in ((2030, 3), (2032, 30)):
        plan = recurring_plan(world, development, year, count)
        with CaptureQueriesContext(connection) as queries:
            new = services.plan_prepare_next(actor=world.planner, plan=plan)
        assert new.actions.count() == count
        counts.append(len(queries))
    assert counts[0] == counts[1]
