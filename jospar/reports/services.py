"""The quarterly report (R15–R16) and the officials' decisions on it (R17): the monitor
compiles the report from the units' accepted information, writes recommendations and submits
it by the 15th; an official records decisions; the assigned units follow them up; a
recommendation to amend the plan becomes a change of a draft adjustment (R18) in one step.
Each operation takes the acting user, asks the policy and saves in one transaction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.deadlines.calendar import (
    days_late,
    is_due,
    quarter_end,
    quarter_start,
    report_deadline,
    today,
)
from jospar.lib.languages import in_each_language
from jospar.lib.records import apply_fields, delete_record, next_version, save_record
from jospar.lib.workflow import Step, allowed_steps, begin_step
from jospar.monitoring.models import EntryStatus, ProgressEntry, Submission, SubmissionStatus
from jospar.monitoring.selectors import executed_earlier, revision_in_force
from jospar.notifications import events
from jospar.orgs.models import Unit
from jospar.orgs.policy import Perm, require
from jospar.plans.models import (
    TERM_FIELDS,
    OperationalPlan,
    PlanStatus,
    RevisionAction,
    RevisionBasis,
    term_values,
)
from jospar.plans.selectors import next_revision_number
from jospar.plans.terms import RECURRING
from jospar.reports.models import (
    PROPOSED_FIELDS,
    AmendmentKind,
    AmendmentRecommendation,
    Decision,
    DecisionProgress,
    DecisionStatus,
    Report,
    ReportRow,
    ReportStatus,
)
from jospar.reports.selectors import freeze_summary
from jospar.signatures.canonical import document_of
from jospar.signatures.services import step_signature

PREFILLED = ("planned", "due", "status", "actual", "reasons", "missing_units", "executed_earlier")


def _require_draft(report: Report) -> None:
    if not report.is_editable:
        raise ValidationError(_("The report has been submitted to the officials; it is frozen."))


def _locked(report: Report) -> Report:
    locked = Report.objects.select_for_update().get(pk=report.pk)
    _require_draft(locked)
    return locked


# --- compiling ------------------------------------------------------------------------------


@transaction.atomic
def report_compile(*, actor, plan: OperationalPlan, quarter: int) -> Report:
    """Create or refresh the report for the quarter from the units' accepted information.
    Columns 1–7 are filled again; what the monitor wrote stays."""
    require(actor, Perm.MONITOR, plan)
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("A quarter is 1, 2, 3 or 4.")})
    if today() < quarter_start(plan.year, quarter):
        raise ValidationError(
            _("Quarter %(q)s has not started yet.") % {"q": quarter},
        )
    revision = revision_in_force(plan, quarter)
    if revision is None:
        raise ValidationError(_("The plan has no approved revision to report on."))
    report = Report.objects.select_for_update().filter(plan=plan, quarter=quarter).first()
    if report is None:
        report = Report(plan=plan, quarter=quarter, revision=revision)
    else:
        _require_draft(report)
        report.revision = revision
    report.compiled_at = timezone.now()
    report.compiled_by = actor
    save_record(report, actor=actor)
    _fill_rows(report)
    return report


def _fill_rows(report: Report) -> None:
    plan, quarter = report.plan, report.quarter
    planned_actions = list(report.revision.actions.order_by("number"))
    units = {u.pk: u for u in plan.body.units.all()}
    accepted = set(
        Submission.objects.filter(
            plan=plan, quarter=quarter, status=SubmissionStatus.ACCEPTED
        ).values_list("unit_id", flat=True)
    )
    progress: dict[int, dict[int, ProgressEntry]] = {}
    for entry in ProgressEntry.objects.filter(
        submission__plan=plan,
        submission__quarter=quarter,
        submission__status=SubmissionStatus.ACCEPTED,
    ).select_related("submission"):
        progress.setdefault(entry.action_id, {})[entry.submission.unit_id] = entry
    done = executed_earlier(plan, quarter)
    # Unordered: the rows' default order joins every body's revision actions (a scan of all).
    existing = {row.action_id: row for row in report.rows.order_by()}
    to_create, to_update = [], []
    for planned in planned_actions:
        row = existing.pop(planned.action_id, None) or ReportRow(
            report=report, action_id=planned.action_id
        )
        before = _prefilled(row) if row.pk else None
        _prefill(row, planned, quarter, units, accepted, progress.get(planned.action_id, {}), done)
        if row.pk is None:
            to_create.append(row)
        elif _prefilled(row) != before:  # only what a late or corrected submission changed
            to_update.append(row)
    ReportRow.objects.bulk_create(to_create, batch_size=500)
    ReportRow.objects.bulk_update(to_update, PREFILLED, batch_size=500)
    if existing:  # actions the revision in force no longer holds
        ReportRow.objects.filter(pk__in=[row.pk for row in existing.values()]).delete()


def _prefilled(row: ReportRow) -> tuple:
    """The row's columns that compiling fills (PREFILLED), by their stored values."""
    return tuple(getattr(row, ReportRow._meta.get_field(name).attname) for name in PREFILLED)


