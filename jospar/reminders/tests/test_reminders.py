"""The worker's reminders on the monitoring world (the 2026 plan approved on 5 January; the
unit's executor and head, the partner's head, the monitor, the planner and the official): who is
reminded of what and when, once a day, until the work is done; e-mail read back from a real
SMTP server; the officials told of their overdue decisions."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.module_loading import import_string

from jospar.monitoring import services as monitoring
from jospar.notifications.models import EmailMode, Kind, Notification, OutgoingEmail, Preference
from jospar.notifications.services import outbox_send_due
from jospar.orgs.models import Role
from jospar.reminders.models import Reminder, Schedule
from jospar.reminders.services import body_remind, reminders_send
from jospar.reports import services as reports
from tests.factories import UnitFactory, member
from tests.smtp import body_of
from tests.worlds import AFTER_Q2, monitoring_world, q2_report, shared_world

world_once, world = shared_world(monitoring_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

Q2_KEY = "information:{plan}:2:{unit}"


def reminded(world, day=None) -> set[tuple[str, str]]:
    """(username, item) of the reminders written (on `day`)."""
    rows = Reminder.objects.all() if day is None else Reminder.objects.filter(day=day)
    return {(r.recipient.username, r.item) for r in rows.select_related("recipient")}


def q2(world, unit=None) -> str:
    return Q2_KEY.format(plan=world.plan.pk, unit=(unit or world.unit).pk)


def test_the_unit_is_reminded_the_day_before_on_the_day_and_after_until_it_signs(world, clock):
    # Q2's information is due on Friday 10 July 2026.
    clock("2026-07-08 10:00")  # not a reminder day (5 days before is Friday 3 July)
    reminders_send()
    assert (("executor", q2(world))) not in reminded(world)
    clock("2026-07-09 10:00")  # the day before
    reminders_send()
    today = reminded(world, dt.date(2026, 7, 9))
    assert {("executor", q2(world)), ("head", q2(world))} <= today
    assert ("partnerhead", q2(world, world.partner)) in today  # a co-executor, due in q2
    # The monitor is reminded of the reports only (the 1st quarter's is overdue), nobody else.
    assert {item.split(":")[0] for who, item in today if who == "monitor"} == {"report"}
    assert not {who for who, _item in today} & {"planner", "official"}
    # A second pass on the same day sends nothing again.
    count = Reminder.objects.count()
    emails = OutgoingEmail.objects.count()
    assert reminders_send()["reminders"] == 0
    assert (Reminder.objects.count(), OutgoingEmail.objects.count()) == (count, emails)

    clock("2026-07-10 10:00")  # the day
    reminders_send()
    assert ("head", q2(world)) in reminded(world, dt.date(2026, 7, 10))
    # The unit signs; on the 14th (2 working days after) only the others are reminded.
    submission = world.open(2)
    world.fill(submission)
    monitoring.submission_sign(actor=world.head, submission=submission)
    clock("2026-07-13 10:00")  # 1 working day after: not a reminder day for q2
    reminders_send()
    assert not {item for _who, item in reminded(world, dt.date(2026, 7, 13))} & {
        q2(world),
        q2(world, world.partner),
    }
    clock("2026-07-14 10:00")
    reminders_send()
    after = reminded(world, dt.date(2026, 7, 14))
    assert ("partnerhead", q2(world, world.partner)) in after
    assert not {item for _who, item in after} & {q2(world)}


def test_nothing_before_the_reminder_hour(world, clock, settings):
    settings.REMINDER_HOUR = 9
    clock("2026-07-09 08:59")
    assert reminders_send()["bodies"] == 0
    assert not Reminder.objects.exists()


def test_the_monitors_are_reminded_of_the_report_and_no_longer_once_submitted(world, clock):
    report = q2_report(world)  # compiled on 13 July; R15: Wednesday 15 July
    clock("2026-07-14 10:00")
    reminders_send()
    key = f"report:{world.plan.pk}:2"
    assert ("monitor", key) in reminded(world, dt.date(2026, 7, 14))
    clock(AFTER_Q2)
    reports.report_submit(actor=world.monitor, report=report)
    clock("2026-07-15 10:00")
    reminders_send()
    assert ("monitor", key) not in reminded(world, dt.date(2026, 7, 15))


def test_decisions_remind_their_units_and_tell_the_official_once_overdue(world, clock):
    report = q2_report(world)
    clock(AFTER_Q2)
    reports.report_submit(actor=world.monitor, report=report)
    decision = reports.decision_create(
        actor=world.official,
        report=report,
        kind="problems",
        text="Hold a meeting with the contractor",
        units=[world.partner],
        due_on=dt.date(2026, 9, 1),  # Tuesday
    )
    clock("2026-08-31 10:00")
    reminders_send()
    assert reminded(world, dt.date(2026, 8, 31)) >= {("partnerhead", f"decision:{decision.pk}")}
    assert not Notification.objects.filter(kind=Kind.DECISION_OVERDUE).exists()
    clock("2026-09-02 10:00")
    reminders_send()
    overdue = Notification.objects.get(kind=Kind.DECISION_OVERDUE)
    assert overdue.recipient == world.official
    assert "was due on 01.09.2026" in overdue.text and "Hold a meeting" in overdue.text
    clock("2026-09-03 10:00")
    reminders_send()  # told once, whatever the day
    assert Notification.objects.filter(kind=Kind.DECISION_OVERDUE).count() == 1


def test_a_body_that_turns_reminders_off_sends_none_and_its_own_days_are_kept(world, clock):
    schedule = Schedule.objects.create(body=world.body, enabled=False)
    clock("2026-07-09 10:00")
    reminders_send()
    assert not Reminder.objects.exists()
    schedule.enabled, schedule.days_before = True, "3"
    schedule.save()
    reminders_send()  # the day before is not one of the body's days any more
    assert ("executor", q2(world)) not in reminded(world)
    clock("2026-07-07 10:00")  # 3 days before
    reminders_send()
    assert ("executor", q2(world)) in reminded(world)


def test_a_person_who_wants_no_email_is_not_emailed(world, clock):
    Preference.objects.create(user=world.head, email_mode=EmailMode.OFF)
    clock("2026-07-09 10:00")
    reminders_send()
    assert ("head", q2(world)) in reminded(world)  # recorded, so My work is the only reminder
    assert not OutgoingEmail.objects.filter(recipient=world.head).exists()
    assert OutgoingEmail.objects.filter(recipient=world.executor).count() == 1


def test_the_email_reaches_the_server_in_the_readers_language(world, clock, smtp, settings):
    world.executor.email = "executor@example.kz"
    world.executor.save()
    Preference.objects.create(user=world.executor, language="ru")
    clock("2026-07-09 10:00")
    for path in settings.WORKER_HOUSEKEEPING:  # the worker's minute (its command closes the
        import_string(path)()  # database connection, which this module's world keeps open)
    outbox_send_due()
    mine = [m for to, m in smtp.messages if to == ["executor@example.kz"]]
    assert len(mine) == 1
    message = mine[0]
    assert message["Content-Language"] == "ru"
    text, html = body_of(message)
    link = f"https://jospar.example.kz/bodies/{world.body.pk}/operational-plans/{world.plan.pk}"
    assert f"{link}/quarters/2/units/{world.unit.pk}/" in text
    assert "10.07.2026" in message["Subject"] or "10.07.2026" in text
    assert "Напоминание" in text or "напомина" in text.lower()
    assert f'href="{link}/quarters/2/units/{world.unit.pk}/"' in html


def test_a_pass_makes_as_many_queries_for_many_people_as_for_few(world, clock):
    clock("2026-07-09 10:00")

    def queries() -> int:
        Reminder.objects.all().delete()
        OutgoingEmail.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            body_remind(world.body, dt.date(2026, 7, 9))
        return len(captured)

    queries()  # caches warmed (content types, the calendar)
    few = queries()
    for n in range(12):
        member(world.body, Role.EXECUTOR, unit=world.unit, username=f"more{n}")
        member(world.body, Role.UNIT_HEAD, unit=world.partner, username=f"heads{n}")
    assert queries() == few
    assert Reminder.objects.filter(recipient__username__startswith="more").count() == 12


def test_a_unit_with_nothing_due_is_not_reminded(world, clock):
    idle = UnitFactory(body=world.body, code="D9", name="Idle")
    member(world.body, Role.EXECUTOR, unit=idle, username="idle")
    clock("2026-07-09 10:00")
    reminders_send()
    assert not Reminder.objects.filter(recipient__username="idle").exists()
