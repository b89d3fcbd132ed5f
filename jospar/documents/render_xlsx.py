"""A legal form as an XLSX workbook: one A4 landscape sheet, the title block merged across the
table, the header and column-number rows frozen and repeated on every printed page, wrapped
text, and no cell a spreadsheet would run as a formula."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties

from jospar.documents.appendices import FormDocument
from jospar.lib.xlsx import set_text

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
TOP = Alignment(vertical="top", wrap_text=True)
TOP_CENTER = Alignment(horizontal="center", vertical="top", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
BOLD = Font(bold=True)
ITALIC = Font(italic=True)
SMALL = Font(italic=True, size=9)
TITLE = Font(bold=True, size=14)
HEADING_FONTS = {
    "section": BOLD,
    "direction": BOLD,
    "goal": BOLD,
    "macro": Font(bold=True, italic=True),
    "target": Font(bold=True, italic=True),
    "task": Font(bold=True, italic=True),
    "actions": ITALIC,
}


def render_xlsx(document: FormDocument) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Appendix %(number)s") % {"number": document.appendix}
    last = document.columns
    end = get_column_letter(last)

    def line(row: int, text: str, font=None, alignment=CENTER) -> None:
        cell = sheet.cell(row=row, column=1)
        set_text(cell, text)
        cell.alignment = alignment
        if font is not None:
            cell.font = font
        sheet.merge_cells(f"A{row}:{end}{row}")

    line(1, document.title, TITLE)
    line(2, document.body_name, BOLD)
    line(3, document.body_caption, SMALL)
    line(4, document.period, BOLD)
    line(5, document.note, SMALL)
    line(6, document.caption, ITALIC, Alignment(horizontal="left"))
    header, numbers = 7, 8
    for col, text in enumerate(document.headings, start=1):
        cell = sheet.cell(row=header, column=col)
        set_text(cell, text)
        cell.font, cell.alignment, cell.border = BOLD, CENTER, BOX
        cell = sheet.cell(row=numbers, column=col, value=col)
        cell.alignment, cell.border = CENTER, BOX

    r = numbers
    for row in document.rows:
        r += 1
        if row.is_action:
            for col, value in enumerate(row.cells, start=1):
                cell = sheet.cell(row=r, column=col)
                set_text(cell, value)
                cell.border = BOX
                cell.alignment = TOP_CENTER if col - 1 in document.centered else TOP
            continue
        # A heading: a section spans the whole table, the others leave column 1 empty.
        first = 1 if row.kind == "section" else 2
        sheet.cell(row=r, column=1).border = BOX
        cell = sheet.cell(row=r, column=first)
        set_text(cell, row.text)
        cell.font = HEADING_FONTS.get(row.kind, BOLD)
        cell.alignment = TOP_CENTER if row.kind == "section" else TOP
        for col in range(first, last + 1):
            sheet.cell(row=r, column=col).border = BOX
        sheet.merge_cells(start_row=r, start_column=first, end_row=r, end_column=last)

    if document.recommendations:
        r += 2
        line(r, document.recommendations_title, BOLD, LEFT)
        for text in document.recommendations:  # a line a row, a blank line left blank
            r += 1
            line(r, text or None, alignment=LEFT)
            _height(sheet, r, text, sum(document.widths))
    r += 2
    line(r, document.signature_title, BOLD, Alignment(horizontal="left", wrap_text=True))
    r += 1
    set_text(sheet.cell(row=r, column=2), document.signature_position)
    set_text(sheet.cell(row=r, column=4), document.signature_name)
    sheet.cell(row=r, column=last, value="____________")
    r += 1
    cell = sheet.cell(row=r, column=2)
    set_text(cell, document.signature_caption)
    cell.font = SMALL
    if document.eds_line:
        _eds(sheet, document, r, line)

    _widths(sheet, document)
    sheet.freeze_panes = f"A{numbers + 1}"
    sheet.print_title_rows = f"{header}:{numbers}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "&P / &N"
    sheet.evenFooter.center.text = "&P / &N"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _eds(sheet, document: FormDocument, r: int, line) -> None:
    """Under the signature block: the EDS line, the verification code's line and its QR code
    (an image anchored in the row after, which is made as tall as the image)."""
    from jospar.signatures.selectors import qr_png

    line(r + 2, document.eds_line, alignment=LEFT)
    line(r + 3, document.eds_code_line, SMALL, LEFT)
    image = Image(BytesIO(qr_png(document.eds_url, scale=3)))
    sheet.row_dimensions[r + 4].height = image.height * 0.75 + 4  # pixels → points
    sheet.add_image(image, f"A{r + 4}")


def _height(sheet, row: int, text: str, width: int) -> None:
    """A merged row tall enough for its wrapped text (a spreadsheet does not grow a merged
    row to its text): a line holds about `width` characters (the table's width) less a tenth,
    and takes 15 points."""
    lines = max(1, -(-len(text) * 11 // (width * 10)))
    if lines > 1:
        sheet.row_dimensions[row].height = 15 * lines


def _widths(sheet, document: FormDocument) -> None:
    """Narrow columns grow to their longest line; text columns keep a readable width and
    wrap."""
    narrow = document.narrow
    longest = {col: len(str(text)) for col, text in enumerate(document.headings, start=1)}
    for row in document.rows:
        if row.is_action:
            for col in narrow:
                longest[col] = max(longest[col], len(str(row.cells[col - 1] or "")))
    for col, width in enumerate(document.widths, start=1):
        if col in narrow:
            low, high = narrow[col]
            width = min(max(longest[col] + 2, low), high)
        sheet.column_dimensions[get_column_letter(col)].width = width
