"""The planner downloads the operational plan from its page: the export page, Russian and
XLSX chosen, the file arrives through the page's script with a progress bar and opens with
the Russian form."""

import io

import openpyxl
from django.utils import translation
from playwright.sync_api import expect

from jospar.documents.tests.test_export import LINING, build_world


def test_the_planner_downloads_the_plan_in_russian_as_xlsx(page, login, transactional_db, body):
    plan, planner = build_world(body)
    login(planner)
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="Download the form (XLSX, DOCX, PDF)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Download the operational plan")

    page.get_by_label("Русский").check()
    page.get_by_label("XLSX (Excel)").check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download", exact=True).click()
    download = info.value
    assert download.suggested_filename == "operational-plan-MWR-2026-draft-ru.xlsx"
    status = page.locator("#export-status")
    expect(status).to_contain_text("operational-plan-MWR-2026-draft-ru.xlsx")
    expect(page.locator(".export-progress progress")).to_have_attribute("value", "1")

    sheet = openpyxl.load_workbook(io.BytesIO(download.path().read_bytes())).active
    with translation.override("ru"):
        title = translation.gettext("Operational plan")  # "Операционный план" once translated
    assert sheet["A1"].value == title
    assert sheet.cell(row=7, column=2).value == "Наименование"
    assert sheet.cell(row=7, column=5).value == "Срок исполнения"
    assert LINING in [cell.value for cell in sheet["B"]]


def test_the_form_downloads_without_the_script(page, login, transactional_db, body):
    """A plain GET of the form (no JavaScript) downloads the file too."""
    plan, planner = build_world(body)
    page.context.route("**/export.js", lambda route: route.abort())
    login(planner)
    page.goto(f"/bodies/{body.pk}/operational-plans/{plan.pk}/export/")
    page.get_by_label("PDF").check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download", exact=True).click()
    assert info.value.suggested_filename.endswith(".pdf")