def _prefill(row, planned: RevisionAction, quarter, units, accepted, progress, done) -> None:
    row.planned = planned
    involved = [u for u in [planned.lead_unit_id, *planned.co_executor_ids] if u]
    one_off = planned.term_kind not in RECURRING
    lead_done = one_off and (planned.lead_unit_id, planned.action_id) in done
    row.due = is_due(planned.term, quarter, executed_before=lead_done)
    ordered = [progress[u] for u in involved if u in progress]
    lead_entry = progress.get(planned.lead_unit_id)
    if lead_entry is not None and lead_entry.status:
        row.status = lead_entry.status
    elif lead_done:
        row.status = EntryStatus.EXECUTED
    elif planned.lead_unit_id is None and ordered and ordered[0].status:
        row.status = ordered[0].status  # no lead: the co-executors answer for it
    # A co-executor's part does not make the action's status while the lead's is missing.
    else:
        row.status = "" if row.due else EntryStatus.NOT_DUE
    several = len(ordered) > 1

    def column(name: str) -> str:
        parts = []
        for progress_entry in ordered:
            text = getattr(progress_entry, name).strip()
            if text:
                unit = units.get(progress_entry.submission.unit_id)
                parts.append(f"{unit}: {text}" if several else text)
        return "\n".join(parts)

    row.actual = column("actual")
    # Shown in the reader's language (report_selectors), never stored as text.
    row.executed_earlier = bool(lead_done and not progress)
    row.reasons = column("reasons")
    missing = []
    if row.due:
        for unit_id in involved:
            if unit_id in accepted or (one_off and (unit_id, planned.action_id) in done):
                continue
            if unit_id in units:
                missing.append(str(units[unit_id]))
    row.missing_units = missing


# --- what the monitor writes ----------------------------------------------------------------


@transaction.atomic
def report_update(
    *,
    actor,
    report: Report,
    general_recommendations: str,
    monitoring_unit: Unit | None = None,
    version: int | None = None,
) -> Report:
    """The monitor's recommendations to the officials; `version` is the one the monitor
    started from: if another monitor saved in between, nothing is written (Conflict)."""
    require(actor, Perm.MONITOR, report)
    report = _locked(report)
    next_version(report, version)
    if monitoring_unit is not None and monitoring_unit.body_id != report.plan.body_id:
        raise ValidationError({"monitoring_unit": _("The unit belongs to another body.")})
    report.general_recommendations = (general_recommendations or "").strip()
    report.monitoring_unit = monitoring_unit
    return save_record(report, actor=actor)


@transaction.atomic
def row_recommend(*, actor, row: ReportRow, text: str, version: int | None = None) -> ReportRow:
    """The monitor's recommendation on one action (column 8), from `version` of the row: if
    someone saved it since, nothing is written (Conflict)."""
    require(actor, Perm.MONITOR, row)
    _locked(row.report)
    next_version(row, version)
    row.recommendation = (text or "").strip()
    return save_record(row, actor=actor)


