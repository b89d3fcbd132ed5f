"""Notifications through the pages: a unit head signs off the quarterly information; the
monitor sees the unread count in the header and the notification, opens it and lands on the
information, then marks everything read."""

import pytest
from playwright.sync_api import expect

from jospar.notifications.models import Notification
from tests.worlds import IN_Q2, monitoring_world


@pytest.fixture
def world(transactional_db, clock):
    world = monitoring_world()
    clock(IN_Q2)
    submission = world.open(2)
    world.fill(submission)
    return world, submission


def test_the_monitor_is_told_of_the_signed_information(world, page, login):
    world, submission = world
    login(world.head)
    page.goto(submission.get_absolute_url())
    page.get_by_role("button", name="Sign off and submit").click()
    expect(page.get_by_text("Done: signed off and submitted.")).to_be_visible()
    expect(page.locator("#notifications-unread")).to_have_count(0)  # the head is not told

    page.context.clear_cookies()
    login(world.monitor)
    expect(page.locator("#notifications-unread")).to_have_text("1")
    page.locator("#notifications-link").click()
    text = f"{world.unit} signed off its information for quarter 2 of 2026"
    row = page.locator("#notifications tr.unread")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(text)
    row.get_by_role("link", name=text).click()
    page.wait_for_url(f"**{submission.get_absolute_url()}")
    expect(page.locator("#notifications-unread")).to_have_count(0)
    assert Notification.objects.get(recipient=world.monitor).read_at is not None

    # Another one arrives; "Mark all as read" clears the count.
    Notification.objects.create(
        recipient=world.monitor,
        kind="report_submitted",
        params={"quarter": 2, "year": 2026},
        link="/",
    )
    page.goto("/notifications/")
    expect(page.locator("#notifications-unread")).to_have_text("1")
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_text("1 notification marked as read.")).to_be_visible()
    expect(page.locator("#notifications-unread")).to_have_count(0)
    expect(page.locator("#notifications tr.unread")).to_have_count(0)
