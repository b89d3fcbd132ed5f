"""Reads of the operational plan shared by its page, the API, the check and the forms.

`plan_layout` lays the plan out as Appendix 1 does, with automatic numbering, in a number
of queries that does not depend on the number of actions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import (
    BooleanField,
    F,
    Func,
    IntegerField,
    Max,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)

from jospar.orgs.models import BudgetProgram, Unit
from jospar.plans.models import (
    HEADING_ANCHORS,
    Action,
    CompletionForm,
    HeadingKind,
    OperationalPlan,
    PlanStatus,
    Proposal,
    RegulationTask,
    Revision,
    RevisionHeading,
)
from jospar.strategy.models import Indicator
from jospar.strategy.selectors import development_plan_tree


def plans_read(*related: str):
    """Operational plans read with their body and development plan (and `related`), as the
    pages about a plan show them."""
    return OperationalPlan.objects.select_related("body", "development_plan", *related)


def next_revision_number(plan: OperationalPlan) -> int:
    """The number the plan's next approval (its open adjustment, if any) will take."""
    return (plan.revisions.aggregate(Max("number"))["number__max"] or 0) + 1


def plan_actions(plan: OperationalPlan) -> list[Action]:
    """The plan's actions in their order, each with its responsible executor, form of
    completion, anchor (indicator or task), proposal and its unit, budget programs and
    co-executors at hand — in at most nine queries whatever the size of the plan (one per
    related table, none for a table no action names).

    The related rows are few and shared by many actions, so each is read once and the same
    object is attached to every action that names it: `select_related` and `prefetch_related`
    built an object (and a queryset) per action for each of them, which was two thirds of the
    plan page's time for 2,000 actions. `action.co_executors.all()` and
    `action.budget_programs.all()` answer from what is attached, in the related model's
    order, as after a prefetch."""
    actions = list(plan.actions.filter(removed=False).order_by("position", "pk"))
    if not actions:
        return actions
    links = _links([a.pk for a in actions])
    proposals = _read(Proposal, {a.proposal_id for a in actions})
    unit_ids = {a.lead_unit_id for a in actions} | {p.unit_id for p in proposals.values()}
    unit_ids |= {unit_id for _, unit_id in links["co_executors"]}
    units = _read(Unit, unit_ids)
    for proposal in proposals.values():
        Proposal.unit.field.set_cached_value(proposal, units.get(proposal.unit_id))
    related = {
        "lead_unit": units,
        "proposal": proposals,
        "completion_form": _read(CompletionForm, {a.completion_form_id for a in actions}),
        "indicator": _read(Indicator, {a.indicator_id for a in actions}),
        "task": _read(RegulationTask, {a.task_id for a in actions}),
    }
    for name, rows in related.items():
        field = Action._meta.get_field(name)
        for action in actions:
            field.set_cached_value(action, rows.get(getattr(action, field.attname)))
    many = {
        "co_executors": units,
        "budget_programs": _read(BudgetProgram, {p for _, p in links["budget_programs"]}),
    }
    for name, rows in many.items():
        _attach_many(actions, name, links[name], rows)
    return actions


def _read(model, ids: set) -> dict:
    """The rows of `model` with these ids (None aside), by id, in the model's order."""
    ids.discard(None)
    return model._default_manager.in_bulk(ids) if ids else {}


def _links(action_ids: list[int]) -> dict[str, list[tuple[int, int]]]:
    """(action id, related id) of each many-to-many field of these actions. By their ids,
    which PostgreSQL looks up in the link table's action index: joined to the plan's actions
    instead, it scanned every body's links (100,000 rows with 50 large bodies)."""
    links = {}
    for name in ("budget_programs", "co_executors"):
        field = Action._meta.get_field(name)
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        through = field.remote_field.through
        rows = through._default_manager.all()
        if connection.vendor == "postgresql":
            # The ids as one array parameter: 2,000 placeholders took Django and psycopg
            # ~5 ms a query to write and parse, the same index lookup in the end.
            ids = Value(action_ids, output_field=ArrayField(IntegerField()))
            rows = rows.filter(AnyOf(F(f"{source}_id"), ids))
        else:
            rows = rows.filter(**{f"{source}_id__in": action_ids})
        links[name] = list(rows.values_list(f"{source}_id", f"{target}_id"))
    return links


