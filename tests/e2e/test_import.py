"""Browser test of the XLSX import: the planner uploads a hand-typed workbook, sees the dry
run with a problem (an executor that is no unit of the body) by row and column, fixes the
file, imports, and finds the actions on the plan page."""

import pytest
from playwright.sync_api import expect

from jospar.documents.tests.import_world import english_rows, workbook
from jospar.plans.models import Action, CompletionForm, RegulationTask
from tests.factories import (
    BudgetProgramFactory,
    DevelopmentPlanFactory,
    DirectionFactory,
    GoalFactory,
    MacroIndicatorFactory,
    TargetIndicatorFactory,
    UnitFactory,
    operational_plan,
)


@pytest.fixture
def world(transactional_db, body):
    development = DevelopmentPlanFactory(body=body, start_year=2025, end_year=2029)
    water = DirectionFactory(plan=development, number=1, name="Water security")
    MacroIndicatorFactory(direction=water, number=1, name="Water losses in networks")
    goal = GoalFactory(direction=water, number=1, name="Reliable water supply")
    TargetIndicatorFactory(goal=goal, number=1, name="Share of lined canals")
    RegulationTask.objects.create(body=body, number=1, name="Keep the water cadastre")
    # The shared list comes from a data migration, which an earlier transactional test flushes.
    for name in ("Order of the Minister", "Report", "Information to the management"):
        CompletionForm.objects.get_or_create(body=None, name=name)
    UnitFactory(body=body, code="DWR", name="Department of Water Resources")
    UnitFactory(body=body, code="DDG", name="Department of Digitalisation")
    UnitFactory(body=body, code="DFN", name="Department of Finance")
    BudgetProgramFactory(body=body, code="001")
    BudgetProgramFactory(body=body, code="254")
    return {"plan": operational_plan(body, 2026, development_plan=development)}


def test_the_planner_imports_a_plan_after_fixing_the_file(
    page, login, world, e2e_planner, tmp_path
):
    plan = world["plan"]
    rows = english_rows()
    rows[13][3] = "Department of Water Resources\nco-executors: Department of Magic"
    wrong = tmp_path / "plan-wrong.xlsx"
    wrong.write_bytes(workbook(rows).getvalue())
    rows[13][3] = "Department of Water Resources\nco-executors: DDG, Department of Finance"
    fixed = tmp_path / "plan-fixed.xlsx"
    fixed.write_bytes(workbook(rows).getvalue())

    login(e2e_planner)
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="Import from a workbook").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Import from a workbook")

    # 1. The first file has an executor that is no unit of the body: nothing can be imported.
    page.get_by_label("Workbook (.xlsx, .xls or .ods)").set_input_files(str(wrong))
    page.get_by_role("button", name="Check the file").click()
    problems = page.locator("#import-problems")
    expect(problems).to_contain_text("Nothing can be imported: 1 problem in the file.")
    problem = problems.locator("tr.problem")
    expect(problem).to_contain_text("14")
    expect(problem).to_contain_text("D")
    expect(problem).to_contain_text("No unit of the body is called “Department of Magic”")
    expect(page.get_by_role("button", name="Import")).to_have_count(0)
    expect(page.locator("#import-preview")).to_contain_text("Line 12 km of canals")

    # 2. The fixed file: the dry run shows the plan to be, grouped under its headings.
    page.get_by_label("Workbook (.xlsx, .xls or .ods)").set_input_files(str(fixed))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("The import would create 3 actions")
    preview = page.locator("#import-preview")
    expect(preview.locator("tr.level-target")).to_contain_text("Share of lined canals")
    lining = preview.locator("tr.action", has_text="Line 12 km of canals")
    expect(lining).to_contain_text("2 quarter")
    expect(lining).to_contain_text("Department of Finance")
    assert not Action.objects.exists()

    # 3. Import: the plan page lists the actions with their automatic numbers.
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Imported 3 actions from the workbook.")).to_be_visible()
    table = page.locator("#plan-table")
    expect(table.locator("tr.action")).to_have_count(3)
    row = table.locator("tr.action", has_text="Line 12 km of canals")
    expect(row.locator("td.num")).to_have_text("2")
    expect(row).to_contain_text("001, 254")
    expect(row).to_contain_text("co-executors")
    expect(table.locator("tr.action", has_text="Update the cadastre")).to_contain_text(
        "during the year"
    )


def test_the_planner_imports_a_russian_sheet_with_section_two_without_tasks(
    page, login, world, e2e_planner, tmp_path, body
):
    """A LibreOffice sheet as a ministry types it: section II's actions right under its
    heading, "по мере поступления" terms, notes and the signature under the table."""
    from jospar.documents.tests.ods import ods
    from jospar.documents.tests.plan_sheets import SHEETS
    from jospar.orgs.models import Unit

    Unit.objects.filter(body=body, code="DWR").update(name_ru="Департамент водных ресурсов")
    plan = world["plan"]
    sheets, _expected = SHEETS["water_ru"]
    path = tmp_path / "план.ods"
    path.write_bytes(ods(sheets).getvalue())

    login(e2e_planner)
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="Import from a workbook").click()
    page.get_by_label("Workbook (.xlsx, .xls or .ods)").set_input_files(str(path))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("The import would create 6 actions")
    under = page.locator("#import-under-table")
    expect(under).to_contain_text("Руководитель Департамента стратегического планирования")
    expect(under).to_contain_text("А. Сейтказиев")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Imported 6 actions from the workbook.")).to_be_visible()

    # Section II's heading, then its three actions, then the task with none.
    table = page.locator("#plan-table")
    section = table.locator("tr#section-2")
    expect(section).to_contain_text("II. Actions for solving other tasks")
    after = section.locator("xpath=following-sibling::tr[1]")
    expect(after).to_have_class("action")
    expect(after).to_contain_text("Рассмотрение обращений физических и юридических лиц")
    expect(after).to_contain_text("по мере поступления")
    expect(section.locator("xpath=following-sibling::tr[3]")).to_contain_text(
        "в течение года по мере необходимости"
    )
    expect(section.locator("xpath=following-sibling::tr[4]")).to_have_class("level-task")
    expect(page.locator("#plan-under-table")).to_contain_text("А. Сейтказиев")
    ongoing = Action.objects.filter(plan=plan, term_kind="ongoing", task=None, indicator=None)
    assert ongoing.count() == 3