def _check_recommendation(recommendation: AmendmentRecommendation, report: Report) -> None:
    errors: dict[str, str] = {}
    kind = recommendation.kind
    body_id = report.plan.body_id
    if kind not in AmendmentKind.values:
        raise ValidationError({"kind": _("Choose what should change.")})
    if kind == AmendmentKind.ADD:
        recommendation.action = None
    elif recommendation.action_id is None:
        errors["action"] = _("Choose the action the change is about.")
    elif not report.rows.filter(action_id=recommendation.action_id).exists():
        errors["action"] = _("The action is not in this report.")
    if kind in (AmendmentKind.WORDING, AmendmentKind.ADD) and not recommendation.name.strip():
        errors["name"] = _("Write the new wording of the action.")
    if kind in (AmendmentKind.EXECUTOR, AmendmentKind.ADD):
        if recommendation.lead_unit_id is None:
            errors["lead_unit"] = _("Choose the responsible executor.")
        elif recommendation.lead_unit.body_id != body_id:
            errors["lead_unit"] = _("The unit belongs to another body.")
    if kind in (AmendmentKind.TERM, AmendmentKind.ADD):
        if not recommendation.term_kind:
            errors["term_kind"] = _("Give the new term of execution.")
        else:
            errors.update(recommendation.check_term(report.plan.year))
    if kind == AmendmentKind.ADD:
        if (recommendation.indicator_id is None) == (recommendation.task_id is None):
            errors["indicator"] = _("Attach the new action to an indicator or to a task.")
        elif recommendation.indicator_id and (
            recommendation.indicator.plan_id != report.plan.development_plan_id
        ):
            errors["indicator"] = _("The indicator is not in the development plan of this plan.")
        elif recommendation.task_id and recommendation.task.body_id != body_id:
            errors["task"] = _("The task belongs to another body.")
        form = recommendation.completion_form
        if form is not None and form.body_id not in (None, body_id):
            errors["completion_form"] = _("The form of completion belongs to another body.")
    if not recommendation.justification.strip():
        errors["justification"] = _("Explain why the plan should change.")
    if errors:
        raise ValidationError(errors)
    # Keep only what the kind of change uses.
    keep = {
        AmendmentKind.TERM: set(TERM_FIELDS),
        AmendmentKind.EXECUTOR: {"lead_unit"},
        AmendmentKind.WORDING: {"name"},
        AmendmentKind.REMOVE: set(),
        AmendmentKind.ADD: set(PROPOSED_FIELDS),
    }[kind]
    for name in PROPOSED_FIELDS:
        if name not in keep:
            setattr(
                recommendation, name, "" if name in ("name", "term_kind", "term_text") else None
            )


@transaction.atomic
def amendment_recommendation_create(
    *, actor, report: Report, kind: str, justification: str, **fields
):
    require(actor, Perm.MONITOR, report)
    report = _locked(report)
    unknown = set(fields) - set(PROPOSED_FIELDS) - {"action", "action_id"}
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    recommendation = AmendmentRecommendation(
        report=report, kind=kind, justification=(justification or "").strip()
    )
    apply_fields(recommendation, fields)
    recommendation.name = (recommendation.name or "").strip()
    recommendation.term_kind = recommendation.term_kind or ""
    _check_recommendation(recommendation, report)
    return save_record(recommendation, actor=actor)


@transaction.atomic
def amendment_recommendation_delete(*, actor, recommendation: AmendmentRecommendation) -> None:
    require(actor, Perm.MONITOR, recommendation)
    _locked(recommendation.report)
    delete_record(recommendation, actor=actor)


# --- submitting (R15) -----------------------------------------------------------------------

STEPS = {
    # A report keeps no events: its submission is the submitted_at/by columns and its history.
    "submit": Step(Report.EDITABLE, ReportStatus.SUBMITTED, Perm.MONITOR),
}

# Everything the report's status allows, by the same rule: while in preparation the monitor
# compiles it again, writes in it and submits it; once submitted the officials decide on it
# (R17) and the planner turns its recommendations into an adjustment (R18). The report's page
# shows what allowed_steps(user, report, REPORT_STEPS) gives; the API lists STEPS.
REPORT_STEPS: dict[str, Step] = STEPS | {
    "edit": Step(Report.EDITABLE, None, Perm.MONITOR),
    "decide": Step(frozenset({ReportStatus.SUBMITTED}), None, Perm.APPROVE_PLAN),
    "apply": Step(frozenset({ReportStatus.SUBMITTED}), None, Perm.EDIT_PLAN),
}


def allowed_report_steps(user, report: Report) -> list[str]:
    return allowed_steps(user, report, STEPS)