class AnyOf(Func):
    """`column = ANY(array)` (PostgreSQL): the column holds one of the array's values."""

    arg_joiner = " = ANY("
    template = "%(expressions)s)"
    output_field = BooleanField()


def _attach_many(actions: list[Action], name: str, links, rows: dict) -> None:
    """Put each action's rows of the many-to-many `name` where a prefetch puts them, in the
    related model's order (as the prefetch's query reads them)."""
    model = Action._meta.get_field(name).related_model
    ordering = model._meta.ordering or ["pk"]
    key = [field.lstrip("-") for field in ordering]  # the models order ascending
    by_action: dict[int, list] = defaultdict(list)
    for action_id, related_id in links:
        by_action[action_id].append(rows[related_id])
    # One queryset is made; each action's is a shallow copy of it holding the action's rows
    # (a queryset and its query made per action took ~20 µs each). They share the query, which
    # a queryset never changes in place: filtering or ordering one makes a clone first.
    queryset_class = type(model._default_manager.get_queryset())
    prototype = queryset_class(model=model)
    prototype._prefetch_done = True
    order = {pk: [getattr(obj, f) for f in key] for pk, obj in rows.items()}
    for action in actions:
        cached = queryset_class.__new__(queryset_class)
        cached.__dict__.update(prototype.__dict__)
        cached._hints, cached._known_related_objects = {}, {}
        found = by_action.get(action.pk, [])
        if len(found) > 1:
            found.sort(key=lambda obj: order[obj.pk])
        cached._result_cache = found
        if not hasattr(action, "_prefetched_objects_cache"):
            action._prefetched_objects_cache = {}
        action._prefetched_objects_cache[name] = cached


def attached(action: Action, name: str) -> list:
    """The action's rows of the many-to-many `name` (co_executors, budget_programs): those
    `plan_actions` attached, without making the related manager `action.<name>` makes on
    every access (~10 µs, twice a row of a 2,000-action table); read when none are."""
    cached = getattr(action, "_prefetched_objects_cache", {}).get(name)
    if cached is not None:
        return list(cached)
    return list(getattr(action, name).all())


@dataclass
class Row:
    """A row of Appendix 1: a heading (section, direction, indicator, goal, task) or an action."""

    kind: str
    obj: object = None
    number: int | None = None
    actions: list = field(default_factory=list)
    anchor: str = ""
    of_the_year: bool = False


def appendix_layout(
    development_plan,
    body_id: int,
    items: Iterable,
    *,
    under: Callable[[Any], Any] | None = None,
    number: Callable[[Any], int] | None = None,
    keep: Callable[[Any], bool] | None = None,
    year: int | None = None,
    headings: Iterable[RevisionHeading] | None = None,
) -> list[Row]:
    """The order of Appendix 1 and 2: section I, each strategic direction with its macro
    indicators, then its goals with their target indicators; section II, the tasks of the
    regulation. Each indicator and task is followed by its items (actions, a revision's actions
    or a report's rows), in the order given.

    The headings are the live rows of the development plan and the regulation, or, given
    `headings`, those an approved revision froze (RevisionHeading, in their order).
    `under(item)` is what holds the item's indicator or task (the item itself by default);
    `number(item)` numbers the items as they are laid out (by default their own `number`);
    `keep(item)` leaves an item out of the rows, numbered all the same; with `year`, an
    indicator row says whether it has a planned value for that year."""
    by_indicator: dict[int, list] = defaultdict(list)
    by_task: dict[int, list] = defaultdict(list)
    for item in items:
        holder = under(item) if under else item
        if holder.indicator_id:
            by_indicator[holder.indicator_id].append(item)
        else:
            by_task[holder.task_id].append(item)  # None: section II without a task

    def add(group) -> None:
        for item in group:
            n = number(item) if number else item.number
            if keep is None or keep(item):
                action_id = getattr(item, "action_id", item.pk)
                rows.append(Row("action", item, n, anchor=f"action-{action_id}"))

    def section_2() -> None:
        # the actions under the section's heading itself come before any task
        rows.append(Row("section", 2, anchor="section-2"))
        add(by_task.get(None, []))

    if headings is None:
        headings = live_headings(development_plan, body_id, year)
    rows: list[Row] = [Row("section", 1, anchor="section-1")]
    in_section_2 = False
    for heading in headings:
        if heading.kind == HeadingKind.TASK and not in_section_2:
            section_2()
            in_section_2 = True
        obj = heading.obj if isinstance(heading, LiveHeading) else heading
        of_the_year = year is not None and heading.of_the_year
        rows.append(Row(heading.kind, obj, anchor=heading.anchor, of_the_year=of_the_year))
        if heading.kind in (HeadingKind.MACRO, HeadingKind.TARGET):
            group = by_indicator.get(heading.source_id, [])
        elif heading.kind == HeadingKind.TASK:
            group = by_task.get(heading.source_id, [])
        else:
            continue
        add(group)
    if not in_section_2:
        section_2()
    return rows


