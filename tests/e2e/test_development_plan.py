from decimal import Decimal

from playwright.sync_api import expect

from tests.factories import (
    DevelopmentPlanFactory,
    DirectionFactory,
    GoalFactory,
    IndicatorValueFactory,
    TargetIndicatorFactory,
)


def test_planner_opens_the_development_plan_and_sees_target_values(page, login, body, e2e_planner):
    plan = DevelopmentPlanFactory(body=body, title="Development plan 2025–2029")
    goal = GoalFactory(direction=DirectionFactory(plan=plan, number=1), number=1)
    indicator = TargetIndicatorFactory(goal=goal, name="Share of lined irrigation canals")
    for year, value in zip(plan.years, ["31.5", "34", "37", "40", "45"], strict=True):
        IndicatorValueFactory(indicator=indicator, year=year, planned=Decimal(value))

    login(e2e_planner)
    page.locator("ul.cards").get_by_role(
        "link", name="Ministry of Water Resources"
    ).click()  # from My work
    page.get_by_role("link", name="Development plan 2025–2029").click()

    row = page.locator(f"tr[data-indicator='{indicator.pk}']")
    expect(row).to_contain_text("Share of lined irrigation canals")
    cells = row.locator("td.num")
    expect(cells.nth(1)).to_have_text("31.5")
    expect(cells.nth(5)).to_have_text("45")
    expect(page.get_by_text("Goal 1.1.")).to_be_visible()


def test_planner_adds_a_goal_through_the_form(page, login, body, e2e_planner):
    plan = DevelopmentPlanFactory(body=body, title="Development plan 2025–2029")
    DirectionFactory(plan=plan, number=1, name="Water security")
    login(e2e_planner)
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="Add a goal").click()
    page.get_by_label("Strategic direction").select_option(
        label="Strategic direction 1. Water security"
    )
    page.get_by_label("Number within the direction").fill("1")
    page.get_by_label("Name (English)").fill("Reliable water supply of the regions")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Reliable water supply of the regions")).to_be_visible()
