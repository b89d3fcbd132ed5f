"""Appendix 2 of a report larger than the one the other export tests share (their world is
built once for test_export_report.py): the export's queries do not grow with the actions, and
the PDF of a report of many pages repeats its header and numbers them."""

import io

import openpyxl
import pytest

from jospar.documents.appendices import report_form_file
from jospar.documents.tests.test_export import poppler
from tests.worlds import appendix_report_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("count", [5, 30])
def test_the_export_costs_the_same_queries_at_any_size(body, count, django_assert_max_num_queries):
    report, _monitor = appendix_report_world(body, extra=count)
    with django_assert_max_num_queries(12):
        file = report_form_file(report, file_format="xlsx", language="ru")
    sheet = openpyxl.load_workbook(io.BytesIO(file.content)).active
    numbers = [r[0] for r in sheet.iter_rows(min_row=9, values_only=True)]
    assert max(n for n in numbers if isinstance(n, int)) == count + 4


def test_the_pdf_repeats_the_header_and_numbers_its_pages(body, tmp_path):
    report, _monitor = appendix_report_world(body, extra=80)
    file = report_form_file(report, file_format="pdf", language="en")
    path = tmp_path / file.filename
    path.write_bytes(file.content)
    pages = [p for p in poppler("pdftotext", "-layout", str(path), "-").split("\f") if p.strip()]
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        assert "Reasons for non-" in page and "Actual execution" in page
        assert f"{number} / {len(pages)}" in page
