"""The legal forms as language-neutral documents that the XLSX, DOCX and PDF renderers share.

A `FormDocument` is what Appendix 1 (the operational plan) or Appendix 2 (the report on its
implementation) says, already worded in one language: the title, the body's name, the period,
the column headings, the rows (hierarchy headings and actions, each with its cells) and the
signature block. Renderers only lay it out. Building one costs a fixed number of queries,
whatever the number of actions.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jospar.plans.models import (
    OperationalPlan,
    PlanStatus,
    Revision,
    executors_text,
    plan_signature,
)
from jospar.plans.selectors import (
    Row,
    appendix_layout,
    attached,
    frozen_headings,
    plan_layout,
)
from jospar.reports.models import Report, ReportStatus
from jospar.reports.selectors import report_layout, report_signature

FORMATS = ("xlsx", "docx", "pdf")
LANGUAGES = ("kk", "ru", "en")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
# Heading rows and how the renderers set them apart from the actions.


@dataclass
class FormRow:
    """A row of the form. An action row has one cell per column; a heading has its text only."""

    kind: str
    cells: list = field(default_factory=list)
    text: str = ""

    @property
    def is_action(self) -> bool:
        return self.kind == "action"


@dataclass
class FormDocument:
    appendix: int
    language: str
    title: str
    body_name: str
    body_caption: str
    period: str
    note: str  # which state of the plan this is: a revision, or the draft
    caption: str
    headings: list[str]
    rows: list[FormRow]
    signature_title: str
    signature_position: str
    signature_name: str
    signature_caption: str
    file_stem: str
    # Appendix 2: the monitor's recommendations to the officials (R16), a heading and the
    # text's lines as typed, printed after the table; none, and the form has no such part.
    recommendations_title: str = ""
    recommendations: list[str] = field(default_factory=list)
    # The revision or report signed with the digital signature (EDS) and still covered by it:
    # under the signature block the line "Signed with EDS: …", the line of its verification
    # code and the public URL that the QR code beside them carries. Unsigned, all empty and the
    # form is as it always was.
    eds_line: str = ""
    eds_code_line: str = ""
    eds_url: str = ""

    @property
    def columns(self) -> int:
        return len(self.headings)

    @property
    def widths(self) -> list[int]:
        """Relative column widths (characters at 10 pt), shared by the renderers."""
        # A term column holds its longest word ("ежеквартально", "жартыжылдық") on one line
        # of the PDF: narrower, the word is split mid-word (test_export_pdf_words).
        if self.appendix == 1:
            return [6, 62, 14, 30, 18, 30]
        return [6, 35, 24, 21, 20, 32, 24, 32]

    @property
    def centered(self) -> frozenset[int]:
        """Columns (from 0) whose cells are centred: the number, and Appendix 1's code."""
        return frozenset({0, 2}) if self.appendix == 1 else frozenset({0})

    @property
    def narrow(self) -> dict[int, tuple[int, int]]:
        """Columns (from 1) that grow to their longest line between a least and a greatest
        width: the number, Appendix 1's code, the term; text columns keep their width."""
        if self.appendix == 1:
            return {1: (5, 8), 3: (10, 16), 5: (12, 22)}
        return {1: (5, 8), 4: (10, 18)}


class ExportError(ValueError):
    """An export that cannot be made as asked; the message says what is wrong."""


# --- Appendix 1 ------------------------------------------------------------------------------


def plan_revision(plan: OperationalPlan, value: str | int | None) -> Revision | None:
    """The state of the plan to export: a revision by number, "draft" for the working copy,
    or by default the revision in force (the working copy while nothing was approved). An
    approved plan without an open adjustment has no draft: its working copy is the revision
    in force, so that is exported."""
    revisions = plan.revisions.select_related("approved_by")
    if value in (None, ""):
        return revisions.order_by("number").last()
    if value == "draft":
        if plan.status == PlanStatus.APPROVED:
            return revisions.order_by("number").last()
        return None
    if not str(value).isdigit():
        raise ExportError(
            _("Give a revision number or “draft”, not “%(value)s”.") % {"value": value}
        )
    revision = revisions.filter(number=int(value)).first()
    if revision is None:
        raise ExportError(_("The plan has no revision %(number)s.") % {"number": int(value)})
    return revision


def _check_language(language: str) -> None:
    if language not in LANGUAGES:
        raise ExportError(
            _("Choose the language: %(choices)s.") % {"choices": ", ".join(LANGUAGES)}
        )


def _check_format(file_format: str) -> None:
    if file_format not in FORMATS:
        raise ExportError(_("Choose the format: %(choices)s.") % {"choices": ", ".join(FORMATS)})


