"""Domain operations on the operational plan: its actions, the units' proposals (R5), the
completeness check and the approval (R6). Each takes the acting user, asks the policy,
validates and saves in one transaction."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jospar.deadlines.calendar import days_late, today
from jospar.lib import records
from jospar.lib.languages import active_column, in_each_language, variants
from jospar.lib.records import apply_fields, delete_record, ensure_unique, save_checked, save_record
from jospar.lib.workflow import Step, allowed_steps, required_text, take_step
from jospar.notifications import events
from jospar.orgs.models import BudgetProgram, StateBody, Unit
from jospar.orgs.policy import Perm, require
from jospar.plans.carryover import next_year_offer, shifted_date
from jospar.plans.checks import plan_errors
from jospar.plans.models import (
    CONTENT_FIELDS,
    M2M_FIELDS,
    Action,
    ActionContent,
    CompletionForm,
    OperationalPlan,
    PlanEvent,
    PlanStatus,
    Proposal,
    ProposalStatus,
    RegulationTask,
    Revision,
    RevisionAction,
    RevisionBasis,
    RevisionHeading,
    plan_signature,
)
from jospar.signatures.services import step_signature
from jospar.strategy.models import Indicator

PLAN_FIELDS = (
    "year",
    "development_plan",
    "basis_amendment",
    "planning_unit",
    "approval_basis_on",
    # the signature block and notes of Appendix 1 (an imported sheet's, or typed)
    "signatory_position",
    "signatory_name",
    "notes",
)


# --- the plan -------------------------------------------------------------------------------


def _check_plan(plan: OperationalPlan) -> None:
    development = plan.development_plan
    if development.body_id != plan.body_id:
        raise ValidationError({"development_plan": _("It is another body's development plan.")})
    if plan.year not in development.years:
        raise ValidationError(
            {
                "year": _("%(year)s is outside the development plan's period %(start)s–%(end)s.")
                % {"year": plan.year, "start": development.start_year, "end": development.end_year}
            }
        )
    basis_on = plan.approval_basis_on
    if basis_on is not None and basis_on < development.signed_on:
        raise ValidationError(
            {
                "approval_basis_on": _(
                    "The basis date cannot precede the development plan's signing (%s)."
                )
                % f"{development.signed_on:%d.%m.%Y}"
            }
        )
    amendment = plan.basis_amendment
    if amendment is not None and amendment.plan_id != development.pk:
        raise ValidationError({"basis_amendment": _("It amends another development plan.")})
    if plan.planning_unit is not None and plan.planning_unit.body_id != plan.body_id:
        raise ValidationError({"planning_unit": _("The unit belongs to another body.")})
    ensure_unique(
        plan,
        "year",
        _("The body already has an operational plan for this year."),
        body=plan.body_id,
    )


def _require_editable(plan: OperationalPlan) -> None:
    if not plan.is_editable:
        raise ValidationError(
            _("The plan is %(status)s and cannot be changed.")
            % {"status": plan.get_status_display()}
        )


@transaction.atomic
def plan_create(*, actor, body: StateBody, **fields) -> OperationalPlan:
    plan = OperationalPlan(body=body)
    return save_checked(actor, Perm.EDIT_PLAN, plan, fields, _check_plan, guard=body)


@transaction.atomic
def plan_prepare_next(
    *, actor, plan: OperationalPlan, carry: Iterable[int] = ()
) -> OperationalPlan:
    """The draft plan for the year after `plan`'s, from the plan in force: every action whose
    term recurs is carried over, and of the actions the last report found unfinished those whose
    ids are in `carry`. Each new action links to the one it continues; a dated term moves to
    the new year. All or nothing."""
    require(actor, Perm.EDIT_PLAN, plan)
    offer = next_year_offer(plan)
    if offer.problem:
        raise ValidationError(offer.problem)
    chosen = set(carry)
    offered = {candidate.action_id for candidate in offer.unfinished}
    if chosen - offered:
        raise ValidationError(
            {"carry": _("Only the unfinished actions of the plan in force can be chosen.")}
        )
    new = plan_create(
        actor=actor,
        body=plan.body,
        year=offer.year,
        development_plan=plan.development_plan,
        basis_amendment=plan.basis_amendment,
        planning_unit=plan.planning_unit,
    )
    sources = [c.action for c in offer.recurring] + [
        c.action for c in offer.unfinished if c.action_id in chosen
    ]
    sources.sort(key=lambda source: source.number)
    actions_create(
        actor=actor,
        plan=new,
        actions=_carried_content(plan, sources, offer.year),
        carried_from=[source.action_id for source in sources],
    )
    return new


def _carried_content(plan: OperationalPlan, sources: Sequence[RevisionAction], year: int) -> list:
    """The content of each revision action as actions_create takes it, its links read in a
    fixed number of queries (a unit, a task or a budget program gone since is left out)."""

    def bulk(model, attname, **filters):
        ids = {getattr(source, attname) for source in sources} - {None}
        return model.objects.filter(pk__in=ids, **filters).in_bulk() if ids else {}

    related = {
        "indicator": bulk(Indicator, "indicator_id", plan=plan.development_plan_id),
        "task": bulk(RegulationTask, "task_id", body=plan.body_id),
        "lead_unit": bulk(Unit, "lead_unit_id", body=plan.body_id),
        "completion_form": bulk(CompletionForm, "completion_form_id"),
    }
    units = Unit.objects.filter(body=plan.body_id).in_bulk()
    programs = {p.code: p for p in BudgetProgram.objects.filter(body=plan.body_id)}
    content = []
    for source in sources:
        fields = {}
        for name, value in source.content().items():
            relation = name.removesuffix("_id")
            if relation in related:
                fields[relation] = related[relation].get(value)
            else:
                fields[name] = value
        fields["term_date"] = shifted_date(source.term_date, year)
        codes = [code.strip() for code in source.budget_codes.split(",")]
        fields["budget_programs"] = [programs[code] for code in codes if code in programs]
        fields["co_executors"] = [units[pk] for pk in source.co_executor_ids if pk in units]
        content.append(fields)
    return content


@transaction.atomic
def plan_update(
    *, actor, plan: OperationalPlan, version: int | None = None, **fields
) -> OperationalPlan:
    """Change the plan's details; `version` is the one the planner started from: if another
    save came in between, nothing is written and Conflict carries the plan as it is now."""
    require(actor, Perm.EDIT_PLAN, plan)
    plan = records.require_version(OperationalPlan, plan.pk, version)  # locks the row
    _require_editable(plan)
    plan.version += 1
    moves_anchors = (
        "development_plan" in fields and fields["development_plan"] != plan.development_plan
    )
    if moves_anchors and (plan.actions.exists() or plan.proposals.exists()):
        raise ValidationError(
            {
                "development_plan": _(
                    "The plan already has actions anchored on this development plan."
                )
            }
        )
    apply_fields(plan, fields)
    _check_plan(plan)
    return save_record(plan, actor=actor)


# --- what an action or a proposal says -----------------------------------------------------------


def _check_content(obj: ActionContent, plan: OperationalPlan, m2m: dict) -> None:
    """Every value must be usable in this plan; missing ones are left to the completeness check."""
    errors: dict[str, str] = {}
    body_id = plan.body_id
    if obj.indicator_id is not None and obj.task_id is not None:
        # neither is section II without a task
        errors["indicator"] = _("Attach the action to an indicator or to a task, not both.")
    elif obj.indicator_id and obj.indicator.plan_id != plan.development_plan_id:
        errors["indicator"] = _("The indicator is not in the development plan of this plan.")
    elif obj.task_id and obj.task.body_id != body_id:
        errors["task"] = _("The task belongs to another body.")
    if not (obj.name or "").strip():
        errors["name"] = _("Name the action.")
    if obj.lead_unit is not None and obj.lead_unit.body_id != body_id:
        errors["lead_unit"] = _("The unit belongs to another body.")
    co_executors = m2m.get("co_executors") or []
    if any(unit.body_id != body_id for unit in co_executors):
        errors["co_executors"] = _("A co-executor belongs to another body.")
    elif obj.lead_unit_id and any(unit.pk == obj.lead_unit_id for unit in co_executors):
        errors["co_executors"] = _("The responsible executor cannot also be a co-executor.")
    unknown = [p.code for p in m2m.get("budget_programs") or [] if p.body_id != body_id]
    if unknown:
        errors["budget_programs"] = _("Not a budget program of this body: %(codes)s.") % {
            "codes": ", ".join(unknown)
        }
    errors.update(obj.check_term(plan.year))
    form = obj.completion_form
    if form is not None and form.body_id not in (None, body_id):
        errors["completion_form"] = _("The form of completion belongs to another body.")
    if errors:
        raise ValidationError(errors)


def _m2m_summary(m2m: dict) -> str:
    codes = ", ".join(sorted(p.code for p in m2m.get("budget_programs") or []))
    units = ", ".join(sorted(u.code for u in m2m.get("co_executors") or []))
    return _("budget programs: %(codes)s; co-executors: %(units)s") % {
        "codes": codes or "—",
        "units": units or "—",
    }


def _split(fields: dict) -> tuple[dict, dict]:
    unknown = set(fields) - set(CONTENT_FIELDS) - set(M2M_FIELDS)
    if unknown:
        raise TypeError(f"unexpected fields: {sorted(unknown)}")
    scalars = {k: v for k, v in fields.items() if k in CONTENT_FIELDS}
    m2m = {k: list(v) for k, v in fields.items() if k in M2M_FIELDS}
    return scalars, m2m


def _save_content(obj: ActionContent, plan: OperationalPlan, fields: dict, actor) -> None:
    scalars, m2m = _split(fields)
    for name, value in scalars.items():
        setattr(obj, name, value)
    current = {}
    if obj.pk:
        current = {name: list(getattr(obj, name).all()) for name in M2M_FIELDS}
    merged = current | m2m
    _check_content(obj, plan, merged)
    obj._change_reason = _m2m_summary(merged)
    save_record(obj, actor=actor)
    for name, values in m2m.items():
        getattr(obj, name).set(values)


# --- actions ------------------------------------------------------------------------------


def _require_present(action: Action) -> None:
    if action.removed:
        raise ValidationError(_("The action was removed by an adjustment."))


def _locked_editable_plan(plan: OperationalPlan) -> OperationalPlan:
    locked = OperationalPlan.objects.select_for_update().get(pk=plan.pk)
    _require_editable(locked)
    return locked


def _anchor_filter(obj: ActionContent) -> dict:
    return {"indicator_id": obj.indicator_id, "task_id": obj.task_id}


def _renumber(plan: OperationalPlan, anchor: dict) -> None:
    """Dense positions 1..n within one anchor, in their current order."""
    actions = list(plan.actions.filter(removed=False, **anchor).order_by("position", "pk"))
    for index, action in enumerate(actions, start=1):
        if action.position != index:
            Action.objects.filter(pk=action.pk).update(position=index)


@transaction.atomic
def action_create(*, actor, plan: OperationalPlan, proposal=None, **fields) -> Action:
    require(actor, Perm.EDIT_PLAN, plan)
    plan = _locked_editable_plan(plan)
    action = Action(plan=plan, proposal=proposal)
    scalars, _m2m = _split(fields)
    for name, value in scalars.items():
        setattr(action, name, value)
    last = plan.actions.filter(removed=False, **_anchor_filter(action)).aggregate(Max("position"))
    action.position = (last["position__max"] or 0) + 1
    _save_content(action, plan, fields, actor)
    return action


# The constraints of an action that _check_content checks before anything is written (its
# full_clean would ask the database about each action): one anchor, an indicator or a task.
ACTION_CONSTRAINTS_CHECKED = ("action_has_at_most_one_anchor",)


@transaction.atomic
def actions_create(
    *,
    actor,
    plan: OperationalPlan,
    actions: Sequence[dict],
    carried_from: Sequence[int] | None = None,
) -> list[Action]:
    """Create many actions in the plan at once, each as action_create creates it: appended
    under its anchor in the order given, checked as action_create checks it (what full_clean
    asks the database is asked once for all of them), saved with one history row of its own.
    A fixed number of SQL statements however many actions there are.

    All or none: a ValidationError whose error_dict maps the index (in `actions`) of each
    action that cannot be created to its messages; a refusal of the plan itself as
    action_create words it. `carried_from`, if given, is the id of the action of an earlier
    plan that each one continues."""
    require(actor, Perm.EDIT_PLAN, plan)
    plan = _locked_editable_plan(plan)
    objs: list[Action] = []
    links: list[dict] = []
    errors: dict[int, list[str]] = {}
    origins = carried_from if carried_from is not None else [None] * len(actions)
    for index, (fields, origin) in enumerate(zip(actions, origins, strict=True)):
        action = Action(plan=plan, carried_from_id=origin)
        scalars, m2m = _split(fields)
        apply_fields(action, scalars)
        try:
            _check_content(action, plan, m2m)
        except ValidationError as error:
            errors[index] = error.messages
        action._change_reason = _m2m_summary(m2m)
        action._history_user = actor
        objs.append(action)
        links.append(m2m)
    valid = [index for index in range(len(objs)) if index not in errors]
    found = records.clean_many([objs[i] for i in valid], checked=ACTION_CONSTRAINTS_CHECKED)
    errors |= {valid[i]: error.messages for i, error in found.items()}
    if errors:
        raise ValidationError({index: errors[index] for index in sorted(errors)})
    last = {
        (row["indicator_id"], row["task_id"]): row["top"]
        for row in plan.actions.filter(removed=False)
        .order_by()
        .values("indicator_id", "task_id")
        .annotate(top=Max("position"))
    }
    for action in objs:
        anchor = (action.indicator_id, action.task_id)
        action.position = last[anchor] = (last.get(anchor) or 0) + 1
    try:
        with transaction.atomic():
            records.insert_many(Action, objs)
            records.bulk_history(Action, objs, "+", actor)
            for name in M2M_FIELDS:
                _link_many(Action._meta.get_field(name), objs, [m2m.get(name) for m2m in links])
    except IntegrityError:
        raise ValidationError(records.conflict_message()) from None
    return objs


def _link_many(field, objs: Sequence, targets: Sequence) -> None:
    """The rows of the many-to-many `field` linking each of `objs` to its `targets` (a list of
    objects or None each), in one statement."""
    through = field.remote_field.through
    source = f"{field.m2m_field_name()}_id"
    target = f"{field.m2m_reverse_field_name()}_id"
    columns = [f.attname for f in through._meta.concrete_fields]
    rows = []
    for obj, values in zip(objs, targets, strict=True):
        for value in dict.fromkeys(values or []):
            row = {source: obj.pk, target: value.pk}
            rows.append(through(*(row.get(name) for name in columns)))  # by position: quick
    records.insert_many(through, rows)


@transaction.atomic
def actions_delete(*, actor, plan: OperationalPlan, actions: Sequence[Action]) -> None:
    """Delete many actions of the plan at once, each as action_delete deletes it (one held by
    an approved revision is marked removed; the others are deleted; each leaves its history
    row), then number the actions left under each anchor 1..n again. A fixed number of SQL
    statements however many actions there are; all or none."""
    require(actor, Perm.EDIT_PLAN, plan)
    plan = _locked_editable_plan(plan)
    ids = [action.pk for action in actions]
    current = list(Action.objects.filter(pk__in=ids))
    if len(current) != len(set(ids)) or any(a.plan_id != plan.pk for a in current):
        raise ValueError("actions_delete: actions of another plan, or deleted")
    for action in current:
        _require_present(action)
    held = set(RevisionAction.objects.filter(action_id__in=ids).values_list("action_id", flat=True))
    kept = [action for action in current if action.pk in held]
    if kept:  # earlier revisions and their quarters keep these
        Action.objects.filter(pk__in=[a.pk for a in kept]).update(removed=True, position=0)
        for action in kept:
            action.removed, action.position = True, 0
        records.bulk_history(Action, kept, "~", actor)
    records.delete_many(Action, [a for a in current if a.pk not in held], actor=actor)
    _renumber_anchors(plan, {(a.indicator_id, a.task_id) for a in current})


@transaction.atomic
def actions_translate(*, actor, plan: OperationalPlan, texts: Mapping[int, dict]) -> list[Action]:
    """Write texts of the plan's actions in their languages ({action id: {"name_kk": …,
    "completion_text_kk": …}}), as an import of the plan's translation does: each action's
    version grows and its history records the change, in a fixed number of SQL statements;
    all or none — a ValidationError whose error_dict maps the index of each refused action (in
    the order of `texts`) to its messages."""
    require(actor, Perm.EDIT_PLAN, plan)
    plan = _locked_editable_plan(plan)
    allowed = set(variants(*ActionContent.TEXTS))
    names = sorted({name for values in texts.values() for name in values})
    if set(names) - allowed:
        raise TypeError(f"actions_translate: unknown fields {sorted(set(names) - allowed)}")
    actions = Action.objects.in_bulk(list(texts))
    if len(actions) != len(texts) or any(
        a.plan_id != plan.pk or a.removed for a in actions.values()
    ):
        raise ValueError("actions_translate: actions of another plan, removed or deleted")
    errors = {}
    changed = []
    for index, (pk, values) in enumerate(texts.items()):
        values = {name: (value or "").strip() for name, value in values.items()}
        try:
            records.check_fields(Action, **values)
        except ValidationError as error:
            errors[index] = error.messages
            continue
        action = apply_fields(actions[pk], values)
        action.version += 1
        changed.append(action)
    if errors:
        raise ValidationError(errors)
    Action.objects.bulk_update(changed, [*names, "version"])
    records.bulk_history(Action, changed, "~", actor)
    return changed


def _renumber_anchors(plan: OperationalPlan, anchors: set[tuple]) -> None:
    """_renumber for each of `anchors` (indicator id, task id), in two statements."""
    changed = []
    positions: dict[tuple, int] = {}
    for action in plan.actions.filter(removed=False).order_by("position", "pk"):
        anchor = (action.indicator_id, action.task_id)
        if anchor in anchors:
            positions[anchor] = positions.get(anchor, 0) + 1
            if action.position != positions[anchor]:
                action.position = positions[anchor]
                changed.append(action)
    Action.objects.bulk_update(changed, ["position"])


@transaction.atomic
def action_update(*, actor, action: Action, version: int | None = None, **fields) -> Action:
    """Change an action; `version` is the one the planner started from: if another save came
    in between, nothing is written and Conflict carries the action as it is now."""
    require(actor, Perm.EDIT_PLAN, action)
    _require_present(action)
    plan = _locked_editable_plan(action.plan)  # edits of one plan's actions queue here
    records.next_version(action, version)
    old_anchor = _anchor_filter(action)
    _save_content(action, plan, fields, actor)
    if _anchor_filter(action) != old_anchor:
        last = plan.actions.filter(removed=False, **_anchor_filter(action)).exclude(pk=action.pk)
        action.position = (last.aggregate(Max("position"))["position__max"] or 0) + 1
        Action.objects.filter(pk=action.pk).update(position=action.position)
        _renumber(plan, old_anchor)
    return action


@transaction.atomic
def action_move(*, actor, action: Action, offset: int) -> Action:
    """Move an action up (offset < 0) or down (offset > 0) among the actions of its anchor."""
    require(actor, Perm.EDIT_PLAN, action)
    _require_present(action)
    plan = _locked_editable_plan(action.plan)
    siblings = list(
        plan.actions.filter(removed=False, **_anchor_filter(action)).order_by("position", "pk")
    )
    index = next(i for i, a in enumerate(siblings) if a.pk == action.pk)
    target = max(0, min(len(siblings) - 1, index + offset))
    if target == index:
        return action
    siblings.insert(target, siblings.pop(index))
    for position, sibling in enumerate(siblings, start=1):
        if sibling.position != position:
            sibling.position = position
            sibling._history_user = actor
            sibling.save(update_fields=["position"])
    action.refresh_from_db()
    return action


@transaction.atomic
def action_delete(*, actor, action: Action) -> None:
    require(actor, Perm.EDIT_PLAN, action)
    _require_present(action)
    plan = _locked_editable_plan(action.plan)
    anchor = _anchor_filter(action)
    if action.revision_actions.exists():
        action.removed = True  # earlier revisions and their quarters keep it
        action.position = 0
        save_record(action, actor=actor)
    else:
        delete_record(action, actor=actor)
    _renumber(plan, anchor)


# --- tasks from the regulation (Section II anchors) ------------------------------------------


def _check_task(task: RegulationTask) -> None:
    ensure_unique(task, "number", _("A task with this number exists."), body=task.body_id)


@transaction.atomic
def task_create(*, actor, body: StateBody, number: int, name: str = "", **texts) -> RegulationTask:
    """A task from the regulation; its name in the active language (`name`) and/or in each
    language (`name_kk`, `name_ru`, `name_en`)."""
    unknown = set(texts) - set(variants("name"))
    if unknown:
        raise TypeError(f"task_create: unknown fields {sorted(unknown)}")
    task = RegulationTask(body=body)
    fields = {"number": number, **({"name": name} if name else {}), **texts}
    return save_checked(actor, Perm.EDIT_PLAN, task, fields, _check_task, guard=body)


@transaction.atomic
def tasks_create(
    *, actor, body: StateBody, tasks: Sequence[tuple[int, str | dict]]
) -> list[RegulationTask]:
    """Create many tasks from the regulation at once, (number, name) each — the name in the
    active language, or a dict of it in each language ({"name_kk": …, "name_ru": …}) — as
    task_create does (the same checks, a history row each), in a fixed number of SQL
    statements. All or none: a ValidationError whose error_dict maps the index of each refused
    task to its messages."""
    require(actor, Perm.EDIT_PLAN, body)
    objs = [
        RegulationTask(
            body=body, number=number, **(name if isinstance(name, dict) else {"name": name})
        )
        for number, name in tasks
    ]
    if not objs:
        return []
    taken = set(RegulationTask.objects.filter(body=body).values_list("number", flat=True))
    errors: dict[int, list[str]] = {}
    for index, task in enumerate(objs):
        if task.number in taken:  # as _check_task says it
            errors[index] = [_("A task with this number exists.")]
        taken.add(task.number)
    valid = [index for index in range(len(objs)) if index not in errors]
    found = records.clean_many([objs[i] for i in valid], checked=("task_number_unique",))
    errors |= {valid[i]: error.messages for i, error in found.items()}
    if errors:
        raise ValidationError({index: errors[index] for index in sorted(errors)})
    try:
        with transaction.atomic():
            records.insert_many(RegulationTask, objs)
            records.bulk_history(RegulationTask, objs, "+", actor)
    except IntegrityError:
        raise ValidationError(records.conflict_message()) from None
    return objs


@transaction.atomic
def task_update(
    *, actor, task: RegulationTask, version: int | None = None, **fields
) -> RegulationTask:
    return save_checked(actor, Perm.EDIT_PLAN, task, fields, _check_task, version=version)


# --- proposals (R5) -----------------------------------------------------------------------


# What each status of a proposal allows, written once: the unit edits and its head signs off a
# draft, or returns it to the executor with what to change, who edits it and sends it to the
# head again; the planner accepts or declines a signed one. Nothing while the plan is not open to
# changes.
PROPOSAL_STEPS: dict[str, Step] = {
    "edit": Step(frozenset({ProposalStatus.DRAFT, ProposalStatus.RETURNED}), None, Perm.PROPOSE),
    "sign": Step(frozenset({ProposalStatus.DRAFT}), ProposalStatus.SIGNED, Perm.SIGN_OFF),
    "return": Step(frozenset({ProposalStatus.DRAFT}), ProposalStatus.RETURNED, Perm.SIGN_OFF),
    "resubmit": Step(frozenset({ProposalStatus.RETURNED}), ProposalStatus.DRAFT, Perm.PROPOSE),
    "accept": Step(frozenset({ProposalStatus.SIGNED}), ProposalStatus.ACCEPTED, Perm.EDIT_PLAN),
    "decline": Step(frozenset({ProposalStatus.SIGNED}), ProposalStatus.DECLINED, Perm.EDIT_PLAN),
}


def allowed_proposal_steps(user, proposal: Proposal) -> list[str]:
    if not proposal.plan.is_editable:
        return []
    return allowed_steps(user, proposal, PROPOSAL_STEPS)


def _proposal_moved(actor, proposal: Proposal, step: Step, tell, **fields) -> Proposal:
    """The proposal given the step's status and `fields`, saved, and `tell` (an event of
    jospar.notifications.events) told of it."""
    proposal.status = step.target
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal = save_record(proposal, actor=actor)
    tell(proposal, actor)
    return proposal


def _proposal_step(actor, proposal: Proposal, name: str) -> tuple[Proposal, Step]:
    """Check a step of PROPOSAL_STEPS: the actor's permission, then, on the locked row, the plan
    open to changes and the proposal's status. Returns the locked proposal and the step."""
    step = PROPOSAL_STEPS[name]
    require(actor, step.perm, proposal)
    locked = Proposal.objects.select_for_update(of=("self",)).select_related("plan")
    proposal = locked.get(pk=proposal.pk)
    _require_editable(proposal.plan)
    if proposal.status not in step.sources:
        raise ValidationError(
            _("The proposal is %(status)s.") % {"status": proposal.get_status_display()}
        )
    return proposal, step


