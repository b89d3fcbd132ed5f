"""A legal form as a PDF: WeasyPrint lays out an HTML page (A4 landscape, the table's heading
rows repeated on every page, page numbers in the bottom margin) in DejaVu Sans, which has every
Kazakh letter and is embedded in the file."""

from django.template.loader import render_to_string

from jospar.documents.appendices import FormDocument


def render_pdf(document: FormDocument) -> bytes:
    from weasyprint import HTML  # imported on use: it loads Pango, which takes a while

    total = sum(document.widths)
    html = render_to_string(
        "documents/export_form.html",
        {
            "document": document,
            "rows": document.rows,
            "widths": [f"{100 * w / total:.2f}" for w in document.widths],
            "centered": document.centered,
            "columns": document.columns,
            "span": document.columns - 1,
        },
    )
    return HTML(string=html).write_pdf()
