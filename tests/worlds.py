"""The shared worlds of the tests, one per stage, each built on the one before it through the
services (so that the history, the revisions and the events are what a user would leave):

- `plan_world`: the Ministry of Water Resources (MWR) with three units, a development plan and
  a draft operational plan for 2026 of six actions under two target indicators and a task;
- `monitoring_world`: that plan approved on 5 January 2026, with the people who report on it
  (executor, unit heads, monitor, official) and helpers to open and fill a quarter;
- `q2_report(world)`: the reports stage on top of a monitoring world, the unit's information
  for the 2nd quarter accepted (the q2 action partially executed) and the monitor's report on
  it compiled on 13 July;
- for the documents: `appendix_plan_world` and `appendix_report_world`, the plan and the report
  whose Appendix 1 and 2 files are kept as golden files (their content is pinned by them), and
  `import_target_world`, what the import tests' sheets are imported into.

The body, `unit`, `planner` and `executor` are the root conftest's (same codes and usernames),
so that a test asking for both the world and `body` gets one ministry.

`shared_world(build)` turns a builder into a `world` fixture whose rows are made once per test
module and rolled back after it; each test gets its own deep copy of the world's objects and
runs in a savepoint of its own, so what a test changes is gone for the next one.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from jospar.monitoring import services as monitoring
from jospar.monitoring.models import Submission
from jospar.monitoring.selectors import unit_actions
from jospar.orgs.models import BudgetProgram, Role, StateBody, Unit, User
from jospar.plans import services as plans
from jospar.plans.models import Action, CompletionForm, OperationalPlan, RegulationTask
from jospar.plans.terms import TermKind
from jospar.reports import services as reports
from jospar.reports.models import AmendmentKind, Report
from jospar.strategy.models import DevelopmentPlan, Indicator
from tests.factories import (
    BudgetProgramFactory,
    DevelopmentPlanFactory,
    DirectionFactory,
    GoalFactory,
    IndicatorValueFactory,
    MacroIndicatorFactory,
    StateBodyFactory,
    TargetIndicatorFactory,
    UnitFactory,
    member,
    operational_plan,
)

ALMATY = ZoneInfo("Asia/Almaty")
APPROVED_ON = dt.date(2026, 1, 5)
IN_Q2, AFTER_Q2 = dt.date(2026, 5, 15), dt.date(2026, 7, 13)


def at(when: dt.date | dt.datetime | str, time: dt.time = dt.time(12)):
    """time-machine standing still at `when` in Almaty: a date (at noon unless `time` says
    otherwise), an aware or naive datetime, or "YYYY-MM-DD HH:MM"."""
    return time_machine.travel(moment(when, time), tick=False)


def moment(when: dt.date | dt.datetime | str, time: dt.time = dt.time(12)) -> dt.datetime:
    if isinstance(when, str):
        when = dt.datetime.fromisoformat(when)
    if not isinstance(when, dt.datetime):
        when = dt.datetime.combine(when, time)
    return when if when.tzinfo else when.replace(tzinfo=ALMATY)


# The root conftest's body, unit and people, found again when a world made them first.


def the_body() -> StateBody:
    return StateBody.objects.filter(code="MWR").first() or StateBodyFactory(
        name="Ministry of Water Resources", code="MWR"
    )


def the_unit(body: StateBody) -> Unit:
    return body.units.filter(code="D1").first() or UnitFactory(
        body=body, code="D1", name="Department of strategic planning"
    )


def the_member(body: StateBody, role: str, username: str, unit: Unit | None = None) -> User:
    user = User.objects.filter(username=username).first()
    return user or member(body, role, unit=unit, username=username)


# The plan stage


@dataclass
class PlanWorld:
    """The draft plan 2026 of `body`. `unit` leads q1, q2 (with `partner` as co-executor and
    budget program 001), quarterly and annual (under the task), and co-executes partner_q3,
    which `partner` leads; `other` leads other_q2. q1…quarterly hang under `indicator`, the
    unit's target indicator; other_q2 under `foreign_indicator`, the other unit's."""

    body: StateBody
    unit: Unit
    partner: Unit
    other: Unit
    planner: User
    official: User
    development: DevelopmentPlan
    indicator: Indicator
    foreign_indicator: Indicator
    task: RegulationTask
    form: CompletionForm
    program: BudgetProgram
    plan: OperationalPlan
    actions: dict[str, Action]

    @property
    def indicators(self) -> list[Indicator]:
        return [self.indicator, self.foreign_indicator]

    def approve(self) -> OperationalPlan:
        """Submit and approve the plan (at whatever time it is)."""
        plans.plan_submit(actor=self.planner, plan=self.plan)
        plans.plan_approve(actor=self.official, plan=self.plan)
        self.plan.refresh_from_db()
        return self.plan

    def adjust(self, basis_text: str = "New tasks of the body") -> None:
        plans.adjustment_start(
            actor=self.planner, plan=self.plan, basis="other", basis_text=basis_text
        )

    def number(self, key: str) -> int:
        """The action's number in the plan's first revision."""
        return self.plan.revisions.order_by("number").first().actions.get(
            action=self.actions[key]
        ).number


def plan_world() -> PlanWorld:
    body = the_body()
    unit = the_unit(body)
    planner = the_member(body, Role.PLANNER, "planner")
    partner = UnitFactory(body=body, code="D2", name="Department of finance")
    other = UnitFactory(body=body, code="D3", name="Department of water supply")
    plan = operational_plan(body, 2026)
    goal = GoalFactory(direction=DirectionFactory(plan=plan.development_plan))
    indicator = TargetIndicatorFactory(goal=goal, responsible_unit=unit)
    foreign_indicator = TargetIndicatorFactory(goal=goal, responsible_unit=other)
    for target in (indicator, foreign_indicator):
        IndicatorValueFactory(indicator=target, year=2026, planned=Decimal(40))
    task = RegulationTask.objects.create(body=body, number=1, name="Informing the public")
    form, _created = CompletionForm.objects.get_or_create(body=None, name="Report")
    program = BudgetProgramFactory(body=body, code="001", name="Irrigation")

    def add(name, anchor, lead, term_kind, co_executors=(), **fields):
        return plans.action_create(
            actor=planner,
            plan=plan,
            name=name,
            lead_unit=lead,
            term_kind=term_kind,
            completion_form=form,
            co_executors=list(co_executors),
            **anchor,
            **fields,
        )

    mine, theirs = {"indicator": indicator}, {"indicator": foreign_indicator}
    actions = {
        "q1": add("Audit the reservoirs", mine, unit, TermKind.QUARTER, term_quarter=1),
        "q2": add(
            "Repair the canals",
            mine,
            unit,
            TermKind.QUARTER,
            (partner,),
            term_quarter=2,
            budget_programs=[program],
        ),
        "partner_q3": add(
            "Fund the pumps", mine, partner, TermKind.QUARTER, (unit,), term_quarter=3
        ),
        "other_q2": add("Lay the pipes", theirs, other, TermKind.QUARTER, term_quarter=2),
        "quarterly": add("Report on water use", mine, unit, TermKind.QUARTERLY),
        "annual": add("Publish the annual report", {"task": task}, unit, TermKind.YEAR),
    }
    return PlanWorld(
        body=body,
        unit=unit,
        partner=partner,
        other=other,
        planner=planner,
        official=member(body, Role.OFFICIAL, username="official"),
        development=plan.development_plan,
        indicator=indicator,
        foreign_indicator=foreign_indicator,
        task=task,
        form=form,
        program=program,
        plan=plan,
        actions=actions,
    )


def approved_plan_of_size(units: list[Unit], actions_per_unit: int, year: int = 2027):
    """An approved plan of `year` (on a development plan of its own, beside a world's 2026
    plan) in which each unit leads `actions_per_unit` actions under one target indicator, the
    first due in the 2nd quarter, the others in the 4th: for counting the queries of a page
    as the plan grows. Returns the plan and its indicator."""
    body = units[0].body
    planner = the_member(body, Role.PLANNER, "planner")
    development = DevelopmentPlanFactory(body=body, start_year=year, end_year=year + 4)
    plan = operational_plan(body, year, development_plan=development)
    goal = GoalFactory(direction=DirectionFactory(plan=development))
    indicator = TargetIndicatorFactory(goal=goal, responsible_unit=units[0])
    IndicatorValueFactory(indicator=indicator, year=year, planned=Decimal(40))
    form, _created = CompletionForm.objects.get_or_create(body=None, name="Report")
    for unit in units:
        for n in range(actions_per_unit):
            plans.action_create(
                actor=planner,
                plan=plan,
                indicator=indicator,
                name=f"{unit.code} action {n}",
                lead_unit=unit,
                term_kind=TermKind.QUARTER,
                term_quarter=2 if n == 0 else 4,
                completion_form=form,
            )
    plans.plan_submit(actor=planner, plan=plan)
    plans.plan_approve(actor=the_member(body, Role.OFFICIAL, "official"), plan=plan)
    return plan, indicator


# The monitoring stage


@dataclass
class MonitoringWorld(PlanWorld):
    """The plan of `plan_world`, approved on 5 January 2026 (revision 1), and the people who
    report on it: `executor` and `head` of `unit`, `partner_head`, the `monitor`."""

    executor: User = None
    head: User = None
    partner_head: User = None
    monitor: User = None

    def people_of(self, unit: Unit) -> tuple[User, User]:
        """Who enters and who signs off the unit's information."""
        if unit == self.unit:
            return self.executor, self.head
        return self.partner_head, self.partner_head

    def open(self, quarter: int, unit: Unit | None = None, actor: User | None = None):
        unit = unit or self.unit
        actor = actor or self.people_of(unit)[0]
        return monitoring.submission_open(actor=actor, plan=self.plan, unit=unit, quarter=quarter)

    def fill(self, submission: Submission, status="executed", only=None, skip=()) -> None:
        """Give every due action of the submission a complete entry: `status`, or the status
        `only` gives for an action id; the actions of the keys in `skip` are left alone."""
        actor = self.people_of(submission.unit)[0]
        skipped = {self.actions[key].pk for key in skip}
        for item in unit_actions(submission.plan, submission.unit, submission.quarter):
            if not item.due or item.planned.action_id in skipped:
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

    def accepted(self, quarter: int, unit=None, status="executed", only=None) -> Submission:
        """The unit's information for the quarter, filled, signed off and accepted."""
        unit = unit or self.unit
        submission = self.open(quarter, unit)
        self.fill(submission, status, only)
        monitoring.submission_sign(actor=self.people_of(unit)[1], submission=submission)
        return monitoring.submission_accept(actor=self.monitor, submission=submission)

    def rows_by_key(self, report: Report) -> dict:
        """The rows of a report on the plan, by the key of their action."""
        keys = {action.pk: key for key, action in self.actions.items()}
        return {keys[row.action_id]: row for row in report.rows.select_related("planned")}


