from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jospar.lib.fields import link, long_text, optional_link
from jospar.lib.models import Guarded, Recorded
from jospar.lib.workflow import StepEvent
from jospar.orgs.models import Unit, User
from jospar.plans.models import Action, OperationalPlan
from jospar.strategy.models import Indicator


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", _("in draft")
    SUBMITTED = "submitted", _("signed off and submitted")
    RETURNED = "returned", _("returned for correction")
    ACCEPTED = "accepted", _("accepted")


class Submission(Recorded):
    """A unit's quarterly information on the implementation of the plan (R11–R14)."""

    BODY_LOOKUP = "plan__body"

    plan = link(OperationalPlan, _("plan"), related_name="submissions")
    unit = link(Unit, _("unit"), related_name="submissions")
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SubmissionStatus.choices,
        default=SubmissionStatus.DRAFT,
    )
    signed_by = optional_link(User, _("signed off by"))
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    days_late = models.PositiveIntegerField(_("days late"), null=True, blank=True)
    round = models.PositiveSmallIntegerField(_("round"), default=1)

    class Meta:
        verbose_name = _("unit submission")
        verbose_name_plural = _("unit submissions")
        ordering = ["plan", "quarter", "unit__order", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "unit", "quarter"], name="one_submission_per_unit_quarter"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="submission_quarter"
            ),
        ]

    def __str__(self):
        return _("%(unit)s, quarter %(quarter)s of %(year)s") % {
            "unit": self.unit,
            "quarter": self.quarter,
            "year": self.plan.year,
        }

    def get_absolute_url(self):
        return reverse(
            "monitoring:submission",
            args=[self.plan.body_id, self.plan_id, self.quarter, self.unit_id],
        )

    @property
    def is_editable(self) -> bool:
        return self.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


class SubmissionEvent(StepEvent):
    """A round of a submission: signed off, returned with a comment, accepted, reopened."""

    BODY_LOOKUP = "submission__plan__body"

    class Kind(models.TextChoices):
        SIGNED = "signed", _("signed off and submitted")
        RETURNED = "returned", _("returned with a comment")
        ACCEPTED = "accepted", _("accepted")
        REOPENED = "reopened", _("reopened")

    submission = link(Submission, _("submission"), related_name="events", on_delete=models.CASCADE)
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)
    round = models.PositiveSmallIntegerField(_("round"))

    class Meta(StepEvent.Meta):
        verbose_name = _("submission step")
        verbose_name_plural = _("submission steps")


class EntryStatus(models.TextChoices):
    EXECUTED = "executed", _("executed")
    PARTIAL = "partial", _("partially executed")
    NOT_EXECUTED = "not_executed", _("not executed")
    NOT_DUE = "not_due", _("not yet due")


class ProgressEntry(Guarded, Recorded):
    """What a unit reports on one action for the quarter."""

    BODY_LOOKUP = "submission__plan__body"
    HOLDER = "submission"  # changes only while the quarter is in draft or returned
    OPEN = {"status__in": (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)}

    submission = link(Submission, _("submission"), related_name="entries", on_delete=models.CASCADE)
    action = link(Action, _("action"), related_name="progress")
    status = models.CharField(_("status"), max_length=20, choices=EntryStatus.choices, blank=True)
    actual = long_text(_("actual execution"), blank=True)
    reasons = long_text(_("reasons for non-fulfilment"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_by = optional_link(User)
    updated_at = models.DateTimeField(_("saved at"), auto_now=True)

    class Meta:
        verbose_name = _("progress entry")
        verbose_name_plural = _("progress entries")
        constraints = [
            models.UniqueConstraint(fields=["submission", "action"], name="one_entry_per_action"),
        ]

    def __str__(self):
        return f"{self.action} — {self.get_status_display()}"

    @property
    def is_filled(self) -> bool:
        return bool(self.status) and bool(self.actual.strip() or self.status == EntryStatus.NOT_DUE)


def evidence_path(instance: "Evidence", filename: str) -> str:
    submission = instance.entry.submission
    return (
        f"evidence/{submission.plan.body_id}/{submission.plan.year}/q{submission.quarter}/"
        f"{submission.unit_id}/{filename}"
    )


class Evidence(Guarded, Recorded):
    """A file that supports a progress entry (PDF, DOCX, XLSX or an image)."""

    BODY_LOOKUP = "entry__submission__plan__body"
    HOLDER = "entry"
    OPEN = {"submission__status__in": (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)}

    entry = link(ProgressEntry, _("entry"), related_name="evidence", on_delete=models.CASCADE)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=500)
    name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("type"), max_length=10)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = link(User)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name


class IndicatorActual(Guarded, Recorded):
    """The actual value a unit reports for a target indicator it answers for."""

    BODY_LOOKUP = "submission__plan__body"
    HOLDER = "submission"
    OPEN = {"status__in": (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)}

    submission = link(Submission, _("submission"), related_name="actuals", on_delete=models.CASCADE)
    indicator = link(Indicator, _("indicator"))
    value = models.DecimalField(
        _("actual value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    comment = long_text(_("comment"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("actual value of an indicator")
        verbose_name_plural = _("actual values of indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "indicator"], name="one_actual_per_indicator"
            ),
        ]

    def __str__(self):
        return f"{self.indicator}: {self.value}"
