"""Side-by-side comparison of two states of a plan: two approved revisions, or a revision and
the open draft. Actions are matched by identity, so an edited or moved action shows as
changed or moved, never as removed plus added. A fixed number of queries, whatever the size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.lib.languages import texts_of
from jospar.plans.models import Action, OperationalPlan, Proposal, Revision, RevisionAction

# The name is compared in each language it is held in: a change of either shows.
FIELDS = (
    ("name_kk", gettext_lazy("Name (in Kazakh)")),
    ("name_ru", gettext_lazy("Name (in Russian)")),
    ("name_en", gettext_lazy("Name (in English)")),
    ("budget_codes", gettext_lazy("Code of budget program")),
    ("lead", gettext_lazy("Responsible executor")),
    ("co_executors", gettext_lazy("Co-executors")),
    ("term", gettext_lazy("Term of execution")),
    ("completion", gettext_lazy("Form of completion")),
    ("place", gettext_lazy("Place in the plan")),
)


@dataclass
class ComparedAction:
    """An action in one state of the plan, as comparable text."""

    action_id: int
    number: int
    anchor: str  # "indicator:12" / "task:3"
    anchor_label: str
    name: str
    budget_codes: str
    lead: str
    co_executors: str
    term: str
    completion: str
    name_kk: str = ""
    name_ru: str = ""
    name_en: str = ""

    @property
    def place(self) -> str:
        return self.anchor_label


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass
class Changed:
    old: ComparedAction
    new: ComparedAction
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def moved(self) -> bool:
        return any(c.field == "place" for c in self.changes)


@dataclass
class Diff:
    added: list[ComparedAction]
    removed: list[ComparedAction]
    changed: list[Changed]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _compared(row: RevisionAction) -> ComparedAction:
    return ComparedAction(
        action_id=row.action_id,
        number=row.number,
        anchor=f"indicator:{row.indicator_id}"
        if row.indicator_id
        else (f"task:{row.task_id}" if row.task_id else "section:2"),
        anchor_label=row.anchor_label,
        name=row.name,
        budget_codes=row.budget_codes,
        lead=row.lead_name,
        co_executors=", ".join(sorted(row.co_executor_names)),
        term=row.term_display,
        completion=row.completion_display,
        **{name: value or "" for name, value in texts_of(row, "name").items()},
    )


def _compared_content(obj) -> ComparedAction:
    """A proposal or an action of the working copy as comparable text (its links read from
    what is prefetched)."""
    co_executors = [str(unit) for unit in obj.co_executors.all()]
    return ComparedAction(
        action_id=obj.pk,
        number=0,
        anchor=f"indicator:{obj.indicator_id}" if obj.indicator_id else f"task:{obj.task_id}",
        anchor_label=str(obj.indicator or obj.task or ""),
        name=obj.name,
        budget_codes=", ".join(program.code for program in obj.budget_programs.all()),
        lead=str(obj.lead_unit or ""),
        co_executors=", ".join(sorted(co_executors)),
        term=obj.term_display,
        completion=obj.completion_display,
        **{name: value or "" for name, value in texts_of(obj, "name").items()},
    )


def acceptance_changes(proposal: Proposal, action: Action) -> list[FieldChange]:
    """What the plan's action, taken from `proposal`, says differently from the proposal: the
    planner's edits on acceptance (and since), field by field."""
    old, new = _compared_content(proposal), _compared_content(action)
    return [
        FieldChange(name, str(label), getattr(old, name), getattr(new, name))
        for name, label in FIELDS
        if getattr(old, name) != getattr(new, name)
    ]


def actions_of_revision(revision: Revision) -> list[ComparedAction]:
    """The actions of an approved revision, in its order, as the revision worded them (one
    query: the texts were frozen with the revision)."""
    return [_compared(row) for row in revision.actions.order_by("number")]


def actions_of_draft(plan: OperationalPlan) -> list[ComparedAction]:
    """The actions of the plan's working copy (the open draft), in the plan's order, worded as
    its approval would freeze them."""
    from jospar.plans.selectors import plan_layout

    return [
        _compared(RevisionAction.of(row.obj, number=row.number))
        for row in plan_layout(plan)
        if row.kind == "action"
    ]


def _moved_ids(old: list[ComparedAction], new: list[ComparedAction]) -> set[int]:
    """Actions whose anchor changed, or whose order among the actions kept under the same
    anchor changed (an insertion above an action does not move it)."""
    common = {e.action_id for e in old} & {e.action_id for e in new}
    old_anchor = {e.action_id: e.anchor for e in old}
    moved = {
        e.action_id for e in new if e.action_id in common and old_anchor[e.action_id] != e.anchor
    }
    by_anchor_old: dict[str, list[int]] = {}
    by_anchor_new: dict[str, list[int]] = {}
    for e in old:
        if e.action_id in common and e.action_id not in moved:
            by_anchor_old.setdefault(e.anchor, []).append(e.action_id)
    for e in new:
        if e.action_id in common and e.action_id not in moved:
            by_anchor_new.setdefault(e.anchor, []).append(e.action_id)
    for anchor, before in by_anchor_old.items():
        after = by_anchor_new.get(anchor, [])
        matcher = SequenceMatcher(a=before, b=after, autojunk=False)
        kept = {before[b.a + i] for b in matcher.get_matching_blocks() for i in range(b.size)}
        moved |= set(before) - kept
    return moved


def compare(old: list[ComparedAction], new: list[ComparedAction]) -> Diff:
    old_by_id = {e.action_id: e for e in old}
    new_by_id = {e.action_id: e for e in new}
    moved = _moved_ids(old, new)
    changed = []
    for entry in new:
        before = old_by_id.get(entry.action_id)
        if before is None:
            continue
        changes = [
            FieldChange(name, str(label), getattr(before, name), getattr(entry, name))
            for name, label in FIELDS
            if name != "place" and getattr(before, name) != getattr(entry, name)
        ]
        if entry.action_id in moved:
            changes.append(
                FieldChange(
                    "place",
                    str(dict(FIELDS)["place"]),
                    _("No %(number)s under %(anchor)s")
                    % {"number": before.number, "anchor": before.anchor_label},
                    _("No %(number)s under %(anchor)s")
                    % {"number": entry.number, "anchor": entry.anchor_label},
                )
            )
        if changes:
            changed.append(Changed(before, entry, changes))
    return Diff(
        added=[e for e in new if e.action_id not in old_by_id],
        removed=[e for e in old if e.action_id not in new_by_id],
        changed=changed,
    )


def diff_xlsx(diff: Diff, title: str) -> bytes:
    """The comparison as a spreadsheet: one row per added or removed action and per changed
    field of a changed action."""
    from jospar.lib.xlsx import table_workbook

    headers = [
        _("Change"),
        _("No (before)"),
        _("No (after)"),
        _("Action"),
        _("Field"),
        _("Before"),
        _("After"),
    ]
    rows, fills = [], []
    for entry in diff.added:
        rows.append([_("added"), "", entry.number, entry.name, "", "", entry.term])
        fills.append("E8F5E9")
    for entry in diff.removed:
        rows.append([_("removed"), entry.number, "", entry.name, "", entry.term, ""])
        fills.append("FDECEA")
    for item in diff.changed:
        for change in item.changes:
            kind = _("moved") if change.field == "place" else _("changed")
            rows.append(
                [
                    kind,
                    item.old.number,
                    item.new.number,
                    item.new.name,
                    change.label,
                    change.old,
                    change.new,
                ]
            )
            fills.append("FFF3CD")
    return table_workbook(title, headers, rows, widths=[11, 8, 8, 60, 22, 40, 40], fills=fills)
