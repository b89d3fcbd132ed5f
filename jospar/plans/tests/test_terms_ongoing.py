"""The ongoing / on-demand term ("по мере поступления", "тұрақты"): read as typed, kept as
typed, shown as typed, and due in every quarter."""

import datetime as dt

import pytest
from django.utils import translation

from jospar.deadlines.calendar import EVERY_QUARTER, due_quarters, is_due
from jospar.plans.models import term_values
from jospar.plans.terms import RECURRING, Term, TermKind, parse_term

YEAR = 2026

ONGOING = [
    "по мере поступления",
    "По мере поступления обращений",
    "по мере необходимости",
    "постоянно",
    "на постоянной основе",
    "в течение года по мере поступления запросов",
    "В течение года, по мере необходимости",
    "по запросу",
    "қажеттілігіне қарай",
    "Қажеттілігіне қарай",
    "тұрақты",
    "тұрақты негізде",
    "түсуіне қарай",
    "үнемі",
    "жыл бойы қажеттілігіне қарай",
    "as needed",
    "ongoing",
    "on demand",
]


@pytest.mark.parametrize("text", ONGOING)
def test_each_way_of_writing_ongoing_work_is_read_as_written(text):
    assert parse_term(text, year=YEAR) == Term(TermKind.ONGOING, text=text)


@pytest.mark.parametrize("text", ["в течение года", "ежеквартально", "II квартал", "жыл бойы"])
def test_other_terms_stay_what_they_were(text):
    assert parse_term(text, year=YEAR).kind != TermKind.ONGOING


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_an_ongoing_term_shows_as_written_and_without_a_text_by_its_label(language):
    with translation.override(language):
        assert str(Term(TermKind.ONGOING, text="по мере поступления")) == "по мере поступления"
        label = str(Term(TermKind.ONGOING))
    assert label == str(TermKind.ONGOING.label) or label
    # the label itself, as an export prints it, reads back as an ongoing term
    assert parse_term(label, year=YEAR).kind == TermKind.ONGOING


def test_the_label_is_worded_in_each_language():
    labels = {}
    for language in ("en", "ru", "kk"):
        with translation.override(language):
            labels[language] = str(TermKind.ONGOING.label)
    assert labels["en"] == "as needed / ongoing"
    assert len(set(labels.values())) == 3


def test_an_ongoing_action_is_due_every_quarter_even_after_it_was_done():
    term = Term(TermKind.ONGOING, text="постоянно")
    assert TermKind.ONGOING in RECURRING
    assert due_quarters(term) == EVERY_QUARTER
    assert all(is_due(term, quarter, executed_before=True) for quarter in (1, 2, 3, 4))


def test_its_text_belongs_to_the_ongoing_kind_only():
    assert Term(TermKind.ONGOING, text="  постоянно ").normalized().text == "постоянно"
    assert Term(TermKind.QUARTER, quarter=2, text="постоянно").normalized().text is None
    assert term_values(Term(TermKind.ONGOING, text="тұрақты"))["term_text"] == "тұрақты"
    assert term_values(Term(TermKind.DATE, date=dt.date(YEAR, 1, 1)))["term_text"] == ""
    assert Term(TermKind.ONGOING).problems(YEAR) == {}
