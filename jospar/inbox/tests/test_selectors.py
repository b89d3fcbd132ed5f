"""My work, role by role, on the monitoring world: the 2026 plan approved on 5 January, the
unit's executor and head, the partner's head, the monitor, the planner and the official."""

import datetime as dt

import pytest
from django.urls import reverse

from jospar.inbox.selectors import Kind, my_work
from jospar.monitoring import services as monitoring
from jospar.orgs.models import Role
from jospar.plans import services as plans
from jospar.plans.models import TermKind
from jospar.reports import services as reports
from tests.factories import member
from tests.worlds import monitoring_world, q2_report, shared_world

world_once, world = shared_world(monitoring_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]


def kinds(user) -> list[tuple[str, dt.date | None]]:
    return [(item.kind, item.deadline) for item in my_work(user)]


def submission_url(world, quarter, unit=None):
    unit = unit or world.unit
    return reverse("monitoring:submission", args=[world.body.pk, world.plan.pk, quarter, unit.pk])


def test_the_executor_fills_each_started_quarter_the_late_one_first(world, clock):
    clock("2026-05-15")
    items = my_work(world.executor)
    assert [(i.kind, i.deadline, i.url) for i in items] == [
        (Kind.INFORMATION, dt.date(2026, 4, 10), submission_url(world, 1)),
        (Kind.INFORMATION, dt.date(2026, 7, 10), submission_url(world, 2)),
    ]
    late, open_ = items
    assert (late.days_late, late.days_left, late.role) == (35, 0, Role.EXECUTOR)
    assert (open_.days_late, open_.days_left) == (0, 56)
    # q2 and the quarterly report, and q1, past its term and not executed, are due.
    assert "0 of 3 actions filled" in open_.title


def test_the_head_signs_once_every_due_action_is_filled(world, clock):
    clock("2026-05-15")
    assert kinds(world.head) == []  # nothing filled yet: nothing to sign
    submission = world.open(2)
    world.fill(submission)
    assert kinds(world.head) == [(Kind.SIGN_INFORMATION, dt.date(2026, 7, 10))]
    # The executor's part is done: only the late first quarter waits for them.
    assert kinds(world.executor) == [(Kind.INFORMATION, dt.date(2026, 4, 10))]
    monitoring.submission_sign(actor=world.head, submission=submission)
    assert kinds(world.head) == []


def test_returned_information_goes_back_to_the_executor(world, clock):
    clock("2026-05-15")
    submission = world.open(2)
    world.fill(submission)
    monitoring.submission_sign(actor=world.head, submission=submission)
    accept = [i for i in my_work(world.monitor) if i.kind == Kind.ACCEPT_INFORMATION]
    assert [(i.url, i.deadline) for i in accept] == [
        (submission_url(world, 2), dt.date(2026, 7, 15))  # before the R15 report
    ]
    monitoring.submission_return(actor=world.monitor, submission=submission, comment="Fix it")
    assert (Kind.RETURNED, dt.date(2026, 7, 10)) in kinds(world.executor)
    assert Kind.ACCEPT_INFORMATION not in {kind for kind, _day in kinds(world.monitor)}


def test_after_the_deadline_the_monitor_sees_the_units_late_and_the_report(world, clock):
    clock("2026-07-13")
    items = my_work(world.monitor)
    by_kind = {(i.kind, i.deadline): i for i in items}
    overdue = by_kind[(Kind.UNITS_OVERDUE, dt.date(2026, 7, 10))]
    assert overdue.count == 3  # the unit, the partner (co-executor of q2), the other unit
    assert overdue.days_late == 3
    assert overdue.url == reverse("monitoring:board", args=[world.body.pk, world.plan.pk, 2])
    assert by_kind[(Kind.UNITS_OVERDUE, dt.date(2026, 4, 10))].count == 1
    report = by_kind[(Kind.REPORT, dt.date(2026, 7, 15))]
    assert report.url == reverse("reports:report", args=[world.body.pk, world.plan.pk, 2])
    assert (report.days_left, report.days_late) == (2, 0)
    assert [i.deadline for i in items] == sorted(i.deadline for i in items)


