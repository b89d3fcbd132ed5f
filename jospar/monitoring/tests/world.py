"""A small approved plan for the monitoring tests, and a clock that the services, the deadline
calendar and Django's `timezone.now` all read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from jospar.deadlines import calendar
from jospar.monitoring import services as monitoring
from jospar.monitoring.models import Submission
from jospar.orgs.models import Role, Unit, User
from jospar.plans import services as plans
from jospar.plans.models import Action, CompletionForm, OperationalPlan, RegulationTask
from jospar.plans.terms import TermKind
from jospar.reports import services as report_services
from jospar.strategy.models import Indicator
from tests.factories import (
    DirectionFactory,
    GoalFactory,
    IndicatorValueFactory,
    TargetIndicatorFactory,
    UnitFactory,
    member,
    operational_plan,
)

ALMATY = ZoneInfo("Asia/Almaty")
APPROVED_ON = dt.date(2026, 1, 5)


def set_clock(monkeypatch, day: dt.date, at: dt.time = dt.time(12)) -> dt.datetime:
    """It is `at` o'clock in Almaty on `day`, for every module that asks."""
    moment = dt.datetime.combine(day, at, tzinfo=ALMATY)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    for module in (calendar, monitoring, plans, report_services):
        monkeypatch.setattr(module, "today", lambda: day)
    return moment


@dataclass
class World:
    """Plan 2026 of `body`, approved on 5 January. `unit` leads q1, q2 (with `partner` as a
    co-executor), quarterly and annual, and takes part in partner_q3; `other` leads other_q2.
    `indicator` is the unit's target indicator, `foreign_indicator` another unit's."""

    plan: OperationalPlan
    unit: Unit
    partner: Unit
    other: Unit
    executor: User
    head: User
    partner_head: User
    monitor: User
    planner: User
    official: User
    actions: dict[str, Action]
    indicator: Indicator
    foreign_indicator: Indicator

    def number(self, key: str) -> int:
        """The action's number in the revision in force at the start of the year."""
        return self.plan.revisions.first().actions.get(action=self.actions[key]).number

    def open(self, quarter: int, unit: Unit | None = None, actor: User | None = None):
        unit = unit or self.unit
        actor = actor or (self.executor if unit == self.unit else self.partner_head)
        return monitoring.submission_open(actor=actor, plan=self.plan, unit=unit, quarter=quarter)

    def fill(self, submission: Submission, status: str = "executed", only=None) -> None:
        """Give every due action of the submission a complete entry: `status`, or the status
        `only` gives for an action id."""
        from jospar.monitoring.selectors import unit_actions

        actor = self.executor if submission.unit == self.unit else self.partner_head
        for item in unit_actions(submission.plan, submission.unit, submission.quarter):
            if not item.due:
                continue
            current = submission.entries.filter(action=item.planned.action_id).first()
            monitoring.entry_save(
                actor=actor,
                submission=submission,
                action_id=item.planned.action_id,
                status=(only or {}).get(item.planned.action_id, status),
                actual="Done as planned",
                reasons="The contractor was late",
                version=current.version if current else 0,
            )


def build_world(monkeypatch, body, planner, unit, executor) -> World:
    plan = operational_plan(body, 2026)
    partner = UnitFactory(body=body, code="D2", name="Department of finance")
    other = UnitFactory(body=body, code="D3", name="Department of water supply")
    goal = GoalFactory(direction=DirectionFactory(plan=plan.development_plan))
    indicator = TargetIndicatorFactory(goal=goal, responsible_unit=unit)
    foreign_indicator = TargetIndicatorFactory(goal=goal, responsible_unit=other)
    for target in (indicator, foreign_indicator):
        IndicatorValueFactory(indicator=target, year=2026, planned=Decimal(40))
    task = RegulationTask.objects.create(body=body, number=1, name="Informing the public")
    form = CompletionForm.objects.get(name="Report")

    def add(name, anchor, lead, term_kind, co_executors=(), **term):
        return plans.action_create(
            actor=planner,
            plan=plan,
            name=name,
            lead_unit=lead,
            term_kind=term_kind,
            completion_form=form,
            co_executors=list(co_executors),
            **anchor,
            **term,
        )

    mine, theirs = {"indicator": indicator}, {"indicator": foreign_indicator}
    actions = {
        "q1": add("Audit the reservoirs", mine, unit, TermKind.QUARTER, term_quarter=1),
        "q2": add("Repair the canals", mine, unit, TermKind.QUARTER, (partner,), term_quarter=2),
        "partner_q3": add(
            "Fund the pumps", mine, partner, TermKind.QUARTER, (unit,), term_quarter=3
        ),
        "other_q2": add("Lay the pipes", theirs, other, TermKind.QUARTER, term_quarter=2),
        "quarterly": add("Report on water use", mine, unit, TermKind.QUARTERLY),
        "annual": add("Publish the annual report", {"task": task}, unit, TermKind.YEAR),
    }
    official = member(body, Role.OFFICIAL, username="official")
    set_clock(monkeypatch, APPROVED_ON)
    plans.plan_submit(actor=planner, plan=plan)
    plans.plan_approve(actor=official, plan=plan)
    plan.refresh_from_db()
    return World(
        plan=plan,
        unit=unit,
        partner=partner,
        other=other,
        executor=executor,
        head=member(body, Role.UNIT_HEAD, unit=unit, username="head"),
        partner_head=member(body, Role.UNIT_HEAD, unit=partner, username="partnerhead"),
        monitor=member(body, Role.MONITOR, username="monitor"),
        planner=planner,
        official=official,
        actions=actions,
        indicator=indicator,
        foreign_indicator=foreign_indicator,
    )