@transaction.atomic
def proposal_create(*, actor, plan: OperationalPlan, unit, **fields) -> Proposal:
    """An executor drafts a proposed action for their unit; the unit leads it by default."""
    require(actor, Perm.VIEW, plan)
    require(actor, Perm.PROPOSE, unit)
    if unit.body_id != plan.body_id:
        raise PermissionDenied
    plan = _locked_editable_plan(plan)
    proposal = Proposal(plan=plan, unit=unit, author=actor, lead_unit=unit)
    _save_content(proposal, plan, fields, actor)
    return proposal


@transaction.atomic
def proposal_update(*, actor, proposal: Proposal, version: int | None = None, **fields) -> Proposal:
    """Change a draft; `version` is the one the executor started from (see action_update)."""
    proposal, _step = _proposal_step(actor, proposal, "edit")
    records.next_version(proposal, version)
    _save_content(proposal, proposal.plan, fields, actor)
    return proposal


@transaction.atomic
def proposal_delete(*, actor, proposal: Proposal) -> None:
    proposal, _step = _proposal_step(actor, proposal, "edit")
    delete_record(proposal, actor=actor)


@transaction.atomic
def proposal_sign(*, actor, proposal: Proposal, cms: str = "") -> Proposal:
    """The unit head signs the proposal off (R14: the head answers for it). `cms` is the head's
    digital signature of the proposal's canonical document (kind "proposal"), where the body
    uses it for the sign-off (StateBody.eds_sign_off): verified and recorded with the step, or
    the step is refused with the reason and nothing changes."""
    proposal, step = _proposal_step(actor, proposal, "sign")
    step_signature(actor=actor, obj=proposal, kind="proposal", cms=cms, body=proposal.plan.body)
    signed = {"signed_by": actor, "signed_at": timezone.now()}
    return _proposal_moved(actor, proposal, step, events.proposal_signed, **signed)


