"""A minimal OpenDocument spreadsheet writer for the import tests (LibreOffice is not at hand):
an .ods file is a zip of XML — the mimetype first and stored, a manifest, and content.xml
with a table per sheet. Enough for text, numbers, dates, merged cells and line breaks."""

from __future__ import annotations

import datetime as dt
import zipfile
from io import BytesIO
from xml.sax.saxutils import escape

from openpyxl.utils.cell import range_boundaries

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"'
    ' manifest:version="1.2">'
    f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{MIMETYPE}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)
NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'office:version="1.2"'
)


def _cell(value, span: tuple[int, int] | None) -> str:
    spanned = ""
    if span:
        spanned = f' table:number-rows-spanned="{span[0]}" table:number-columns-spanned="{span[1]}"'
    if value is None or value == "":
        return f"<table:table-cell{spanned}/>"
    if isinstance(value, bool):
        raise TypeError("no booleans in a plan sheet")
    if isinstance(value, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}"{spanned}>'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(value, dt.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value:%Y-%m-%d}"'
            f"{spanned}><text:p>{value:%d.%m.%Y}</text:p></table:table-cell>"
        )
    paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in str(value).split("\n"))
    return f'<table:table-cell office:value-type="string"{spanned}>{paragraphs}</table:table-cell>'


def _table(title: str, rows: list[list], merges: tuple[str, ...]) -> str:
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for cells in merges:
        min_col, min_row, max_col, max_row = range_boundaries(cells)
        spans[(min_row, min_col)] = (max_row - min_row + 1, max_col - min_col + 1)
        for r in range(min_row, max_row + 1):
            for c in range(min_col, max_col + 1):
                if (r, c) != (min_row, min_col):
                    covered.add((r, c))
    width = max([len(row) for row in rows] + [c for _r, c in covered] + [1])
    out = [f'<table:table table:name="{escape(title)}">']
    for r in range(1, max(len(rows), max((r for r, _c in covered), default=0)) + 1):
        row = rows[r - 1] if r <= len(rows) else []
        out.append("<table:table-row>")
        for c in range(1, width + 1):
            if (r, c) in covered:
                out.append("<table:covered-table-cell/>")
            else:
                out.append(_cell(row[c - 1] if c <= len(row) else None, spans.get((r, c))))
        out.append("</table:table-row>")
    out.append("</table:table>")
    return "".join(out)


def ods(sheets: list[tuple[str, list[list], tuple[str, ...]]]) -> BytesIO:
    """An .ods workbook of (title, rows, merged ranges such as "B3:B5") sheets."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<office:document-content {NAMESPACES}><office:body><office:spreadsheet>"
        + "".join(_table(title, rows, merges) for title, rows, merges in sheets)
        + "</office:spreadsheet></office:body></office:document-content>"
    )
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", MANIFEST)
        archive.writestr("content.xml", content)
    buffer.seek(0)
    return buffer
