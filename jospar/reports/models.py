"""The quarterly report of the monitor (R15–R16, Appendix 2) and the officials' decisions on it
(R17). The tables kept the names they had when these models lived in `monitoring`."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jospar.lib.fields import link, long_text, optional_link
from jospar.lib.models import Guarded, Versioned, change_history
from jospar.monitoring.models import EntryStatus
from jospar.orgs.models import Unit, User
from jospar.plans.models import CONTENT_FIELDS, Action, ActionContent, OperationalPlan


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("in preparation")
    SUBMITTED = "submitted", _("submitted to the officials")


class Report(Versioned):
    """The monitor's report on the implementation of the plan for a quarter (R15)."""

    # held in each language (jospar/translation.py)
    TEXTS = ("frozen_summary",)

    BODY_LOOKUP = "plan__body"
    # The statuses in which the monitor compiles it again and writes in it.
    EDITABLE = frozenset({ReportStatus.DRAFT})

    plan = link(OperationalPlan, _("plan"), related_name="reports")
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    revision = link("plans.Revision", _("revision of the plan in force"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    monitoring_unit = optional_link(Unit, _("unit responsible for the report"))
    general_recommendations = long_text(
        _("recommendations to the officials"),
        blank=True,
        help_text=_("Measures the officials should take to ensure timely implementation (R16)."),
    )
    compiled_at = models.DateTimeField(_("compiled at"), null=True, blank=True)
    compiled_by = optional_link(User)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = optional_link(User, _("submitted by"))
    days_late = models.PositiveIntegerField(_("days late"), null=True, blank=True)
    # What the summary read from the units' submissions at the moment of submission (the target
    # indicators' values, the units' timeliness), so that the frozen report keeps showing it.
    frozen_summary = models.JSONField(
        _("summary as submitted"), null=True, blank=True, editable=False
    )

    history = change_history(table_name="monitoring_historicalreport")

    class Meta:
        db_table = "monitoring_report"
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        ordering = ["plan", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "quarter"], name="one_report_per_quarter"),
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="report_quarter"
            ),
        ]

    def __str__(self):
        return _("Report on quarter %(quarter)s of %(year)s") % {
            "quarter": self.quarter,
            "year": self.plan.year,
        }

    def get_absolute_url(self):
        return reverse("reports:report", args=[self.plan.body_id, self.plan_id, self.quarter])

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class ReportRow(Guarded, Versioned):
    """One action of the plan in force as the report shows it: columns 1–7 are prefilled from
    the units' accepted information at each compilation; column 8 is the monitor's own."""

    BODY_LOOKUP = "report__plan__body"
    HOLDER = "report"  # changes only while the report is in preparation; submitted, it is frozen
    OPEN = {"status__in": Report.EDITABLE}

    report = link(Report, _("report"), related_name="rows", on_delete=models.CASCADE)
    action = link(Action, _("action"), related_name="report_rows")
    planned = link("plans.RevisionAction", _("action as approved"))
    due = models.BooleanField(_("due by the end of the quarter"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=EntryStatus.choices, blank=True)
    actual = long_text(_("actual execution"), blank=True)
    reasons = long_text(_("reasons for non-fulfilment"), blank=True)
    # Units that answer for the action but whose information for the quarter is not accepted.
    executed_earlier = models.BooleanField(
        _("executed in an earlier quarter"),
        default=False,
        help_text=_("The lead reported the action executed in an earlier quarter."),
    )
    missing_units = models.JSONField(
        _("units without accepted information"), default=list, blank=True
    )
    recommendation = long_text(_("recommendation"), blank=True)

    history = change_history(table_name="monitoring_historicalreportrow")

    class Meta:
        db_table = "monitoring_reportrow"
        verbose_name = _("row of a report")
        verbose_name_plural = _("rows of a report")
        ordering = ["report", "planned__number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "action"], name="one_report_row_per_action"),
        ]

    def __str__(self):
        return str(self.planned)


class AmendmentKind(models.TextChoices):
    TERM = "term", _("change the term of execution")
    EXECUTOR = "executor", _("change the responsible executor")
    WORDING = "wording", _("change the wording")
    REMOVE = "remove", _("remove the action")
    ADD = "add", _("add an action")


class AmendmentRecommendation(ActionContent):
    """A recommendation to amend the plan (R16), written so that it can become a change of a
    draft adjustment (R18) in one step."""

    BODY_LOOKUP = "report__plan__body"

    report = link(Report, _("report"), related_name="amendments", on_delete=models.CASCADE)
    kind = models.CharField(_("change"), max_length=20, choices=AmendmentKind.choices)
    action = optional_link(Action, _("action"), related_name="amendment_recommendations")
    # The proposed content: the action's content fields, of which only those the kind of change
    # needs are filled, worded as a change; a new form of completion comes from the list only.
    name = long_text(_("new wording"), blank=True)
    lead_unit = optional_link(Unit, _("new responsible executor"))
    term_kind = models.CharField(_("new term of execution"), max_length=20, blank=True)
    completion_text = None
    justification = long_text(_("justification"))
    # Once applied: the adjustment it went into, and the action it changed or created.
    applied_plan = optional_link(
        OperationalPlan, _("applied to the adjustment of"), related_name="applied_recommendations"
    )
    applied_revision_number = models.PositiveSmallIntegerField(
        _("applied to revision"), null=True, blank=True
    )
    applied_action = optional_link(Action, _("changed action"))
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = optional_link(User)

    history = change_history(table_name="monitoring_historicalamendmentrecommendation")

    class Meta:
        db_table = "monitoring_amendmentrecommendation"
        verbose_name = _("recommendation to amend the plan")
        verbose_name_plural = _("recommendations to amend the plan")
        ordering = ["report", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.action or self.name[:80]}"


# What a recommendation can propose: the action's content fields that it has, in their order.
PROPOSED_FIELDS = tuple(
    name
    for name in CONTENT_FIELDS
    if name in {field.name for field in AmendmentRecommendation._meta.fields}
)


class DecisionKind(models.TextChoices):
    EFFECTIVENESS = (
        "effectiveness",
        _("improve the effectiveness of the planned measures (determine other measures)"),
    )
    PROBLEMS = "problems", _("take measures on identified problematic issues")


class DecisionStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


class Decision(Versioned):
    """An official's decision on a report (R17), followed up by the units it is assigned to."""

    BODY_LOOKUP = "report__plan__body"

    report = link(Report, _("report"), related_name="decisions")
    kind = models.CharField(_("aimed at"), max_length=20, choices=DecisionKind.choices)
    text = long_text(_("decision"))
    units = models.ManyToManyField(Unit, related_name="decisions", verbose_name=_("assigned units"))
    due_on = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=20, choices=DecisionStatus.choices, default=DecisionStatus.OPEN
    )
    decided_by = link(User, _("decided by"))
    decided_on = models.DateField(_("decided on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    # Assigned units are recorded in the change reason of each history row.
    history = change_history(table_name="monitoring_historicaldecision")

    class Meta:
        db_table = "monitoring_decision"
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["report", "pk"]

    def __str__(self):
        return self.text[:120]

    @property
    def plan(self):
        """The plan of the report the decision is on (whose body's settings and signatures it
        follows)."""
        return self.report.plan

    @property
    def is_open(self) -> bool:
        return self.status != DecisionStatus.DONE

    @property
    def is_overdue(self) -> bool:
        from jospar.deadlines.calendar import today

        return self.is_open and self.due_on < today()

    @property
    def countdown(self):
        """Days left to the due date, "due today" or days late (the calendar's countdown);
        None for a done decision, which counts down no more."""
        from jospar.deadlines.calendar import countdown

        return countdown(self.due_on) if self.is_open else None


class DecisionProgress(models.Model):
    """A unit's note on how a decision is carried out; the latest status becomes the decision's."""

    BODY_LOOKUP = "decision__report__plan__body"

    decision = link(Decision, _("decision"), related_name="progress", on_delete=models.CASCADE)
    unit = link(Unit, _("unit"))
    status = models.CharField(_("status"), max_length=20, choices=DecisionStatus.choices)
    text = long_text(_("what was done"))
    author = link(User, _("author"))
    at = models.DateTimeField(_("date and time"), auto_now_add=True)

    class Meta:
        db_table = "monitoring_decisionprogress"
        verbose_name = _("progress on a decision")
        verbose_name_plural = _("progress on decisions")
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.unit}: {self.get_status_display()}"
