"""Reading a term of execution back from text: what Term.__str__ writes in every language,
and what planners type by hand."""

import datetime as dt

import pytest
from django.utils import translation

from jospar.plans.terms import Term, TermKind, TermParseError, parse_term

YEAR = 2026

EVERY_KIND = [
    Term(TermKind.DATE, date=dt.date(YEAR, 3, 15)),
    Term(TermKind.DATE, date=dt.date(YEAR, 12, 1)),
    *(Term(TermKind.MONTH, month=m) for m in range(1, 13)),
    *(Term(TermKind.QUARTER, quarter=q) for q in range(1, 5)),
    Term(TermKind.HALF, half=1),
    Term(TermKind.HALF, half=2),
    Term(TermKind.YEAR),
    Term(TermKind.MONTHLY),
    Term(TermKind.QUARTERLY),
    Term(TermKind.SEMIANNUAL),
]
EVERY_DAY_OF_A_MONTH = [Term(TermKind.DATE, date=dt.date(YEAR, m, 10)) for m in range(1, 13)]


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
@pytest.mark.parametrize("term", EVERY_KIND + EVERY_DAY_OF_A_MONTH, ids=repr)
def test_it_reads_what_the_term_writes(language, term):
    with translation.override(language):
        text = str(term)
    assert parse_term(text, year=YEAR) == term, text


HAND_TYPED = [
    ("15.03.2026", Term(TermKind.DATE, date=dt.date(2026, 3, 15))),
    ("до 15.03.2026 г.", Term(TermKind.DATE, date=dt.date(2026, 3, 15))),
    ("15.03.26", Term(TermKind.DATE, date=dt.date(2026, 3, 15))),
    ("2026-03-15", Term(TermKind.DATE, date=dt.date(2026, 3, 15))),
    ("до 20 декабря 2026 года", Term(TermKind.DATE, date=dt.date(2026, 12, 20))),
    ("20 желтоқсанға дейін", Term(TermKind.DATE, date=dt.date(2026, 12, 20))),
    ("by December 20", Term(TermKind.DATE, date=dt.date(2026, 12, 20))),
    ("Декабрь", Term(TermKind.MONTH, month=12)),
    ("в декабре", Term(TermKind.MONTH, month=12)),
    ("декабрь 2026 года", Term(TermKind.MONTH, month=12)),
    ("желтоқсан айы", Term(TermKind.MONTH, month=12)),
    ("in May", Term(TermKind.MONTH, month=5)),
    ("Q2", Term(TermKind.QUARTER, quarter=2)),
    ("II квартал", Term(TermKind.QUARTER, quarter=2)),
    ("IV квартал 2026 года", Term(TermKind.QUARTER, quarter=4)),
    ("в III квартале", Term(TermKind.QUARTER, quarter=3)),
    ("IV кв. 2026 г.", Term(TermKind.QUARTER, quarter=4)),  # the usual abbreviation
    ("2 кв.", Term(TermKind.QUARTER, quarter=2)),
    ("в 1 кв.", Term(TermKind.QUARTER, quarter=1)),
    ("II тоқсан", Term(TermKind.QUARTER, quarter=2)),
    ("2-тоқсан", Term(TermKind.QUARTER, quarter=2)),
    ("second quarter", Term(TermKind.QUARTER, quarter=2)),
    ("quarter 4", Term(TermKind.QUARTER, quarter=4)),
    ("1st half-year", Term(TermKind.HALF, half=1)),
    ("first half of the year", Term(TermKind.HALF, half=1)),
    ("H2", Term(TermKind.HALF, half=2)),
    ("в первом полугодии", Term(TermKind.HALF, half=1)),
    ("II полугодие", Term(TermKind.HALF, half=2)),
    ("1-жартыжылдық", Term(TermKind.HALF, half=1)),
    ("during the year", Term(TermKind.YEAR)),
    ("в течение года", Term(TermKind.YEAR)),
    ("В течение 2026 года", Term(TermKind.YEAR)),
    ("до конца года", Term(TermKind.YEAR)),
    ("2026 год", Term(TermKind.YEAR)),
    ("жыл бойы", Term(TermKind.YEAR)),
    ("Ежегодно", Term(TermKind.YEAR)),
    ("monthly", Term(TermKind.MONTHLY)),
    ("ежемесячно", Term(TermKind.MONTHLY)),
    ("ай сайын", Term(TermKind.MONTHLY)),
    ("quarterly", Term(TermKind.QUARTERLY)),
    ("Ежеквартально", Term(TermKind.QUARTERLY)),
    ("тоқсан сайын", Term(TermKind.QUARTERLY)),
    ("semiannually", Term(TermKind.SEMIANNUAL)),
    ("раз в полугодие", Term(TermKind.SEMIANNUAL)),
    ("  Ежемесячно.  ", Term(TermKind.MONTHLY)),
    ("", None),
    ("—", None),
]


@pytest.mark.parametrize(("text", "term"), HAND_TYPED)
def test_it_reads_hand_typed_terms(text, term):
    assert parse_term(text, year=YEAR) == term


NOT_TERMS = [
    ("I–II квартал", "not a term of execution"),
    ("как можно скорее", "not a term of execution"),
    ("31.02.2026", "no such date"),
    ("5 quarter", "not a term of execution"),
    ("IV квартал 2025 года", "is in 2025, but the plan is for 2026"),
    ("IV кв. 2025 г.", "is in 2025, but the plan is for 2026"),
    ("ежемесячно 15.03.2026", "not a term of execution"),
]


@pytest.mark.parametrize(("text", "message"), NOT_TERMS)
def test_it_says_what_is_wrong_with_a_text_that_is_not_a_term(text, message):
    with pytest.raises(TermParseError, match=message):
        parse_term(text, year=YEAR)


def test_a_date_of_another_year_is_read_and_left_to_the_term_check():
    term = parse_term("15.03.2025", year=YEAR)
    assert term == Term(TermKind.DATE, date=dt.date(2025, 3, 15))
    assert "term_date" in term.problems(YEAR)