def plan_form(plan: OperationalPlan, revision: Revision | None, language: str) -> FormDocument:
    """Appendix 1 for a revision of the plan, or for its working draft (`revision` None)."""
    _check_language(language)
    plan = OperationalPlan.objects.select_related("body", "planning_unit", "development_plan").get(
        pk=plan.pk
    )
    with translation.override(language):
        if revision is None:
            layout = plan_layout(plan)
            rows = _form_rows(layout, _draft_cells)
            note = _("Draft, not approved")
            state = "draft"
        else:
            layout = _revision_layout(plan, revision)
            rows = _form_rows(layout, _revision_cells)
            note = _("Revision %(number)s, approved on %(date)s") % {
                "number": revision.number,
                "date": revision.approved_on.strftime("%d.%m.%Y"),
            }
            state = f"rev{revision.number}"
        return _document(
            revision.signature if revision else plan_signature(plan),
            **eds_fields(revision),
            appendix=1,
            title=_("Operational plan"),
            period=_("for %(year)s year") % {"year": plan.year},
            note=note,
            headings=plan_headings(),
            rows=rows,
            signature_title=_(
                "Head of the structural unit responsible for the development of the "
                "operational plan"
            ),
            file_stem=f"operational-plan-{plan.body.code}-{plan.year}-{state}-{language}",
        )


def _document(signature: dict, **fields) -> FormDocument:
    """A form of a body in the active language, with the body's name and the signatory as
    `signature` gives them (`plans.models.signature_of`: live for a draft, frozen for an
    approved revision or a submitted report)."""
    return FormDocument(
        language=translation.get_language(),
        body_name=signature["body_name"],
        body_caption=_("(name of the state body)"),
        caption=_("Activities of the state body"),
        signature_position=signature["position"],
        signature_name=signature["name"],
        signature_caption=_("(surname, first name, patronymic (if any)) (signature)"),
        **fields,
    )


def eds_fields(obj) -> dict:
    """The form's EDS lines (FormDocument.eds_*) in the active language for the latest digital
    signature of `obj` (a revision, a report) that still covers it; none for an unsigned one
    (or a draft: `obj` None)."""
    from jospar.signatures import selectors
    from jospar.signatures.services import latest_signature

    signature = latest_signature(obj)
    if signature is None or not selectors.still_covers(signature):
        return {}
    url = selectors.verification_url(signature)
    return {
        "eds_line": _("Signed with EDS: %(name)s, IIN %(iin)s, %(date)s, certificate %(serial)s")
        % {
            "name": signature.signer_name,
            "iin": signature.iin,
            "date": selectors.signed_on(signature).strftime("%d.%m.%Y"),
            "serial": signature.certificate_serial,
        },
        "eds_code_line": _("Verification code %(code)s: %(url)s")
        % {"code": signature.code, "url": url},
        "eds_url": url,
    }


def plan_headings() -> list[str]:
    """Appendix 1's column headings in the active language (the import reads them too)."""
    return [
        pgettext("legal form column", "No"),
        _("Name"),
        _("Code of budget program"),
        _("Responsible executor"),
        _("Term of execution"),
        _("Form of completion"),
    ]


def _revision_layout(plan: OperationalPlan, revision: Revision) -> list[Row]:
    """A revision's frozen actions under the headings it froze, in the order `plan_layout`
    gives the working copy (the numbers are the revision's own)."""
    frozen = revision.actions.order_by("number")
    return appendix_layout(
        plan.development_plan, plan.body_id, frozen, headings=frozen_headings(revision)
    )


def _form_rows(layout: list[Row], action_cells) -> list[FormRow]:
    """Headings worded in the active language; the "Actions" line under an indicator that
    has actions, as the form shows it; then the action rows."""
    rows: list[FormRow] = []
    for index, row in enumerate(layout):
        if row.kind == "action":
            rows.append(FormRow("action", action_cells(row)))
            continue
        rows.append(FormRow(row.kind, text=heading_text(row)))
        following = layout[index + 1] if index + 1 < len(layout) else None
        if row.kind in ("macro", "target") and following and following.kind == "action":
            rows.append(FormRow("actions", text=_("Actions")))
    return rows


def heading_text(row: Row) -> str:
    if row.kind == "section":
        if row.obj == 1:
            return _(
                "I. Actions to achieve the goals and target indicators of the development plan"
            )
        return _("II. Actions for solving other tasks defined by the regulation of the state body")
    return str(row.obj)


def _draft_cells(row: Row) -> list:
    action = row.obj
    return [
        row.number,
        action.name,
        ", ".join(p.code for p in attached(action, "budget_programs")),
        executors_text(action.lead_unit, attached(action, "co_executors")),
        action.term_display,
        action.completion_display,
    ]


def _revision_cells(row: Row) -> list:
    entry = row.obj
    return [
        entry.number,
        entry.name,
        entry.budget_codes,
        entry.executors_display,
        entry.term_display,
        # A shared form of completion is worded in the language of the export, a body's own
        # form and free text as the revision says.
        entry.completion_display,
    ]


# --- files -----------------------------------------------------------------------------------


@dataclass
class ExportFile:
    content: bytes
    filename: str
    content_type: str


