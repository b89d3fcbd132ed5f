"""The completeness check of an operational plan: errors block submission, warnings do not."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from jospar.plans.terms import TermKind
from jospar.strategy.models import Indicator


@dataclass(frozen=True)
class Problem:
    level: str  # "error" or "warning"
    message: str
    anchor: str  # the id of the row on the plan page

    @property
    def is_error(self) -> bool:
        return self.level == "error"


def check_plan(plan) -> list[Problem]:
    """Everything that keeps the plan from being complete, in the order of the plan."""
    from jospar.plans.selectors import plan_actions

    actions = plan_actions(plan)
    problems: list[Problem] = []
    with_actions = {a.indicator_id for a in actions if a.indicator_id}
    indicators = (
        Indicator.objects.filter(plan=plan.development_plan_id, values__year=plan.year)
        .select_related("direction", "goal__direction")
        .order_by("kind", "direction__number", "goal__direction__number", "goal__number", "number")
        .distinct()
    )
    for indicator in indicators:
        if indicator.pk not in with_actions:
            problems.append(
                Problem(
                    "error",
                    _("%(indicator)s has a value for %(year)s but no actions.")
                    % {"indicator": indicator, "year": plan.year},
                    f"indicator-{indicator.pk}",
                )
            )
    for action in actions:
        anchor = f"action-{action.pk}"
        label = _("Action “%(name)s”") % {"name": action.name[:80]}
        if action.lead_unit_id is None:
            problems.append(Problem("error", _("%s: no responsible executor.") % label, anchor))
        if not action.term_kind:
            problems.append(Problem("error", _("%s: no term of execution.") % label, anchor))
        elif action.term_kind == TermKind.DATE and action.term_date.year != plan.year:
            problems.append(
                Problem("error", _("%s: the term is outside the plan year.") % label, anchor)
            )
        if not action.completion_display:
            problems.append(Problem("error", _("%s: no form of completion.") % label, anchor))
        foreign = [p.code for p in action.budget_programs.all() if p.body_id != plan.body_id]
        if foreign:
            problems.append(
                Problem(
                    "error",
                    _("%(label)s: budget program %(codes)s is not in the body's list.")
                    % {"label": label, "codes": ", ".join(foreign)},
                    anchor,
                )
            )
    if not any(a.task_id for a in actions):
        problems.append(
            Problem(
                "warning",
                _("Section II has no actions for the tasks set by the body's regulation."),
                "section-2",
            )
        )
    return problems


def plan_errors(plan) -> list[Problem]:
    return [p for p in check_plan(plan) if p.is_error]
