"""An adjustment through the pages (R18): an approved plan is adjusted because the development
plan was amended, the adjustment is approved as revision 2, and anyone in the body compares the
revisions and sees the changed term highlighted, on the page and in the downloaded XLSX."""

import datetime as dt
from decimal import Decimal

import openpyxl
import pytest
from playwright.sync_api import expect

from jospar.orgs.models import Role
from jospar.plans import services
from jospar.plans.models import CompletionForm, PlanStatus, RevisionBasis
from jospar.plans.terms import TermKind
from tests.factories import (
    AmendmentFactory,
    BudgetProgramFactory,
    DevelopmentPlanFactory,
    DirectionFactory,
    GoalFactory,
    IndicatorValueFactory,
    TargetIndicatorFactory,
    UnitFactory,
    member,
    operational_plan,
)

WATER = "Department of Water Resources"
LINING = "Line 12 km of the main irrigation canals of Turkistan region"
SEMINAR = "Hold a seminar on water-saving technologies for farmers"
CADASTRE = "Update the state water cadastre for the irrigated lands"
AMENDMENT = "02.06.2025 Decree No 45"
OFFICIAL = "Abenov Nurlan"


@pytest.fixture
def world(transactional_db, body):
    """1. A development plan with an amendment; the 2026 plan approved once, so revision 1."""
    development = DevelopmentPlanFactory(
        body=body,
        title="Development plan",
        start_year=2025,
        end_year=2029,
        signed_on=dt.date(2024, 12, 20),
    )
    amendment = AmendmentFactory(
        plan=development,
        signed_on=dt.date(2025, 6, 2),
        document="Decree No 45",
        description="Target values for 2026 revised",
    )
    goal = GoalFactory(
        direction=DirectionFactory(plan=development, number=1, name="Water security"),
        number=1,
        name="Reliable water supply of the regions",
    )
    indicator = TargetIndicatorFactory(
        goal=goal, number=1, name="Share of lined irrigation canals", unit_of_measure="%"
    )
    IndicatorValueFactory(indicator=indicator, year=2026, planned=Decimal("34"))
    # The shared list comes from a data migration, which an earlier transactional test flushes.
    report, _created = CompletionForm.objects.get_or_create(body=None, name="Report")
    order, _created = CompletionForm.objects.get_or_create(body=None, name="Order of the Minister")
    program = BudgetProgramFactory(body=body, code="254", name="Development of irrigation")
    water = UnitFactory(body=body, code="D2", name=WATER)

    planner = member(body, Role.PLANNER, username="e2e.planner", first_name="Aliya")
    official = member(
        body, Role.OFFICIAL, username="e2e.official", first_name="Nurlan", last_name="Abenov"
    )
    viewer = member(body, Role.VIEWER, username="e2e.viewer")

    plan = operational_plan(body, 2026, development_plan=development)
    common = {"indicator": indicator, "task": None, "lead_unit": water}
    services.action_create(
        actor=planner,
        plan=plan,
        name=LINING,
        budget_programs=[program],
        term_kind=TermKind.QUARTER,
        term_quarter=1,
        completion_form=order,
        **common,
    )
    services.action_create(
        actor=planner,
        plan=plan,
        name=SEMINAR,
        term_kind=TermKind.DATE,
        term_date=dt.date(2026, 3, 1),
        completion_form=report,
        **common,
    )
    services.action_create(
        actor=planner,
        plan=plan,
        name=CADASTRE,
        budget_programs=[program],
        term_kind=TermKind.YEAR,
        completion_form=report,
        **common,
    )
    services.plan_submit(actor=planner, plan=plan)
    plan = services.plan_approve(actor=official, plan=plan)
    assert plan.revisions.get().number == 1
    return {
        "plan": plan,
        "amendment": amendment,
        "planner": planner,
        "official": official,
        "viewer": viewer,
    }


def open_plan(page):
    """From the start page, as people do: the body, then its plan for 2026."""
    page.get_by_role("link", name="Ministry of Water Resources").click()
    page.get_by_role("link", name="Operational plan for 2026").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Operational plan for 2026")


def action_row(page, name):
    return page.locator("#plan-table tr.action", has_text=name)


def changed_row(page, name):
    return page.locator("#diff tr.changed", has_text=name)


def expect_term_change(page, old: str, new: str):
    """The changed action's row says what its term was and is, and only the term changed."""
    row = changed_row(page, LINING)
    expect(row).to_have_count(1)
    term = row.locator("li.change-term")
    expect(term).to_contain_text("Term of execution")
    expect(term.locator("del")).to_have_text(old)
    expect(term.locator("ins")).to_have_text(new)
    expect(row.locator("li")).to_have_count(1)
    for other in (SEMINAR, CADASTRE):
        expect(changed_row(page, other)).to_have_count(0)
    return term


