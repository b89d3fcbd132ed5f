"""Appendix 2 carries the monitor's recommendations to the officials (R16) after the table and
before the signature, in every format and language: a translated heading, then the text's
lines as typed. A report without them prints no such part; a submitted report prints what
was submitted."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn

from jospar.documents.appendices import report_form, report_form_file
from jospar.documents.tests.test_export_pdf_text import HOSTILE, flat, pdftotext
from jospar.reports import services as reports
from jospar.reports.models import Report, ReportStatus
from tests.worlds import GENERAL, LINING, PUBLISHED, appendix_report_world, shared_world, the_body

world_once, world = shared_world(lambda: appendix_report_world(the_body()))
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

TITLE = (
    "Recommendations to the officials on the measures needed to ensure the timely "
    "implementation of the planned actions"
)
SIGNATURE = (
    "The head of the structural unit responsible for the formation of the report on the "
    "implementation of the operational plan"
)


@pytest.fixture
def report(world):
    return world[0]


def worded(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def xlsx_lines(content: bytes) -> list[str]:
    """The texts of the sheet's column A, top to bottom (the title block, the sections, the
    recommendations and the signature title are merged rows written in A)."""
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [str(v) for (v,) in sheet.iter_rows(min_col=1, max_col=1, values_only=True) if v]


def docx_lines(content: bytes) -> list[str]:
    """The body's paragraphs in order, the table a single "<table>" line."""
    body = Document(io.BytesIO(content)).element.body
    lines = []
    for child in body.iterchildren():
        if child.tag == qn("w:tbl"):
            lines.append("<table>")
        elif child.tag == qn("w:p"):
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            if text:
                lines.append(text)
    return lines


def in_order(text: str, *parts: str) -> bool:
    """Each part occurs in `text` after the one before it."""
    at = 0
    for part in parts:
        found = text.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


def test_the_form_document_has_the_heading_and_the_lines_as_typed(report):
    document = report_form(report, "en")
    assert document.recommendations_title == TITLE
    assert document.recommendations == GENERAL.split("\n")
    assert len(document.recommendations) == 3


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_heading_is_in_the_language_of_the_form(report, language):
    title = report_form(report, language).recommendations_title
    assert title == worded(language, TITLE)
    if language != "en":
        assert title != TITLE  # the catalog translates it


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_xlsx_has_the_recommendations_after_the_table_before_the_signature(report, language):
    file = report_form_file(report, file_format="xlsx", language=language)
    lines = xlsx_lines(file.content)
    title, signature = worded(language, TITLE), worded(language, SIGNATURE)
    at = lines.index(title)
    assert lines[at + 1 : at + 4] == GENERAL.split("\n")
    assert lines[at + 4] == signature
    sheet = openpyxl.load_workbook(io.BytesIO(file.content)).active
    last_action = max(
        cell.row
        for cell in sheet["B"]
        if cell.value == "Publish the plan's progress on the website"
    )
    heading_row = next(c.row for c in sheet["A"] if c.value == title)
    assert heading_row > last_action + 1  # a blank row after the table
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {f"A{heading_row + n}:H{heading_row + n}" for n in range(4)} <= merged
    long_line = sheet.cell(row=heading_row + 2, column=1)
    assert long_line.alignment.wrap_text
    assert sheet.row_dimensions[heading_row + 2].height  # tall enough for its wrapped text


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_docx_has_the_recommendations_after_the_table_before_the_signature(report, language):
    file = report_form_file(report, file_format="docx", language=language)
    lines = docx_lines(file.content)
    title, signature = worded(language, TITLE), worded(language, SIGNATURE)
    at = lines.index(title)
    assert lines[at - 1] == "<table>"
    assert lines[at + 1 : at + 5] == [*GENERAL.split("\n"), signature]
    # The table's rows are still there, written into the saved file.
    table = Document(io.BytesIO(file.content)).tables[0]
    assert any(row.cells[1].text == LINING for row in table.rows[2:] if len(row.cells) > 1)


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_pdf_has_the_recommendations_after_the_table_before_the_signature(report, language):
    file = report_form_file(report, file_format="pdf", language=language)
    text = flat(pdftotext(file.content))
    lines = GENERAL.split("\n")
    assert in_order(
        text,
        flat(PUBLISHED),  # the last action's text
        flat(worded(language, TITLE)),
        *lines,
        flat(worded(language, SIGNATURE)),
    )


