"""Appendix 2 (the report on the implementation of the plan for a quarter) as XLSX, DOCX and
PDF: the files are opened with openpyxl, python-docx and poppler's tools and read back; the
page, the API and the command give the same file, to the body-wide roles only."""

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from docx import Document

from jospar.__main__ import command_alias
from jospar.documents.appendices import ExportError, plan_report, report_form, report_form_file
from jospar.documents.management.commands.export_report import Command
from jospar.documents.tests.test_export import (
    cell_texts,
    needs_translation,
    poppler,
    row_of,
    values,
)
from jospar.orgs.models import User
from jospar.reports.models import Report, ReportStatus
from tests.worlds import (
    ADVICE,
    FORMULA,
    KAZAKH,
    LATE,
    LINED_SO_FAR,
    LINING,
    PUBLISHED,
    appendix_report_world,
    shared_world,
    the_body,
)

# The tests of a larger report, built their own way, are in test_export_report_sizes.py.
world_once, world = shared_world(lambda: appendix_report_world(the_body()))
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

MISSING = "Committee for Water Resources, Қазсушар РМК"
COLUMNS_EN = [
    "No",
    "Name",
    "Responsible executor",
    "Term of execution",
    "Form of completion",
    "Actual execution of actions",
    "Reasons for non-fulfilment",
    "Recommendations, including recommendations for making changes to the operational plan",
]


@pytest.fixture
def report(world):
    return world[0]


def texts(document) -> list[tuple[str, str]]:
    return [(row.kind, row.text or row.cells[1]) for row in document.rows]


# --- the form document -----------------------------------------------------------------------


def test_the_report_has_the_hierarchy_rows_then_the_actions(report):
    document = report_form(report, "en")
    assert document.title == "Report on implementation of the operational plan"
    assert document.body_name == "Ministry of Water Resources"
    assert document.period == "for 2026, reporting period: quarter 2"
    assert document.note == "Submitted to the officials on 14.07.2026; on revision 1 of the plan"
    assert document.headings == COLUMNS_EN
    assert texts(document) == [
        (
            "section",
            "I. Actions to achieve the goals and target indicators of the development plan",
        ),
        ("direction", "Strategic direction 1. Water security"),
        ("macro", "Macro indicator 1. Water productivity of GDP"),
        ("actions", "Actions"),
        ("action", KAZAKH),
        ("goal", "Goal 1.1. Reliable water supply"),
        ("target", "Target indicator 1. Share of lined canals"),
        ("actions", "Actions"),
        ("action", LINING),
        ("action", FORMULA),
        ("target", "Target indicator 2. Losses of water in canals"),
        (
            "section",
            "II. Actions for solving other tasks defined by the regulation of the state body",
        ),
        ("task", "Task 1. Informing the public"),
        ("action", "Publish the plan's progress on the website"),
    ]
    assert document.rows[8].cells == [
        2,
        LINING,
        f"Department of Water Resources, {MISSING}",
        "2 quarter",
        "Report",
        f"partially executed\n{LINED_SO_FAR}\nNo accepted information from: {MISSING}",
        LATE,
        f"{ADVICE}\nchange the term of execution: 3 quarter (The materials came late)",
    ]
    publish = document.rows[-1].cells
    assert publish[5] == f"executed\n{PUBLISHED}" and publish[6] == ""
    assert document.rows[9].cells[5] == "not yet due"  # the December action
    assert document.signature_title.startswith("The head of the structural unit responsible")
    assert document.signature_position == "Head of the monitoring department"
    assert document.signature_name == "Sarsenova Aigerim Bolatovna"
    assert document.file_stem == "report-MWR-2026-q2-en"


def test_a_report_in_preparation_says_so(report):
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.DRAFT, submitted_at=None)
    note = report_form(report, "en").note
    assert note == "In preparation, not yet submitted; on revision 1 of the plan"


def test_the_quarter_must_have_a_report(report):
    assert plan_report(report.plan, 2) == report
    with pytest.raises(ExportError, match=r"quarter 3 of 2026 has not been compiled \(compiled"):
        plan_report(report.plan, 3)
    with pytest.raises(ExportError, match="A quarter is 1, 2, 3 or 4"):
        plan_report(report.plan, 5)


def test_an_unknown_format_or_language_is_named(report):
    with pytest.raises(ExportError, match="xlsx, docx, pdf"):
        report_form_file(report, file_format="odt", language="en")
    with pytest.raises(ExportError, match="kk, ru, en"):
        report_form_file(report, file_format="xlsx", language="de")


