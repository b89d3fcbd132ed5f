"""The reminder days of a deadline: the days before (moved back off days off), the day, then
every N working days; and the schedule's text as its administrator types it."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jospar.reminders.models import parse_days
from jospar.reminders.schedule import is_reminder_day

DEFAULTS = {"before": [5, 1], "on_the_day": True, "every_after": 2}


def reminder_days(deadline, first, last, **options):
    day, found = first, []
    while day <= last:
        if is_reminder_day(deadline, day, **(DEFAULTS | options)):
            found.append(day)
        day += dt.timedelta(days=1)
    return found


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_defaults_remind_five_days_and_one_day_before_on_the_day_then_every_two_working_days():
    # Wednesday 11 November 2026; the 14th and 15th are a weekend.
    assert reminder_days(d("2026-11-11"), d("2026-11-01"), d("2026-11-19")) == [
        d("2026-11-06"),  # 5 days before (Friday)
        d("2026-11-10"),  # the day before
        d("2026-11-11"),  # the day
        d("2026-11-13"),  # 2 working days after
        d("2026-11-17"),  # 4 (the weekend is not counted)
        d("2026-11-19"),  # 6
    ]


def test_a_reminder_day_on_a_weekend_moves_to_the_working_day_before():
    # Monday 16 November 2026: the day before is a Sunday, reminded of on Friday the 13th.
    days = reminder_days(d("2026-11-16"), d("2026-11-09"), d("2026-11-16"), every_after=0)
    assert days == [d("2026-11-11"), d("2026-11-13"), d("2026-11-16")]


def test_a_deadline_on_a_day_off_is_reminded_of_on_the_working_day_before():
    # Sunday 15 November 2026, "on the day" only: Friday the 13th.
    days = reminder_days(
        d("2026-11-15"), d("2026-11-09"), d("2026-11-16"), before=[], every_after=0
    )
    assert days == [d("2026-11-13")]


def test_nothing_after_the_deadline_when_the_schedule_says_zero():
    days = reminder_days(d("2026-11-11"), d("2026-11-12"), d("2026-11-30"), every_after=0)
    assert days == []


def test_a_public_holiday_is_not_a_working_day():
    # Independence Day, 16 December 2026 (Wednesday), and the 17th are days off in Kazakhstan
    # in the calendar the deadlines use; a deadline on Tuesday the 15th: 2 working days after
    # is Friday the 18th at the earliest.
    days = reminder_days(d("2026-12-15"), d("2026-12-16"), d("2026-12-21"), before=[])
    from jospar.deadlines.calendar import is_day_off

    working = [
        day
        for day in (d("2026-12-16"), d("2026-12-17"), d("2026-12-18"), d("2026-12-21"))
        if not is_day_off(day)
    ]
    assert days == [working[1]]


@pytest.mark.parametrize(
    ("typed", "days"),
    [("5,1", [5, 1]), (" 1; 5 , 3 ", [5, 3, 1]), ("", []), ("7, 7", [7])],
)
def test_the_days_before_as_typed(typed, days):
    assert parse_days(typed) == days


@pytest.mark.parametrize("typed", ["5, x", "0", "61", "-1", "2.5"])
def test_days_before_that_are_not_days_are_refused_by_name(typed):
    with pytest.raises(ValidationError) as refused:
        parse_days(typed)
    assert "is not a number of days from 1 to 60" in refused.value.messages[0]
