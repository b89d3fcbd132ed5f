"""The PDF forms print what people typed, exactly: typst's markup and code characters in a
name, a cell or the signature are text, never markup or code, and every Kazakh letter is
drawn from the embedded DejaVu Sans."""

import json
import re
import subprocess
import tempfile

import pytest
import typst

from jospar.documents.appendices import FormRow, plan_form, report_form
from jospar.documents.render_pdf import literal, render_pdf, typst_source
from tests.worlds import appendix_plan_world, appendix_report_world

pytestmark = pytest.mark.django_db

# What a person may type that typst would read as markup or code outside a string literal.
HOSTILE = [
    '#panic("typed") and #read("/etc/passwd")',
    "*not bold* _not italic_ `not raw` $x^2$ -- --- ~",
    "[brackets] {braces} (parens) <label> @reference",
    'back\\slash \\u{41} \\n \\\\ and a "quoted" word',
    "= not a heading, // not a comment, /* nor this */",
    "#set page(flipped: false) #let x = 1 #{1 + 1}",
    "+ not a list item - nor this 1. nor this",
]
LETTERS = "әғқңөұүһі ӘҒҚҢӨҰҮҺІ"


def pdftotext(content: bytes, *options: str) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(content)
        file.flush()
        return subprocess.run(  # noqa: S603
            ["pdftotext", *options, file.name, "-"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout


def poppler(tool: str, content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(content)
        file.flush()
        return subprocess.run(  # noqa: S603
            [tool, file.name], capture_output=True, text=True, check=True
        ).stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        *((text, text) for text in HOSTILE),
        ("line 1\nline 2\r\nline 3\rline 4", "line 1\nline 2\nline 3\nline 4"),
        ("tab\there, a bell\x07 and a null\x00 gone", "tab here, a bell and a null gone"),
        ("separators\u2028and\u2029paragraphs", "separators\nand\nparagraphs"),
        (None, ""),
        (12, "12"),
    ],
)
def test_a_literal_is_the_text_itself(typed, shown):
    """typst reads each literal back as the very string (line breaks as line breaks)."""
    assert json.loads(typst.Compiler().eval(literal(typed), format="json")) == shown


def test_typed_markup_and_code_are_printed_as_typed(body):
    plan, _planner = appendix_plan_world(body)
    document = plan_form(plan, None, "en")
    action = next(row for row in document.rows if row.is_action)
    document.rows = [
        FormRow("section", text=HOSTILE[0]),
        FormRow("direction", text=HOSTILE[1]),
        FormRow("actions", text=HOSTILE[2]),
        *(FormRow("action", cells=[n, text, *action.cells[2:]]) for n, text in enumerate(HOSTILE)),
    ]
    document.body_name = HOSTILE[3]
    document.signature_name = HOSTILE[5]
    content = render_pdf(document)
    text = flat(pdftotext(content))
    for typed in HOSTILE:
        assert typed in text
    # The form is still A4 landscape: the typed "#set page(flipped: false)" did nothing.
    assert "841.89 x 595.276 pts (A4)" in poppler("pdfinfo", content)
    # Each typed text is in the source as a string literal.
    source = typst_source(document)
    assert all(literal(typed) in source for typed in HOSTILE)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_every_kazakh_letter_is_drawn_in_the_embedded_font(body, language):
    report, _monitor = appendix_report_world(body)
    document = report_form(report, language)
    action = next(row for row in document.rows if row.is_action)
    action.cells[1] = f"{LETTERS} {action.cells[1]}"
    document.signature_name = LETTERS
    content = render_pdf(document)
    text = pdftotext(content, "-layout")
    assert LETTERS in text  # in the signature, on one line
    assert all(letter in text for letter in LETTERS.replace(" ", ""))
    fonts = poppler("pdffonts", content).splitlines()[2:]
    assert fonts and all("DejaVuSans" in line for line in fonts)
    assert all(line.split()[-5] == "yes" for line in fonts)  # embedded
