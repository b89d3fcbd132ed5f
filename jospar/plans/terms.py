"""The structured term of execution of an action, and how people write it."""

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.utils.dates import MONTHS, MONTHS_ALT
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _


class TermKind(models.TextChoices):
    DATE = "date", gettext_lazy("by a date")
    MONTH = "month", gettext_lazy("in a month")
    QUARTER = "quarter", gettext_lazy("in a quarter")
    HALF = "half", gettext_lazy("in a half-year")
    YEAR = "year", gettext_lazy("during the year")
    MONTHLY = "monthly", gettext_lazy("monthly")
    QUARTERLY = "quarterly", gettext_lazy("quarterly")
    SEMIANNUAL = "semiannual", gettext_lazy("semi-annually")


RECURRING = frozenset({TermKind.MONTHLY, TermKind.QUARTERLY, TermKind.SEMIANNUAL})


def _month_in_text(month: int) -> str:
    """A month inside a phrase: English capitalises it, Russian and Kazakh do not."""
    name = str(MONTHS_ALT[month])
    return name if (get_language() or "en").startswith("en") else name.lower()


@dataclass(frozen=True)
class Term:
    kind: str
    date: dt.date | None = None
    month: int | None = None
    quarter: int | None = None
    half: int | None = None

    def problems(self, year: int) -> dict[str, str]:
        """Field → message for what makes this term unusable in a plan for `year`."""
        errors: dict[str, str] = {}
        if self.kind not in TermKind.values:
            errors["term_kind"] = _("Choose how the term is given.")
        elif self.kind == TermKind.DATE:
            if self.date is None:
                errors["term_date"] = _("Give the date.")
            elif self.date.year != year:
                errors["term_date"] = _("The date is outside the plan year %(year)s.") % {
                    "year": year
                }
        elif self.kind == TermKind.MONTH and self.month not in range(1, 13):
            errors["term_month"] = _("Choose a month.")
        elif self.kind == TermKind.QUARTER and self.quarter not in range(1, 5):
            errors["term_quarter"] = _("Choose a quarter from 1 to 4.")
        elif self.kind == TermKind.HALF and self.half not in (1, 2):
            errors["term_half"] = _("Choose the first or the second half-year.")
        return errors

    def normalized(self) -> "Term":
        """Only the part that the kind uses (a month left over from an edit is dropped)."""
        return Term(
            kind=self.kind,
            date=self.date if self.kind == TermKind.DATE else None,
            month=self.month if self.kind == TermKind.MONTH else None,
            quarter=self.quarter if self.kind == TermKind.QUARTER else None,
            half=self.half if self.kind == TermKind.HALF else None,
        )

    def __str__(self) -> str:
        kind = self.kind
        if kind == TermKind.DATE and self.date:
            return _("by %(day)s %(month)s") % {
                "day": self.date.day,
                "month": _month_in_text(self.date.month),
            }
        if kind == TermKind.MONTH and self.month:
            return str(MONTHS[self.month]).capitalize()
        if kind == TermKind.QUARTER and self.quarter:
            return _("%(n)s quarter") % {"n": self.quarter}
        if kind == TermKind.HALF and self.half:
            return _("%(n)s half-year") % {"n": self.half}
        if kind == TermKind.YEAR:
            return _("annually")
        if kind in RECURRING:
            return str(TermKind(kind).label)
        return ""
