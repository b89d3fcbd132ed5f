"""The deadline calendar of the Rules. Every deadline the Rules set is computed here, and
nothing else computes one.

- R6: the operational plan is approved within ten calendar days from the signing of the
  development plan (or of the amendment the plan is based on). `approval_basis` says which
  date counts for a plan of a later year of the development plan (see there).
- R13: units give their quarterly information by the 10th day of the month after the quarter
  (the fourth quarter: 10 January of the next year).
- R15: the monitoring unit gives its quarterly report by the 15th of that month.

Dates are in Asia/Almaty. Whether a deadline that falls on a day off moves to the next
working day is the setting DEADLINES_MOVE_OFF_DAYS (default: no, as the Rules write it). Days
off come from the `holidays` package's calendar of Kazakhstan: its weekends and public holidays
(with the days off the Government moves from weekends), less the weekend days the Government
makes working days (the package's `weekend_workdays`, e.g. Sunday 5 January 2025).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

APPROVAL_DAYS = 10
INFORMATION_DAY = 10
REPORT_DAY = 15


def today() -> dt.date:
    """Today in Asia/Almaty (the project's time zone)."""
    return timezone.localdate()


@lru_cache(maxsize=32)
def _kz_calendar(year: int) -> holidays.HolidayBase:
    """Kazakhstan's calendar for one year: public holidays, weekends and the weekend days
    the Government makes working days, as the `holidays` package knows them."""
    return holidays.country_holidays("KZ", years=year)


def is_day_off(day: dt.date) -> bool:
    """A weekend day that is not a transferred working day, or a public holiday."""
    return not _kz_calendar(day.year).is_working_day(day)


def transferred_working_days(year: int) -> list[dt.date]:
    """The weekend days of `year` the Government makes working days (from the package)."""
    return sorted(d for d in _kz_calendar(year).weekend_workdays if d.year == year)


def _as_set(day: dt.date) -> dt.date:
    """The deadline as the setting wants it: as written, or moved past the days off."""
    if not getattr(settings, "DEADLINES_MOVE_OFF_DAYS", False):
        return day
    while is_day_off(day):
        day += dt.timedelta(days=1)
    return day


def approval_deadline(signed_on: dt.date) -> dt.date:
    """R6: ten calendar days from the date of signing."""
    return _as_set(signed_on + dt.timedelta(days=APPROVAL_DAYS))


@dataclass(frozen=True)
class ApprovalBasis:
    """The date R6's ten days run from, and what that date is."""

    DEVELOPMENT_PLAN = "development_plan"
    AMENDMENT = "amendment"
    RECORDED = "recorded"

    kind: str
    on: dt.date

    @property
    def deadline(self) -> dt.date:
        return approval_deadline(self.on)

    def __str__(self) -> str:
        params = {"days": APPROVAL_DAYS, "date": f"{self.on:%d.%m.%Y}"}
        if self.kind == self.AMENDMENT:
            return _("%(days)s days from the amendment of %(date)s") % params
        if self.kind == self.RECORDED:
            return _("%(days)s days from the basis date recorded on the plan, %(date)s") % params
        return _("%(days)s days from the signing of the development plan on %(date)s") % params


def recent_from(year: int) -> dt.date:
    """The earliest signing that is recent for the plan of `year`: 1 January of the year
    before it."""
    return dt.date(year - 1, 1, 1)


def approval_basis(
    *,
    year: int,
    first_year: int,
    signed_on: dt.date,
    amendment_signed_on: dt.date | None = None,
    recorded_on: dt.date | None = None,
) -> ApprovalBasis | None:
    """R6's basis for the operational plan of `year` of a development plan whose period starts
    in `first_year` and which was signed on `signed_on`:

    1. the amendment the plan rests on, if it was signed recently: on or after 1 January of
       the year before the plan's year;
    2. else the development plan's signing, for its first year or when it is recent (the same
       bound);
    3. else the basis date the planner recorded on the plan (e.g. the day the development
       plan's values for that year were confirmed);
    4. else none: the deadline is unknown until a basis date is recorded (never counted from a
       signing years old)."""
    bound = recent_from(year)
    if amendment_signed_on is not None and amendment_signed_on >= bound:
        return ApprovalBasis(ApprovalBasis.AMENDMENT, amendment_signed_on)
    if year == first_year or signed_on >= bound:
        return ApprovalBasis(ApprovalBasis.DEVELOPMENT_PLAN, signed_on)
    if recorded_on is not None:
        return ApprovalBasis(ApprovalBasis.RECORDED, recorded_on)
    return None


def _day_after_quarter(year: int, quarter: int, day: int) -> dt.date:
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1–4, got {quarter}")
    if quarter == 4:
        return dt.date(year + 1, 1, day)
    return dt.date(year, quarter * 3 + 1, day)


def information_deadline(year: int, quarter: int) -> dt.date:
    """R13: the units' information, by the 10th of the month after the quarter."""
    return _as_set(_day_after_quarter(year, quarter, INFORMATION_DAY))


def report_deadline(year: int, quarter: int) -> dt.date:
    """R15: the monitoring unit's report, by the 15th of the month after the quarter."""
    return _as_set(_day_after_quarter(year, quarter, REPORT_DAY))


def quarter_start(year: int, quarter: int) -> dt.date:
    return dt.date(year, 3 * quarter - 2, 1)


def quarter_end(year: int, quarter: int) -> dt.date:
    return _day_after_quarter(year, quarter, 1) - dt.timedelta(days=1)


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def local_day(moment: dt.date | dt.datetime) -> dt.date:
    """The day a moment falls on in Asia/Almaty; a date is its own day."""
    if isinstance(moment, dt.datetime):
        return timezone.localdate(moment)
    return moment


def days_late(deadline: dt.date, moment: dt.date | dt.datetime | None = None) -> int:
    """Whole days past the deadline on the day of `moment` in Asia/Almaty (a time is taken on
    its day there; none: today); 0 on the deadline or before it. The one place lateness is
    computed: what is recorded at sign-off, submission and approval, and every countdown."""
    on = today() if moment is None else local_day(moment)
    return max(0, (on - deadline).days)


@dataclass(frozen=True)
class Countdown:
    """Where a date stands against its deadline: days left (>= 0) or days late (> 0)."""

    deadline: dt.date
    on: dt.date

    @property
    def days_left(self) -> int:
        return (self.deadline - self.on).days

    @property
    def is_late(self) -> bool:
        return self.days_late > 0

    @property
    def days_late(self) -> int:
        return days_late(self.deadline, self.on)

    def __str__(self) -> str:
        if self.is_late:
            return ngettext("%(n)s day late", "%(n)s days late", self.days_late) % {
                "n": self.days_late
            }
        if self.days_left == 0:
            return _("due today")
        return ngettext("%(n)s day left", "%(n)s days left", self.days_left) % {"n": self.days_left}


def countdown(deadline: dt.date, moment: dt.date | dt.datetime | None = None) -> Countdown:
    """Where the day of `moment` (none: today) stands against the deadline."""
    return Countdown(deadline=deadline, on=today() if moment is None else local_day(moment))


# --- when an action is due ------------------------------------------------------------------

EVERY_QUARTER = frozenset({1, 2, 3, 4})


def due_quarters(term) -> frozenset[int]:
    """The quarters in which an action with this term of execution must be reported as done:
    a one-off action in the quarter of its term, a recurring one in every quarter it recurs in.
    `term` is a jospar.plans.terms.Term (or None: no term, never due)."""
    if term is None:
        return frozenset()
    kind = term.kind
    if kind == "date" and term.date:
        return frozenset({quarter_of(term.date)})
    if kind == "month" and term.month:
        return frozenset({(term.month - 1) // 3 + 1})
    if kind == "quarter" and term.quarter:
        return frozenset({term.quarter})
    if kind == "half" and term.half:
        return frozenset({term.half * 2})
    if kind == "year":
        return frozenset({4})
    if kind in ("monthly", "quarterly", "ongoing"):  # ongoing: reported every quarter
        return EVERY_QUARTER
    if kind == "semiannual":
        return frozenset({2, 4})
    return frozenset()


def is_due(term, quarter: int, executed_before: bool = False) -> bool:
    """Is the action due in `quarter`? Due in its own quarters; a one-off action past its term
    and not yet executed stays due in every later quarter until it is."""
    quarters = due_quarters(term)
    if quarter in quarters:
        return True
    if not quarters or quarters == EVERY_QUARTER:
        return False
    recurring = term.kind in ("monthly", "quarterly", "semiannual", "ongoing")
    return not recurring and not executed_before and min(quarters) < quarter
