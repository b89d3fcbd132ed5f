"""The deadline calendar of the Rules. Every deadline the Rules set is computed here.

R6: the operational plan is approved within ten calendar days from the signing of the
development plan (or of the amendment the plan is based on).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

APPROVAL_DAYS = 10


def today() -> dt.date:
    """Today in Asia/Almaty (the project's time zone)."""
    return timezone.localdate()


def approval_deadline(signed_on: dt.date) -> dt.date:
    """R6: ten calendar days from the date of signing."""
    return signed_on + dt.timedelta(days=APPROVAL_DAYS)


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
        return self.on > self.deadline

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)

    def __str__(self) -> str:
        if self.is_late:
            return ngettext("%(n)s day late", "%(n)s days late", self.days_late) % {
                "n": self.days_late
            }
        if self.days_left == 0:
            return _("due today")
        return ngettext("%(n)s day left", "%(n)s days left", self.days_left) % {"n": self.days_left}


def countdown(deadline: dt.date, on: dt.date | None = None) -> Countdown:
    return Countdown(deadline=deadline, on=on or today())
