"""A legal form as a DOCX document: A4 landscape, the title block, one table whose heading and
column-number rows repeat on every page, hierarchy rows spanning the text columns, the
recommendations to the officials (Appendix 2, R16) after the table, the signature block and
the page number in the footer ("n / N").

Only word/document.xml differs from one form to the next. The rest of the package (python-docx's
template with the form's page, footer and Normal style) is made and compressed once per process
(`_template`); each form deep-copies the template's document element, adds its title block and
signature through python-docx, and puts its table's rows, written as WordprocessingML text, in
place of a mark (python-docx's `row.cells` walks the whole grid on every call, and its element
wrappers cost ~40 calls a row)."""

import copy
import functools
import re
import zipfile
from html import escape
from io import BytesIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.oxml import serialize_part_xml
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
DOCUMENT_PART = "word/document.xml"


def render_docx(document: FormDocument) -> bytes:
    template, package = _template()
    doc = DocxDocument(copy.deepcopy(template.element), template.part)

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
    if document.eds_line:
        doc.add_paragraph()
        _line(doc, document.eds_line, align=WD_ALIGN_PARAGRAPH.LEFT)
        _line(doc, document.eds_code_line, size=8, align=WD_ALIGN_PARAGRAPH.LEFT)
        doc.add_paragraph()._p.append(etree.Comment(QR_MARK))

    xml = _with_rows(serialize_part_xml(doc.element), _table_rows(document, widths))
    if document.eds_line:
        xml, package = _with_qr(xml, package, document.eds_url)
    result = BytesIO(package)
    with zipfile.ZipFile(result, "a", zipfile.ZIP_DEFLATED) as target:
        target.writestr(DOCUMENT_PART, xml)
    return result.getvalue()


@functools.cache
def _template() -> tuple[DocxDocument, bytes]:
    """What every form shares, made once per process: python-docx's template with the form's
    page, footer and Normal style, and that package saved without its word/document.xml (each
    form adds its own). The template is only read afterwards (a form works on a copy of its
    document element), so threads may share it."""
    doc = Document()
    _page(doc)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(10)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:cs"), FONT)
    style.paragraph_format.space_after = Pt(0)
    saved = BytesIO()
    doc.save(saved)
    package = BytesIO()
    with (
        zipfile.ZipFile(saved) as source,
        zipfile.ZipFile(package, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != DOCUMENT_PART:
                target.writestr(info, source.read(info))
    return doc, package.getvalue()


ROWS_MARK = "jospar-table-rows"


def _with_rows(xml: bytes, rows: str) -> bytes:
    """word/document.xml with the table's rows, as text, in place of the mark: the rows never
    become elements (python-docx's tree of 2,000 rows took longer to build and serialize than
    everything else in the file). No text of a form can make the mark: every text is
    escaped."""
    head, found, tail = xml.partition(f"<!--{ROWS_MARK}-->".encode())
    if not found:
        raise ValueError("the table's mark is missing from word/document.xml")
    return head + rows.encode() + tail


QR_MARK = "jospar-eds-qr"
QR_ID = "rIdJosparEdsQr"
QR_PART = "word/media/eds-qr.png"
QR_SIZE = Mm(25)
# The QR code as an inline picture (DrawingML), referring to its part by QR_ID.
_QR_RUN = (
    '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
    '<wp:extent cx="{size}" cy="{size}"/><wp:docPr id="9001" name="EDS QR" descr="{url}"/>'
    '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
    '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
    '<pic:nvPicPr><pic:cNvPr id="0" name="eds-qr.png"/><pic:cNvPicPr/></pic:nvPicPr>'
    '<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
    '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{size}" cy="{size}"/></a:xfrm>'
    '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>'
    "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
)


def _with_qr(xml: bytes, package: bytes, url: str) -> tuple[bytes, bytes]:
    """The QR code of `url` in place of its mark in word/document.xml, and a copy of the shared
    package with the picture's part, its relationship and the PNG content type (the shared
    template itself is never changed)."""
    from jospar.signatures.selectors import qr_png

    run = _QR_RUN.format(size=int(QR_SIZE), url=escape(url), rid=QR_ID)
    head, found, tail = xml.partition(f"<!--{QR_MARK}-->".encode())
    if not found:
        raise ValueError("the QR code's mark is missing from word/document.xml")
    relationship = (
        f'<Relationship Id="{QR_ID}" Target="media/eds-qr.png" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/image"/></Relationships>'
    )
    png = '<Default Extension="png" ContentType="image/png"/></Types>'
    edited = {
        "word/_rels/document.xml.rels": lambda text: text.replace("</Relationships>", relationship),
        "[Content_Types].xml": lambda text: text.replace("</Types>", png),
    }
    result = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(package)) as source,
        zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename in edited:
                content = edited[info.filename](content.decode("utf-8")).encode("utf-8")
            target.writestr(info, content)
        target.writestr(QR_PART, qr_png(url))
    return head + run.encode() + tail, result.getvalue()


def _table_rows(document: FormDocument, widths: list[int]) -> str:
    """The table's rows as WordprocessingML: the two heading rows, then the hierarchy and
    action rows. An action row's cells are written from each column's start, made once, and
    the runs of texts that repeat (terms, forms of completion, executors) once each."""
    columns = document.columns
    rows = [_row([(text, 1) for text in document.headings], widths, header=True)]
    rows.append(_row([(n, 1) for n in range(1, columns + 1)], widths, header=True))
    starts = [_cell_start(widths, col, 1, col in document.centered) for col in range(columns)]
    runs: dict = {}
    for row in document.rows:
        if row.is_action:
            cells = []
            for start, value in zip(starts, row.cells, strict=True):
                run = runs.get(value)
                if run is None:
                    text = "" if value is None else str(value)
                    run = runs[value] = f"<w:r>{_run_xml(text)}</w:r>" if text else ""
                cells.append(f"{start}{run}</w:p></w:tc>")
            rows.append(f"<w:tr>{''.join(cells)}</w:tr>")
        else:
            bold, italic = HEADING_STYLE.get(row.kind, (True, False))
            if row.kind == "section":
                cells = [(row.text, columns)]
                rows.append(_row(cells, widths, bold=bold, italic=italic, center={0}))
            else:
                cells = [("", 1), (row.text, columns - 1)]
                rows.append(_row(cells, widths, bold=bold, italic=italic))
    return "".join(rows)


def _cell_start(widths: list[int], col: int, span: int, center: bool) -> str:
    """A cell up to its paragraph's run: its width in twips and span, its alignment."""
    width = round(sum(widths[col : col + span]) / 635)  # EMU → twips
    spanned = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    paragraph = '<w:pPr><w:jc w:val="center"/></w:pPr>' if center else ""
    return f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{spanned}</w:tcPr><w:p>{paragraph}'


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
        parts.append(_cell_start(widths, col, span, header or index in center))
        col += span
        text = "" if value is None else str(value)
        if text:
            parts.append(f"<w:r>{run_properties}{_run_xml(text)}</w:r>")
        parts.append("</w:p></w:tc>")
    parts.append("</w:tr>")
    return "".join(parts)


def _run_xml(text: str) -> str:
    """A run's content for a non-empty text: each control character an XML file cannot hold
    a space (`xml_text`), then as `_run_text` writes it. Most texts have no character to
    replace or escape, and go straight into one <w:t>."""
    if _SPECIAL.search(text) is None:
        space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
        return f"<w:t{space}>{text}</w:t>"
    return _run_text(xml_text(text))


_SPECIAL = re.compile(r"[\x00-\x1f&<>]")


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