@transaction.atomic
def proposal_return(*, actor, proposal: Proposal, comment: str) -> Proposal:
    """The unit head sends the draft back to its executor with what to change."""
    proposal, step = _proposal_step(actor, proposal, "return")
    missing = _("Say what the executor should change.")
    returned = {
        "return_comment": required_text("comment", comment, missing),
        "returned_by": actor,
        "returned_at": timezone.now(),
    }
    return _proposal_moved(actor, proposal, step, events.proposal_returned, **returned)


@transaction.atomic
def proposal_resubmit(*, actor, proposal: Proposal) -> Proposal:
    """The executor, having changed the returned proposal, sends it to the head again."""
    proposal, step = _proposal_step(actor, proposal, "resubmit")
    proposal.status = step.target
    return save_record(proposal, actor=actor)


@transaction.atomic
def proposal_accept(*, actor, proposal: Proposal, **edits) -> Action:
    """The planner takes a signed-off proposal into the plan, possibly edited."""
    proposal, step = _proposal_step(actor, proposal, "accept")
    # each text in each language (not the active language's reading of it)
    content = {
        name: getattr(proposal, name) for name in CONTENT_FIELDS if name not in ActionContent.TEXTS
    }
    content |= {name: list(getattr(proposal, name).all()) for name in M2M_FIELDS}
    for name in ActionContent.TEXTS:  # an edit of a text in the active language
        if name in edits:
            edits[active_column(name)] = edits.pop(name)
    action = action_create(actor=actor, plan=proposal.plan, proposal=proposal, **(content | edits))
    proposal.status = step.target
    save_record(proposal, actor=actor)
    return action