@dataclass
class LiveHeading:
    """A heading read from its live row (a direction, an indicator, a goal, a task)."""

    kind: str
    obj: Any
    of_the_year: bool = False

    @property
    def source_id(self) -> int:
        return self.obj.pk

    @property
    def anchor(self) -> str:
        return f"{HEADING_ANCHORS[self.kind]}-{self.obj.pk}"


def live_headings(development_plan, body_id: int, year: int | None = None) -> list[LiveHeading]:
    """The headings of Appendix 1 as the development plan and the regulation read now, in the
    form's order; with `year`, each indicator says whether it has a planned value for it."""
    headings: list[LiveHeading] = []

    def add_indicator(indicator) -> None:
        of_the_year = year is not None and year in {v.year for v in indicator.values.all()}
        headings.append(LiveHeading(indicator.kind, indicator, of_the_year))

    for direction in development_plan_tree(development_plan):
        headings.append(LiveHeading(HeadingKind.DIRECTION, direction))
        for indicator in direction.macro_indicators.all():
            add_indicator(indicator)
        for goal in direction.goals.all():
            headings.append(LiveHeading(HeadingKind.GOAL, goal))
            for indicator in goal.target_indicators.all():
                add_indicator(indicator)
    headings += [
        LiveHeading(HeadingKind.TASK, task) for task in RegulationTask.objects.filter(body=body_id)
    ]
    return headings


def frozen_headings(revision: Revision | int) -> list[RevisionHeading]:
    """The headings an approved revision froze, in the form's order (one query)."""
    return list(RevisionHeading.objects.filter(revision=revision).order_by("position"))


def plan_layout(
    plan: OperationalPlan, unit_id: int | None = None, *, live: bool = False
) -> list[Row]:
    """The plan as Appendix 1 lays it out. Numbers run through the whole plan, so a filtered
    view (by a unit, lead or co-executor) keeps each action's number. An approved plan's
    working copy is the revision in force: its headings are those the revision froze, unless
    `live` (the approval reads them to freeze them)."""
    counter = 0

    def number(action: Action) -> int:
        nonlocal counter
        counter += 1
        action.number = counter
        return counter

    headings = None
    if plan.status == PlanStatus.APPROVED and not live:
        in_force = plan.revisions.order_by("-number").values("pk")[:1]
        headings = frozen_headings(Subquery(in_force))
    return appendix_layout(
        plan.development_plan,
        plan.body_id,
        plan_actions(plan),
        number=number,
        keep=None if unit_id is None else lambda action: _involves(action, unit_id),
        year=plan.year,
        headings=headings,
    )


def _involves(action: Action, unit_id: int) -> bool:
    return action.lead_unit_id == unit_id or any(
        u.pk == unit_id for u in attached(action, "co_executors")
    )


def plan_proposals(plan: OperationalPlan) -> QuerySet[Proposal]:
    return (
        plan.proposals.select_related(
            "unit",
            "author",
            "signed_by",
            "returned_by",
            "lead_unit",
            "completion_form",
            "indicator",
            "task",
        )
        .prefetch_related(
            "budget_programs",
            "co_executors",
            # the action each was accepted as, to show what the planner changed
            Prefetch(
                "actions",
                Action.objects.select_related(
                    "lead_unit", "completion_form", "indicator", "task"
                ).prefetch_related("budget_programs", "co_executors"),
            ),
        )
        .order_by("indicator__kind", "indicator__number", "task__number", "pk")
    )
