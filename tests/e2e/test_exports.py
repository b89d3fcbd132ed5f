"""The planner downloads the operational plan from its page: the export page, Russian and
XLSX chosen, the file arrives through the page's script with a progress bar and opens with
the Russian form. The monitor downloads the report on the 2nd quarter from the report page
as DOCX in Kazakh (in English while the catalog lacks the report form's Kazakh title), with
the recommendations to the officials (R16) after the table."""

import io

import openpyxl
from django.urls import reverse
from django.utils import translation
from docx import Document
from playwright.sync_api import expect

from jospar.documents.tests.test_export import cell_texts
from tests.worlds import GENERAL, LINING, appendix_plan_world, appendix_report_world

RECOMMENDATIONS = (
    "Recommendations to the officials on the measures needed to ensure the timely "
    "implementation of the planned actions"
)
SIGNATURE = (
    "The head of the structural unit responsible for the formation of the report on the "
    "implementation of the operational plan"
)


def test_the_planner_downloads_the_plan_in_russian_as_xlsx(page, login, transactional_db, body):
    plan, planner = appendix_plan_world(body)
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
    plan, planner = appendix_plan_world(body)
    page.context.route("**/export.js", lambda route: route.abort())
    login(planner)
    page.goto(f"/bodies/{body.pk}/operational-plans/{plan.pk}/export/")
    page.get_by_label("PDF").check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download", exact=True).click()
    assert info.value.suggested_filename.endswith(".pdf")


def test_the_monitor_downloads_the_report_as_docx(page, login, transactional_db, body):
    report, monitor = appendix_report_world(body)
    title = "Report on implementation of the operational plan"
    with translation.override("kk"):
        kazakh = translation.gettext(title) != title
        expected = {
            key: translation.gettext(text) if kazakh else text
            for key, text in (
                ("title", title),
                ("name", "Name"),
                ("partial", "partially executed"),
                ("recommendations", RECOMMENDATIONS),
                ("signature", SIGNATURE),
            )
        }
    language, label = ("kk", "Қазақ") if kazakh else ("en", "English")
    login(monitor)
    page.goto(reverse("reports:report", args=[body.pk, report.plan_id, 2]))
    page.get_by_role("link", name="Download the form (XLSX, DOCX, PDF)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Download the report on the implementation of the operational plan"
    )
    expect(page.get_by_label("Revision")).to_have_count(0)  # a report is on its own revision

    page.get_by_label(label, exact=True).check()
    page.get_by_label("DOCX (Word)").check()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download", exact=True).click()
    download = info.value
    name = f"report-MWR-2026-q2-{language}.docx"
    assert download.suggested_filename == name
    expect(page.locator("#export-status")).to_contain_text(name)
    expect(page.locator(".export-progress progress")).to_have_attribute("value", "1")

    document = Document(io.BytesIO(download.path().read_bytes()))
    assert document.paragraphs[0].text == expected["title"]
    table = document.tables[0]
    assert cell_texts(table.rows[0])[1] == expected["name"]
    assert len(table.rows[0].cells) == 8
    lining = next(row for row in table.rows if cell_texts(row)[1:2] == [LINING])
    assert lining.cells[5].text.startswith(expected["partial"])
    assert "Қазсушар РМК" in lining.cells[5].text  # flagged: no accepted information
    # The recommendations to the officials (R16) are on the signed form, line by line, after
    # their heading and before the signature.
    paragraphs = [p.text for p in document.paragraphs if p.text]
    at = paragraphs.index(expected["recommendations"])
    assert paragraphs[at + 1 : at + 4] == GENERAL.split("\n")
    assert paragraphs[at + 4] == expected["signature"]
