"""A legal form as a DOCX document: A4 landscape, the title block, one table whose heading and
column-number rows repeat on every page, hierarchy rows spanning the text columns, the
recommendations to the officials (Appendix 2, R16) after the table, the signature block and
the page number in the footer ("n / N").

The table's rows are written as WordprocessingML text and put into the saved file in place of
a mark (python-docx's `row.cells` walks the whole grid on every call, and its element wrappers
cost ~40 calls a row)."""

import re
import zipfile
from html import escape
from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from jospar.documents.appendices import FormDocument
from jospar.lib.xlsx import xml_text

FONT = "Times New Roman"
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Mm(297), Mm(210), Mm(15)
HEADING_STYLE = {  # kind → (bold, italic)
    "section": (True, False),
    "direction": (True, False),
    "goal": (True, False),
    "macro": (True, True),
    "target": (True, True),
    "task": (True, True),
    "actions": (False, True),
}


def render_docx(document: FormDocument) -> bytes:
    doc = Document()
    _page(doc)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:cs"), FONT)
    style.paragraph_format.space_after = Pt(0)

    _line(doc, document.title, bold=True, size=14)
    _line(doc, document.body_name, bold=True, size=12)
    _line(doc, document.body_caption, italic=True, size=8)
    _line(doc, document.period, bold=True, size=12)
    _line(doc, document.note, italic=True, size=8)
    _line(doc, document.caption, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)

    usable = PAGE_WIDTH - 2 * MARGIN
    total = sum(document.widths)
    widths = [int(usable * w / total) for w in document.widths]
    table = doc.add_table(rows=0, cols=document.columns)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    rows = [_row([(text, 1) for text in document.headings], widths, header=True)]
    rows.append(_row([(n, 1) for n in range(1, document.columns + 1)], widths, header=True))
    for row in document.rows:
        if row.is_action:
            rows.append(_row([(v, 1) for v in row.cells], widths, center=document.centered))
        else:
            bold, italic = HEADING_STYLE.get(row.kind, (True, False))
            if row.kind == "section":
                cells = [(row.text, document.columns)]
                rows.append(_row(cells, widths, bold=bold, italic=italic, center={0}))
            else:
                cells = [("", 1), (row.text, document.columns - 1)]
                rows.append(_row(cells, widths, bold=bold, italic=italic))
    table._tbl.append(etree.Comment(ROWS_MARK))  # where the rows go when the file is saved

    if document.recommendations:  # R16: after the table, before the signature
        doc.add_paragraph()
        _line(doc, document.recommendations_title, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
        for text in document.recommendations:  # a line a paragraph, a blank line left blank
            _line(doc, text, align=WD_ALIGN_PARAGRAPH.LEFT)
    doc.add_paragraph()
    _line(doc, document.signature_title, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    paragraph = doc.add_paragraph()
    signature = f"{document.signature_position}\t{document.signature_name}\t____________"
    paragraph.add_run(xml_text(signature))
    stops = paragraph.paragraph_format.tab_stops
    stops.add_tab_stop(Mm(110))
    stops.add_tab_stop(Mm(200))
    _line(doc, document.signature_caption, italic=True, size=8, align=WD_ALIGN_PARAGRAPH.LEFT)

    buffer = BytesIO()
    doc.save(buffer)
    return _with_rows(buffer.getvalue(), "".join(rows))


ROWS_MARK = "jospar-table-rows"


def _with_rows(package: bytes, rows: str) -> bytes:
    """The saved package with the table's rows, as text, in place of the mark in its
    word/document.xml: the rows never become elements (python-docx's tree of 2,000 rows took
    longer to build and serialize than everything else in the file). No text of a form can
    make the mark: every text is escaped."""
    mark = f"<!--{ROWS_MARK}-->".encode()
    result = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(package)) as source,
        zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                head, found, tail = data.partition(mark)
                if not found:
                    raise ValueError("the table's mark is missing from word/document.xml")
                data = head + rows.encode() + tail
            target.writestr(info, data)
    return result.getvalue()


def _row(cells, widths, header=False, bold=False, italic=False, center=()) -> str:
    """A table row as WordprocessingML, as python-docx writes it cell by cell (tr, tc with
    its width in twips and span, one paragraph, one run): its wrappers cost ~40 element
    calls a row, most of a 2,000-action form's time."""
    properties = "<w:trPr><w:tblHeader/></w:trPr>" if header else ""
    run_properties = ("<w:b/>" if bold or header else "") + ("<w:i/>" if italic else "")
    if run_properties:
        run_properties = f"<w:rPr>{run_properties}</w:rPr>"
    parts = [f"<w:tr>{properties}"]
    col = 0
    for index, (value, span) in enumerate(cells):
        width = round(sum(widths[col : col + span]) / 635)  # EMU → twips
        col += span
        cell = f'<w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>'
        if span > 1:
            cell += f'<w:gridSpan w:val="{span}"/>'
        paragraph = '<w:pPr><w:jc w:val="center"/></w:pPr>' if header or index in center else ""
        text = "" if value is None else xml_text(str(value))
        run = f"<w:r>{run_properties}{_run_text(text)}</w:r>" if text else ""
        parts.append(f"<w:tc>{cell}</w:tcPr><w:p>{paragraph}{run}</w:p></w:tc>")
    parts.append("</w:tr>")
    return "".join(parts)


def _run_text(text: str) -> str:
    """A run's content as python-docx's `run.text` writes it: a tab a <w:tab/>, a line
    break a <w:br/>, the rest in <w:t> (spaces kept)."""
    if not _BREAKS.search(text):
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f"<w:t{space}>{escape(text, quote=False)}</w:t>"
    parts = []
    for piece in _BREAKS.split(text):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece in ("\n", "\r"):
            parts.append("<w:br/>")
        elif piece:
            space = ' xml:space="preserve"' if piece != piece.strip() else ""
            parts.append(f"<w:t{space}>{escape(piece, quote=False)}</w:t>")
    return "".join(parts)


_BREAKS = re.compile(r"([\t\n\r])")


def _page(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # "n / N" as the PDF and the XLSX print it: the page and the number of pages are fields
    # the word processor fills in when it lays the pages out.
    footer._p.append(_field("PAGE"))
    footer.add_run(" / ")
    footer._p.append(_field("NUMPAGES"))


def _field(instruction: str):
    """A simple field (w:fldSimple) with a placeholder result until the reader updates it."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    return field


def _line(doc, text, bold=False, italic=False, size=None, align=WD_ALIGN_PARAGRAPH.CENTER):
    paragraph = doc.add_paragraph()
    paragraph.alignment = align
    run = paragraph.add_run(xml_text(text))
    run.bold = bold or None
    run.italic = italic or None
    if size:
        run.font.size = Pt(size)
    return paragraph