# --- XLSX ------------------------------------------------------------------------------------


def xlsx(report, language="en"):
    file = report_form_file(report, file_format="xlsx", language=language)
    return openpyxl.load_workbook(io.BytesIO(file.content)).active


def test_the_xlsx_is_laid_out_as_appendix_2(report):
    sheet = xlsx(report)
    rows = values(sheet)
    assert sheet.title == "Appendix 2"
    assert [r[0] for r in rows[:6]] == [
        "Report on implementation of the operational plan",
        "Ministry of Water Resources",
        "(name of the state body)",
        "for 2026, reporting period: quarter 2",
        "Submitted to the officials on 14.07.2026; on revision 1 of the plan",
        "Activities of the state body",
    ]
    assert rows[6] == COLUMNS_EN
    assert rows[7] == [1, 2, 3, 4, 5, 6, 7, 8]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    section = row_of(
        sheet, "I. Actions to achieve the goals and target indicators of the development plan"
    )
    direction = row_of(sheet, "Strategic direction 1. Water security")
    assert {"A1:H1", f"A{section}:H{section}", f"B{direction}:H{direction}"} <= merged
    lining = row_of(sheet, LINING)
    assert rows[lining - 1][5] == (
        f"partially executed\n{LINED_SO_FAR}\nNo accepted information from: {MISSING}"
    )
    assert rows[lining - 1][7].startswith(ADVICE)
    assert sheet.cell(row=lining, column=6).alignment.wrap_text
    assert sheet.cell(row=row_of(sheet, FORMULA), column=2).data_type == "s"
    assert not any(
        c.data_type == "f" for row in sheet.iter_rows() for c in row if c.value is not None
    )
    signature = row_of(sheet, "Head of the monitoring department")
    assert sheet.cell(row=signature, column=4).value == "Sarsenova Aigerim Bolatovna"
    assert sheet.cell(row=signature - 1, column=1).value.startswith("The head of the structural")


def test_the_xlsx_prints_on_a4_landscape_with_the_header_on_every_page(report):
    sheet = xlsx(report)
    assert sheet.freeze_panes == "A9"
    assert sheet.print_title_rows == "$7:$8"
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == str(sheet.PAPERSIZE_A4)
    widths = [sheet.column_dimensions[c].width for c in "ABCDEFGH"]
    assert widths[1] > widths[3] > widths[0]  # the name is wider than the term, the number
    assert min(widths[5], widths[7]) > widths[3]  # the texts of columns 6 and 8 have room


def test_the_xlsx_in_russian_has_the_official_title(report):
    needs_translation("ru", "Report on implementation of the operational plan")
    sheet = xlsx(report, "ru")
    assert sheet["A1"].value == "Отчет о реализации операционного плана"
    assert sheet.cell(row=7, column=2).value == "Наименование"
    assert sheet["A4"].value == "за 2026 год, отчетный период: 2 квартал"


# --- DOCX ------------------------------------------------------------------------------------


def test_the_docx_is_laid_out_as_appendix_2(report):
    file = report_form_file(report, file_format="docx", language="en")
    document = Document(io.BytesIO(file.content))
    section = document.sections[0]
    assert section.page_width > section.page_height
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[:4] == [
        "Report on implementation of the operational plan",
        "Ministry of Water Resources",
        "(name of the state body)",
        "for 2026, reporting period: quarter 2",
    ]
    assert any("Sarsenova Aigerim Bolatovna" in p for p in paragraphs)
    table = document.tables[0]
    rows = [cell_texts(row) for row in table.rows]
    assert rows[0] == COLUMNS_EN
    assert rows[1] == [str(n) for n in range(1, 9)]
    assert rows[3] == ["", "Strategic direction 1. Water security"]
    lining = next(row for row in table.rows if cell_texts(row)[1:2] == [LINING])
    assert len(lining.cells) == 8
    # the status, the text and the flag are lines of column 6
    assert lining.cells[5].text == (
        f"partially executed\n{LINED_SO_FAR}\nNo accepted information from: {MISSING}"
    )
    assert lining.cells[6].text == LATE


# --- PDF -------------------------------------------------------------------------------------


