"""Two workers at once send each reminder once (PostgreSQL, where workers really run side by
side): two threads in one pass under the test clock, and two `jospar worker --once`
processes on the test database telling an official of an overdue decision."""

import subprocess
import sys
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from jospar.notifications.models import Kind, Notification, OutgoingEmail
from jospar.ops.tests.production import ROOT, production_env
from jospar.orgs.models import Role
from jospar.reminders.models import Reminder
from jospar.reminders.services import reminders_send
from tests.factories import DecisionFactory, UnitFactory, member
from tests.worlds import approved_plan_world

pytestmark = pytest.mark.django_db(transaction=True)


def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("workers side by side need PostgreSQL; SQLite runs one writer at a time")


def test_the_database_refuses_a_second_reminder_of_an_item_on_a_day(body):
    user = member(body, Role.MONITOR)
    Reminder.objects.create(body=body, recipient=user, item="report:1:2", day="2026-07-14")
    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(body=body, recipient=user, item="report:1:2", day="2026-07-14")


def test_two_workers_in_one_pass_remind_each_person_once(clock):
    postgresql_only()
    clock("2026-01-12 10:00")
    world = approved_plan_world()  # the unit's 2nd-quarter actions are due by 10 July
    people = [member(world.body, Role.EXECUTOR, unit=world.unit) for _n in range(8)]
    clock("2026-07-09 10:00")  # the day before
    start = threading.Barrier(2)
    errors = []

    def worker():
        try:
            start.wait(10)
            reminders_send()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    key = f"information:{world.plan.pk}:2:{world.unit.pk}"
    rows = Reminder.objects.filter(item=key)
    assert sorted(rows.values_list("recipient_id", flat=True)) == sorted(p.pk for p in people)
    for person in people:
        assert OutgoingEmail.objects.filter(recipient=person).count() == 1


def test_two_worker_processes_tell_the_official_of_an_overdue_decision_once(tmp_path):
    postgresql_only()
    decision = DecisionFactory()  # due on 1 September 2026: overdue whenever this runs
    UnitFactory(body=decision.report.plan.body)
    name = connection.settings_dict["NAME"]
    env = production_env(
        tmp_path,
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{name}",
        REMINDER_HOUR="0",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    command = [sys.executable, "-m", "jospar", "worker", "--once"]
    workers = [
        subprocess.Popen(  # noqa: S603 - our own command
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for _n in range(2)
    ]
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0], outputs
    told = Notification.objects.filter(kind=Kind.DECISION_OVERDUE)
    assert [(n.recipient_id, n.object_id) for n in told] == [(decision.decided_by_id, decision.pk)]
    assert Reminder.objects.filter(item=f"decision-overdue:{decision.pk}").count() == 1
