"""Domain operations on the development plan: its period, amendments, directions, goals and
indicators with their planned values. The planner types them in from the signed document."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jospar.lib import records
from jospar.lib.records import (
    Services,
    delete_checked,
    delete_record,
    ensure_unique,
    record_services,
    save_checked,
    save_record,
)
from jospar.orgs.models import StateBody
from jospar.orgs.policy import Perm, require
from jospar.strategy.models import (
    Amendment,
    DevelopmentPlan,
    Goal,
    Indicator,
    IndicatorValue,
    StrategicDirection,
)
from jospar.strategy.workbook import (
    DIRECTION,
    GOAL,
    MACRO,
    TARGET,
    TEXT_FIELDS,
    Changes,
    Reading,
    plan_changes,
)

PLAN_FIELDS = ("title", "start_year", "end_year", "signed_on", "document")
AMENDMENT_FIELDS = ("signed_on", "document", "description")
DIRECTION_FIELDS = ("number", "name")
GOAL_FIELDS = ("direction", "number", "name")
INDICATOR_FIELDS = (
    "number",
    "name",
    "unit_of_measure",
    "baseline_year",
    "baseline",
    "responsible_unit",
)

# Amendments and strategic directions: parts of a development plan, kept by its planner.
IN_PLAN = {"parent": "plan", "perm": Perm.EDIT_STRATEGY}


def _check_plan(plan: DevelopmentPlan) -> None:
    if plan.start_year and plan.end_year and plan.end_year < plan.start_year:
        raise ValidationError({"end_year": _("The last year cannot precede the first year.")})
    ensure_unique(
        plan,
        "start_year",
        _("The body already has a development plan starting in this year."),
        body=plan.body_id,
    )
    if plan.pk:
        outside = IndicatorValue.objects.filter(indicator__plan=plan).exclude(
            year__range=(plan.start_year, plan.end_year)
        )
        if outside.exists():
            raise ValidationError(
                {"end_year": _("Planned values exist for years outside the new period.")}
            )
        if plan.operational_plans.exclude(year__range=(plan.start_year, plan.end_year)).exists():
            raise ValidationError(
                {"end_year": _("An operational plan exists for a year outside the new period.")}
            )
        early = plan.amendments.filter(signed_on__lt=plan.signed_on)
        if early.exists():
            raise ValidationError(
                {"signed_on": _("An amendment is dated before this signing date.")}
            )


# A development plan is created in a body (`body=`) and changed (`plan=`) by its planner.
PLANS = record_services(
    DevelopmentPlan, "plan", parent="body", perm=Perm.EDIT_STRATEGY, check=_check_plan
)
development_plan_create, development_plan_update = PLANS.create, PLANS.update


def _check_amendment(amendment: Amendment) -> None:
    signed = amendment.plan.signed_on
    if amendment.signed_on and amendment.signed_on < signed:
        raise ValidationError(
            {
                "signed_on": _("An amendment cannot be dated before the plan was signed (%s).")
                % signed.strftime("%d.%m.%Y")
            }
        )


AMENDMENTS = record_services(Amendment, "amendment", check=_check_amendment, **IN_PLAN)
amendment_create, amendment_update = AMENDMENTS.create, AMENDMENTS.update
amendment_delete = AMENDMENTS.delete


def _check_direction(direction: StrategicDirection) -> None:
    ensure_unique(
        direction, "number", _("A direction with this number exists."), plan=direction.plan_id
    )


DIRECTIONS = record_services(StrategicDirection, "direction", check=_check_direction, **IN_PLAN)
direction_create, direction_update = DIRECTIONS.create, DIRECTIONS.update
direction_delete = DIRECTIONS.delete


def _check_goal(goal: Goal, plan: DevelopmentPlan) -> None:
    """The goal's direction must be one of `plan`'s: the plan it was in before the change."""
    if goal.direction_id is None:
        raise ValidationError({"direction": _("Choose the strategic direction of the goal.")})
    if goal.direction.plan_id != plan.pk:
        raise ValidationError({"direction": _("The direction belongs to another plan.")})
    ensure_unique(
        goal,
        "number",
        _("The direction already has a goal with this number."),
        direction=goal.direction_id,
    )


@transaction.atomic
def goal_create(*, actor, plan: DevelopmentPlan, **fields) -> Goal:
    return save_checked(
        actor, Perm.EDIT_STRATEGY, Goal(), fields, lambda g: _check_goal(g, plan), guard=plan
    )


@transaction.atomic
def goal_update(*, actor, goal: Goal, version: int | None = None, **fields) -> Goal:
    plan = goal.direction.plan  # the plan it is in: a new direction must be of the same plan
    return save_checked(
        actor, Perm.EDIT_STRATEGY, goal, fields, lambda g: _check_goal(g, plan), version=version
    )


@transaction.atomic
def goal_delete(*, actor, goal: Goal) -> None:
    delete_checked(actor, Perm.EDIT_STRATEGY, goal)


GOALS = Services("goal", goal_create, goal_update, goal_delete)


def _check_indicator(indicator: Indicator, values: dict[int, Decimal] | None) -> None:
    plan = indicator.plan
    parent = indicator.parent
    parent_field = "direction" if indicator.kind == Indicator.Kind.MACRO else "goal"
    if parent is None:
        raise ValidationError({parent_field: _("Choose where the indicator belongs.")})
    parent_plan_id = parent.plan_id if parent_field == "direction" else parent.direction.plan_id
    if parent_plan_id != plan.pk:
        raise ValidationError({parent_field: _("It belongs to another development plan.")})
    unit = indicator.responsible_unit
    if unit is not None and unit.body_id != plan.body_id:
        raise ValidationError({"responsible_unit": _("The unit belongs to another body.")})
    ensure_unique(
        indicator,
        "number",
        _("Another indicator here has this number."),
        kind=indicator.kind,
        **{parent_field: parent.pk},
    )
    for year, value in (values or {}).items():
        if year not in plan.years:
            raise ValidationError(
                {
                    "values": _("%(year)s is outside the plan period %(start)s–%(end)s.")
                    % {"year": year, "start": plan.start_year, "end": plan.end_year}
                }
            )
        if value is not None and not isinstance(value, Decimal | int):
            raise ValidationError({"values": _("Planned values must be numbers.")})


def _save_values(indicator: Indicator, values: dict[int, Decimal | None], actor) -> None:
    existing = {v.year: v for v in indicator.values.all()}
    for year, planned in values.items():
        current = existing.get(year)
        if planned is None:
            if current is not None:
                delete_record(current, actor=actor)
        elif current is None:
            save_record(
                IndicatorValue(indicator=indicator, year=year, planned=planned), actor=actor
            )
        elif current.planned != planned:
            current.planned = planned
            save_record(current, actor=actor)


def _save_indicator(
    actor, indicator: Indicator, fields: dict, values: dict | None, **how
) -> Indicator:
    """Save the indicator's fields, checked, then its planned values (`values` None leaves them
    as they are); `how` is save_checked's guard of a new one or version of a changed one."""
    save_checked(
        actor, Perm.EDIT_STRATEGY, indicator, fields, lambda i: _check_indicator(i, values), **how
    )
    if values is not None:
        _save_values(indicator, values, actor)
    return indicator