@transaction.atomic
def proposal_decline(*, actor, proposal: Proposal, reason: str) -> Proposal:
    proposal, step = _proposal_step(actor, proposal, "decline")
    missing = _("Say why the proposal is declined; the unit sees it.")
    proposal.decline_reason = required_text("reason", reason, missing)
    proposal.status = step.target
    return save_record(proposal, actor=actor)


# --- approval (R6) ------------------------------------------------------------------------


# Every allowed step of the plan's approval (R6), written once; the API lists these.
TRANSITIONS: dict[str, Step] = {
    "submit": Step(
        OperationalPlan.EDITABLE,
        PlanStatus.SUBMITTED,
        Perm.EDIT_PLAN,
        PlanEvent.Kind.SUBMITTED,
    ),
    "approve": Step(
        frozenset({PlanStatus.SUBMITTED}),
        PlanStatus.APPROVED,
        Perm.APPROVE_PLAN,
        PlanEvent.Kind.APPROVED,
    ),
    "return": Step(
        frozenset({PlanStatus.SUBMITTED}),
        PlanStatus.RETURNED,
        Perm.APPROVE_PLAN,
        PlanEvent.Kind.RETURNED,
    ),
}

# Everything the plan's status allows, by the same rule: the approval's steps; editing the
# working copy and proposing actions for it while it is a draft or returned; adjusting it once
# approved (R18). The plan's pages show what allowed_steps(user, plan, PLAN_STEPS) gives.
PLAN_STEPS: dict[str, Step] = TRANSITIONS | {
    "edit": Step(OperationalPlan.EDITABLE, None, Perm.EDIT_PLAN),
    "propose": Step(OperationalPlan.EDITABLE, None, Perm.VIEW),
    "adjust": Step(
        frozenset({PlanStatus.APPROVED}),
        PlanStatus.DRAFT,
        Perm.EDIT_PLAN,
        PlanEvent.Kind.ADJUSTMENT,
    ),
}


