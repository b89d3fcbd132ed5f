"""Writing spreadsheets that are safe to open: text is never run as a formula."""

import re
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_STARTS = ("=", "+", "-", "@")
# Control characters an XML file (XLSX, DOCX) cannot hold; text pasted from a word processor
# brings some (a vertical tab for a manual line break).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
HEADER_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def xml_text(text: str) -> str:
    """The text with each control character an XML file cannot hold made a space."""
    return CONTROL_CHARACTERS.sub(" ", text)


def set_text(cell, value) -> None:
    """Put a value in a cell; text that a spreadsheet would read as a formula stays text, and
    a control character (which openpyxl refuses) becomes a space."""
    if isinstance(value, str):
        value = xml_text(value)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"


def table_workbook(
    title: str,
    headers: list[str],
    rows: list[list],
    widths: list[int],
    fills: list[str | None] | None = None,
) -> bytes:
    """One sheet: a title row, a frozen header row, wrapped rows, optional row colours."""
    return tables_workbook(
        [{"title": title, "headers": headers, "rows": rows, "widths": widths, "fills": fills}]
    )


def tables_workbook(sheets: list[dict]) -> bytes:
    """A sheet for each dict of `table_workbook`'s arguments (title, headers, rows, widths,
    optional fills) and an optional `sheet` name (else the title, cut to what a sheet's name
    holds)."""
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        _table_sheet(book, **sheet)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _table_sheet(book, title, headers, rows, widths, fills=None, sheet=None) -> None:
    name = re.sub(r"[\[\]:*?/\\]", " ", sheet or title)[:31].strip() or "Sheet"
    sheet = book.create_sheet(name)
    set_text(sheet.cell(row=1, column=1), title)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=12)
    for col, header in enumerate(headers, start=1):
        cell = sheet.cell(row=3, column=col)
        set_text(cell, header)
        cell.font = HEADER_FONT
        cell.alignment = WRAP
    for r, row in enumerate(rows, start=4):
        fill = fills[r - 4] if fills else None
        for col, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=col)
            set_text(cell, value)
            cell.alignment = WRAP
            if fill:
                cell.fill = PatternFill("solid", start_color=fill)
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.freeze_panes = "A4"
