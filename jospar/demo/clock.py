"""The demo's clock: every step of the demo happens on the date it would have happened in a body
that has used Jospar since November 2025, so that the history, the deadlines and their lateness
read as they would there. The demo's "today" is 26 November 2026."""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.utils import timezone

ALMATY = ZoneInfo("Asia/Almaty")
PLAN_YEAR = 2026  # approved in January and monitored for three quarters
NEXT_YEAR = 2027  # in draft

# A step of a script: when it happens (Almaty) and what it does.
Step = tuple[dt.datetime, Callable[[], object]]


def moment(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=ALMATY)


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment of PLAN_YEAR in Almaty."""
    return moment(PLAN_YEAR, month, day, hour, minute)


@contextmanager
def on(when: dt.datetime | tuple) -> Iterator[None]:
    """Do what the block does at `when` (Almaty), for every service and history row: the clock
    stands still there. time-machine (a test dependency, installed by `make run`) moves the
    whole clock; an install without it has only Django's `timezone.now`, which is what the
    services, the deadline calendar and the history read."""
    if isinstance(when, tuple):
        when = moment(*when)
    try:
        import time_machine
    except ImportError:  # a production install, without the test extras
        from unittest import mock

        with mock.patch.object(timezone, "now", return_value=when.astimezone(dt.UTC)):
            yield
        return
    with time_machine.travel(when, tick=False):
        yield


def play(*scripts: Iterable[Step]) -> None:
    """Take the steps of the scripts in the order of their moments, each at its moment (steps
    at the same moment in the order the scripts give them)."""
    steps = [step for script in scripts for step in script]
    for when, step in sorted(steps, key=lambda step: step[0]):
        with on(when):
            step()
