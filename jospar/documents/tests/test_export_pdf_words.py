"""The PDF forms break lines between words only: every term of execution, in every language,
fits its column (a word split in a narrow column, such as "жартыжы|лдық", reads wrong)."""

import datetime as dt
import re
import subprocess
import tempfile

import pytest
from django.utils import translation

from jospar.documents.appendices import FormRow, plan_form, report_form
from jospar.documents.render_pdf import render_pdf
from jospar.plans.terms import Term, TermKind
from tests.worlds import appendix_plan_world, appendix_report_world

pytestmark = pytest.mark.django_db
TERM_COLUMN = {1: 4, 2: 3}  # the term's column (from 0) in Appendix 1 and Appendix 2


def every_term() -> list[str]:
    """Each way a term is written: every kind, every month (in a date and alone)."""
    terms = [Term(TermKind.QUARTER, quarter=q) for q in range(1, 5)]
    terms += [Term(TermKind.HALF, half=h) for h in (1, 2)]
    terms += [Term(kind) for kind in ("year", "monthly", "quarterly", "semiannual")]
    terms += [Term(TermKind.MONTH, month=m) for m in range(1, 13)]
    terms += [Term(TermKind.DATE, date=dt.date(2026, m, 28)) for m in range(1, 13)]
    return [str(term) for term in terms]


def pdf_words(content: bytes) -> set[str]:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(content)
        file.flush()
        text = subprocess.run(  # noqa: S603
            ["pdftotext", "-layout", file.name, "-"],  # noqa: S607
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    return set(re.findall(r"\w+", text))


def split_words(document, column: int) -> list[str]:
    with translation.override(document.language):
        terms = every_term()
    action = next(row for row in document.rows if row.is_action)
    document.rows = [
        FormRow("action", cells=[*action.cells[:column], term, *action.cells[column + 1 :]])
        for term in terms
    ]
    words = pdf_words(render_pdf(document))
    wanted = {w for text in [*terms, *document.headings] for w in re.findall(r"\w+", text)}
    return sorted(wanted - words)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_appendix_1_splits_no_word_of_a_term_or_heading(body, language):
    plan, _planner = appendix_plan_world(body)
    assert split_words(plan_form(plan, None, language), TERM_COLUMN[1]) == []


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_appendix_2_splits_no_word_of_a_term_or_heading(body, language):
    report, _monitor = appendix_report_world(body)
    assert split_words(report_form(report, language), TERM_COLUMN[2]) == []
