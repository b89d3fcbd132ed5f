"""The board's "Remind" (a monitor reminds one unit: once a day, on the unit's page too) and
the body's reminder schedule (its administrator's page)."""

import pytest
from django.urls import reverse

from jospar.notifications.models import Kind, Notification
from jospar.orgs.models import Role
from jospar.reminders.models import Schedule, UnitReminder
from tests.factories import member
from tests.worlds import monitoring_world, shared_world

world_once, world = shared_world(monitoring_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]


def remind_url(world, unit=None, quarter=2):
    unit = unit or world.unit
    return reverse("reminders:unit_remind", args=[world.body.pk, world.plan.pk, quarter, unit.pk])


def board(client, world, quarter=2) -> str:
    url = reverse("monitoring:board", args=[world.body.pk, world.plan.pk, quarter])
    return client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_a_monitor_reminds_a_unit_once_a_day_and_the_unit_sees_it(client, world, clock):
    clock("2026-07-13 11:00")  # three days after the 2nd quarter's deadline
    client.force_login(world.monitor)
    assert remind_url(world) in board(client, world)
    answer = client.post(remind_url(world), HTTP_ACCEPT_LANGUAGE="en", follow=True)
    page = answer.content.decode()
    assert "reminded: 2 people notified" in page  # the unit's executor and head
    assert "reminded today at 11:00" in page and remind_url(world) not in page
    told = Notification.objects.filter(kind=Kind.UNIT_REMINDED)
    assert {n.recipient.username for n in told} == {"executor", "head"}
    assert "is awaited (due on 10.07.2026)" in told[0].text
    # Once a day: a second click (another tab) is refused and tells nobody again.
    page = client.post(remind_url(world), HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "was already reminded today" in page.content.decode()
    assert told.count() == 2 and UnitReminder.objects.count() == 1
    # The unit's page for the quarter keeps it.
    client.force_login(world.executor)
    url = reverse("monitoring:submission", args=[world.body.pk, world.plan.pk, 2, world.unit.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Reminded by" in page and "13.07.2026 11:00" in page
    # The next day it can be sent again.
    clock("2026-07-14 09:30")
    client.force_login(world.monitor)
    client.post(remind_url(world))
    assert UnitReminder.objects.count() == 2


def test_a_signed_unit_has_nothing_to_remind_of(client, world, clock):
    clock("2026-05-15")
    world.accepted(2)
    client.force_login(world.monitor)
    assert remind_url(world) not in board(client, world)
    page = client.post(remind_url(world), HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "has nothing to remind of" in page.content.decode()
    assert not UnitReminder.objects.exists()


def test_only_a_monitor_reminds(client, world, clock):
    clock("2026-07-13")
    for user in (world.executor, world.head, world.planner, world.official):
        client.force_login(user)
        assert client.post(remind_url(world)).status_code == 403
        if user in (world.planner, world.official):  # they see the board, without "Remind"
            assert remind_url(world) not in board(client, world)
    assert not UnitReminder.objects.exists()


def test_the_administrator_sets_the_schedule_and_a_wrong_day_is_named(client, world):
    admin = member(world.body, Role.ADMINISTRATOR, username="admin")
    client.force_login(admin)
    body_page = client.get(world.body.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    assert "5,1 days before the deadline" in body_page.content.decode()
    url = reverse("reminders:schedule", args=[world.body.pk])
    assert url in body_page.content.decode()
    data = {"enabled": "on", "days_before": "7, x", "on_the_day": "on", "every_after": "3"}
    refused = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "“x” is not a number of days from 1 to 60." in refused.content.decode()
    assert not Schedule.objects.exists()
    data["days_before"] = "1; 7"
    assert client.post(url, data).status_code == 302
    schedule = Schedule.objects.get(body=world.body)
    assert (schedule.days_before, schedule.every_after, schedule.enabled) == ("7, 1", 3, True)
    assert schedule.history.count() == 1
    page = client.get(world.body.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "7, 1 days before the deadline" in page and "every 3 working days" in page


def test_only_the_administrator_changes_the_schedule(client, world):
    url = reverse("reminders:schedule", args=[world.body.pk])
    for user in (world.monitor, world.planner, world.official, world.executor):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"days_before": "1", "every_after": "0"}).status_code == 403
    assert not Schedule.objects.exists()
