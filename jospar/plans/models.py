from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from jospar.deadlines.calendar import ApprovalBasis, approval_basis
from jospar.lib.fields import body_link, link, long_text, optional_link
from jospar.lib.languages import each_in_each_language, texts_of, variants
from jospar.lib.models import Guarded, Numbered, Recorded, Versioned
from jospar.lib.workflow import StepEvent
from jospar.orgs.models import BudgetProgram, Unit, User
from jospar.plans.terms import Term, TermKind
from jospar.strategy.models import Amendment, DevelopmentPlan, Goal, Indicator, StrategicDirection


class CompletionForm(Recorded):
    """A form of completion people recognise; shared ones have no body, a body may add its own."""

    # held in each language (jospar/translation.py)
    TEXTS = ("name",)

    BODY_LOOKUP = "body"

    body = body_link("completion_forms", null=True, blank=True)
    name = models.CharField(_("name"), max_length=255)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("form of completion")
        verbose_name_plural = _("forms of completion")
        ordering = ["order", "name"]

    def __str__(self):
        return gettext(self.name) if self.body_id is None else self.name


class RegulationTask(Numbered, Versioned):
    """A task set by the regulation on the state body (anchor of Section II)."""

    BODY_LOOKUP = "body"
    LABEL = _("Task %(number)s. %(name)s")

    body = body_link("tasks")

    class Meta(Numbered.Meta):
        verbose_name = _("task from the regulation")
        verbose_name_plural = _("tasks from the regulation")
        constraints = [
            models.UniqueConstraint(fields=["body", "number"], name="task_number_unique"),
        ]


class RevisionBasis(models.TextChoices):
    INITIAL = "initial", _("the development plan (first approval)")
    MONITORING = "monitoring", _("results of monitoring")
    AMENDMENT = "amendment", _("an amendment of the development plan")
    OTHER = "other", _("other")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted for approval")
    RETURNED = "returned", _("returned for revision")
    APPROVED = "approved", _("approved")


