"""The body of the plan's table on its page (Appendix 1's rows with the planner's buttons),
written by `jospar.lib.rows`: a 2,000-action plan's rows took about 1 s in the template engine."""

from __future__ import annotations

from operator import attrgetter

from django.urls import reverse
from django.utils.translation import gettext as _

from jospar.lib.languages import localized, reader
from jospar.lib.rows import UrlFor, joined, lines, text
from jospar.plans.models import TERM_FIELDS, Action
from jospar.plans.selectors import Row, attached

ACTION_ROW = (
    '<tr id="{anchor}" class="action"><td class="num">{number}</td><td>{name}{origin}</td>'
    "<td>{programs}</td><td>{executors}</td><td>{term}</td><td>{completion}</td>{tools}</tr>\n"
)
ORIGIN = '<br><small class="muted proposal-origin">{}</small>'
MISSING = '<br><small class="missing-text">{}</small>'
CO_EXECUTORS = '<br><small class="muted">{}: {}</small>'
TOOLS = (
    '<td class="nowrap row-tools">'
    '<button type="button" class="link" title="{up}" hx-post="{move}" hx-vals=\'{{"direction":'
    ' "up", "unit_filter": "{unit}"}}\' hx-target="#plan-table" hx-swap="outerHTML">↑</button> '
    '<button type="button" class="link" title="{down}" hx-post="{move}" hx-vals=\'{{"direction":'
    ' "down", "unit_filter": "{unit}"}}\' hx-target="#plan-table" hx-swap="outerHTML">↓</button> '
    '<button type="button" class="link" hx-get="{edit}" hx-target="#action-editor">{edit_label}'
    "</button> "
    '<button type="button" class="link danger-link" hx-post="{delete}" hx-vals=\'{{"unit_filter":'
    ' "{unit}"}}\' hx-confirm="{confirm}" hx-target="#plan-table" hx-swap="outerHTML">'
    "{delete_label}</button></td>"
)
HEADING_ROW = (
    '<tr id="{anchor}" class="level-{kind}{year}"><td></td><th colspan="5">{title}</th>{add}</tr>\n'
)
ADD = (
    '<td><button type="button" class="link add-action" hx-get="{url}?anchor={anchor}{unit}"'
    ' hx-target="#action-editor">+ {label}</button></td>'
)


def section_name(number: int) -> str:
    """The heading of section I or II of Appendices 1 and 2."""
    if number == 1:
        return _("I. Actions to achieve the goals and target indicators of the development plan")
    return _("II. Actions for solving other tasks defined by the regulation of the state body")


def section_title(number: int) -> str:
    """The heading of section I or II, escaped for a row."""
    return text(section_name(number))


def plan_rows(rows: list[Row], *, body_id: int, plan_id: int, may_edit: bool, unit_filter):
    """The <tr> rows of `plan_layout(plan)` as `plans/plan_table.html` shows them."""
    unit = text(unit_filter if unit_filter is not None else "")
    labels = {
        "up": text(_("Move up")),
        "down": text(_("Move down")),
        "edit_label": text(_("Edit")),
        "delete_label": text(_("Delete")),
        "confirm": text(_("Delete this action?")),
    }
    co_executors = text(_("co-executors"))
    no_value = ' <small class="muted">({})</small>'.format(text(_("no value for this year")))
    move = UrlFor("plans:action_move", body_id, plan_id)
    edit = UrlFor("plans:action_edit", body_id, plan_id)
    delete = UrlFor("plans:action_delete", body_id, plan_id)
    new = reverse("plans:action_new", args=[body_id, plan_id])
    edit_query = f"?unit={unit}" if unit else ""
    add_unit = f"&amp;unit={unit}" if unit else ""
    add_label = text(_("action"))
    # A row says which language its name lacks, of the languages the plan's names are written
    # in: in a plan written in one language (every name lacks the other) the count above the
    # table says it once, not on every row.
    names = [row.obj for row in rows if row.kind == "action"]
    missing = {
        language: MISSING.format(text(message))
        for language, message in (
            ("kk", _("No name in Kazakh yet")),
            ("ru", _("No name in Russian yet")),
        )
        if any((getattr(a, localized("name", language)) or "").strip() for a in names)
    }
    # The texts many rows share (units, programs, terms, forms of completion), written once.
    shared: dict = {}
    term_of = attrgetter(*TERM_FIELDS)
    name_of, completion_text_of = reader(Action, "name"), reader(Action, "completion_text")

    def once(key, make) -> str:
        found = shared.get(key)
        if found is None:
            found = shared[key] = make()
        return found

    def action_row(row: Row) -> str:
        action = row.obj
        origin = "".join(
            marker
            for language, marker in missing.items()
            if not (getattr(action, localized("name", language)) or "").strip()
        )
        if action.proposal_id:
            origin += ORIGIN.format(
                text(_("proposed by %(unit)s") % {"unit": action.proposal.unit})
            )
        co = [once(("unit", u.pk), lambda u=u: text(u)) for u in attached(action, "co_executors")]
        tools = ""
        if may_edit:
            tools = TOOLS.format(
                move=move(action.pk),
                edit=edit(action.pk) + edit_query,
                delete=delete(action.pk),
                unit=unit,
                **labels,
            )
        return ACTION_ROW.format(
            anchor=row.anchor,
            number=row.number,
            name=lines(name_of(action)),
            origin=origin,
            programs=", ".join(
                once(("program", p.pk), lambda p=p: text(p.code))
                for p in attached(action, "budget_programs")
            ),
            executors=once(("unit", action.lead_unit_id), lambda: text(action.lead_unit))
            + (CO_EXECUTORS.format(co_executors, ", ".join(co)) if co else ""),
            term=once(("term", term_of(action)), lambda: text(action.term_display)),
            completion=once(
                ("completion", completion_text_of(action), action.completion_form_id),
                lambda: text(action.completion_display),
            ),
            tools=tools,
        )

    def heading_row(row: Row) -> str:
        if row.kind == "section":
            title = section_title(row.obj)
        else:
            title = text(row.obj)
            if row.kind in ("macro", "target") and not row.of_the_year:
                title += no_value
        add = ""
        if may_edit:
            if row.kind in ("macro", "target", "task"):
                kind = "task" if row.kind == "task" else "indicator"
                anchor = f"{kind}:{row.obj.pk}"
                add = ADD.format(url=new, anchor=anchor, unit=add_unit, label=add_label)
            elif row.kind == "section" and row.obj == 2:  # section II, no task
                add = ADD.format(url=new, anchor="section:2", unit=add_unit, label=add_label)
            else:
                add = "<td></td>"
        return HEADING_ROW.format(
            anchor=row.anchor,
            kind=row.kind,
            year=" of-the-year" if row.of_the_year else "",
            title=title,
            add=add,
        )

    return joined(action_row(row) if row.kind == "action" else heading_row(row) for row in rows)
