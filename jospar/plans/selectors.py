"""Reads of the operational plan shared by its page, the API, the check and the forms.

`plan_layout` lays the plan out as Appendix 1 does, with automatic numbering, in a number
of queries that does not depend on the number of actions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Prefetch, QuerySet

from jospar.plans.models import Action, OperationalPlan, Proposal, RegulationTask
from jospar.strategy.selectors import development_plan_tree


def next_revision_number(plan: OperationalPlan) -> int:
    """The number the plan's next approval (its open adjustment, if any) will take."""
    return (plan.revisions.aggregate(Max("number"))["number__max"] or 0) + 1


def plan_actions(plan: OperationalPlan) -> list[Action]:
    return list(
        plan.actions.select_related(
            "lead_unit", "completion_form", "indicator", "task", "proposal__unit"
        )
        .prefetch_related("budget_programs", "co_executors")
        .filter(removed=False)
        .order_by("position", "pk")
    )


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
) -> list[Row]:
    """The order of Appendix 1 and 2: section I, each strategic direction with its macro
    indicators, then its goals with their target indicators; section II, the tasks of the
    regulation. Each indicator and task is followed by its items (actions, a revision's actions
    or a report's rows), in the order given.

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
            by_task[holder.task_id].append(item)
    rows: list[Row] = [Row("section", 1, anchor="section-1")]

    def add_items(group: list) -> None:
        for item in group:
            n = number(item) if number else item.number
            if keep is None or keep(item):
                action_id = getattr(item, "action_id", item.pk)
                rows.append(Row("action", item, n, anchor=f"action-{action_id}"))

    def add_indicator(indicator) -> None:
        of_the_year = year is not None and year in {v.year for v in indicator.values.all()}
        anchor = f"indicator-{indicator.pk}"
        rows.append(Row(indicator.kind, indicator, anchor=anchor, of_the_year=of_the_year))
        add_items(by_indicator.get(indicator.pk, []))

    for direction in development_plan_tree(development_plan):
        rows.append(Row("direction", direction, anchor=f"direction-{direction.pk}"))
        for indicator in direction.macro_indicators.all():
            add_indicator(indicator)
        for goal in direction.goals.all():
            rows.append(Row("goal", goal, anchor=f"goal-{goal.pk}"))
            for indicator in goal.target_indicators.all():
                add_indicator(indicator)
    rows.append(Row("section", 2, anchor="section-2"))
    for task in RegulationTask.objects.filter(body=body_id):
        rows.append(Row("task", task, anchor=f"task-{task.pk}"))
        add_items(by_task.get(task.pk, []))
    return rows


def plan_layout(plan: OperationalPlan, unit_id: int | None = None) -> list[Row]:
    """The plan as Appendix 1 lays it out. Numbers run through the whole plan, so a filtered
    view (by a unit, lead or co-executor) keeps each action's number."""
    counter = 0

    def number(action: Action) -> int:
        nonlocal counter
        counter += 1
        action.number = counter
        return counter

    return appendix_layout(
        plan.development_plan,
        plan.body_id,
        plan_actions(plan),
        number=number,
        keep=None if unit_id is None else lambda action: _involves(action, unit_id),
        year=plan.year,
    )


def _involves(action: Action, unit_id: int) -> bool:
    return action.lead_unit_id == unit_id or any(u.pk == unit_id for u in action.co_executors.all())


def plan_proposals(plan: OperationalPlan) -> QuerySet[Proposal]:
    return (
        plan.proposals.select_related(
            "unit", "author", "signed_by", "lead_unit", "completion_form", "indicator", "task"
        )
        .prefetch_related(
            "budget_programs",
            "co_executors",
            Prefetch("actions", Action.objects.only("id", "plan_id", "proposal_id")),
        )
        .order_by("indicator__kind", "indicator__number", "task__number", "pk")
    )