def test_the_planner_submits_the_adjustment_and_the_official_approves_it(world, clock):
    clock("2026-03-02")
    assert kinds(world.planner) == []
    world.adjust()
    items = my_work(world.planner)
    assert [(i.kind, i.deadline, i.url) for i in items] == [
        (Kind.SUBMIT_PLAN, None, world.plan.get_absolute_url())  # no R6 day on this basis
    ]
    plans.plan_submit(actor=world.planner, plan=world.plan)
    assert kinds(world.planner) == []
    assert kinds(world.official) == [(Kind.APPROVE_PLAN, None)]


def test_proposals_wait_for_the_head_then_for_the_planner(world, clock):
    clock("2025-12-20")  # the 2026 plan is open for proposals in the year before
    world.adjust()
    proposals_url = reverse("plans:proposals", args=[world.body.pk, world.plan.pk])
    executor_items = my_work(world.executor)
    assert [(i.kind, i.url) for i in executor_items] == [(Kind.PROPOSALS_OPEN, proposals_url)]
    proposal = plans.proposal_create(
        actor=world.executor,
        plan=world.plan,
        unit=world.unit,
        indicator=world.indicator,
        name="Inventory of canals",
        term_kind=TermKind.YEAR,
        completion_form=world.form,
    )
    head_items = my_work(world.head)
    assert [(i.kind, i.count, i.url) for i in head_items] == [
        (Kind.SIGN_PROPOSALS, 1, proposals_url)
    ]
    plans.proposal_sign(actor=world.head, proposal=proposal)
    assert kinds(world.head) == []
    planner = [(i.kind, i.count) for i in my_work(world.planner)]
    assert (Kind.DECIDE_PROPOSALS, 1) in planner
    assert (Kind.SUBMIT_PLAN, 1) in planner


def test_decisions_wait_for_the_units_and_overdue_ones_for_the_official(world, clock):
    report = q2_report(world)
    clock("2026-07-14")
    report = reports.report_submit(actor=world.monitor, report=report)
    assert (Kind.DECIDE_REPORT, None) in kinds(world.official)
    reports.decision_create(
        actor=world.official,
        report=report,
        kind="problems",
        text="Speed up the canal repairs",
        units=[world.unit],
        due_on=dt.date(2026, 8, 1),
    )
    assert (Kind.DECIDE_REPORT, None) not in kinds(world.official)
    assert (Kind.DECISION, dt.date(2026, 8, 1)) in kinds(world.executor)
    assert (Kind.DECISION_OVERDUE, dt.date(2026, 8, 1)) not in kinds(world.official)
    clock("2026-08-05")
    overdue = [i for i in my_work(world.official) if i.kind == Kind.DECISION_OVERDUE]
    assert [(i.days_late, i.role) for i in overdue] == [(4, Role.OFFICIAL)]
    assert (Kind.DECISION, dt.date(2026, 8, 1)) not in kinds(world.partner_head)


def test_a_viewer_and_a_stranger_have_nothing_waiting(world, clock):
    clock("2026-07-13")
    viewer = member(world.body, Role.VIEWER, username="inbox-viewer")
    assert my_work(viewer) == []
    from django.contrib.auth.models import AnonymousUser

    assert my_work(AnonymousUser()) == []


def test_an_amendment_of_the_development_plan_waits_for_an_adjustment_that_reflects_it(
    world, clock
):
    """R18: the planner is asked to adjust the plan within R6's ten days of the amendment's
    signing, until an adjustment on that basis exists."""
    from jospar.deadlines.calendar import approval_deadline
    from jospar.strategy import services as strategy

    clock("2026-06-03")
    amendment = strategy.amendment_create(
        actor=world.planner,
        plan=world.plan.development_plan,
        signed_on=dt.date(2026, 6, 1),
        description="Target indicator 1.1 raised to 40%",
    )
    [item] = [i for i in my_work(world.planner) if i.kind == Kind.REFLECT_AMENDMENT]
    assert (item.deadline, item.url) == (
        approval_deadline(dt.date(2026, 6, 1)),
        world.plan.get_absolute_url(),
    )
    assert "signed on 01.06.2026" in item.title
    assert Kind.REFLECT_AMENDMENT not in {i.kind for i in my_work(world.official)}
    plans.adjustment_start(
        actor=world.planner, plan=world.plan, basis="amendment", basis_amendment=amendment
    )
    assert Kind.REFLECT_AMENDMENT not in {i.kind for i in my_work(world.planner)}
