"""Each state change that hands work to someone notifies the people who hold that role for the
object, in the transaction of the change, and queues the e-mail of those who want it at once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jospar.monitoring import services as monitoring
from jospar.notifications.models import (
    EmailMode,
    Kind,
    Notification,
    OutgoingEmail,
    Preference,
)
from jospar.notifications.services import holders, notify
from jospar.orgs.models import Role
from jospar.plans import services as plans
from jospar.reports import services as reports
from tests.factories import (
    DevelopmentPlanFactory,
    DirectionFactory,
    GoalFactory,
    IndicatorValueFactory,
    RoleFactory,
    TargetIndicatorFactory,
    member,
    operational_plan,
)
from tests.worlds import AFTER_Q2, IN_Q2, monitoring_world, q2_report, shared_world

world_once, world = shared_world(monitoring_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]


@pytest.fixture(autouse=True)
def fresh(world):
    """The world's own approval notified people; each test starts from none."""
    Notification.objects.all().delete()
    OutgoingEmail.objects.all().delete()


def told(kind):
    return {n.recipient.username for n in Notification.objects.filter(kind=kind)}


def next_year(world):
    """A draft plan for 2027 on a development plan of its own, and its target indicator."""
    development = DevelopmentPlanFactory(body=world.body, start_year=2027, end_year=2031)
    plan = operational_plan(world.body, 2027, development_plan=development)
    goal = GoalFactory(direction=DirectionFactory(plan=development))
    indicator = TargetIndicatorFactory(goal=goal, responsible_unit=world.unit)
    IndicatorValueFactory(indicator=indicator, year=2027, planned=Decimal(40))
    return plan, indicator


def test_a_signed_proposal_notifies_the_planners(world, clock):
    clock("2026-09-01")
    plan, indicator = next_year(world)
    second = member(world.body, Role.PLANNER, username="planner2")
    proposal = plans.proposal_create(
        actor=world.executor, plan=plan, unit=world.unit, indicator=indicator, name="Inventory"
    )
    assert not Notification.objects.exists()  # a draft tells nobody
    plans.proposal_sign(actor=world.head, proposal=proposal)
    assert told(Kind.PROPOSAL_SIGNED) == {"planner", second.username}
    note = Notification.objects.filter(kind=Kind.PROPOSAL_SIGNED).first()
    assert note.about == proposal
    assert note.link == f"/bodies/{world.body.pk}/operational-plans/{plan.pk}/proposals/"
    assert "Inventory" in note.text and str(world.unit) in note.text


def test_the_plan_submitted_returned_and_approved_notify_officials_then_planners(world, clock):
    clock("2026-09-01")
    plan, indicator = next_year(world)
    plans.action_create(
        actor=world.planner,
        plan=plan,
        name="Audit",
        lead_unit=world.unit,
        term_kind="year",
        completion_form=world.form,
        indicator=indicator,
    )
    plans.plan_submit(actor=world.planner, plan=plan)
    assert told(Kind.PLAN_SUBMITTED) == {"official"}
    plans.plan_return(actor=world.official, plan=plan, comment="Add the budget")
    assert told(Kind.PLAN_RETURNED) == {"planner"}
    returned = Notification.objects.get(kind=Kind.PLAN_RETURNED)
    assert "Add the budget" in returned.text and returned.link == plan.get_absolute_url()
    plans.plan_submit(actor=world.planner, plan=plan)
    plans.plan_approve(actor=world.official, plan=plan)
    assert told(Kind.PLAN_APPROVED) == {"planner"}
    assert Notification.objects.filter(kind=Kind.PLAN_SUBMITTED).count() == 2


def test_signed_information_notifies_the_monitors_and_a_return_the_unit(world, clock):
    clock(IN_Q2)
    submission = world.open(2)
    world.fill(submission)
    monitoring.submission_sign(actor=world.head, submission=submission)
    assert told(Kind.SUBMISSION_SIGNED) == {"monitor"}
    signed = Notification.objects.get(kind=Kind.SUBMISSION_SIGNED)
    assert signed.link == submission.get_absolute_url() and signed.about == submission
    monitoring.submission_return(actor=world.monitor, submission=submission, comment="Add files")
    # the unit's executor and head; not the partner's head
    assert told(Kind.SUBMISSION_RETURNED) == {"executor", "head"}
    assert "Add files" in Notification.objects.filter(kind=Kind.SUBMISSION_RETURNED)[0].text


def test_a_submitted_report_notifies_the_officials_and_a_decision_the_units(world, clock):
    report = q2_report(world)
    clock(AFTER_Q2)
    reports.report_submit(actor=world.monitor, report=report)
    assert told(Kind.REPORT_SUBMITTED) == {"official"}
    assert Notification.objects.get(kind=Kind.REPORT_SUBMITTED).link == report.get_absolute_url()
    reports.decision_create(
        actor=world.official,
        report=report,
        kind="problems",
        text="Hold a meeting with the contractor",
        units=[world.partner],
        due_on=dt.date(2026, 9, 1),
    )
    assert told(Kind.DECISION_RECORDED) == {"partnerhead"}
    assert "Hold a meeting" in Notification.objects.get(kind=Kind.DECISION_RECORDED).text


def test_the_actor_is_not_told_of_their_own_step(world, clock):
    clock(IN_Q2)
    RoleFactory(user=world.head, body=world.body, role=Role.MONITOR)
    submission = world.open(2)
    world.fill(submission)
    monitoring.submission_sign(actor=world.head, submission=submission)
    assert told(Kind.SUBMISSION_SIGNED) == {"monitor"}  # the head, a monitor too, is left out


def test_e_mail_is_queued_by_each_ones_choice_in_their_language(world, clock):
    clock(IN_Q2)
    daily = member(world.body, Role.MONITOR, username="dailymonitor", email="d@example.kz")
    silent = member(world.body, Role.MONITOR, username="silentmonitor", email="s@example.kz")
    Preference.objects.create(user=daily, email_mode=EmailMode.DAILY)
    Preference.objects.create(user=silent, email_mode=EmailMode.OFF)
    Preference.objects.create(user=world.monitor, language="ru")
    submission = world.open(2)
    world.fill(submission)
    monitoring.submission_sign(actor=world.head, submission=submission)
    assert told(Kind.SUBMISSION_SIGNED) == {"monitor", "dailymonitor", "silentmonitor"}
    (email,) = OutgoingEmail.objects.all()
    assert (email.recipient, email.language, email.status) == (world.monitor, "ru", "queued")
    assert "информаци" in email.subject.lower()
    assert (
        submission.get_absolute_url() in email.text and submission.get_absolute_url() in email.html
    )


def test_a_failed_step_leaves_no_notification(world, clock):
    clock(IN_Q2)
    submission = world.open(2)  # nothing filled: signing is refused
    with pytest.raises(Exception):  # noqa: B017, PT011 - the service's own validation error
        monitoring.submission_sign(actor=world.head, submission=submission)
    assert not Notification.objects.exists() and not OutgoingEmail.objects.exists()


def test_notify_takes_the_same_queries_for_3_and_30_recipients(world):
    def queries(count: int) -> int:
        for n in range(count):
            member(world.body, Role.VIEWER, username=f"v{count}-{n}", email=f"v{n}@example.kz")
        people = holders(world.body.pk, [Role.VIEWER])
        with CaptureQueriesContext(connection) as captured:
            notify(
                kind=Kind.PLAN_APPROVED,
                recipients=people,
                about=world.plan,
                link="/",
                params={"year": 2026, "comment": ""},
            )
        Notification.objects.all().delete()
        return len(captured)

    assert queries(3) == queries(30)
