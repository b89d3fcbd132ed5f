"""Golden files: each form in each format, read back and dumped as normalised text, must equal
the dump stored in golden/. After an intended change of a form, rewrite them with

    JOSPAR_UPDATE_GOLDEN=1 .venv/bin/pytest jospar/documents/tests/test_export_golden.py

and review the diff. Russian and Kazakh goldens are written once the catalogs translate the
form's texts; until then their tests skip and say which text is missing."""

import io
import os
import subprocess
import tempfile
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation
from docx import Document
from docx.oxml.ns import qn

from jospar.documents.appendices import plan_form_file, report_form_file
from tests.worlds import appendix_plan_world, appendix_report_world

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("JOSPAR_UPDATE_GOLDEN") == "1"
# Texts of the form that are new with it: a language's golden waits for their translation.
FORM_TEXTS = ("Operational plan", "(name of the state body)", "for %(year)s year", "Actions")
REPORT_TEXTS = (
    "Report on implementation of the operational plan",
    "(name of the state body)",
    "for %(year)s, reporting period: quarter %(quarter)s",
    "Actions",
    "Actual execution of actions",
    "Recommendations, including recommendations for making changes to the operational plan",
    "The head of the structural unit responsible for the formation of the report on the "
    "implementation of the operational plan",
)


def dump_xlsx(content: bytes) -> str:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    lines = [f"sheet {sheet.title}", f"freeze {sheet.freeze_panes}"]
    lines.append(f"print titles {sheet.print_title_rows}")
    lines.append(f"page {sheet.page_setup.orientation} paper {sheet.page_setup.paperSize}")
    lines += [f"merge {r}" for r in sorted(str(r) for r in sheet.merged_cells.ranges)]
    for row in sheet.iter_rows():
        cells = [f"{c.coordinate}={c.value!r}" for c in row if c.value is not None]
        if cells:
            lines.append(" | ".join(cells))
    return "\n".join(lines) + "\n"


def dump_docx(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    section = document.sections[0]
    lines = [f"page {section.page_width.mm:.0f}x{section.page_height.mm:.0f} mm"]
    lines += [f"p {p.text}" for p in document.paragraphs if p.text]
    for table in document.tables:
        for row in table.rows:
            tr = row._tr
            header = tr.trPr is not None and tr.trPr.find(qn("w:tblHeader")) is not None
            cells = []
            for tc in tr.tc_lst:
                text = "".join(
                    (t.text or "") if t.tag == qn("w:t") else "\\n"  # a line break as \n
                    for t in tc.iter(qn("w:t"), qn("w:br"))
                )
                cells.append(f"{text} <span {tc.grid_span}>" if tc.grid_span > 1 else text)
            lines.append(("th " if header else "tr ") + " | ".join(cells))
    return "\n".join(lines) + "\n"


def dump_pdf(content: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(content)
        file.flush()
        text = subprocess.run(  # noqa: S603
            ["pdftotext", "-layout", file.name, "-"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return "\n".join(line.rstrip() for line in text.splitlines()).strip() + "\n"


DUMPS = {"xlsx": dump_xlsx, "docx": dump_docx, "pdf": dump_pdf}


def check(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"no golden {path.name}: run with JOSPAR_UPDATE_GOLDEN=1 and review it")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from its golden file"


def translated(language: str, texts=FORM_TEXTS) -> bool:
    if language == "en":
        return True
    with translation.override(language):
        return all(translation.gettext(m) != m for m in texts)


@pytest.mark.parametrize("file_format", ["xlsx", "docx", "pdf"])
@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_appendix_1_matches_its_golden_file(body, language, file_format):
    if not translated(language):
        pytest.skip(f"the {language} catalog does not translate the form's texts yet")
    plan, _planner = appendix_plan_world(body)
    file = plan_form_file(plan, revision="draft", file_format=file_format, language=language)
    check(f"appendix1-{language}.{file_format}.txt", DUMPS[file_format](file.content))


@pytest.mark.parametrize("file_format", ["xlsx", "docx", "pdf"])
@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_appendix_2_matches_its_golden_file(body, language, file_format):
    if not translated(language, REPORT_TEXTS):
        pytest.skip(f"the {language} catalog does not translate the report form's texts yet")
    report, _monitor = appendix_report_world(body)
    file = report_form_file(report, file_format=file_format, language=language)
    check(f"appendix2-{language}.{file_format}.txt", DUMPS[file_format](file.content))