@transaction.atomic
def report_submit(*, actor, report: Report, cms: str = "") -> Report:
    """The monitor submits the report to the officials; the day is recorded against R15's
    deadline (the 15th of the month after the quarter) and the report is frozen.
    `cms` is the monitor's digital signature of the report's canonical document, where the
    body uses it for this step (StateBody.eds_report): verified and recorded with the step, or
    the step is refused with the reason and nothing changes."""
    report, step = begin_step(actor, report, STEPS, "submit")
    if report.compiled_at is None or not report.rows.exists():
        raise ValidationError(_("Compile the report before submitting it."))
    ends = quarter_end(report.plan.year, report.quarter)
    if today() <= ends:
        raise ValidationError(
            _("The report on quarter %(q)s can be submitted once the quarter has ended (%(date)s).")
            % {"q": report.quarter, "date": ends.strftime("%d.%m.%Y")}
        )
    step_signature(actor=actor, obj=report, kind="report", cms=cms)
    report.status = step.target
    report.submitted_at = timezone.now()
    report.submitted_by = actor
    deadline = report_deadline(report.plan.year, report.quarter)
    report.days_late = days_late(deadline, report.submitted_at)
    apply_fields(report, in_each_language("frozen_summary", lambda: freeze_summary(report)))
    report = save_record(report, actor=actor)
    events.report_submitted(report, actor)
    return report


# --- turning a recommendation into an adjustment (R18) -------------------------------------


def _reference(recommendation: AmendmentRecommendation) -> str:
    return _("%(report)s, recommendation %(n)s") % {
        "report": recommendation.report,
        "n": recommendation.pk,
    }


@transaction.atomic
def amendment_recommendation_apply(
    *, actor, recommendation: AmendmentRecommendation
) -> AmendmentRecommendation:
    """Make the recommended change in a draft adjustment of the plan: open one on the basis of
    monitoring if none is open, or add to the one that is. The recommendation and the
    adjustment point at each other."""
    from jospar.plans import services as plans

    step = REPORT_STEPS["apply"]
    require(actor, step.perm, recommendation)
    recommendation = AmendmentRecommendation.objects.select_for_update().get(pk=recommendation.pk)
    report = Report.objects.select_related("plan").get(pk=recommendation.report_id)
    if report.status not in step.sources:
        raise ValidationError(_("The report must be submitted to the officials first."))
    if recommendation.applied_at is not None:
        raise ValidationError(_("The recommendation has already been applied."))
    plan = OperationalPlan.objects.select_for_update().get(pk=report.plan_id)
    reference = _reference(recommendation)
    if plan.status == PlanStatus.APPROVED:
        plan = plans.adjustment_start(
            actor=actor,
            plan=plan,
            basis=RevisionBasis.MONITORING,
            basis_reference=reference,
            basis_text=recommendation.justification,
        )
    elif plan.is_editable and plan.revisions.exists():
        if reference not in plan.basis_reference:
            joined = "; ".join(p for p in (plan.basis_reference, reference) if p)
            plan.basis_reference = joined[:500]
            save_record(plan, actor=actor)
    else:
        raise ValidationError(
            _(
                "The plan is %(status)s; a recommendation can be applied to an approved plan or to "
                "its open adjustment."
            )
            % {"status": plan.get_status_display()}
        )
    action = recommendation.action
    kind = recommendation.kind
    if kind != AmendmentKind.ADD and (action is None or action.removed):
        raise ValidationError(_("The action has already been removed from the plan."))
    if kind == AmendmentKind.TERM:
        plans.action_update(actor=actor, action=action, **term_values(recommendation.term))
    elif kind == AmendmentKind.EXECUTOR:
        co_executors = [u for u in action.co_executors.all() if u.pk != recommendation.lead_unit_id]
        plans.action_update(
            actor=actor,
            action=action,
            lead_unit=recommendation.lead_unit,
            co_executors=co_executors,
        )
    elif kind == AmendmentKind.WORDING:
        plans.action_update(actor=actor, action=action, name=recommendation.name)
    elif kind == AmendmentKind.REMOVE:
        plans.action_delete(actor=actor, action=action)
    else:
        proposed = {name: getattr(recommendation, name) for name in PROPOSED_FIELDS}
        action = plans.action_create(actor=actor, plan=plan, **proposed)
    recommendation.applied_plan = plan
    recommendation.applied_revision_number = next_revision_number(plan)
    recommendation.applied_action = action
    recommendation.applied_at = timezone.now()
    recommendation.applied_by = actor
    return save_record(recommendation, actor=actor)


# --- decisions (R17) ------------------------------------------------------------------------


def _units_of_body(units, body_id: int) -> list[Unit]:
    units = list(units or [])
    if not units:
        raise ValidationError({"units": _("Assign the decision to at least one unit.")})
    if any(unit.body_id != body_id for unit in units):
        raise ValidationError({"units": _("A unit belongs to another body.")})
    return units