def test_an_adjustment_on_an_amendment_is_approved_and_compared(page, login, world, tmp_path):
    plan = world["plan"]

    # 2. The planner opens the approved plan and starts an adjustment on the amendment.
    login(world["planner"])
    open_plan(page)
    line = page.locator("#revision-line")
    expect(line).to_contain_text("In force: revision 1")
    expect(line).to_contain_text(f"by {OFFICIAL}")
    expect(line).not_to_contain_text("An adjustment is open")
    expect(action_row(page, LINING)).to_contain_text("1 quarter")
    page.get_by_role("link", name="Start an adjustment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Start an adjustment of the operational plan for 2026"
    )
    page.get_by_role("radio", name="an amendment of the development plan").check()
    amendment = page.get_by_label("Amendment of the development plan", exact=True)
    expect(amendment).to_have_value("")
    page.get_by_label("Explanation").fill("Target values for 2026 revised by Decree No 45")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_have_text("Choose the amendment.")
    expect(page.get_by_role("radio", name="an amendment of the development plan")).to_be_checked()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED

    page.get_by_label("Amendment of the development plan", exact=True).select_option(
        label=AMENDMENT
    )
    page.get_by_role("button", name="Save").click()

    # 3. Back on the plan: the adjustment is open, the plan is a draft again.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Operational plan for 2026")
    expect(page.get_by_text("Saved.").first).to_be_visible()
    expect(page.locator("h1 .status")).to_have_text("draft")
    expect(line).to_contain_text("In force: revision 1")
    expect(line).to_contain_text("An adjustment is open")
    expect(line).to_contain_text("an amendment of the development plan")
    expect(page.get_by_role("link", name="Start an adjustment")).to_have_count(0)

    # The planner moves the canal lining from the 1st to the 3rd quarter, inline.
    page.evaluate("window.notReloaded = true")
    action_row(page, LINING).get_by_role("button", name="Edit").click()
    editor = page.locator("#action-editor")
    expect(editor.get_by_role("heading", name="Edit the action")).to_be_visible()
    quarter = editor.get_by_label("Term quarter")
    expect(quarter).to_have_value("1")
    quarter.select_option("3")
    editor.get_by_role("button", name="Save").click()
    expect(editor).to_be_empty()
    expect(action_row(page, LINING)).to_contain_text("3 quarter")
    expect(action_row(page, SEMINAR)).to_contain_text("by 1 March")
    assert page.evaluate("window.notReloaded") is True

    # "What has changed": revision 1 against the open draft.
    page.get_by_role("link", name="What has changed").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Operational plan for 2026: Revision 1 → draft"
    )
    expect(page.get_by_text("0 added, 0 removed, 1 changed.")).to_be_visible()
    expect_term_change(page, "1 quarter", "3 quarter")

    page.go_back()
    expect(page.locator("h1 .status")).to_have_text("draft")
    page.get_by_role("button", name="Submit for approval").click()
    expect(page.get_by_text("Done: submitted for approval.").first).to_be_visible()
    expect(page.locator("h1 .status")).to_have_text("submitted for approval")

    # 4. The official approves the adjustment: revision 2 is in force.
    login(world["official"])
    open_plan(page)
    page.get_by_role("button", name="Approve the plan").click()
    expect(page.get_by_text("Done: approved.").first).to_be_visible()
    expect(page.locator("h1 .status")).to_have_text("approved")
    expect(line).to_contain_text("In force: revision 2")
    expect(line).to_contain_text(f"by {OFFICIAL}")
    expect(line).not_to_contain_text("An adjustment is open")
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert list(plan.revisions.values_list("number", "basis")) == [
        (1, RevisionBasis.INITIAL),
        (2, RevisionBasis.AMENDMENT),
    ]

    # 5. A viewer of the body opens the revisions and compares 1 with 2.
    login(world["viewer"])
    open_plan(page)
    expect(page.get_by_role("link", name="Start an adjustment")).to_have_count(0)
    page.get_by_role("link", name="Revisions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Revisions: Operational plan for 2026"
    )
    rows = page.locator("#revisions tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("td").nth(0)).to_have_text("1")
    expect(rows.nth(0)).to_contain_text("The development plan (first approval)")
    expect(rows.nth(0)).to_contain_text(OFFICIAL)
    expect(rows.nth(1).locator("td").nth(0)).to_have_text("2")
    expect(rows.nth(1)).to_contain_text(f"An amendment of the development plan: {AMENDMENT}")
    expect(rows.nth(1)).to_contain_text("Target values for 2026 revised by Decree No 45")
    expect(rows.nth(1)).to_contain_text(OFFICIAL)

    compare = page.locator("#compare-form")
    compare.get_by_label("Compare").select_option(label="Revision 1")
    compare.get_by_label("with").select_option(label="Revision 2")
    compare.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Operational plan for 2026: Revision 1 → Revision 2"
    )
    expect(page.get_by_text("0 added, 0 removed, 1 changed.")).to_be_visible()
    term = expect_term_change(page, "1 quarter", "3 quarter")
    ins = term.locator("ins")
    expect(ins).to_be_visible()
    background = ins.evaluate("element => getComputedStyle(element).backgroundColor")
    assert background not in ("transparent", "rgba(0, 0, 0, 0)"), background
    del_background = term.locator("del").evaluate(
        "element => getComputedStyle(element).backgroundColor"
    )
    assert background != del_background, "the new value stands out from the old one"

    # The same comparison as a spreadsheet.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download XLSX").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx"), download.suggested_filename
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    book = openpyxl.load_workbook(saved)
    cells = [
        str(value) for row in book.active.iter_rows(values_only=True) for value in row if value
    ]
    assert "3 quarter" in cells, cells
    assert "1 quarter" in cells, cells
    assert LINING in cells, cells

    # 6. A revision compared with itself has no differences.
    page.get_by_role("link", name="All revisions").click()
    compare.get_by_label("Compare").select_option(label="Revision 2")
    compare.get_by_label("with").select_option(label="Revision 2")
    compare.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Operational plan for 2026: Revision 2 → Revision 2"
    )
    expect(page.get_by_text("No differences.")).to_be_visible()
    expect(page.locator("#diff")).to_have_count(0)
