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
    transferred_working_days,
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


# --- the Government's calendar of Kazakhstan, 2025–2027 ------------------------------------
# The transferred working days are the ones the `holidays` package lists (holidays 0.109 lists
# Sunday 5 January 2025 for 2025 and none yet for 2026 and 2027); the calendar must follow the
# package, so each year's list is checked against it below as well.


@pytest.mark.parametrize(
    ("day", "off", "why"),
    [
        # 2025
        (D(2025, 1, 5), False, "Sunday made a working day for Friday 3 January"),
        (D(2025, 1, 3), True, "Friday, the day off moved from Sunday 5 January"),
        (D(2025, 1, 4), True, "an ordinary Saturday"),
        (D(2025, 1, 6), False, "an ordinary Monday"),
        (D(2025, 3, 24), True, "Nowruz, observed"),
        (D(2025, 3, 26), False, "an ordinary Wednesday"),
        (D(2025, 7, 7), True, "Capital Day, observed"),
        (D(2025, 12, 16), True, "Independence Day"),
        # 2026
        (D(2026, 1, 7), True, "Orthodox Christmas"),
        (D(2026, 1, 10), True, "an ordinary Saturday"),
        (D(2026, 1, 12), False, "an ordinary Monday"),
        (D(2026, 5, 11), True, "Victory Day, observed"),
        (D(2026, 10, 10), True, "an ordinary Saturday"),
        (D(2026, 10, 26), True, "Republic Day, observed"),
        # 2027
        (D(2027, 1, 4), True, "New Year, observed"),
        (D(2027, 1, 10), True, "an ordinary Sunday"),
        (D(2027, 1, 11), False, "an ordinary Monday"),
        (D(2027, 3, 15), True, "Constitution Day"),
        (D(2027, 5, 10), True, "Victory Day, observed"),
        (D(2027, 7, 10), True, "an ordinary Saturday"),
        (D(2027, 10, 25), True, "Republic Day"),
        # a Saturday the Government made a working day before the range
        (D(2024, 5, 4), False, "Saturday made a working day for Wednesday 8 May"),
        (D(2024, 5, 8), True, "the day off moved from Saturday 4 May"),
    ],
)
def test_days_off_follow_the_governments_calendar(day, off, why):
    assert is_day_off(day) is off, why


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_every_transferred_working_day_the_package_lists_is_a_working_day(year):
    import holidays

    listed = sorted(
        d for d in holidays.country_holidays("KZ", years=year).weekend_workdays if d.year == year
    )
    assert transferred_working_days(year) == listed
    for day in listed:
        assert day.weekday() >= 5  # a weekend day by nature...
        assert not is_day_off(day)  # ...that is a working day
    days = (D(year, 1, 1) + dt.timedelta(days=n) for n in range(366))
    weekends = [day for day in days if day.year == year and day.weekday() >= 5]
    assert all(is_day_off(day) for day in weekends if day not in listed)


def test_2025_has_the_transferred_sunday():
    assert D(2025, 1, 5) in transferred_working_days(2025)


@pytest.mark.parametrize(
    ("signed", "deadline"),
    [
        (D(2024, 12, 26), D(2025, 1, 5)),  # falls on the working Sunday: stays there
        (D(2024, 12, 24), D(2025, 1, 5)),  # 3 January is off, 4 a Saturday: the Sunday
        (D(2024, 12, 22), D(2025, 1, 5)),  # New Year: the first working day is the Sunday
        (D(2025, 3, 13), D(2025, 3, 26)),  # Nowruz 23–25 March 2025
        (D(2026, 3, 11), D(2026, 3, 26)),  # Nowruz 21–25 March 2026
        (D(2026, 4, 30), D(2026, 5, 12)),  # Sunday 10 May, Victory Day observed 11 May
        (D(2026, 12, 24), D(2027, 1, 5)),  # Sunday 3 January, New Year observed 4 January
        (D(2027, 4, 27), D(2027, 5, 11)),  # 7 May holiday, weekend, Victory Day observed
    ],
)
def test_r6_moved_off_days_off_2025_to_2027(settings, signed, deadline):
    settings.DEADLINES_MOVE_OFF_DAYS = True
    assert approval_deadline(signed) == deadline


@pytest.mark.parametrize(
    ("year", "quarter", "information", "report"),
    [
        (2024, 4, D(2025, 1, 10), D(2025, 1, 15)),
        (2025, 1, D(2025, 4, 10), D(2025, 4, 15)),
        (2025, 3, D(2025, 10, 10), D(2025, 10, 15)),
        (2025, 4, D(2026, 1, 12), D(2026, 1, 15)),  # Saturday 10 January 2026
        (2026, 3, D(2026, 10, 12), D(2026, 10, 15)),  # Saturday 10 October 2026
        (2026, 4, D(2027, 1, 11), D(2027, 1, 15)),  # Sunday 10 January 2027
        (2027, 1, D(2027, 4, 12), D(2027, 4, 15)),  # Saturday 10 April 2027
        (2027, 2, D(2027, 7, 12), D(2027, 7, 15)),  # Saturday 10 July 2027
        (2027, 3, D(2027, 10, 11), D(2027, 10, 15)),  # Sunday 10 October 2027
        (2027, 4, D(2028, 1, 10), D(2028, 1, 17)),  # Saturday 15 January 2028
    ],
)
def test_r13_r15_moved_off_days_off_2025_to_2027(settings, year, quarter, information, report):
    settings.DEADLINES_MOVE_OFF_DAYS = True
    assert information_deadline(year, quarter) == information
    assert report_deadline(year, quarter) == report


def test_without_the_setting_a_deadline_on_a_day_off_stays_as_written():
    assert approval_deadline(D(2024, 12, 24)) == D(2025, 1, 3)
    assert information_deadline(2025, 4) == D(2026, 1, 10)
