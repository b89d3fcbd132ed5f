"""Domain operations on the development plan: its period, amendments, directions, goals and
indicators with their planned values. The planner types them in from the signed document."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

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
from jospar.orgs.policy import Perm
from jospar.strategy.models import (
    Amendment,
    DevelopmentPlan,
    Goal,
    Indicator,
    IndicatorValue,
    StrategicDirection,
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


@transaction.atomic
def development_plan_create(*, actor, body: StateBody, **fields) -> DevelopmentPlan:
    plan = DevelopmentPlan(body=body)
    return save_checked(actor, Perm.EDIT_STRATEGY, plan, fields, _check_plan, guard=body)


@transaction.atomic
def development_plan_update(
    *, actor, plan: DevelopmentPlan, version: int | None = None, **fields
) -> DevelopmentPlan:
    return save_checked(actor, Perm.EDIT_STRATEGY, plan, fields, _check_plan, version=version)


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


@transaction.atomic
def indicator_create(
    *, actor, plan: DevelopmentPlan, kind: str, values: dict | None = None, **fields
) -> Indicator:
    """Add a macro indicator (give `direction`) or a target indicator (give `goal`)."""
    indicator = Indicator(plan=plan, kind=kind)
    save_checked(
        actor,
        Perm.EDIT_STRATEGY,
        indicator,
        fields,
        lambda i: _check_indicator(i, values),
        guard=plan,
    )
    _save_values(indicator, values or {}, actor)
    return indicator


@transaction.atomic
def indicator_update(
    *, actor, indicator: Indicator, values: dict | None = None, version: int | None = None, **fields
):
    """Change an indicator; `values` maps a year to its planned value (None removes it)."""
    save_checked(
        actor,
        Perm.EDIT_STRATEGY,
        indicator,
        fields,
        lambda i: _check_indicator(i, values),
        version=version,
    )
    if values is not None:
        _save_values(indicator, values, actor)
    return indicator


@transaction.atomic
def indicator_delete(*, actor, indicator: Indicator) -> None:
    delete_checked(actor, Perm.EDIT_STRATEGY, indicator)


INDICATORS = Services("indicator", indicator_create, indicator_update, indicator_delete)