def approved_plan_world() -> PlanWorld:
    """The plan of `plan_world`, approved on 5 January 2026: its revision 1 is in force."""
    world = plan_world()
    with at(APPROVED_ON):
        world.approve()
    return world


def monitoring_world() -> MonitoringWorld:
    world = approved_plan_world()
    body = world.body
    return MonitoringWorld(
        **vars(world),
        executor=the_member(body, Role.EXECUTOR, "executor", unit=world.unit),
        head=member(body, Role.UNIT_HEAD, unit=world.unit, username="head"),
        partner_head=member(body, Role.UNIT_HEAD, unit=world.partner, username="partnerhead"),
        monitor=member(body, Role.MONITOR, username="monitor"),
    )


# The reports stage


def q2_report(world: MonitoringWorld) -> Report:
    """The reports stage on top of a monitoring world: the unit's information for the 2nd
    quarter accepted on 15 May (q2 partially executed; the partner and the other unit sent
    nothing) and the monitor's report on the quarter compiled on 13 July 2026."""
    with at(IN_Q2):
        world.accepted(2, only={world.actions["q2"].pk: "partial"})
    with at(AFTER_Q2):
        return reports.report_compile(actor=world.monitor, plan=world.plan, quarter=2)


# The Appendix tests (documents): a plan and a report whose files are kept as golden files