def allowed_transitions(user, plan: OperationalPlan) -> list[str]:
    return allowed_steps(user, plan, TRANSITIONS)


def _transition(actor, plan: OperationalPlan, name: str, comment: str = "") -> OperationalPlan:
    return take_step(actor, plan, TRANSITIONS, name, comment)


@transaction.atomic
def plan_submit(*, actor, plan: OperationalPlan) -> OperationalPlan:
    """The planner submits the plan for approval; refused while the check finds errors."""
    require(actor, Perm.EDIT_PLAN, plan)
    errors = plan_errors(plan)
    if errors:
        raise ValidationError(
            ngettext(
                "The completeness check found %(n)s error; fix it before submitting.",
                "The completeness check found %(n)s errors; fix them before submitting.",
                len(errors),
            )
            % {"n": len(errors)}
        )
    plan = _transition(actor, plan, "submit")
    events.plan_stepped(plan, "submit", actor)
    return plan


@transaction.atomic
def plan_approve(*, actor, plan: OperationalPlan, cms: str = "") -> OperationalPlan:
    """The first head or chief of staff approves; a date past R6's deadline is recorded late.
    An adjustment (R18) is approved by this same step. `cms` is the official's digital
    signature of the working copy's canonical document (jospar.signatures.canonical, kind
    "revision"), where the body uses it for the approval (StateBody.eds_approval): verified
    and recorded on the new revision with the step, or the step is refused with the reason
    and nothing changes."""

    def approved(locked: OperationalPlan, _step: Step) -> None:
        locked.approved_on = today()
        locked.approved_by = actor
        basis = locked.approval_basis  # none known: not late
        locked.approved_late = (
            basis is not None and days_late(basis.deadline, locked.approved_on) > 0
        )

    plan = take_step(actor, plan, TRANSITIONS, "approve", before_save=approved)
    revision = freeze_revision(plan)
    step_signature(actor=actor, obj=revision, kind="revision", cms=cms, body=plan.body)
    events.plan_stepped(plan, "approve", actor)
    return plan