def render(document: FormDocument, file_format: str) -> ExportFile:
    """The document as a file of `file_format` (xlsx, docx or pdf)."""
    _check_format(file_format)
    if file_format == "xlsx":
        from jospar.documents.render_xlsx import render_xlsx as renderer
    elif file_format == "docx":
        from jospar.documents.render_docx import render_docx as renderer
    else:
        from jospar.documents.render_pdf import render_pdf as renderer
    with translation.override(document.language):
        content = renderer(document)
    return ExportFile(content, f"{document.file_stem}.{file_format}", CONTENT_TYPES[file_format])


def plan_form_file(
    plan: OperationalPlan, *, revision: str | int | None, file_format: str, language: str
) -> ExportFile:
    """Appendix 1 of a plan as a file; the caller has checked that the user may view it."""
    _check_format(file_format)
    document = plan_form(plan, plan_revision(plan, revision), language)
    return render(document, file_format)


# --- Appendix 2 ------------------------------------------------------------------------------


def plan_report(plan: OperationalPlan, quarter: int) -> Report:
    """The plan's report on `quarter`; an ExportError says which quarters have one."""
    if quarter not in (1, 2, 3, 4):
        raise ExportError(_("A quarter is 1, 2, 3 or 4, not %(value)s.") % {"value": quarter})
    reports = {r.quarter: r for r in Report.objects.filter(plan=plan).select_related("plan")}
    if quarter not in reports:
        if reports:
            raise ExportError(
                _(
                    "The report on quarter %(quarter)s of %(year)s has not been compiled "
                    "(compiled: quarter %(quarters)s)."
                )
                % {
                    "quarter": quarter,
                    "year": plan.year,
                    "quarters": ", ".join(str(q) for q in sorted(reports)),
                }
            )
        raise ExportError(
            _("The report on quarter %(quarter)s of %(year)s has not been compiled.")
            % {"quarter": quarter, "year": plan.year}
        )
    return reports[quarter]


def report_form(report: Report, language: str) -> FormDocument:
    """Appendix 2: the report on the implementation of the plan for one quarter, as compiled
    (and, once submitted, as it went to the officials)."""
    _check_language(language)
    report = Report.objects.select_related(
        "plan__body", "plan__development_plan", "revision", "monitoring_unit"
    ).get(pk=report.pk)
    plan = report.plan
    with translation.override(language):
        layout = report_layout(report)
        rows = _form_rows(layout, _report_cells)
        if report.status == ReportStatus.SUBMITTED and report.submitted_at:
            note = _(
                "Submitted to the officials on %(date)s; on revision %(number)s of the plan"
            ) % {
                "date": timezone.localdate(report.submitted_at).strftime("%d.%m.%Y"),
                "number": report.revision.number,
            }
        else:
            note = _("In preparation, not yet submitted; on revision %(number)s of the plan") % {
                "number": report.revision.number
            }
        return _document(
            report_signature(report),
            **eds_fields(report),
            appendix=2,
            title=_("Report on implementation of the operational plan"),
            period=_("for %(year)s, reporting period: quarter %(quarter)s")
            % {"year": plan.year, "quarter": report.quarter},
            note=note,
            headings=[
                pgettext("legal form column", "No"),
                _("Name"),
                _("Responsible executor"),
                _("Term of execution"),
                _("Form of completion"),
                _("Actual execution of actions"),
                _("Reasons for non-fulfilment"),
                _(
                    "Recommendations, including recommendations for making changes to the "
                    "operational plan"
                ),
            ],
            rows=rows,
            signature_title=_(
                "The head of the structural unit responsible for the formation of the report "
                "on the implementation of the operational plan"
            ),
            file_stem=f"report-{plan.body.code}-{plan.year}-q{report.quarter}-{language}",
            recommendations_title=_(
                "Recommendations to the officials on the measures needed to ensure the timely "
                "implementation of the planned actions"
            ),
            recommendations=recommendation_lines(report.general_recommendations),
        )


def recommendation_lines(text: str) -> list[str]:
    """The recommendations to the officials (R16) as lines, each as typed (a line break of
    any kind ends a line); none when nothing but blanks was written. A report in preparation
    has what the monitor saved last; a submitted one what went to the officials: the service
    writes the text only while the report is in preparation (`reports.services.report_update`).
    """
    if not (text or "").strip():
        return []
    return text.strip("\r\n").splitlines()


def actual_text(row) -> str:
    """Column 6 as the report page shows it: the status, what was done, and the units whose
    information for the quarter was not accepted (their part is missing from the row)."""
    lines = [row.get_status_display()] if row.status else []
    actual = getattr(row, "actual_text", row.actual).strip()
    if actual:
        lines.append(actual)
    if row.missing_units:
        lines.append(_("No accepted information from") + ": " + ", ".join(row.missing_units))
    return "\n".join(lines)


def _report_cells(row: Row) -> list:
    report_row = row.obj
    return [
        report_row.number,
        report_row.name,
        report_row.lead_name,
        report_row.term_text,
        report_row.completion,
        actual_text(report_row),
        report_row.reasons,
        report_row.recommendation_text,
    ]


def report_form_file(report: Report, *, file_format: str, language: str) -> ExportFile:
    """Appendix 2 of a report as a file; the caller has checked that the user may see it."""
    _check_format(file_format)
    return render(report_form(report, language), file_format)
