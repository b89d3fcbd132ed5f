"""A text a unit writes once a quarter stays in the language it was written in, and the report
page says which that is when it is not the page's."""

import pytest
from django.urls import reverse

from jospar.lib.languages import written_in
from jospar.lib.models import unguarded
from jospar.reports.models import ReportRow
from tests.worlds import LINED_SO_FAR, appendix_report_world

pytestmark = pytest.mark.django_db

KAZAKH = "12 шақырымның 7-і қапталды; қалғаны жүргізілуде"
RUSSIAN = "Облицовано 7 км из 12; остальное в работе"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        (KAZAKH, "kk"),
        (RUSSIAN, "ru"),
        (LINED_SO_FAR, "en"),
        ("Қазсушар", "kk"),
        ("12 / 7", None),
        ("", None),
    ],
)
def test_the_letters_tell_the_language(text, language):
    assert written_in(text) == language


def test_the_report_page_says_which_language_a_text_is_in(client, body):
    report, monitor = appendix_report_world(body)
    row = report.rows.exclude(actual="").first()
    with unguarded():
        ReportRow.objects.filter(pk=row.pk).update(actual=KAZAKH, reasons=RUSSIAN)
    client.force_login(monitor)
    url = reverse("reports:report", args=[body.pk, report.plan_id, report.quarter])
    page = client.get(url).content.decode()
    assert f'<span lang="kk">{KAZAKH}</span>' in page
    assert 'title="Written in Kazakh">KK</small>' in page
    assert f'<td lang="ru">{RUSSIAN}' in page
    assert 'title="Written in Russian">RU</small>' in page