@transaction.atomic
def decision_create(
    *, actor, report: Report, kind: str, text: str, units, due_on, cms: str = ""
) -> Decision:
    """An official records a decision on a submitted report (R17). `cms` is the official's
    digital signature of the decision's canonical document (what the form held), where the body
    uses it (StateBody.eds_decisions): verified against the decision as saved, with the step,
    or nothing is recorded."""
    step = REPORT_STEPS["decide"]
    require(actor, step.perm, report)
    report = Report.objects.get(pk=report.pk)
    if report.status not in step.sources:
        raise ValidationError(_("Decisions are taken on a submitted report."))
    units = _units_of_body(units, report.plan.body_id)
    decision = Decision(
        report=report,
        kind=kind,
        text=(text or "").strip(),
        due_on=due_on,
        decided_by=actor,
        decided_on=today(),
    )
    if due_on is not None and due_on < decision.decided_on:
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})
    decision._change_reason = ", ".join(sorted(u.code for u in units))
    save_record(decision, actor=actor)
    decision.units.set(units)
    step_signature(actor=actor, obj=decision, kind="decision", cms=cms)
    events.decision_recorded(decision, units, actor)
    return decision


@transaction.atomic
def decision_update(
    *,
    actor,
    decision: Decision,
    kind: str,
    text: str,
    units,
    due_on,
    status: str,
    version: int | None = None,
    cms: str = "",
) -> Decision:
    """The official edits the decision, or closes it; from `version` of it, if given: if
    another official saved it since, nothing is written (Conflict).
    A change of what was decided (its aim, text, units or due date) is a new decision to sign
    where the body uses the digital signature for decisions: `cms` signs the decision as
    changed (required if the body requires it); a signature given before then no longer covers
    it. A change of the status alone signs nothing (the units' progress changes it too)."""
    require(actor, Perm.APPROVE_PLAN, decision)
    next_version(decision, version)
    units = _units_of_body(units, decision.report.plan.body_id)
    if due_on is not None and due_on < decision.decided_on:
        raise ValidationError({"due_on": _("The due date cannot be before the decision.")})
    # what was decided as saved (a form may have changed the object given already)
    before = document_of("decision", Decision.objects.select_for_update().get(pk=decision.pk))
    decision.kind, decision.text, decision.due_on = kind, (text or "").strip(), due_on
    _set_status(decision, status)
    decision._change_reason = ", ".join(sorted(u.code for u in units))
    save_record(decision, actor=actor)
    decision.units.set(units)
    if cms or document_of("decision", decision) != before:
        step_signature(actor=actor, obj=decision, kind="decision", cms=cms)
    return decision


def _set_status(decision: Decision, status: str) -> None:
    if status not in DecisionStatus.values:
        raise ValidationError({"status": _("Choose the status.")})
    if status != DecisionStatus.DONE:
        decision.closed_on = None
    elif decision.status != DecisionStatus.DONE or decision.closed_on is None:
        decision.closed_on = today()  # an edit of a closed decision keeps the day it closed
    decision.status = status


@transaction.atomic
def decision_progress_add(
    *, actor, decision: Decision, unit: Unit, status: str, text: str
) -> DecisionProgress:
    """An assigned unit says what it has done. The decision is done when every assigned
    unit has said its part is done, in progress once any has reported; a closed decision
    takes no more notes until the official reopens it."""
    require(actor, Perm.ENTER_INFORMATION, unit)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    assigned = set(decision.units.values_list("pk", flat=True))
    if unit.pk not in assigned:
        raise PermissionDenied
    if decision.status == DecisionStatus.DONE:
        raise ValidationError(_("The decision is closed; the official can reopen it."))
    if status not in (DecisionStatus.IN_PROGRESS, DecisionStatus.DONE):
        raise ValidationError({"status": _("Choose “in progress” or “done”.")})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Say what has been done.")})
    progress = DecisionProgress(
        decision=decision, unit=unit, status=status, text=text, author=actor
    )
    progress.full_clean()
    progress.save()
    latest = {}
    for note in decision.progress.order_by("at", "pk"):
        latest[note.unit_id] = note.status
    everyone_done = all(latest.get(u) == DecisionStatus.DONE for u in assigned)
    _set_status(decision, DecisionStatus.DONE if everyone_done else DecisionStatus.IN_PROGRESS)
    save_record(decision, actor=actor)
    return progress
