"""A planner downloads the development plan template, fills it in, sees the dry run and
imports it; then re-imports an edited copy, which is recorded as an amendment."""

import datetime as dt

from openpyxl import load_workbook
from playwright.sync_api import expect

from jospar.deadlines.calendar import today
from jospar.strategy.models import Amendment, DevelopmentPlan, Indicator
from jospar.strategy.tests.sheets import DETAILS, rows_of


def fill(path, rows, start: int) -> None:
    book = load_workbook(path)
    details = DETAILS | {"start_year": start, "end_year": start + 4}
    keys = ("title_kk", "title_ru", "start_year", "end_year", "signed_on", "document")
    for row, key in enumerate(keys, start=1):
        book.worksheets[0].cell(row=row, column=2).value = details[key]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            book.worksheets[1].cell(row=r, column=c).value = value
    book.save(path)


def test_planner_imports_a_development_plan_then_an_amended_one(
    page, login, body, e2e_planner, tmp_path
):
    login(e2e_planner)
    page.goto(body.get_absolute_url())
    page.get_by_role("link", name="Import a development plan from XLSX").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the template").click()
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    book = load_workbook(template)
    this_year = today().year
    assert book.worksheets[1].cell(row=1, column=9).value == str(this_year)

    # The blank template's period: this year and four more.
    fill(template, rows_of(1, 1, 2), this_year)
    page.get_by_label("Workbook (.xlsx)").set_input_files(str(template))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#import-summary")).to_have_text("5 created, 0 updated, 0 unchanged")
    expect(page.locator("#import-preview tbody tr")).to_have_count(5)
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#development-plan")).to_contain_text("Индикатор 1.1.2")
    plan = DevelopmentPlan.objects.get(body=body)
    assert Indicator.objects.filter(plan=plan).count() == 3

    # An edited copy, downloaded from the plan itself: a value changed, a goal renamed.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as a workbook (XLSX)").click()
    edited = tmp_path / "edited.xlsx"
    download.value.save_as(edited)
    book = load_workbook(edited)
    sheet = book.worksheets[1]
    assert sheet.cell(row=4, column=1).value == "goal"
    sheet.cell(row=4, column=4).value = "Цель 1.1 в редакции 2027 года"
    sheet.cell(row=5, column=11).value = 55  # target indicator 1.1.1, the third year
    book.save(edited)
    page.get_by_role("link", name="Import an amended workbook").click()
    page.get_by_label("Workbook (.xlsx)").set_input_files(str(edited))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#import-summary")).to_have_text("0 created, 2 updated, 3 unchanged")
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("give the signing date of the amendment")).to_be_visible()
    page.get_by_label("Signing date of the amendment").fill("2027-01-12")
    page.get_by_label("Amending document").fill("Приказ № 7")
    page.get_by_role("button", name="Import").click()
    expect(page.locator("#amendments")).to_contain_text("12.01.2027, Приказ № 7")
    amendment = Amendment.objects.get(plan=plan)
    assert amendment.signed_on == dt.date(2027, 1, 12)
    target = Indicator.objects.get(plan=plan, kind="target", number=1)
    assert target.values.get(year=this_year + 2).planned == 55