@transaction.atomic
def indicator_create(
    *, actor, plan: DevelopmentPlan, kind: str, values: dict | None = None, **fields
) -> Indicator:
    """Add a macro indicator (give `direction`) or a target indicator (give `goal`)."""
    indicator = Indicator(plan=plan, kind=kind)
    return _save_indicator(actor, indicator, fields, values, guard=plan)


@transaction.atomic
def indicator_update(
    *, actor, indicator: Indicator, values: dict | None = None, version: int | None = None, **fields
):
    """Change an indicator; `values` maps a year to its planned value (None removes it)."""
    return _save_indicator(actor, indicator, fields, values, version=version)


@transaction.atomic
def indicator_delete(*, actor, indicator: Indicator) -> None:
    delete_checked(actor, Perm.EDIT_STRATEGY, indicator)


INDICATORS = Services("indicator", indicator_create, indicator_update, indicator_delete)


# --- the development plan from a workbook (strategy.workbook) --------------------------------


def _texts(item, names) -> dict:
    texts = item.names | item.units
    return {name: texts[name] for name in names if texts.get(name)}


def _write_new(model, objs: list, actor) -> None:
    records.insert_many(model, objs)
    records.bulk_history(model, objs, "+", actor)


def _write_changed(model, objs: list, fields: list[str], actor) -> None:
    if objs:
        model._base_manager.bulk_update(objs, fields)
        records.bulk_history(model, objs, "~", actor)


