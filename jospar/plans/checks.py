"""The completeness check of an operational plan: errors block submission, warnings do not."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jospar.lib.languages import OFFICIAL, localized
from jospar.plans.terms import TermKind
from jospar.strategy.models import Indicator


@dataclass(frozen=True)
class Problem:
    level: str  # "error" or "warning"
    message: str
    anchor: str  # the id of the row on the plan page
    # a text missing in a language: which, and how many rows lack it
    language: str = ""
    count: int = 0

    @property
    def is_error(self) -> bool:
        return self.level == "error"


def check_plan(plan) -> list[Problem]:
    """Everything that keeps the plan from being complete, in the order of the plan."""
    from jospar.plans.selectors import plan_layout

    layout = plan_layout(plan, live=True)
    actions = [row.obj for row in layout if row.kind == "action"]
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
    problems += missing_texts(layout)
    if not any(a.section == 2 for a in actions):
        problems.append(
            Problem(
                "warning",
                _("Section II has no actions for the tasks set by the body's regulation."),
                "section-2",
            )
        )
    return problems


def _lacks(obj, language: str) -> bool:
    return not (getattr(obj, localized("name", language), None) or "").strip()


def _missing_message(kind: str, language: str, n: int) -> str:
    """ "12 actions have no name in Kazakh." and the like (one message per language: Russian and
    Kazakh decline a language's name)."""
    if kind == "action":
        if language == "kk":
            return ngettext(
                "%(n)s action has no name in Kazakh.", "%(n)s actions have no name in Kazakh.", n
            ) % {"n": n}
        return ngettext(
            "%(n)s action has no name in Russian.", "%(n)s actions have no name in Russian.", n
        ) % {"n": n}
    if language == "kk":
        return ngettext(
            "%(n)s heading (direction, goal, indicator or task) has no name in Kazakh.",
            "%(n)s headings (directions, goals, indicators or tasks) have no name in Kazakh.",
            n,
        ) % {"n": n}
    return ngettext(
        "%(n)s heading (direction, goal, indicator or task) has no name in Russian.",
        "%(n)s headings (directions, goals, indicators or tasks) have no name in Russian.",
        n,
    ) % {"n": n}


def missing_texts(rows) -> list[Problem]:
    """Warnings of the names that the rows of Appendix 1 (plan_layout) lack in Kazakh or in
    Russian, counted by kind, each leading to the first such row: a body may work in one
    language, but the forms of the other would print the fallback there. No query."""
    found: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        if row.kind == "section":
            continue
        kind = "action" if row.kind == "action" else "heading"
        for language in OFFICIAL:
            if _lacks(row.obj, language):
                found.setdefault((kind, language), []).append(row.anchor)
    return [
        Problem(
            "warning",
            _missing_message(kind, language, len(anchors)),
            anchors[0],
            language=language,
            count=len(anchors),
        )
        for (kind, language), anchors in sorted(found.items())
    ]


def plan_errors(plan) -> list[Problem]:
    return [p for p in check_plan(plan) if p.is_error]