KAZAKH = "Әкімдіктердің ғимараттарын қосу: ң ө ұ ү һ і"
FORMULA = "=SUM(A1:A9) of canals lined"
LINING = "Line 12 km of the main irrigation canals"
LINED_SO_FAR = "7 km of 12 lined; the rest is under way"
LATE = "The contractor delivered the lining materials two months late"
ADVICE = "Finish the lining before the irrigation season"
PUBLISHED = "Published on the website in April, May and June"
# The monitor's recommendations to the officials (R16), three lines as typed.
GENERAL = (
    "1. Hold the contractor of the lining to the schedule: a weekly report to the Vice Minister.\n"
    "2. Department of Water Resources and Қазсушар РМК: agree the delivery of the rest of the "
    "materials by 1 August, so that 100 % of the 12 km are lined before the irrigation season.\n"
    "3. Committee for Water Resources: submit the information for the quarter by the 10th (R13)."
)


def appendix_plan_world(body: StateBody) -> tuple[OperationalPlan, User]:
    """The plan of the Appendix tests (its files are the golden files): a small plan that every
    form test shares, built the same way every time: a direction
    with a macro indicator and a goal with two target indicators (one without actions), a
    task of the regulation, four actions and a planning unit that signs."""
    planning = UnitFactory(
        body=body,
        code="D1",
        name="Department of strategic planning",
        head_position="Director of the department",
        head_name="Ahmetov Nurlan Serikovich",
    )
    water = UnitFactory(body=body, code="D2", name="Department of Water Resources", order=1)
    committee = UnitFactory(body=body, code="C1", name="Committee for Water Resources", order=2)
    akimat = UnitFactory(body=body, code="S1", name="Қазсушар РМК", order=3)
    planner = member(body, Role.PLANNER, username="form.planner")
    development = DevelopmentPlanFactory(
        body=body, title="Development plan", start_year=2025, end_year=2029
    )
    direction = DirectionFactory(plan=development, number=1, name="Water security")
    macro = MacroIndicatorFactory(direction=direction, number=1, name="Water productivity of GDP")
    goal = GoalFactory(direction=direction, number=1, name="Reliable water supply")
    lined = TargetIndicatorFactory(goal=goal, number=1, name="Share of lined canals")
    TargetIndicatorFactory(goal=goal, number=2, name="Losses of water in canals")
    for indicator in (macro, lined):
        IndicatorValueFactory(indicator=indicator, year=2026, planned=Decimal(34))
    task = RegulationTask.objects.create(body=body, number=1, name="Informing the public")
    program = BudgetProgramFactory(body=body, code="254", name="Development of irrigation")
    other_program = BudgetProgramFactory(body=body, code="255", name="Water supply")
    # The shared list comes from a data migration, which a transactional test flushes.
    report, _created = CompletionForm.objects.get_or_create(body=None, name="Report")
    plan = operational_plan(body, 2026, development_plan=development, planning_unit=planning)
    create = plans.action_create
    create(
        actor=planner,
        plan=plan,
        indicator=macro,
        name=KAZAKH,
        lead_unit=akimat,
        term_kind=TermKind.YEAR,
        completion_text="Information to the Government",
    )
    create(
        actor=planner,
        plan=plan,
        indicator=lined,
        name=LINING,
        budget_programs=[program, other_program],
        lead_unit=water,
        co_executors=[committee, akimat],
        term_kind=TermKind.QUARTER,
        term_quarter=2,
        completion_form=report,
    )
    create(
        actor=planner,
        plan=plan,
        indicator=lined,
        name=FORMULA,
        budget_programs=[program],
        lead_unit=committee,
        term_kind=TermKind.DATE,
        term_date=dt.date(2026, 12, 20),
        completion_form=report,
    )
    create(
        actor=planner,
        plan=plan,
        task=task,
        name="Publish the plan's progress on the website",
        lead_unit=planning,
        term_kind=TermKind.MONTHLY,
        completion_text="Publication",
    )
    return plan, planner


