"""The quarter as an executor lives it: the information for the 3rd quarter starts from what
the monitor accepted for the 2nd. The partially executed canal repair and the quarterly report
on water use come filled in and marked as carried over; the executor keeps one as it is, edits
the other, and each counts once saved."""

import pytest
from playwright.sync_api import expect

from jospar.monitoring.models import ProgressEntry
from tests.worlds import IN_Q2, at, monitoring_world


@pytest.fixture
def world(transactional_db, clock):
    world = monitoring_world()
    with at(IN_Q2):
        world.accepted(2, only={world.actions["q2"].pk: "partial"})
    clock("2026-08-10 10:00", tick=True)
    return world


def row(page, name):
    return page.locator("#entries tr", has_text=name)


def test_the_executor_starts_the_quarter_from_the_accepted_information(page, login, world):
    login(world.executor)
    page.get_by_role("link", name="Ministry of Water Resources").click()
    page.get_by_role("link", name="Operational plan for 2026").click()
    page.get_by_role("link", name="Quarter 3").click()
    page.get_by_role("button", name="Start entering the information").click()

    canals, water = row(page, "Repair the canals"), row(page, "Report on water use")
    for carried in (canals, water):
        expect(carried.locator(".carried-note")).to_contain_text(
            "Carried over from quarter 2 as accepted"
        )
    expect(canals.get_by_label("Status")).to_have_value("partial")
    expect(canals.get_by_label("Reasons for non-fulfilment")).to_have_value(
        "The contractor was late"
    )
    # carried, not saved: the quarter is not complete yet
    expect(page.locator("#filled-count")).to_contain_text("0 of")

    canals.get_by_role("button", name="Save as it is").click()
    expect(canals.locator(".saved")).to_contain_text("saved at")
    expect(canals.locator(".carried-note")).to_have_count(0)
    expect(canals.locator("form.entry")).not_to_have_class("carried")

    water.get_by_label("Actual execution").fill("Published the Q3 figures on 5 August")
    expect(water.locator(".saved")).to_contain_text("saved at")

    def entry(key):
        return ProgressEntry.objects.get(
            submission__quarter=3, submission__unit=world.unit, action=world.actions[key]
        )

    assert (entry("q2").status, entry("q2").reasons) == ("partial", "The contractor was late")
    assert entry("quarterly").actual == "Published the Q3 figures on 5 August"
    assert entry("quarterly").status == "executed"