def test_the_pdf_has_the_report_with_an_embedded_font(report, tmp_path):
    file = report_form_file(report, file_format="pdf", language="kk")
    path = tmp_path / file.filename
    path.write_bytes(file.content)
    assert file.filename == "report-MWR-2026-q2-kk.pdf"
    text = poppler("pdftotext", "-layout", str(path), "-")
    assert "Қазсушар РМК" in text and "Атауы" in text
    fonts = poppler("pdffonts", str(path)).splitlines()[2:]
    assert fonts and all("DejaVu" in line for line in fonts)
    assert all(line.split()[-5] == "yes" for line in fonts)
    assert "841.89 x 595.276 pts (A4)" in poppler("pdfinfo", str(path))


# --- the page, the API, the command ----------------------------------------------------------


def page_url(report, name="documents:report_export"):
    plan = report.plan
    return reverse(name, args=[plan.body_id, plan.pk, report.quarter])


def test_the_report_page_links_to_the_export(client, report, world):
    client.force_login(world[1])
    page = client.get(reverse("reports:report", args=[report.plan.body_id, report.plan_id, 2]))
    assert page_url(report) in page.content.decode()


def test_a_viewer_opens_the_export_page_and_downloads_the_report(client, report, viewer):
    client.force_login(viewer)
    page = client.get(page_url(report))
    assert page.status_code == 200
    content = page.content.decode()
    assert "<progress" in content and "export.js" in content
    assert page_url(report, "documents:report_export_file") in content
    assert 'name="revision"' not in content
    response = client.get(
        page_url(report, "documents:report_export_file"), {"format": "docx", "lang": "kk"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert response["Content-Disposition"] == 'attachment; filename="report-MWR-2026-q2-kk.docx"'
    assert int(response["Content-Length"]) == len(response.content)
    assert (
        client.get(page_url(report, "documents:report_export_file"), {"format": "odt"}).status_code
        == 400
    )


def test_a_units_executor_and_an_outsider_get_no_report(client, report, outsider):
    executor = User.objects.get(username="exec.D2")  # the lining's lead unit
    client.force_login(executor)  # the report is the body-wide roles' work, as its page
    for name in ("documents:report_export", "documents:report_export_file"):
        assert client.get(page_url(report, name)).status_code == 403
    assert client.get(reverse("api-report-form-detail", args=[report.pk])).status_code == 403
    client.force_login(outsider)
    for name in ("documents:report_export", "documents:report_export_file"):
        assert client.get(page_url(report, name)).status_code == 404
    assert client.get(reverse("api-report-form-detail", args=[report.pk])).status_code == 404


def test_a_quarter_without_a_report_has_no_export_page(client, report, viewer):
    client.force_login(viewer)
    plan = report.plan
    url = reverse("documents:report_export", args=[plan.body_id, plan.pk, 3])
    assert client.get(url).status_code == 404


def test_the_api_gives_the_report_as_a_file(client, report, viewer):
    client.force_login(viewer)
    url = reverse("api-report-form-detail", args=[report.pk])
    response = client.get(url, {"format": "pdf", "lang": "en"}, HTTP_ACCEPT="application/pdf")
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].endswith('report-MWR-2026-q2-en.pdf"')
    bad = client.get(url, {"lang": "de"})
    assert bad.status_code == 400 and "lang" in bad.json()


def test_the_command_writes_the_report(report, tmp_path, capsysbinary):
    target = tmp_path / "report.xlsx"
    call_command("export_report", "MWR", "2026", "2", "--lang", "en", "-o", str(target))
    assert capsysbinary.readouterr().out.decode().startswith(str(target))
    sheet = openpyxl.load_workbook(target).active
    assert sheet["A1"].value == "Report on implementation of the operational plan"
    call_command("export_report", "MWR", "2026", "2", "--format", "pdf", "-o", "-")
    assert capsysbinary.readouterr().out.startswith(b"%PDF")


def test_the_command_says_what_is_wrong(report):
    with pytest.raises(CommandError, match="No state body has the code “NOPE”"):
        call_command("export_report", "NOPE", "2026", "2")
    with pytest.raises(CommandError, match="no operational plan for 2031"):
        call_command("export_report", "MWR", "2031", "2")
    with pytest.raises(CommandError, match=r"MWR: .*quarter 4 of 2026 .*\(compiled: quarter 2\)"):
        call_command("export_report", "MWR", "2026", "4")


def test_the_command_explains_itself_and_answers_to_its_hyphenated_name():
    text = Command().create_parser("jospar", "export_report").format_help()
    for option in ("body", "year", "quarter", "--format", "--lang", "-o", "Appendix 2"):
        assert option in text
    assert command_alias(["jospar", "export-report", "MWR"]) == ["jospar", "export_report", "MWR"]
    assert command_alias(["jospar", "help", "export-report"])[2] == "export_report"
