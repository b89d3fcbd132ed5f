"""Next year's plan through the pages: the planner opens the approved plan for 2026, prepares
the plan for 2027 from it, keeps the unfinished action the report on the 2nd quarter found
partially executed, and lands on the new draft with the recurring and the chosen actions."""

import pytest
from playwright.sync_api import expect

from jospar.plans.models import OperationalPlan
from tests.worlds import monitoring_world, q2_report


@pytest.fixture
def world(transactional_db):
    world = monitoring_world()
    q2_report(world)
    return world


def test_the_planner_prepares_next_years_plan_from_the_plan_in_force(page, login, world):
    login(world.planner)
    page.get_by_role("link", name="Ministry of Water Resources").click()
    page.get_by_role("link", name="Operational plan for 2026").click()
    page.get_by_role("link", name="Prepare the plan for 2027").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Prepare the plan for 2027")
    recurring = page.locator("#recurring-actions")
    expect(recurring).to_contain_text("Report on water use")
    expect(recurring).to_contain_text("Publish the annual report")
    unfinished = page.locator("#unfinished-actions")
    expect(unfinished.locator("tbody tr")).to_have_count(1)
    expect(unfinished).to_contain_text("partially executed")
    choice = page.get_by_label("Repair the canals")
    expect(choice).to_be_checked()
    expect(page.locator("#next-year-warnings")).to_contain_text("has no planned value for 2027")

    # the planner leaves it ticked, changes their mind, and ticks it again
    choice.uncheck()
    choice.check()
    page.get_by_role("button", name="Prepare the plan for 2027").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Operational plan for 2027")
    expect(
        page.get_by_text("The plan for 2027 is prepared: 3 actions carried over.")
    ).to_be_visible()
    table = page.locator("#plan-table")
    for name in ("Repair the canals", "Report on water use", "Publish the annual report"):
        expect(table).to_contain_text(name)
    expect(table).not_to_contain_text("Audit the reservoirs")
    # the units propose their own actions for the new year from the new plan's page
    page.get_by_role("link", name="Proposals of the units").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2027")
    new = OperationalPlan.objects.get(body=world.body, year=2027)
    assert new.actions.filter(carried_from=world.actions["q2"]).exists()