@pytest.mark.parametrize("file_format", ["xlsx", "docx", "pdf"])
def test_a_report_without_recommendations_prints_no_such_part(report, file_format):
    Report.objects.filter(pk=report.pk).update(general_recommendations="  \r\n ")
    document = report_form(report, "en")
    assert document.recommendations == []
    content = report_form_file(report, file_format=file_format, language="en").content
    if file_format == "xlsx":
        lines = xlsx_lines(content)
    elif file_format == "docx":
        lines = docx_lines(content)
    else:
        lines = [flat(pdftotext(content))]
    assert not any("Recommendations to the officials" in line for line in lines)
    assert any(SIGNATURE in line or flat(SIGNATURE) in line for line in lines)


def test_a_submitted_report_prints_what_was_submitted(report, world):
    """The text is the report's own, written only while the report is in preparation: once
    submitted, the monitor cannot change it, and the form prints it as it went."""
    assert report.status == ReportStatus.SUBMITTED
    with pytest.raises(ValidationError, match="frozen"):
        reports.report_update(actor=world[1], report=report, general_recommendations="Changed")
    report.refresh_from_db()
    assert report.general_recommendations == GENERAL
    for file_format in ("xlsx", "docx"):
        content = report_form_file(report, file_format=file_format, language="ru").content
        lines = xlsx_lines(content) if file_format == "xlsx" else docx_lines(content)
        assert "Changed" not in lines
        assert all(line in lines for line in GENERAL.split("\n"))


# What a person may type (typst markup and code, XML, spreadsheet formulas), one a line, with
# the line breaks a browser sends.
TYPED = [
    *HOSTILE,
    "=SUM(A1:A9) +1 -1 @cell",
    "<w:p> & </w:t> &amp; <!--jospar-table-rows--> ]]>",
    "«кавычки» „quotes“ ‘single’ — 100 % ≥ 95 ‰ № 5 ½ € ₸",
    "әғқңөұүһі ӘҒҚҢӨҰҮҺІ",
]


@pytest.fixture
def typed(world):
    report, monitor = world
    Report.objects.filter(pk=report.pk).update(status=ReportStatus.DRAFT)
    report.refresh_from_db()
    reports.report_update(
        actor=monitor,
        report=report,
        general_recommendations="\r\n".join(TYPED),
        monitoring_unit=report.monitoring_unit,
        version=report.version,
    )
    return report


def test_typed_characters_are_printed_verbatim_in_the_xlsx(typed):
    content = report_form_file(typed, file_format="xlsx", language="en").content
    lines = xlsx_lines(content)
    at = lines.index(TITLE)
    assert lines[at + 1 : at + 1 + len(TYPED)] == TYPED
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert not any(
        c.data_type == "f" for row in sheet.iter_rows() for c in row if c.value is not None
    )


def test_typed_characters_are_printed_verbatim_in_the_docx(typed):
    lines = docx_lines(report_form_file(typed, file_format="docx", language="en").content)
    at = lines.index(TITLE)
    assert lines[at + 1 : at + 1 + len(TYPED)] == TYPED
    assert lines[at - 1] == "<table>"  # the typed mark did not take the table's rows
    assert lines.count("<table>") == 1


def test_typed_characters_are_printed_verbatim_in_the_pdf(typed):
    text = flat(pdftotext(report_form_file(typed, file_format="pdf", language="en").content))
    assert in_order(text, TITLE, *(flat(line) for line in TYPED), SIGNATURE)