def revision_basis(plan: OperationalPlan) -> dict:
    """The basis the plan's next revision records: the open adjustment's, or the first
    approval's."""
    keeps_amendment = plan.basis in (RevisionBasis.INITIAL, RevisionBasis.AMENDMENT)
    return {
        "basis": plan.basis,
        "basis_amendment": plan.basis_amendment if keeps_amendment else None,
        "basis_reference": plan.basis_reference,
        "basis_text": plan.basis_text,
    }


def revision_rows(plan: OperationalPlan) -> tuple[list[RevisionAction], list[RevisionHeading]]:
    """The actions and the headings of the working copy as its approval freezes them, not yet
    tied to a revision: what the official approves (and signs) is what they read here."""
    from jospar.plans.selectors import plan_layout

    layout = plan_layout(plan, live=True)
    actions = [
        RevisionAction.of(row.obj, number=row.number) for row in layout if row.kind == "action"
    ]
    headings = [row for row in layout if row.kind not in ("section", "action")]
    return actions, [
        RevisionHeading.of(row, position=position) for position, row in enumerate(headings, 1)
    ]


def freeze_revision(plan: OperationalPlan) -> Revision:
    """Record the approved plan as the next numbered revision, with every action, every
    heading of its form and its signatory as they are."""
    from jospar.plans.selectors import next_revision_number

    revision = Revision.objects.create(
        plan=plan,
        number=next_revision_number(plan),
        **revision_basis(plan),
        approved_on=plan.approved_on,
        approved_by=plan.approved_by,
        approved_late=plan.approved_late,
        **in_each_language("signature", lambda: plan_signature(plan)),
    )
    actions, headings = revision_rows(plan)
    for row in [*actions, *headings]:
        row.revision = revision
    RevisionAction.objects.bulk_create(actions)
    RevisionHeading.objects.bulk_create(headings)
    return revision


