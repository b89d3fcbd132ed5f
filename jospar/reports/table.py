"""The body of the report's table on its page (Appendix 2's rows, with the monitor's
recommendation fields while the report is a draft), written by `jospar.lib.rows`: a
2,000-action report's rows took most of its page's time in the template engine."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jospar.lib.forms import language_name
from jospar.lib.languages import HELD, written_in
from jospar.lib.rows import UrlFor, joined, lines, text
from jospar.plans.selectors import Row
from jospar.plans.table import section_title
from jospar.reports.models import ReportRow

ACTION_ROW = (
    '<tr id="{anchor}" class="action status-{status}{missing_class}" data-row="{pk}">'
    '<td class="num">{number}</td><td>{name}</td><td>{lead}</td><td>{term}</td>'
    "<td>{completion}</td><td>{status_label}{actual}{missing}</td><td{reasons_lang}>{reasons}</td>"
    "<td>{recommendation}</td></tr>\n"
)
STATUS = '<span class="status-label">{}</span><br>'
MISSING = '<div class="flag">{}: {}</div>'
EDITOR = (
    '<form hx-post="{url}" hx-trigger="input delay:800ms, change" hx-sync="this:queue last"'
    ' hx-swap="none"><input type="hidden" name="version" id="row-version-{pk}" value="{version}">'
    '<textarea name="recommendation" rows="4" aria-label="{label}">{text}</textarea>'
    '<span class="save-state" id="saved-{pk}"></span></form>'
    '<div class="conflict" id="row-conflict-{pk}" role="alert"></div>{amendments}'
)
AMENDMENT = '<div class="muted">{}</div>'
TAG = ' <small class="lang-tag" title="{}">{}</small>'
HEADING_ROW = '<tr id="{anchor}" class="level-{kind}"><td></td><th colspan="7">{title}</th></tr>\n'


def report_rows_html(rows: list[Row], *, report, editable: bool):
    """The <tr> rows of `report_layout(report)` as `reports/report.html` shows them."""
    no_information = text(_("No accepted information from"))
    label = text(_("Recommendation"))
    statuses = {value: text(label) for value, label in ReportRow.status.field.flatchoices}
    page = get_language()[:2]
    tags = {
        language: TAG.format(
            text(_("Written in %(language)s") % {"language": language_name(language)}),
            language.upper(),
        )
        for language in HELD
    }

    def lang_attribute(value: str) -> str:
        language = written_in(value)
        return f' lang="{language}"' if language and language != page else ""

    def tag(value: str) -> str:
        """A quarterly text in another language than the page's says which it is."""
        language = written_in(value)
        return tags[language] if language and language != page else ""

    def written(value: str) -> str:
        language = written_in(value)
        if not language or language == page:
            return lines(value)
        return f'<span lang="{language}">{lines(value)}</span>{tags[language]}'

    recommend = UrlFor("reports:row_recommend", report.plan.body_id, report.plan_id, report.quarter)

    def action_row(row: Row) -> str:
        r = row.obj
        if editable:
            recommendation = EDITOR.format(
                url=recommend(r.pk),
                pk=r.pk,
                version=r.version,
                label=label,
                text=text(r.recommendation),
                amendments="".join(
                    AMENDMENT.format(text(a.get_kind_display())) for a in r.amendment_list
                ),
            )
        else:
            recommendation = written(r.recommendation_text)
        missing = ""
        if r.missing_units:
            missing = MISSING.format(no_information, text(", ".join(r.missing_units)))
        return ACTION_ROW.format(
            anchor=row.anchor,
            status=text(r.status or "none"),
            missing_class=" missing" if r.missing_units else "",
            pk=r.pk,
            number=r.number,
            name=lines(r.name),
            lead=text(r.lead_name),
            term=text(r.term_text),
            completion=text(r.completion),
            status_label=STATUS.format(statuses.get(r.status, text(r.status))) if r.status else "",
            actual=written(r.actual_text),
            missing=missing,
            reasons_lang=lang_attribute(r.reasons),
            reasons=lines(r.reasons) + tag(r.reasons),
            recommendation=recommendation,
        )

    def heading_row(row: Row) -> str:
        title = section_title(row.obj) if row.kind == "section" else text(row.obj)
        return HEADING_ROW.format(anchor=row.anchor, kind=row.kind, title=title)

    return joined(action_row(row) if row.kind == "action" else heading_row(row) for row in rows)