def more_actions(plan: OperationalPlan, count: int) -> None:
    """`count` more actions under the plan's indicators, with programs and co-executors."""
    indicator = plan.development_plan.indicators.get(kind="target", number=1)
    units = list(plan.body.units.all()[:3])
    programs = list(plan.body.budget_programs.all())
    for n in range(count):
        action = Action.objects.create(
            plan=plan,
            indicator=indicator,
            name=f"Action {n}",
            position=100 + n,
            lead_unit=units[n % 3],
            term_kind=TermKind.QUARTER,
            term_quarter=n % 4 + 1,
        )
        action.budget_programs.set(programs)
        action.co_executors.set(units[1:])


def report_information(plan, unit, quarter: int, statuses: dict[int, tuple[str, str, str]]):
    """The unit's information for the quarter, entered, signed off by its head and accepted:
    `statuses` gives a due action's (status, actual, reasons) by action id; the others are
    executed as planned."""
    executor = member(plan.body, Role.EXECUTOR, unit=unit, username=f"exec.{unit.code}")
    head = member(plan.body, Role.UNIT_HEAD, unit=unit, username=f"head.{unit.code}")
    submission = monitoring.submission_open(actor=executor, plan=plan, unit=unit, quarter=quarter)
    for item in unit_actions(plan, unit, quarter):
        if item.due:
            status, actual, reasons = statuses.get(
                item.planned.action_id, ("executed", "Done as planned", "")
            )
            monitoring.entry_save(
                actor=executor,
                submission=submission,
                action_id=item.planned.action_id,
                status=status,
                actual=actual,
                reasons=reasons,
                version=0,
            )
    monitoring.submission_sign(actor=head, submission=submission)
    return submission


