"""Whether a day is a reminder day for a deadline under a body's schedule: the chosen days
before it (moved back to the working day before when they fall on a day off), the day itself,
then every N working days after it."""

import datetime as dt
from functools import lru_cache

from jospar.deadlines.calendar import is_day_off


def working_on_or_before(day: dt.date) -> dt.date:
    while is_day_off(day):
        day -= dt.timedelta(days=1)
    return day


@lru_cache(maxsize=4096)
def _working_days_between(start: dt.date, end: dt.date) -> int:
    """The working days after `start` up to and including `end`."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if not is_day_off(day):
            count += 1
    return count


def is_reminder_day(
    deadline: dt.date, on: dt.date, *, before: list[int], on_the_day: bool, every_after: int
) -> bool:
    if on_the_day and on == working_on_or_before(deadline):
        return True  # a deadline on a day off is reminded of on the working day before it
    if on < deadline:
        return any(on == working_on_or_before(deadline - dt.timedelta(days=n)) for n in before)
    if on == deadline or not every_after or is_day_off(on):
        return False
    return _working_days_between(deadline, on) % every_after == 0