# --- adjustment (R18) -----------------------------------------------------------------------


@transaction.atomic
def adjustment_start(
    *,
    actor,
    plan: OperationalPlan,
    basis: str,
    basis_amendment=None,
    basis_reference: str = "",
    basis_text: str = "",
) -> OperationalPlan:
    """Open a draft of the next revision, copied from the one in force, with its basis."""
    step = PLAN_STEPS["adjust"]
    require(actor, step.perm, plan)
    plan = OperationalPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status not in step.sources:
        started = plan.events.filter(kind=PlanEvent.Kind.ADJUSTMENT).select_related("actor").last()
        if started is not None:
            raise ValidationError(
                _("An adjustment is already open: %(who)s started it on %(when)s.")
                % {
                    "who": started.actor,
                    "when": timezone.localtime(started.at).strftime("%d.%m.%Y %H:%M"),
                }
            )
        raise ValidationError(_("Only an approved plan can be adjusted."))
    basis_reference, basis_text = basis_reference.strip(), basis_text.strip()
    if basis == RevisionBasis.AMENDMENT:
        if basis_amendment is None:
            raise ValidationError({"basis_amendment": _("Choose the amendment.")})
        if basis_amendment.plan_id != plan.development_plan_id:
            raise ValidationError({"basis_amendment": _("It amends another development plan.")})
    elif basis == RevisionBasis.MONITORING:
        if not (basis_reference or basis_text):
            raise ValidationError(
                {"basis_reference": _("Name the report and recommendation this follows.")}
            )
        basis_amendment = plan.basis_amendment
    elif basis == RevisionBasis.OTHER:
        if not basis_text:
            raise ValidationError({"basis_text": _("Explain the reason for the adjustment.")})
        basis_amendment = plan.basis_amendment
    else:
        raise ValidationError({"basis": _("Choose the basis of the adjustment.")})
    plan.status = step.target
    plan.basis = basis
    plan.basis_amendment = basis_amendment
    plan.basis_reference = basis_reference
    plan.basis_text = basis_text
    plan.approved_on = None
    plan.approved_by = None
    plan.approved_late = False
    save_record(plan, actor=actor)
    plan.events.create(kind=step.event, actor=actor, comment=basis_text or basis_reference)
    return plan