class OperationalPlan(Recorded, Versioned):
    """The operational plan of a body for a year (R2, R6)."""

    BODY_LOOKUP = "body"
    # The statuses in which the working copy can change (its actions, proposals for it).
    EDITABLE = frozenset({PlanStatus.DRAFT, PlanStatus.RETURNED})

    body = body_link("operational_plans")
    year = models.PositiveSmallIntegerField(_("year"))
    development_plan = link(
        DevelopmentPlan, _("development plan"), related_name="operational_plans"
    )
    basis_amendment = optional_link(
        Amendment,
        _("based on the amendment"),
        related_name="operational_plans",
        help_text=_("Leave empty when the plan is based on the signed development plan itself."),
    )
    planning_unit = optional_link(Unit, _("unit responsible for the plan"))
    approval_basis_on = models.DateField(
        _("approval basis date (R6)"),
        null=True,
        blank=True,
        help_text=_(
            "For a later year of the development plan: the day its values for this year were "
            "confirmed. R6's ten days run from it unless the development plan or the amendment "
            "the plan rests on was signed in the year before the plan's year or later."
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    # The basis of the open draft: the first plan, or an adjustment (R18).
    basis = models.CharField(
        _("basis"), max_length=20, choices=RevisionBasis.choices, default=RevisionBasis.INITIAL
    )
    basis_reference = models.CharField(_("basis: reference"), max_length=500, blank=True)
    basis_text = long_text(_("basis: explanation"), blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_by = optional_link(User, _("approved by"))
    approved_late = models.BooleanField(_("approved late"), default=False)
    # The signature block and the notes of the sheet the plan was imported from: the signatory
    # stands for the planning unit's head on the plan's forms (see `plan_signature`).
    signatory_position = models.CharField(_("signatory's position"), max_length=500, blank=True)
    signatory_name = models.CharField(_("signatory's name"), max_length=255, blank=True)
    notes = long_text(_("notes under the table"), blank=True)

    class Meta:
        verbose_name = _("operational plan")
        verbose_name_plural = _("operational plans")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="one_operational_plan_a_year"),
        ]

    def __str__(self):
        return _("Operational plan for %(year)s") % {"year": self.year}

    def get_absolute_url(self):
        return reverse("plans:plan", args=[self.body_id, self.pk])

    @property
    def approval_basis(self) -> ApprovalBasis | None:
        """The date R6's ten days run from and what it is (deadlines.calendar.approval_basis);
        None for an adjustment on monitoring, or while no basis date is known."""
        if not self.has_approval_deadline:
            return None
        development = self.development_plan
        return approval_basis(
            year=self.year,
            first_year=development.start_year,
            signed_on=development.signed_on,
            amendment_signed_on=(
                self.basis_amendment.signed_on if self.basis_amendment_id else None
            ),
            recorded_on=self.approval_basis_on,
        )

    @property
    def has_approval_deadline(self) -> bool:
        """R6 times the approval after a signing; an adjustment on monitoring has no such day."""
        return self.basis in (RevisionBasis.INITIAL, RevisionBasis.AMENDMENT)

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE


class PlanEvent(StepEvent):
    """A step of the approval: submitted, approved, returned (with the official's comment)."""

    BODY_LOOKUP = "plan__body"

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("submitted for approval")
        APPROVED = "approved", _("approved")
        RETURNED = "returned", _("returned with comments")
        ADJUSTMENT = "adjustment", _("adjustment started")

    plan = link(OperationalPlan, _("plan"), related_name="events", on_delete=models.CASCADE)
    kind = models.CharField(_("step"), max_length=20, choices=Kind.choices)

    class Meta(StepEvent.Meta):
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")


class ActionContent(models.Model):
    """What an action says, wherever it is held: in the plan (Action), in a unit's proposal
    (Proposal), as an approved revision froze it (RevisionAction, which the quarterly report
    reads), or as a recommendation proposes it (AmendmentRecommendation). Its fields, in
    CONTENT_FIELDS below, are the one list every form, serializer and copy derives from."""

    # held in each language (jospar/translation.py)
    TEXTS = ("name", "completion_text", "term_text")

    # Section I: under an indicator; section II: under a task, or under the section's heading
    # itself (neither: the Rules' Appendix 1 has no task rows).
    indicator = optional_link(Indicator, _("indicator"))
    task = optional_link(RegulationTask, _("task from the regulation"))
    name = long_text(_("name"))
    lead_unit = optional_link(Unit, _("responsible executor"))
    term_kind = models.CharField(
        _("term of execution"), max_length=20, choices=TermKind.choices, blank=True
    )
    term_date = models.DateField(_("term date"), null=True, blank=True)
    term_month = models.PositiveSmallIntegerField(_("term month"), null=True, blank=True)
    term_quarter = models.PositiveSmallIntegerField(_("term quarter"), null=True, blank=True)
    term_half = models.PositiveSmallIntegerField(_("term half-year"), null=True, blank=True)
    # An ongoing term ("по мере поступления") as typed, in each language.
    term_text = models.CharField(_("term as written"), max_length=500, blank=True)
    completion_form = optional_link(CompletionForm, _("form of completion"))
    completion_text = models.CharField(
        _("form of completion (free text)"), max_length=500, blank=True
    )

    class Meta:
        abstract = True

    def content(self) -> dict:
        """The content as stored (foreign keys by id), for a copy of it: no query. A text held
        in each language comes as each language's own text."""
        fields = self._meta.concrete_fields
        names = {field.name for field in fields}
        return {
            field.attname: getattr(self, field.attname)
            for field in fields
            if field.name in CONTENT_FIELDS
            and not (field.name in self.TEXTS and variants(field.name)[0] in names)
        }

    @property
    def term(self) -> Term | None:
        if not self.term_kind:
            return None
        return Term(**{name.removeprefix("term_"): getattr(self, name) for name in TERM_FIELDS})

    @property
    def term_display(self) -> str:
        term = self.term
        return str(term) if term else ""

    def check_term(self, year: int) -> dict[str, str]:
        """Field → message for what makes the term unusable in a plan for `year`; the term is
        kept normalized (only the part its kind uses)."""
        term = self.term
        if term is None:
            return {}
        for name, value in term_values(term.normalized()).items():
            if name != "term_text":  # each language's text is kept as typed
                setattr(self, name, value)
        if term.kind != TermKind.ONGOING:
            for name in variants("term_text"):
                if hasattr(self, name):
                    setattr(self, name, "")
            self.__dict__["term_text"] = ""
        return term.problems(year)

    @property
    def section(self) -> int:
        return 1 if self.indicator_id else 2


class EditableActionContent(ActionContent):
    """The content while it can change (an action of the working copy, a proposal): its budget
    programs and co-executors are links; an approved revision freezes them as text. The history
    of an action or a proposal records these links in each history row's change reason."""

    budget_programs = models.ManyToManyField(
        BudgetProgram, blank=True, related_name="+", verbose_name=_("budget programs")
    )
    co_executors = models.ManyToManyField(
        Unit, blank=True, related_name="+", verbose_name=_("co-executors")
    )

    class Meta:
        abstract = True

    @property
    def completion_display(self) -> str:
        if self.completion_text:
            return self.completion_text
        return str(self.completion_form) if self.completion_form_id else ""


# The one list of what an action says (the scalar fields, foreign keys by name), the lists the
# working copy adds, and the fields of its term. Forms, serializers, services and copies derive
# their lists from these.
# The texts come as stored in each language after the field that reads the active one, so that a
# copy in this order ends with each language's own text.
CONTENT_FIELDS = tuple(field.name for field in ActionContent._meta.local_fields) + variants(
    *ActionContent.TEXTS
)
M2M_FIELDS = tuple(field.name for field in EditableActionContent._meta.local_many_to_many)
# (its text as the active language reads it: term_text, not each language's column)
TERM_FIELDS = tuple(
    field.name for field in ActionContent._meta.local_fields if field.name.startswith("term_")
)
ANCHOR_FIELDS = ("indicator", "task")


def term_values(term: Term | None) -> dict:
    """A term as the values of the term fields (None: no term)."""
    if term is None:
        return {name: "" if name in ("term_kind", "term_text") else None for name in TERM_FIELDS}
    # (not dataclasses.asdict: it deep-copies each value, a cost in a bulk of actions)
    values = {name: getattr(term, name.removeprefix("term_"), None) for name in TERM_FIELDS}
    values["term_text"] = values["term_text"] or ""
    return values


class Action(Guarded, Recorded, Versioned, EditableActionContent):
    """A row of the operational plan."""

    BODY_LOOKUP = "plan__body"
    HOLDER = "plan"  # changes only while the plan is a draft (or being adjusted)
    OPEN = {"status__in": OperationalPlan.EDITABLE}

    plan = link(OperationalPlan, _("plan"), related_name="actions", on_delete=models.CASCADE)
    position = models.PositiveIntegerField(_("order under its heading"), default=0)
    proposal = optional_link(
        "Proposal", _("from the proposal"), related_name="actions", on_delete=models.SET_NULL
    )
    # An action that an approved revision holds is never deleted, only removed from the
    # working copy, so earlier revisions and their quarters keep it.
    removed = models.BooleanField(_("removed by an adjustment"), default=False)
    # The action of the previous year's plan that this one continues ("prepare next year's
    # plan"): its history and the source's history both name the link.
    carried_from = optional_link(
        "self", _("carried over from"), related_name="carried_to", on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["position", "pk"]
        constraints = [
            # An indicator (section I), a task (section II) or neither (section II, no task).
            models.CheckConstraint(
                condition=~models.Q(indicator__isnull=False, task__isnull=False),
                name="action_has_at_most_one_anchor",
            ),
        ]

    def __str__(self):
        return self.name[:120]


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    RETURNED = "returned", _("returned to the executor")
    SIGNED = "signed", _("signed off by the unit head")
    ACCEPTED = "accepted", _("accepted into the plan")
    DECLINED = "declined", _("declined")


class Proposal(Recorded, Versioned, EditableActionContent):
    """A unit's suggested action for the plan (R5)."""

    BODY_LOOKUP = "plan__body"

    plan = link(OperationalPlan, _("plan"), related_name="proposals", on_delete=models.CASCADE)
    unit = link(Unit, _("proposing unit"), related_name="proposals")
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    author = link(User, _("author"))
    signed_by = optional_link(User, _("signed off by"))
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    decline_reason = long_text(_("reason for declining"), blank=True)
    # The unit head's last return of the draft to its executor, with what to change.
    return_comment = long_text(_("what to change (the unit head)"), blank=True)
    returned_by = optional_link(User, _("returned by"))
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["pk"]

    def __str__(self):
        return self.name[:120]


class FrozenError(Exception):
    """An approved revision was about to change."""


class FrozenQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise FrozenError("approved revisions never change")

    def delete(self):
        raise FrozenError("approved revisions never change")


class Frozen(models.Model):
    """A row that is written once, when a revision is approved, and never again."""

    objects = FrozenQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None or kwargs.get("force_update"):
            raise FrozenError("approved revisions never change")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise FrozenError("approved revisions never change")


class Revision(Frozen):
    """An approved state of the plan, numbered from 1 (the first approval)."""

    # held in each language (jospar/translation.py)
    TEXTS = ("signature",)

    BODY_LOOKUP = "plan__body"

    plan = link(OperationalPlan, _("plan"), related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revision"))
    basis = models.CharField(_("basis"), max_length=20, choices=RevisionBasis.choices)
    basis_amendment = optional_link(Amendment, _("amendment of the development plan"))
    basis_reference = models.CharField(_("basis: reference"), max_length=500, blank=True)
    basis_text = long_text(_("basis: explanation"), blank=True)
    approved_on = models.DateField(_("approved on"))
    approved_by = link(User, _("approved by"))
    approved_late = models.BooleanField(_("approved late"), default=False)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # What Appendix 1 prints beside the actions, as it stood on approval: the body's name and
    # the signatory (see `signature_of`); the headings are RevisionHeading rows.
    signature = models.JSONField(_("body and signatory as approved"), default=dict)

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="revision_number_unique"),
        ]

    def __str__(self):
        return _("Revision %(number)s") % {"number": self.number}


def signature_of(body, unit) -> dict:
    """The body's name and the signatory (the head of `unit`, if any) as a form prints them:
    what a revision or a submitted report freezes."""
    return {
        "body_name": body.name,
        "position": unit.head_position if unit else "",
        "name": unit.head_name if unit else "",
    }


def plan_signature(plan: OperationalPlan) -> dict:
    """The signature block of the plan's Appendix 1: the signatory the imported sheet named,
    else the head of the planning unit (`signature_of`)."""
    signature = signature_of(plan.body, plan.planning_unit)
    if plan.signatory_name or plan.signatory_position:
        signature["position"] = plan.signatory_position
        signature["name"] = plan.signatory_name
    return signature


class HeadingKind(models.TextChoices):
    DIRECTION = "direction", _("strategic direction")
    MACRO = "macro", _("macro indicator")
    GOAL = "goal", _("goal")
    TARGET = "target", _("target indicator")
    TASK = "task", _("task from the regulation")


# Each kind of heading worded as its live row words it, and the prefix of its row's anchor.
HEADING_LABELS = {
    HeadingKind.DIRECTION: StrategicDirection.LABEL,
    HeadingKind.MACRO: Indicator.LABELS[Indicator.Kind.MACRO],
    HeadingKind.GOAL: Goal.LABEL,
    HeadingKind.TARGET: Indicator.LABELS[Indicator.Kind.TARGET],
    HeadingKind.TASK: RegulationTask.LABEL,
}
HEADING_ANCHORS = {
    HeadingKind.DIRECTION: "direction",
    HeadingKind.MACRO: "indicator",
    HeadingKind.GOAL: "goal",
    HeadingKind.TARGET: "indicator",
    HeadingKind.TASK: "task",
}


class RevisionHeading(Frozen):
    """A heading of Appendix 1 (a strategic direction, a macro indicator, a goal, a target
    indicator, a task from the regulation) as an approved revision printed it: renaming or
    renumbering the live row later changes neither the revision nor the reports on it."""

    # held in each language (jospar/translation.py)
    TEXTS = ("name",)

    BODY_LOOKUP = "revision__plan__body"

    revision = link(Revision, _("revision"), related_name="headings")
    position = models.PositiveIntegerField(_("order in the form"))
    kind = models.CharField(_("kind"), max_length=20, choices=HeadingKind.choices)
    # The live row's id: the revision's actions sit under their indicator or task by it.
    source_id = models.PositiveIntegerField(_("heading id"))
    number = models.PositiveSmallIntegerField(_("number"))
    code = models.CharField(_("number as cited"), max_length=20)
    name = long_text(_("name"))
    of_the_year = models.BooleanField(_("has a planned value for the plan year"), default=False)

    class Meta:
        verbose_name = _("heading of a revision")
        verbose_name_plural = _("headings of a revision")
        ordering = ["revision", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "position"], name="revision_heading_position_unique"
            ),
        ]

    def __str__(self):
        return HEADING_LABELS[self.kind] % {
            "number": self.number,
            "code": self.code,
            "name": self.name,
        }

    @classmethod
    def of(cls, row, **fields) -> RevisionHeading:
        """A heading row of the live layout (plans.selectors.Row) as a revision freezes it."""
        heading = row.obj
        return cls(
            kind=row.kind,
            source_id=heading.pk,
            number=heading.number,
            code=getattr(heading, "code", str(heading.number)),
            **texts_of(heading, "name"),
            of_the_year=row.of_the_year,
            **fields,
        )

    @property
    def anchor(self) -> str:
        return f"{HEADING_ANCHORS[self.kind]}-{self.source_id}"


