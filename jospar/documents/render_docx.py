"""A legal form as a DOCX document: A4 landscape, the title block, one table whose heading and
column-number rows repeat on every page, hierarchy rows spanning the text columns, the
signature block and the page number in the footer ("n / N").

Rows are appended at the XML level (python-docx's `row.cells` walks the whole grid on every
call, which makes a plan of thousands of actions quadratic)."""

from io import BytesIO

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

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
    tbl = table._tbl

    def add_row(cells: list[tuple[object, int]], header=False, bold=False, italic=False, center=()):
        tr = tbl.add_tr()
        if header:
            tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        col = 0
        for index, (value, span) in enumerate(cells):
            tc = tr.add_tc()
            tc.width = sum(widths[col : col + span])
            if span > 1:
                tc.grid_span = span
            col += span
            paragraph = _Cell(tc, table).paragraphs[0]
            if header or index in center:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            text = "" if value is None else xml_text(str(value))
            if text:
                run = paragraph.add_run(text)
                run.bold = bold or header or None
                run.italic = italic or None

    add_row([(text, 1) for text in document.headings], header=True)
    add_row([(n, 1) for n in range(1, document.columns + 1)], header=True)
    for row in document.rows:
        if row.is_action:
            add_row([(value, 1) for value in row.cells], center=document.centered)
        else:
            bold, italic = HEADING_STYLE.get(row.kind, (True, False))
            if row.kind == "section":
                add_row([(row.text, document.columns)], bold=bold, italic=italic, center={0})
            else:
                add_row([("", 1), (row.text, document.columns - 1)], bold=bold, italic=italic)

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
    return buffer.getvalue()


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
