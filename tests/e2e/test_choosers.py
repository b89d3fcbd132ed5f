"""Choosing from long lists in the action editor: the place in the plan is found by typing a
word of its goal, and co-executors are ticked in a list filtered by typing — no Ctrl-click."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from jospar.plans.models import Action
from tests.e2e.test_operational_plan import WATER, open_plan
from tests.e2e.test_operational_plan import world as world  # noqa: F401 (the fixture)
from tests.factories import GoalFactory, IndicatorValueFactory, TargetIndicatorFactory, UnitFactory

SEMINAR = "Hold a seminar on water-saving technologies for farmers"


@pytest.fixture
def more(world):  # noqa: F811
    """A second goal with its own "Target indicator 1", and twelve more units."""
    first = world["indicator"]
    goal = GoalFactory(direction=first.goal.direction, number=2, name="Saving water in farming")
    second = TargetIndicatorFactory(
        goal=goal, number=1, name="Area under drip irrigation", unit_of_measure="ha"
    )
    IndicatorValueFactory(indicator=second, year=2026, planned=Decimal("1200"))
    body = world["plan"].body
    units = [UnitFactory(body=body, code=f"R{n}", name=f"Regional office {n}") for n in range(12)]
    return {"second": second, "units": units}


def test_the_planner_finds_the_place_and_ticks_co_executors_by_typing(
    page,
    login,
    world,  # noqa: F811
    more,
):
    login(world["planner"])
    open_plan(page)
    second = more["second"]
    page.locator(f"#indicator-{second.pk}").get_by_role("button", name="+ action").click()
    editor = page.locator("#action-editor")
    expect(editor.get_by_role("heading", name="New action")).to_be_visible()

    place = editor.get_by_label("In the plan under")
    expect(place.locator("option", has_text="Target indicator 1")).to_have_count(2)
    field = editor.locator(".field:has(#id_anchor)")
    field.get_by_role("searchbox", name="Type to filter the list").fill("saving water")
    # the group of the second goal is left, with what was chosen
    expect(place.locator("option:not([hidden])", has_text="Target indicator 1")).to_have_count(1)
    expect(place).to_have_value(f"indicator:{second.pk}")

    editor.get_by_role("textbox", name="Name (English)", exact=True).fill(SEMINAR)
    editor.get_by_label("Responsible executor").select_option(label=WATER)
    editor.get_by_label("Term of execution").select_option(label="in a quarter")
    editor.get_by_label("Term quarter").select_option("3")
    editor.get_by_label("Form of completion", exact=True).select_option(label="Report")
    co_executors = editor.locator(".field:has(#id_co_executors)")
    search = co_executors.get_by_role("searchbox", name="Type to filter the list")
    search.fill("office 1")
    visible = editor.locator("#id_co_executors label:visible")
    expect(visible).to_have_count(3)  # Regional office 1, 10 and 11
    editor.get_by_label("Regional office 10").check()
    search.fill("office 7")
    editor.get_by_label("Regional office 7").check()
    expect(editor.get_by_label("Regional office 10")).to_be_visible()  # ticked stays in view
    search.press("Enter")  # filtering never submits the form
    expect(editor.get_by_role("heading", name="New action")).to_be_visible()
    editor.get_by_role("button", name="Save").click()

    row = page.locator("#plan-table tr.action", has_text=SEMINAR)
    expect(row).to_contain_text("Regional office 10")
    expect(row).to_contain_text("Regional office 7")
    action = Action.objects.get(name_en=SEMINAR)
    assert action.indicator == second
    assert sorted(u.name for u in action.co_executors.all()) == [
        "Regional office 10",
        "Regional office 7",
    ]
