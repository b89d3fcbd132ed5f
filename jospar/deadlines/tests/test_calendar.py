import datetime as dt

import pytest
import time_machine
from django.utils import translation

from jospar.deadlines.calendar import (
    approval_deadline,
    countdown,
    days_late,
    due_quarters,
    information_deadline,
    is_day_off,
    is_due,
    quarter_end,
    quarter_start,
    report_deadline,
)
from jospar.plans.terms import Term

D = dt.date


@pytest.mark.parametrize(
    ("signed", "deadline"),
    [
        (D(2024, 12, 27), D(2025, 1, 6)),
        (D(2024, 2, 25), D(2024, 3, 6)),  # leap year: 29 February counts
        (D(2025, 2, 25), D(2025, 3, 7)),
    ],
)
def test_approval_is_due_ten_calendar_days_after_signing(signed, deadline):
    assert approval_deadline(signed) == deadline


@pytest.mark.parametrize(
    ("year", "quarter", "information", "report"),
    [
        (2026, 1, D(2026, 4, 10), D(2026, 4, 15)),
        (2026, 2, D(2026, 7, 10), D(2026, 7, 15)),
        (2026, 3, D(2026, 10, 10), D(2026, 10, 15)),
        (2026, 4, D(2027, 1, 10), D(2027, 1, 15)),  # Q4: January of the next year
        (2024, 1, D(2024, 4, 10), D(2024, 4, 15)),  # a leap year changes nothing here
        (2024, 4, D(2025, 1, 10), D(2025, 1, 15)),
    ],
)
def test_quarterly_deadlines_as_the_rules_write_them(year, quarter, information, report):
    assert information_deadline(year, quarter) == information
    assert report_deadline(year, quarter) == report


@pytest.mark.parametrize(
    ("year", "quarter", "information", "report"),
    [
        (2026, 1, D(2026, 4, 10), D(2026, 4, 15)),  # Friday, Wednesday: unchanged
        (2026, 2, D(2026, 7, 10), D(2026, 7, 15)),
        (2026, 3, D(2026, 10, 12), D(2026, 10, 15)),  # 10 October 2026 is a Saturday
        (2026, 4, D(2027, 1, 11), D(2027, 1, 15)),  # 10 January 2027 is a Sunday
        (2025, 4, D(2026, 1, 12), D(2026, 1, 15)),  # Saturday 10 January 2026
    ],
)
def test_the_setting_moves_a_deadline_off_days_off(settings, year, quarter, information, report):
    settings.DEADLINES_MOVE_OFF_DAYS = True
    assert information_deadline(year, quarter) == information
    assert report_deadline(year, quarter) == report


def test_the_setting_also_moves_past_public_holidays(settings):
    # Signed on 27 December 2025: ten days is 6 January 2026, a Tuesday; 7 January is
    # Orthodox Christmas, a public holiday, so signing a day later moves to 8 January.
    settings.DEADLINES_MOVE_OFF_DAYS = True
    assert approval_deadline(D(2025, 12, 28)) == D(2026, 1, 8)
    assert is_day_off(D(2026, 3, 23))  # Nowruz


def test_countdown_says_days_left_or_late():
    deadline = D(2025, 1, 6)
    with translation.override("en"):
        assert str(countdown(deadline, D(2025, 1, 1))) == "5 days left"
        assert str(countdown(deadline, D(2025, 1, 6))) == "due today"
        assert str(countdown(deadline, D(2025, 1, 7))) == "1 day late"
    late = countdown(deadline, D(2025, 1, 9))
    assert late.is_late and late.days_late == 3


def utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("deadline", "moment", "late"),
    [
        (D(2026, 4, 10), D(2026, 4, 1), 0),  # before the deadline
        (D(2026, 4, 10), D(2026, 4, 10), 0),  # on the day itself
        (D(2026, 4, 10), D(2026, 4, 11), 1),
        (D(2027, 1, 10), D(2027, 1, 15), 5),
        (D(2026, 12, 30), D(2027, 1, 2), 3),  # across the new year
        # A time counts on its day in Almaty (UTC+5 since 1 March 2024): 23:59 there is on time,
        # one minute later is a day late, although both are 10 April in UTC.
        (D(2026, 4, 10), utc(2026, 4, 10, 18, 59), 0),
        (D(2026, 4, 10), utc(2026, 4, 10, 19, 0), 1),
        # Before 1 March 2024 Almaty was UTC+6: 18:30 UTC was already the next day.
        (D(2024, 1, 10), utc(2024, 1, 10, 18, 30), 1),
        (D(2024, 1, 10), utc(2024, 1, 10, 17, 59), 0),
    ],
)
def test_days_late_counts_whole_days_in_almaty(deadline, moment, late):
    assert days_late(deadline, moment) == late
    assert countdown(deadline, moment).days_late == late
    assert countdown(deadline, moment).is_late == (late > 0)


def test_days_late_without_a_moment_is_as_of_today_in_almaty():
    # 20:00 UTC on 10 April is 1:00 on 11 April in Almaty.
    with time_machine.travel(utc(2026, 4, 10, 20, 0), tick=False):
        assert days_late(D(2026, 4, 10)) == 1
        assert days_late(D(2026, 4, 11)) == 0


@pytest.mark.parametrize(
    ("term", "quarters"),
    [
        (Term("date", date=D(2026, 12, 20)), {4}),
        (Term("date", date=D(2026, 3, 31)), {1}),
        (Term("month", month=4), {2}),
        (Term("quarter", quarter=3), {3}),
        (Term("half", half=1), {2}),
        (Term("half", half=2), {4}),
        (Term("year"), {4}),
        (Term("monthly"), {1, 2, 3, 4}),
        (Term("quarterly"), {1, 2, 3, 4}),
        (Term("semiannual"), {2, 4}),
        (None, set()),
    ],
)
def test_the_quarters_an_action_is_due_in(term, quarters):
    assert due_quarters(term) == quarters


def test_a_late_one_off_action_stays_due_until_executed():
    term = Term("quarter", quarter=2)
    assert [is_due(term, q) for q in (1, 2, 3, 4)] == [False, True, True, True]
    assert not is_due(term, 3, executed_before=True)
    semiannual = Term("semiannual")
    assert [is_due(semiannual, q) for q in (1, 2, 3, 4)] == [False, True, False, True]


@pytest.mark.parametrize(
    ("quarter", "start", "end"),
    [
        (1, D(2024, 1, 1), D(2024, 3, 31)),
        (2, D(2024, 4, 1), D(2024, 6, 30)),
        (3, D(2024, 7, 1), D(2024, 9, 30)),
        (4, D(2024, 10, 1), D(2024, 12, 31)),
    ],
)
def test_a_quarter_starts_and_ends(quarter, start, end):
    assert (quarter_start(2024, quarter), quarter_end(2024, quarter)) == (start, end)
