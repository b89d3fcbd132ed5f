"""factory_boy factories for the plan tree; every object hangs off a StateBody."""

import datetime as dt
from decimal import Decimal

import factory

from jospar.orgs.models import BudgetProgram, Role, RoleAssignment, StateBody, Unit, User
from jospar.strategy.models import (
    Amendment,
    DevelopmentPlan,
    Goal,
    Indicator,
    IndicatorValue,
    StrategicDirection,
)

PASSWORD = "correct-horse-battery"


class StateBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StateBody

    name = factory.Sequence(lambda n: f"Ministry number {n}")
    code = factory.Sequence(lambda n: f"MIN{n}")
    budget_administrator_code = "217"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    body = factory.SubFactory(StateBodyFactory)
    code = factory.Sequence(lambda n: f"U{n}")
    name = factory.Sequence(lambda n: f"Department {n}")
    head_name = "Ahmetov Nurlan Serikovich"
    head_position = "Director"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Aigerim"
    last_name = factory.Sequence(lambda n: f"Surname{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    body = factory.SubFactory(StateBodyFactory)
    role = Role.VIEWER


class BudgetProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetProgram

    body = factory.SubFactory(StateBodyFactory)
    code = factory.Sequence(lambda n: f"{100 + n % 900:03d}")
    name = factory.Sequence(lambda n: f"Budget program {n}")


class DevelopmentPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentPlan

    body = factory.SubFactory(StateBodyFactory)
    title = "Development plan"
    start_year = 2025
    end_year = 2029
    signed_on = dt.date(2024, 12, 20)


class AmendmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Amendment

    plan = factory.SubFactory(DevelopmentPlanFactory)
    signed_on = dt.date(2025, 6, 2)
    description = "Target values for 2026 revised"


class DirectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicDirection

    plan = factory.SubFactory(DevelopmentPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Strategic direction text {n}")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    direction = factory.SubFactory(DirectionFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Goal text {n}")


class MacroIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    direction = factory.SubFactory(DirectionFactory)
    plan = factory.SelfAttribute("direction.plan")
    kind = Indicator.Kind.MACRO
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Macro indicator text {n}")
    unit_of_measure = "%"
    baseline = Decimal("10.5")
    baseline_year = 2024


class TargetIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    goal = factory.SubFactory(GoalFactory)
    plan = factory.SelfAttribute("goal.direction.plan")
    kind = Indicator.Kind.TARGET
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Target indicator text {n}")
    unit_of_measure = "units"
    baseline = Decimal(100)
    baseline_year = 2024


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(TargetIndicatorFactory)
    year = 2025
    planned = Decimal(110)


def member(body: StateBody, role: str, unit: Unit | None = None, **user_fields) -> User:
    """A new user holding `role` in `body` (for a unit role, in `unit`)."""
    user = UserFactory(**user_fields)
    RoleFactory(user=user, body=body, role=role, unit=unit)
    return user


def operational_plan(body: StateBody, year: int = 2026, **fields):
    """A draft operational plan with a development plan around it (imported late: plans app)."""
    from jospar.plans.models import OperationalPlan

    development = fields.pop("development_plan", None) or DevelopmentPlanFactory(body=body)
    return OperationalPlan.objects.create(
        body=body, year=year, development_plan=development, **fields
    )
