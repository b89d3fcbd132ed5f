"""A legal form as a PDF, laid out by typst (the `typst` package: the compiler is in its wheel,
no system library): A4 landscape, the table's two heading rows (the headings and the column
numbers) repeated on every page, rows never split across pages, "n / N" in the bottom margin,
in DejaVu Sans (every Kazakh letter), which is vendored in `fonts/` and embedded in the file.

Every text of the form, the user's included, goes into the typst source as a string literal
(`literal`): typst shows a string as it is, so a `#`, `*`, `$`, `[`, `\\` or `@` someone typed
is printed, never read as markup or run as code.

The compiler runs in a short-lived Python process of its own (`compile_pdf`): typst keeps the
memoised layout of each compilation in the process for the next ten (300 MiB and more for a
form of 2,000 actions), which a long-running worker would otherwise carry from export to
export. Starting the process costs about 0.1 s.

The table is marked as a PDF artifact, so that typst does not tag it: the `typst` package
exports tagged PDF with no switch to turn the tags off, and the tags of a 2,000-row table
(a structure element per row, cell and paragraph) make the file six times larger, over 4 MB.
The title, the captions, the recommendations to the officials and the signature stay
tagged. (The WeasyPrint PDF before was not tagged at all; the XLSX is the form to read with a
screen reader.)
"""

from __future__ import annotations

import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jospar.documents.appendices import FormDocument

FONTS = Path(__file__).resolve().parent / "fonts"

# A typst string literal escapes its quote and backslash; a line break is written "\n" (the
# cell shows it as a new line); a tab is a space; other control characters are dropped.
_ESCAPES = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\t"): " "}
_ESCAPES |= {code: None for code in [*range(32), 127] if code not in (9, 10)}
_ESCAPES |= {0x2028: "\\n", 0x2029: "\\n"}  # the Unicode line and paragraph separators

# The page, the text and the look of each kind of row. The spaces of "n / N" are wider than
# a word space: at a normal width, text extraction reads DejaVu's slash as "n/N". `caption`
# is the small italic line under the body's name and the period; the heading rows of the
# table are `head`.
_PREAMBLE = """\
#set document(title: {title})
#set page(paper: "a4", flipped: true, margin: (top: 14mm, bottom: 16mm, x: 12mm),
  footer: context align(center, text(size: 8pt, spacing: 150%,
    counter(page).display("1 / 1", both: true))))
#set text(font: "DejaVu Sans", size: 8.5pt, lang: "{lang}", hyphenate: false)
#set par(leading: 0.45em, spacing: 0.6em)
#set table.cell(breakable: false)
#let caption(body) = align(center, text(size: 7pt, style: "italic", body))
#let head(body) = table.cell(align: center + horizon, strong(body))
#let number(body) = table.cell(align: center + horizon, body)
#let section(body) = table.cell(colspan: {columns}, align: center, strong(body))
#let bold(body) = table.cell(colspan: {span}, strong(body))
#let bolditalic(body) = table.cell(colspan: {span}, text(weight: "bold", style: "italic", body))
#let italic(body) = table.cell(colspan: {span}, emph(body))
#align(center, text(size: 13pt, weight: "bold", {title}))
#align(center, text(size: 11pt, weight: "bold", {body_name}))
#caption({body_caption})
#align(center, text(size: 10.5pt, weight: "bold", {period}))
#caption({note})
#v(4pt)
#emph({caption_text})
#pdf.artifact(table(
columns: ({widths}),
stroke: 0.5pt,
inset: (x: 3pt, y: 2pt),
align: ({aligns}),
table.header({headings}),
"""

# After the table: the recommendations to the officials (Appendix 2, R16), their heading kept
# on the page of their first line, their lines as typed; then the signature.
_RECOMMENDATIONS = """\
#block(sticky: true, above: 14pt, below: 5pt, strong({title}))
#block({text})
"""

_SIGNATURE = """\
#block(breakable: false, above: 14pt, stack(spacing: 5pt,
  strong({title}),
  grid(columns: (40%, 35%, 1fr), {position}, {name}, "____________"),
  text(size: 7pt, style: "italic", {caption}),{eds}
))
"""

