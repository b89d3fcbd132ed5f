"""Export → import → export gives the same rows: the Appendix 1 workbook Jospar writes (in
Kazakh, Russian and English) reads back into an empty plan of another year unchanged."""

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from jospar.documents.appendices import plan_form_file
from jospar.documents.importer import parse_plan_xlsx, plan_import
from jospar.plans import services as plans
from jospar.plans.models import CompletionForm
from jospar.plans.terms import TermKind
from tests.factories import operational_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(world, planner, body):
    """The 2026 draft with actions of every kind of term, anchor and executor."""
    plan = world["plan"]
    report = CompletionForm.objects.get(body=None, name="Report")
    own = CompletionForm.objects.create(body=body, name="Letter to the akimat")
    terms = [
        {"term_kind": TermKind.DATE, "term_date": dt.date(2026, 3, 15)},
        {"term_kind": TermKind.MONTH, "term_month": 5},
        {"term_kind": TermKind.QUARTER, "term_quarter": 4},
        {"term_kind": TermKind.HALF, "term_half": 2},
        {"term_kind": TermKind.YEAR},
        {"term_kind": TermKind.MONTHLY},
        {"term_kind": TermKind.QUARTERLY},
        {"term_kind": TermKind.SEMIANNUAL},
    ]
    anchors = [
        {"indicator": world["macro"]},
        {"indicator": world["target"]},
        {"indicator": world["target2"]},
        {"task": world["task"]},
    ]
    forms = [
        {"completion_form": report},
        {"completion_form": own},
        {"completion_text": "Protocol of the working group"},
    ]
    for n, term in enumerate(terms):
        plans.action_create(
            actor=planner,
            plan=plan,
            name=f"Action number {n + 1}",
            lead_unit=[world["water"], world["digital"], world["finance"]][n % 3],
            co_executors=[world["finance"]] if n % 3 == 0 else [],
            budget_programs=[world["program"], world["program2"]][: n % 3],
            **anchors[n % 4],
            **forms[n % 3],
            **term,
        )
    return plan


def table_rows(content: bytes) -> list[tuple]:
    """The table of the form: from the column-number row to the signature block."""
    sheet = load_workbook(BytesIO(content)).active
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(rows) if row[:3] == (1, 2, 3))
    end = max(i for i, row in enumerate(rows) if any(row))
    return rows[start : end - 2]


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_export_import_export_gives_the_same_rows(filled, world, planner, body, language):
    first = plan_form_file(filled, revision=None, file_format="xlsx", language=language)
    empty = operational_plan(body, 2027, development_plan=world["development"])
    result = parse_plan_xlsx(BytesIO(first.content), plan=empty)
    assert result.ok, [str(p) for p in result.problems]
    assert not result.warnings, [str(w) for w in result.warnings]
    assert len(plan_import(actor=planner, plan=empty, result=result)) == 8
    again = plan_form_file(empty, revision=None, file_format="xlsx", language=language)
    assert table_rows(again.content) == table_rows(first.content)
    assert len([row for row in table_rows(first.content) if isinstance(row[0], int)]) > 8
