"""Reads of the operational plan shared by its page, the API, the check and the forms.

`plan_layout` lays the plan out as Appendix 1 does, with automatic numbering, in a number
of queries that does not depend on the number of actions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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


def plan_layout(plan: OperationalPlan, unit_id: int | None = None) -> list[Row]:
    """The plan as Appendix 1 lays it out. Numbers run through the whole plan, so a filtered
    view (by a unit, lead or co-executor) keeps each action's number."""
    actions = plan_actions(plan)
    by_indicator: dict[int, list[Action]] = {}
    by_task: dict[int, list[Action]] = {}
    for action in actions:
        if action.indicator_id:
            by_indicator.setdefault(action.indicator_id, []).append(action)
        else:
            by_task.setdefault(action.task_id, []).append(action)

    rows: list[Row] = []
    counter = 0

    def add_actions(group: list[Action]) -> None:
        nonlocal counter
        for action in group:
            counter += 1
            action.number = counter
            if unit_id is None or _involves(action, unit_id):
                rows.append(Row("action", action, counter, anchor=f"action-{action.pk}"))

    def add_indicator(indicator) -> None:
        years = {v.year for v in indicator.values.all()}
        rows.append(
            Row(
                indicator.kind,
                indicator,
                anchor=f"indicator-{indicator.pk}",
                of_the_year=plan.year in years,
            )
        )
        add_actions(by_indicator.get(indicator.pk, []))

    rows.append(Row("section", 1, anchor="section-1"))
    for direction in development_plan_tree(plan.development_plan):
        rows.append(Row("direction", direction, anchor=f"direction-{direction.pk}"))
        for indicator in direction.macro_indicators.all():
            add_indicator(indicator)
        for goal in direction.goals.all():
            rows.append(Row("goal", goal, anchor=f"goal-{goal.pk}"))
            for indicator in goal.target_indicators.all():
                add_indicator(indicator)
    rows.append(Row("section", 2, anchor="section-2"))
    for task in RegulationTask.objects.filter(body=plan.body_id):
        rows.append(Row("task", task, anchor=f"task-{task.pk}"))
        add_actions(by_task.get(task.pk, []))
    return rows


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