def executors_text(lead, co_executors) -> str:
    """Column 4 as people write it: the lead unit first, then the co-executors (units or
    their names), the missing ones left out."""
    return ", ".join(str(unit) for unit in [lead, *co_executors] if unit)


class RevisionAction(Frozen, ActionContent):
    """An action as an approved revision holds it: its identity and what it said then."""

    # held in each language (jospar/translation.py)
    TEXTS = (
        "name",
        "completion_text",
        "term_text",
        "anchor_label",
        "lead_name",
        "co_executor_names",
        "completion",
    )

    BODY_LOOKUP = "revision__plan__body"

    revision = link(Revision, _("revision"), related_name="actions")
    action = link(Action, _("action"), related_name="revision_actions")
    number = models.PositiveIntegerField(pgettext_lazy("number column", "No"))
    budget_codes = models.CharField(_("code of budget program"), max_length=500, blank=True)
    co_executor_ids = models.JSONField(_("co-executors"), default=list)
    # What the revision said, as text: renaming a unit or an indicator later does not change it.
    anchor_label = long_text(_("under"), blank=True)
    lead_name = models.CharField(_("responsible executor"), max_length=500, blank=True)
    co_executor_names = models.JSONField(_("co-executors"), default=list)
    completion = models.CharField(_("form of completion"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("action of a revision")
        verbose_name_plural = _("actions of a revision")
        ordering = ["revision", "number"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "action"], name="revision_action_unique"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name[:80]}"

    @classmethod
    def of(cls, action: Action, **fields) -> RevisionAction:
        """The action as a revision freezes it: its content, with the budget programs, the units
        and the form of completion as text (reads the action's prefetched relations)."""
        co_executors = list(action.co_executors.all())
        return cls(
            action=action,
            **action.content(),
            budget_codes=", ".join(p.code for p in action.budget_programs.all()),
            co_executor_ids=[u.pk for u in co_executors],
            **each_in_each_language(
                {
                    "anchor_label": lambda: str(action.indicator or action.task or ""),
                    "lead_name": lambda: str(action.lead_unit or ""),
                    "co_executor_names": lambda: [str(u) for u in co_executors],
                    # a shared form by its msgid, so each reader sees it in their language
                    "completion": lambda: (
                        action.completion_text
                        or (action.completion_form.name if action.completion_form_id else "")
                    ),
                }
            ),
            **fields,
        )

    @property
    def executors_display(self) -> str:
        """The responsible executor, then the co-executors, as the revision named them."""
        return executors_text(self.lead_name, self.co_executor_names)

    @property
    def completion_display(self) -> str:
        """The form of completion in the reader's language: a shared form is frozen by its
        message id; a body's own form or free text comes back as written."""
        if self.completion_text:
            return self.completion_text
        return gettext(self.completion) if self.completion else ""