@transaction.atomic
def plan_return(*, actor, plan: OperationalPlan, comment: str) -> OperationalPlan:
    if not (comment or "").strip():
        require(actor, Perm.APPROVE_PLAN, plan)
        raise ValidationError({"comment": _("Say what must be corrected.")})
    plan = _transition(actor, plan, "return", comment.strip())
    events.plan_stepped(plan, "return", actor, comment.strip())
    return plan


@transaction.atomic
def completion_form_create(*, actor, body: StateBody, name: str = "", order: int = 0, **texts):
    """An administrator extends the reference list of forms of completion for the body; its
    name in the active language (`name`) and/or in each language (`name_kk`, `name_ru` …)."""
    require(actor, Perm.MANAGE_ORG, body)
    unknown = set(texts) - set(variants("name"))
    if unknown:
        raise TypeError(f"completion_form_create: unknown fields {sorted(unknown)}")
    texts = {key: (value or "").strip() for key, value in texts.items()}
    if name.strip():
        texts[active_column("name")] = name.strip()
    if not any(texts.values()):
        raise ValidationError({"name": _("Give the form's name.")})
    form = CompletionForm(body=body, order=order, **texts)
    ensure_unique(form, "name", _("The list already has this form."), body=body)
    shared = CompletionForm.objects.filter(body=None)
    if any(str(shared_form).casefold() == form.name.casefold() for shared_form in shared):
        raise ValidationError({"name": _("The shared list already has this form.")})
    return save_record(form, actor=actor)
