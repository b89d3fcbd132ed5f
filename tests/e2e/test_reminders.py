"""Reminders through the pages: three days after the 2nd quarter's deadline the monitor
reminds a unit from the board; the e-mail reaches the SMTP server, the executor finds the
reminder among their notifications and on the unit's page. The administrator changes the
body's reminder schedule, and a day that is not a number is named."""

import pytest
from playwright.sync_api import expect

from jospar.notifications.services import outbox_send_due
from jospar.orgs.models import Role
from tests.factories import member
from tests.smtp import body_of
from tests.worlds import monitoring_world


@pytest.fixture
def world(transactional_db, clock):
    world = monitoring_world()
    world.executor.email = "executor@example.kz"
    world.executor.save()
    clock("2026-07-13 11:00")
    return world


def test_the_monitor_reminds_a_late_unit_from_the_board(world, page, login, smtp):
    login(world.monitor)
    page.goto(f"/bodies/{world.body.pk}/operational-plans/{world.plan.pk}/quarters/2/board/")
    row = page.locator(f'#board tr[data-unit="{world.unit.pk}"]')
    expect(row).to_contain_text("3 days late")
    row.get_by_role("button", name=f"Remind {world.unit}").click()
    expect(page.get_by_text(f"{world.unit} reminded: 2 people notified.")).to_be_visible()
    row = page.locator(f'#board tr[data-unit="{world.unit.pk}"]')
    expect(row).to_contain_text("reminded today at 11:00")
    expect(row.get_by_role("button", name=f"Remind {world.unit}")).to_have_count(0)

    outbox_send_due()  # what the worker does within seconds
    [(to, message)] = [(to, m) for to, m in smtp.messages if to == ["executor@example.kz"]]
    text, _html = body_of(message)
    assert "reminds you: the information of" in message["Subject"]
    link = f"/bodies/{world.body.pk}/operational-plans/{world.plan.pk}/quarters/2/units/"
    assert f"https://jospar.example.kz{link}{world.unit.pk}/" in text

    page.context.clear_cookies()
    login(world.executor)
    expect(page.locator("#notifications-unread")).to_have_text("1")
    page.locator("#notifications-link").click()
    reminder = page.locator("#notifications tr.unread")
    expect(reminder).to_contain_text("is awaited (due on 10.07.2026)")
    reminder.get_by_role("link").first.click()
    page.wait_for_url(f"**{link}{world.unit.pk}/")
    expect(page.locator("#unit-reminders")).to_contain_text("Reminded by")
    expect(page.locator("#unit-reminders")).to_contain_text("13.07.2026 11:00")


def test_the_administrator_changes_the_reminder_schedule(world, page, login):
    admin = member(world.body, Role.ADMINISTRATOR, username="e2e.admin")
    login(admin)
    page.goto(world.body.get_absolute_url())
    section = page.locator("#reminders")
    expect(section).to_contain_text("5,1 days before the deadline")
    section.get_by_role("link", name="Change the reminders").click()
    page.get_by_label("Days before the deadline").fill("10, x")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("“x” is not a number of days from 1 to 60.")).to_be_visible()
    page.get_by_label("Days before the deadline").fill("10, 3")
    page.get_by_label("On the day of the deadline").uncheck()
    page.get_by_label("After the deadline, every … working days").fill("1")
    page.get_by_role("button", name="Save").click()
    section = page.locator("#reminders")
    expect(section).to_contain_text("10, 3 days before the deadline")
    expect(section).to_contain_text("then every 1 working day until it is done")
    expect(section).not_to_contain_text("on the day")
