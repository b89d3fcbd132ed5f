"""The "large body" workload of DESIGN.md, built fast with bulk inserts.

80 units (60 structural, 20 subordinate), a development plan with 5 directions, 15 macro
indicators, 20 goals and 60 target indicators, and an operational plan with 2,000 actions.
"""

import datetime as dt
import random
from decimal import Decimal

from jospar.orgs.models import BudgetProgram, StateBody, Unit
from jospar.plans.models import (
    Action,
    CompletionForm,
    OperationalPlan,
    PlanStatus,
    RegulationTask,
    Revision,
)
from jospar.plans.services import freeze_revision
from jospar.plans.terms import TermKind
from jospar.strategy.models import (
    DevelopmentPlan,
    Goal,
    Indicator,
    IndicatorValue,
    StrategicDirection,
)

TERMS = [
    {"term_kind": TermKind.QUARTER, "term_quarter": 1},
    {"term_kind": TermKind.QUARTER, "term_quarter": 3},
    {"term_kind": TermKind.MONTH, "term_month": 6},
    {"term_kind": TermKind.DATE, "term_date": dt.date(2026, 12, 20)},
    {"term_kind": TermKind.HALF, "term_half": 2},
    {"term_kind": TermKind.QUARTERLY},
    {"term_kind": TermKind.YEAR},
]


def _indicator(plan: DevelopmentPlan, kind: str, n: int, number: int, **where) -> Indicator:
    """The n-th macro or target indicator, numbered `number` under its direction or goal."""
    return Indicator(
        plan=plan,
        kind=kind,
        number=number,
        name=f"{kind.capitalize()} indicator {n}",
        unit_of_measure="%",
        **where,
    )


def large_body(index: int = 0, actions: int = 2000, seed: int = 1) -> OperationalPlan:
    rng = random.Random(seed + index)  # noqa: S311 - test data, not security
    body = StateBody.objects.create(name=f"Large ministry {index}", code=f"LARGE{index}")
    units = Unit.objects.bulk_create(
        Unit(
            body=body,
            code=f"U{n:02d}",
            name=f"{'Department' if n < 60 else 'Subordinate organisation'} {n}",
            kind=Unit.Kind.STRUCTURAL if n < 60 else Unit.Kind.SUBORDINATE,
            head_name=f"Head {n}",
        )
        for n in range(80)
    )
    programs = BudgetProgram.objects.bulk_create(
        BudgetProgram(body=body, code=f"{n:03d}", name=f"Program {n}") for n in range(1, 11)
    )
    development = DevelopmentPlan.objects.create(
        body=body,
        title="Development plan",
        start_year=2025,
        end_year=2029,
        signed_on=dt.date(2024, 12, 27),
    )
    directions = StrategicDirection.objects.bulk_create(
        StrategicDirection(plan=development, number=n, name=f"Direction {n}") for n in range(1, 6)
    )
    goals = Goal.objects.bulk_create(
        Goal(direction=directions[n % 5], number=n // 5 + 1, name=f"Goal {n}") for n in range(20)
    )
    indicators = Indicator.objects.bulk_create(
        [
            _indicator(development, "macro", n, n // 5 + 1, direction=directions[n % 5])
            for n in range(15)
        ]
        + [
            _indicator(
                development,
                "target",
                n,
                n // 20 + 1,
                goal=goals[n % 20],
                responsible_unit=units[n % 80],
            )
            for n in range(60)
        ]
    )
    IndicatorValue.objects.bulk_create(
        IndicatorValue(indicator=i, year=year, planned=Decimal(year - 2000))
        for i in indicators
        for year in range(2025, 2030)
    )
    tasks = RegulationTask.objects.bulk_create(
        RegulationTask(body=body, number=n, name=f"Task {n}") for n in range(1, 6)
    )
    plan = OperationalPlan.objects.create(body=body, year=2026, development_plan=development)
    form = CompletionForm.objects.filter(body=None).first()
    rows = []
    for n in range(actions):
        anchor = {"task": tasks[n % 5]} if n % 10 == 0 else {"indicator": indicators[n % 75]}
        rows.append(
            Action(
                plan=plan,
                position=n,
                name=f"Action {n} of the large plan",
                lead_unit=units[n % 80],
                completion_form=form,
                **anchor,
                **TERMS[n % 7],
            )
        )
    created = Action.objects.bulk_create(rows)
    through_programs = Action.budget_programs.through
    through_units = Action.co_executors.through
    through_programs.objects.bulk_create(
        through_programs(action_id=a.pk, budgetprogram_id=rng.choice(programs).pk) for a in created
    )
    through_units.objects.bulk_create(
        through_units(action_id=a.pk, unit_id=units[(i + 1) % 80].pk)
        for i, a in enumerate(created)
        if i % 3 == 0
    )
    return plan


def mark_approved(plan: OperationalPlan, user, on: dt.date | None = None) -> None:
    """The plan as approved by `user` (set directly: a workload to measure, not a test of
    the approval)."""
    plan.status = PlanStatus.APPROVED
    plan.approved_on = on or plan.development_plan.signed_on
    plan.approved_by = user
    plan.save()


def approve(plan: OperationalPlan, user, on: dt.date | None = None) -> Revision:
    """The plan approved by `user` and frozen as revision 1."""
    mark_approved(plan, user, on)
    return freeze_revision(plan)
