"""When a body's people are reminded of a deadline (its schedule) and every reminder sent."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from jospar.lib.fields import body_link, optional_link
from jospar.lib.models import Recorded, Versioned

DEFAULT_DAYS_BEFORE = "5,1"
MAX_DAYS_BEFORE = 60


def parse_days(value: str) -> list[int]:
    """ "5, 1" → [5, 1]: the days before a deadline on which to remind, distinct, largest
    first; a ValidationError names what is wrong."""
    days = set()
    for part in (value or "").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= MAX_DAYS_BEFORE:
            raise ValidationError(
                _("“%(part)s” is not a number of days from 1 to %(max)s."),
                params={"part": part, "max": MAX_DAYS_BEFORE},
            )
        days.add(int(part))
    return sorted(days, reverse=True)


def validate_days(value: str) -> None:
    parse_days(value)


class Schedule(Recorded, Versioned):
    """A body's reminder schedule; a body without a row follows the defaults: 5 days and 1 day
    before, on the day, then every 2 working days until the work is done."""

    body = models.OneToOneField(
        "orgs.StateBody",
        verbose_name=_("state body"),
        related_name="reminder_schedule",
        on_delete=models.CASCADE,
    )
    enabled = models.BooleanField(_("send reminders"), default=True)
    days_before = models.CharField(
        _("days before the deadline"),
        max_length=60,
        default=DEFAULT_DAYS_BEFORE,
        blank=True,
        validators=[validate_days],
        help_text=_("Calendar days, separated by commas, e.g. 5, 1."),
    )
    on_the_day = models.BooleanField(_("on the day of the deadline"), default=True)
    every_after = models.PositiveSmallIntegerField(
        _("after the deadline, every … working days"),
        default=2,
        help_text=_("0: no reminders after the deadline."),
    )

    class Meta:
        verbose_name = _("reminder schedule")
        verbose_name_plural = _("reminder schedules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(every_after__lte=30), name="reminder_every_after_at_most_30"
            )
        ]

    def __str__(self):
        return str(self.body)

    @property
    def before(self) -> list[int]:
        return parse_days(self.days_before)

    def clean(self):
        if self.every_after > 30:
            raise ValidationError({"every_after": _("At most every 30 working days.")})


class Reminder(models.Model):
    """One reminder of one item (a unit's quarterly information, a report, a plan's approval, a
    decision) to one person on one day. The unique constraint is what keeps it to one, however
    many workers run at once. A monitor's reminder from the board has `sent_by`."""

    body = body_link("reminders")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        related_name="reminders",
        on_delete=models.CASCADE,
    )
    item = models.CharField(_("item"), max_length=100)
    day = models.DateField(_("day"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    sent_by = optional_link(settings.AUTH_USER_MODEL, _("sent by"), on_delete=models.SET_NULL)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "item", "day"], name="reminder_once_a_day")
        ]
        indexes = [models.Index(fields=["body", "day"], name="reminder_body_day")]

    def __str__(self):
        return f"{self.item} → {self.recipient} ({self.day})"


class UnitReminder(models.Model):
    """A monitor's reminder of one unit from the board: at most one per unit, quarter and day,
    shown with the unit's information for the quarter."""

    body = body_link("unit_reminders")
    plan = models.ForeignKey(
        "plans.OperationalPlan",
        verbose_name=_("operational plan"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="reminders"
    )
    day = models.DateField(_("day"))
    sent_by = optional_link(settings.AUTH_USER_MODEL, _("sent by"), on_delete=models.SET_NULL)
    recipients = models.PositiveIntegerField(_("people reminded"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder of a unit")
        verbose_name_plural = _("reminders of units")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "quarter", "unit", "day"], name="unit_reminder_once_a_day"
            )
        ]
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.unit} Q{self.quarter} {self.day}"
