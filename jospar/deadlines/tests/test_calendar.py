import datetime as dt

import pytest
from django.utils import translation

from jospar.deadlines.calendar import approval_deadline, countdown


@pytest.mark.parametrize(
    ("signed", "deadline"),
    [
        (dt.date(2024, 12, 27), dt.date(2025, 1, 6)),
        (dt.date(2024, 2, 25), dt.date(2024, 3, 6)),  # leap year: 29 February counts
        (dt.date(2025, 2, 25), dt.date(2025, 3, 7)),
    ],
)
def test_approval_is_due_ten_calendar_days_after_signing(signed, deadline):
    assert approval_deadline(signed) == deadline


def test_countdown_says_days_left_or_late():
    deadline = dt.date(2025, 1, 6)
    with translation.override("en"):
        assert str(countdown(deadline, dt.date(2025, 1, 1))) == "5 days left"
        assert str(countdown(deadline, dt.date(2025, 1, 6))) == "due today"
        assert str(countdown(deadline, dt.date(2025, 1, 7))) == "1 day late"
    late = countdown(deadline, dt.date(2025, 1, 9))
    assert late.is_late and late.days_late == 3