def appendix_report_world(body: StateBody, extra: int = 0) -> tuple[Report, User]:
    """The plan of `appendix_plan_world` (plus `extra` quarterly actions) approved on 5 January
    2026, and its report on the 2nd quarter, compiled on 13 July and submitted on 14 July: the
    Department of Water Resources reports the lining partially executed, the planning unit
    its publications executed; the Committee and Қазсушар, the lining's co-executors, gave
    no information (flagged). The monitor recommends finishing the lining and moving it to
    the 3rd quarter, and writes three recommendations to the officials (GENERAL); the
    monitoring department signs."""
    plan, planner = appendix_plan_world(body)
    if extra:
        more_actions(plan, extra)
        plan.actions.filter(position__gte=100).update(completion_text="Information")
    units = {unit.code: unit for unit in body.units.all()}
    signing = UnitFactory(
        body=body,
        code="M1",
        name="Department of monitoring",
        head_position="Head of the monitoring department",
        head_name="Sarsenova Aigerim Bolatovna",
        order=4,
    )
    monitor = member(body, Role.MONITOR, username="form.monitor")
    official = member(body, Role.OFFICIAL, username="form.official")
    with at("2026-01-05 10:00"):
        plans.plan_submit(actor=planner, plan=plan)
        plans.plan_approve(actor=official, plan=plan)
    lining = plan.actions.get(name=LINING)
    publish = plan.actions.get(task__isnull=False)
    with at("2026-07-06 11:00"):
        report_information(plan, units["D2"], 2, {lining.pk: ("partial", LINED_SO_FAR, LATE)})
        report_information(plan, units["D1"], 2, {publish.pk: ("executed", PUBLISHED, "")})
        for submission in plan.submissions.filter(quarter=2):
            monitoring.submission_accept(actor=monitor, submission=submission)
    with at("2026-07-13 09:30"):
        report = reports.report_compile(actor=monitor, plan=plan, quarter=2)
        reports.report_update(
            actor=monitor,
            report=report,
            general_recommendations=GENERAL,
            monitoring_unit=signing,
        )
        row = report.rows.get(action=lining)
        reports.row_recommend(actor=monitor, row=row, text=ADVICE)
        reports.amendment_recommendation_create(
            actor=monitor,
            report=report,
            kind=AmendmentKind.TERM,
            justification="The materials came late",
            action=lining,
            term_kind=TermKind.QUARTER,
            term_quarter=3,
        )
    with at("2026-07-14 16:00"):
        reports.report_submit(actor=monitor, report=report)
    report.refresh_from_db()
    return report, monitor


# The import tests (documents)


def import_target_world(body: StateBody) -> dict:
    """What a sheet is imported into: a development plan with two directions, units, budget
    programs and a task, and the empty 2026 plan of the body (the sheets are in
    jospar/documents/tests/import_world.py)."""
    development = DevelopmentPlanFactory(body=body, start_year=2025, end_year=2029)
    water = DirectionFactory(plan=development, number=1, name="Water security")
    macro = MacroIndicatorFactory(direction=water, number=1, name="Water losses in networks")
    goal = GoalFactory(direction=water, number=1, name="Reliable water supply")
    target = TargetIndicatorFactory(goal=goal, number=1, name="Share of lined canals")
    digital = DirectionFactory(plan=development, number=2, name="Digital services")
    goal2 = GoalFactory(direction=digital, number=1, name="Services online")
    target2 = TargetIndicatorFactory(goal=goal2, number=1, name="Share of services online")
    CompletionForm.objects.get_or_create(body=None, name="Order of the Minister")
    CompletionForm.objects.get_or_create(body=None, name="Report")
    return {
        "plan": operational_plan(body, 2026, development_plan=development),
        "development": development,
        "macro": macro,
        "target": target,
        "target2": target2,
        "task": RegulationTask.objects.create(body=body, number=1, name="Keep the water cadastre"),
        "water": UnitFactory(
            body=body, code="DWR", name="Department of Water Resources", short_name="DWR dept"
        ),
        "digital": UnitFactory(body=body, code="DDG", name="Department of Digitalisation"),
        "finance": UnitFactory(body=body, code="DFN", name="Department of Finance"),
        "program": BudgetProgramFactory(body=body, code="001", name="Irrigation"),
        "program2": BudgetProgramFactory(body=body, code="254", name="Digital services"),
    }


# Sharing a world between the tests of a module


def shared_world(build):
    """The fixtures `world_once` and `world` of a module: `build()` runs once for the module
    (the rows are rolled back after its last test) and each test gets a deep copy of what it
    returned. Bind both in the module (`world_once, world = shared_world(monitoring_world)`)
    and make `world` autouse there (`pytest.mark.usefixtures("world")`), so that every test of
    the module sees the same database whatever the order the tests run in."""

    @pytest.fixture(scope="module")
    def world_once(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            world = build()
            yield world
            transaction.set_rollback(True)

    @pytest.fixture
    def world(world_once, db):
        return copy.deepcopy(world_once)

    return world_once, world