@transaction.atomic
def development_plan_import(
    *,
    actor,
    body: StateBody,
    reading: Reading,
    amendment_signed_on=None,
    amendment_document: str = "",
) -> Changes:
    """Create or update the body's development plan of the workbook's period as `reading`
    says: directions, goals, indicators and planned values matched by level and code, all or
    nothing, in a fixed number of statements however many rows there are. A file that changes
    a stored plan is recorded as an amendment signed on `amendment_signed_on` (required then);
    a file that changes nothing writes nothing."""
    require(actor, Perm.EDIT_STRATEGY, body)
    if not reading.ok:
        raise ValidationError([str(problem) for problem in reading.problems])
    changes = plan_changes(reading, body, lock=True)
    if changes.problems:
        raise ValidationError([str(problem) for problem in changes.problems])
    if not changes.changed:
        return changes
    details = reading.details
    plan = changes.plan
    if plan is None:
        plan = development_plan_create(
            actor=actor,
            body=body,
            start_year=details["start_year"],
            end_year=details["end_year"],
            signed_on=details["signed_on"],
            document=details["document"],
            **{name: details[name] or None for name in ("title_kk", "title_ru")},
        )
    else:
        if amendment_signed_on is None:
            raise ValidationError(
                {
                    "amendment_signed_on": _(
                        "The file changes the development plan: give the signing date of the "
                        "amendment it carries."
                    )
                }
            )
        changes.amendment = amendment_create(
            actor=actor,
            plan=plan,
            signed_on=amendment_signed_on,
            document=amendment_document,
            description=_("Imported from a workbook: %(summary)s.")
            % {"summary": changes.summary()},
        )
        if changes.details:
            development_plan_update(actor=actor, plan=plan, **changes.details)
    changes.plan = plan
    by_level = {level: reading.of_level(level) for level in (DIRECTION, GOAL, MACRO, TARGET)}
    try:
        with transaction.atomic():
            _import_level(
                StrategicDirection,
                by_level[DIRECTION],
                lambda item: StrategicDirection(plan=plan, number=item.number),
                TEXT_FIELDS[DIRECTION],
                actor,
            )
            _import_level(
                Goal,
                by_level[GOAL],
                lambda item: Goal(direction=item.parent.obj, number=item.number),
                TEXT_FIELDS[GOAL],
                actor,
            )
            indicators = by_level[MACRO] + by_level[TARGET]
            _import_level(
                Indicator,
                indicators,
                lambda item: Indicator(
                    plan=plan,
                    kind=item.level,
                    number=item.number,
                    direction=item.parent.obj if item.level == MACRO else None,
                    goal=item.parent.obj if item.level == TARGET else None,
                ),
                TEXT_FIELDS[MACRO] + ("baseline_year", "baseline"),
                actor,
            )
            _import_values(indicators, actor)
    except IntegrityError:
        raise ValidationError(records.conflict_message()) from None
    return changes


def _import_level(model, items: list, build, fields: tuple, actor) -> None:
    """Create the new rows of one level and update the changed ones (each item's `obj` is
    then its stored row)."""
    new, changed = [], []
    for item in items:
        if item.status == "unchanged":
            continue
        obj = item.obj if item.status == "updated" else build(item)
        for name, value in _texts(item, fields).items():
            setattr(obj, name, value)
        for name in ("baseline_year", "baseline"):
            if name in fields and getattr(item, name) is not None:
                setattr(obj, name, getattr(item, name))
        if item.status == "updated":
            obj.version += 1
            changed.append(obj)
        else:
            new.append(obj)
        item.obj = obj
    _write_new(model, new, actor)
    _write_changed(model, changed, [*fields, "version"], actor)


def _import_values(indicators: list, actor) -> None:
    new, changed = [], []
    for item in indicators:
        if item.status == "unchanged":
            continue
        current = {}
        if item.status == "updated":
            current = {value.year: value for value in item.obj.values.all()}
        values = item.values if item.status == "created" else item.changed_values
        for year, planned in values.items():
            stored = current.get(year)
            if stored is None:
                new.append(IndicatorValue(indicator=item.obj, year=year, planned=planned))
            else:
                stored.planned = planned
                changed.append(stored)
    _write_new(IndicatorValue, new, actor)
    _write_changed(IndicatorValue, changed, ["planned"], actor)