# Under the signature, for a form signed with the digital signature: the QR code of the
# verification URL (an SVG) beside the EDS line and the verification code's line.
# (one more item of the signature's stack, so that the page never parts them)
_EDS = """
  v(6pt),
  grid(columns: (22mm, 1fr), gutter: 8pt, align: horizon,
    image(bytes({svg}), format: "svg", width: 22mm, alt: {url}),
    stack(spacing: 5pt, text({line}), text(size: 7pt, {code_line})),
  ),"""

# How a heading row of each kind looks (a function of the preamble); "section" spans the
# whole row, the others leave the number's column empty.
_HEADING_STYLE = {
    "section": "section",
    "direction": "bold",
    "goal": "bold",
    "macro": "bolditalic",
    "target": "bolditalic",
    "task": "bolditalic",
    "actions": "italic",
}


def literal(value) -> str:
    """`value` (text, a number or None) as a typst string literal."""
    if value is None:
        return '""'
    text = str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return '"' + text.translate(_ESCAPES) + '"'


def typst_source(document: FormDocument) -> str:
    """The typst markup of the form; every text in it is a `literal`."""
    columns = document.columns
    centered = document.centered
    parts = [
        _PREAMBLE.format(
            title=literal(document.title),
            lang=document.language,
            columns=columns,
            span=columns - 1,
            body_name=literal(document.body_name),
            body_caption=literal(document.body_caption),
            period=literal(document.period),
            note=literal(document.note),
            caption_text=literal(document.caption),
            widths=", ".join(f"{width}fr" for width in document.widths),
            aligns=", ".join("center" if i in centered else "left" for i in range(columns)),
            headings=", ".join(
                [f"head({literal(h)})" for h in document.headings]
                + [f'number("{n}")' for n in range(1, columns + 1)]
            ),
        )
    ]
    append = parts.append
    for row in document.rows:
        if row.is_action:
            append(", ".join(map(literal, row.cells)) + ",\n")
        else:
            style = _HEADING_STYLE.get(row.kind, "bold")
            empty = "" if style == "section" else "[], "
            append(f"{empty}{style}({literal(row.text)}),\n")
    append("))\n")  # the end of the table
    if document.recommendations:
        append(
            _RECOMMENDATIONS.format(
                title=literal(document.recommendations_title),
                text=literal("\n".join(document.recommendations)),
            )
        )
    append(
        _SIGNATURE.format(
            title=literal(document.signature_title),
            position=literal(document.signature_position),
            name=literal(document.signature_name),
            caption=literal(document.signature_caption),
            eds=_eds(document),
        )
    )
    return "".join(parts)


def _eds(document: FormDocument) -> str:
    """The EDS lines and the QR code of a signed form; nothing for an unsigned one."""
    if not document.eds_line:
        return ""
    from jospar.signatures.selectors import qr_svg

    return _EDS.format(
        svg=literal(qr_svg(document.eds_url)),
        url=literal(document.eds_url),
        line=literal(document.eds_line),
        code_line=literal(document.eds_code_line),
    )


# The compiling process: the source on its standard input, the PDF on its output. Fonts: the
# vendored DejaVu Sans and typst's own (a fallback for a character DejaVu lacks), no system
# font, so that the file is the same on every machine.
_COMPILE = """\
import sys, typst
fonts = typst.Fonts(include_system_fonts=False, font_paths=[sys.argv[1]])
sys.stdout.buffer.write(typst.compile(sys.stdin.buffer.read(), font_paths=fonts))
"""


class PdfError(RuntimeError):
    """typst could not compile a form (a defect of this module, not of the user's text)."""


def compile_pdf(source: str) -> bytes:
    """The PDF of a typst `source`, compiled in a process of its own (see the module's
    docstring); in this process if there is no Python executable to start."""
    if not sys.executable:
        return _compile_here(source)
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed program, no shell
        [sys.executable, "-I", "-c", _COMPILE, str(FONTS)],
        input=source.encode(),
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        raise PdfError(done.stderr.decode(errors="replace").strip()[-2000:])
    return done.stdout


@cache
def _fonts():
    import typst

    return typst.Fonts(include_system_fonts=False, font_paths=[str(FONTS)])


def _compile_here(source: str) -> bytes:
    import typst

    return typst.compile(source.encode(), font_paths=_fonts())


def render_pdf(document: FormDocument) -> bytes:
    return compile_pdf(typst_source(document))
