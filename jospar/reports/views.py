"""Pages of the quarterly report (R15–R16) and of the officials' decisions (R17)."""

import base64
from collections.abc import Callable
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jospar.deadlines.calendar import countdown, report_deadline
from jospar.lib.forms import attach_errors, error_text
from jospar.lib.records import Conflict
from jospar.lib.views import attempt, body_for, form_page, htmx_status, object_in_body
from jospar.lib.workflow import allowed_steps
from jospar.lib.xlsx import tables_workbook
from jospar.monitoring.views import quarter_plan
from jospar.orgs.models import UNIT_ROLES, SignatureUse, Unit
from jospar.orgs.policy import Perm, can, units_of
from jospar.orgs.templatetags.jospar import num
from jospar.orgs.visibility import sees_all, visible
from jospar.plans.models import OperationalPlan
from jospar.plans.selectors import plans_read
from jospar.reports import services
from jospar.reports.charts import CHARTS, chart_title, percent
from jospar.reports.charts import chart as draw
from jospar.reports.dashboard import GROUPINGS, dashboard_tables, execution_dashboard
from jospar.reports.forms import (
    AmendmentRecommendationForm,
    DecisionForm,
    DecisionProgressForm,
    ReportForm,
)
from jospar.reports.models import (
    AmendmentRecommendation,
    Decision,
    DecisionStatus,
    Report,
    ReportRow,
)
from jospar.reports.selectors import (
    open_decisions_before,
    report_decisions,
    report_layout,
    report_rows_query,
    report_summary,
    unit_decisions,
)
from jospar.reports.table import report_rows_html
from jospar.signatures import canonical
from jospar.signatures.services import covers, latest_signature, latest_signatures
from jospar.signatures.views import document_response, with_ncalayer


def _plan(request, body_id: int, plan_id: int, quarter: int):
    body, plan = quarter_plan(request, body_id, plan_id, quarter)
    if not sees_all(request.user, Report, body.pk):
        raise PermissionDenied  # the report is the body-wide roles' work
    return body, plan


def _report(request, body_id: int, plan_id: int, quarter: int) -> Report:
    _body, plan = _plan(request, body_id, plan_id, quarter)
    return get_object_or_404(plan.reports, quarter=quarter)


def _posted(request, form, save: Callable[[dict], object], done: str) -> None:
    """Hand a form posted from the report's or the decisions' page to `save` (a service call);
    say `done`, or each problem as a message naming its field, for the page redirected to."""
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            attach_errors(form, error)
        else:
            messages.success(request, done)
            return
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for message in errors:
            messages.error(request, f"{label}: {message}" if label else message)


@login_required
def report_page(request: HttpRequest, body_id: int, plan_id: int, quarter: int) -> HttpResponse:
    return _report_page(request, body_id, plan_id, quarter)


def _report_page(request, body_id: int, plan_id: int, quarter: int, report_form=None, status=200):
    """The report's page; `report_form` is the monitor's form as posted, when it was not
    saved (someone saved the report in between)."""
    body, plan = _plan(request, body_id, plan_id, quarter)
    report = (
        Report.objects.filter(plan=plan, quarter=quarter)
        .select_related("plan__body", "revision", "monitoring_unit", "submitted_by")
        .first()
    )
    deadline = report_deadline(plan.year, quarter)
    context = {
        "body": body,
        "plan": plan,
        "quarter": quarter,
        "report": report,
        "deadline": deadline,
        "countdown": countdown(deadline),
        "may_monitor": can(request.user, Perm.MONITOR, plan),
        "may_decide": can(request.user, Perm.APPROVE_PLAN, plan),
    }
    if report is not None:
        layout = report_layout(report)
        rows = [row.obj for row in layout if row.kind == "action"]
        steps = allowed_steps(request.user, report, services.REPORT_STEPS)
        eds_report = "submit" in steps and body.eds_use("report") != SignatureUse.OFF
        eds_decisions = "decide" in steps and body.eds_use("decision") != SignatureUse.OFF
        decisions = report_decisions(report)
        earlier = open_decisions_before(report)
        _signed(decisions + earlier)
        context |= {
            "eds_report": eds_report,
            "eds_decisions": eds_decisions,
            "ncalayer_url": settings.NCALAYER_URL,
            "signature": latest_signature(report),
            "layout": layout,
            "table_rows": report_rows_html(layout, report=report, editable="edit" in steps),
            "summary": report_summary(report, layout),
            "decisions": decisions,
            "earlier_decisions": earlier,
            "amendments": report.amendments.select_related(
                "action", "lead_unit", "indicator", "task", "applied_plan"
            ),
            "report_form": report_form or ReportForm(instance=report),
            "recommendation_form": AmendmentRecommendationForm(report=report, rows=rows),
            "decision_form": DecisionForm(body=body),
            "steps": steps,
            "statuses": DecisionStatus.choices,
        }
        if eds_decisions:  # the new decision's form signs what it holds
            context["sign_url"] = reverse(
                "reports:decision_new_document", args=[body.pk, plan.pk, quarter]
            )
    response = render(request, "reports/report.html", context, status=status)
    signing = context.get("eds_report") or context.get("eds_decisions")
    return with_ncalayer(response) if signing else response


def _signed(decisions: list[Decision]) -> None:
    """Put on each decision its latest digital signature (`signature`, or None) and whether it
    still covers the decision as it stands (`signature_covers`): one query for all."""
    latest = latest_signatures(decisions)
    for decision in decisions:
        signature = latest.get(decision.pk)
        if signature is not None:
            signature.signed_object = decision  # (read already: covers() need not read it)
        decision.signature = signature
        decision.signature_covers = signature is not None and covers(signature)


@login_required
def report_document(request, body_id: int, plan_id: int, quarter: int) -> HttpResponse:
    """The canonical document of the report, base64, that the monitor's digital signature of
    the submission signs (read when they press the button, so it is what they see then)."""
    report = _report(request, body_id, plan_id, quarter)
    if "submit" not in allowed_steps(request.user, report, services.REPORT_STEPS):
        raise PermissionDenied
    return document_response("report", report)


def _decision_document(request, decision: Decision, body) -> HttpResponse:
    """The canonical document of the decision as the posted form holds it (not saved), base64:
    what the official signs before the decision is recorded or changed; the service builds it
    again from the decision as saved to verify the signature. A form that does not hold a
    decision answers 400 with its problems."""
    form = DecisionForm(request.POST, instance=decision, body=body)
    if not form.is_valid():
        problems = [
            f"{form.fields[name].label}: {' '.join(errors)}"
            if name in form.fields
            else " ".join(errors)
            for name, errors in form.errors.items()
        ]
        return HttpResponse("\n".join(problems), status=400, content_type="text/plain")
    document = canonical.decision_document(form.instance, units=form.cleaned_data["units"])
    return HttpResponse(
        base64.b64encode(canonical.encode(document)),
        content_type="text/plain; charset=us-ascii",
    )


@login_required
@require_POST
def decision_new_document(request, body_id: int, plan_id: int, quarter: int) -> HttpResponse:
    report = _report(request, body_id, plan_id, quarter)
    if "decide" not in allowed_steps(request.user, report, services.REPORT_STEPS):
        raise PermissionDenied
    return _decision_document(request, Decision(report=report), report.plan.body)


@login_required
@require_POST
def decision_edit_document(request, body_id: int, decision_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.APPROVE_PLAN)
    decision = object_in_body(Decision, body, decision_id)
    return _decision_document(request, decision, body)


@login_required
@require_POST
def report_compile(request, body_id: int, plan_id: int, quarter: int) -> HttpResponse:
    body, plan = _plan(request, body_id, plan_id, quarter)
    attempt(
        request,
        lambda: services.report_compile(actor=request.user, plan=plan, quarter=quarter),
        _("The report has been compiled from the units' information."),
    )
    return redirect("reports:report", body.pk, plan.pk, quarter)


@login_required
@require_POST
def report_update(request, body_id: int, plan_id: int, quarter: int) -> HttpResponse:
    report = _report(request, body_id, plan_id, quarter)
    form = ReportForm(request.POST, instance=report)
    try:
        _posted(
            request,
            form,
            lambda data: services.report_update(actor=request.user, report=report, **data),
            _("Saved."),
        )
    except Conflict as conflict:  # the page again, with the monitor's text and the other's
        form.show_conflict(conflict)
        return _report_page(request, body_id, plan_id, quarter, report_form=form, status=409)
    return redirect(report)


@login_required
@require_POST
@transaction.atomic  # the answer is read before the commit
def row_recommend(request, body_id: int, plan_id: int, quarter: int, row_id: int):
    """Autosaved recommendation on one action (HTMX); answers with the row's saved state."""
    report = _report(request, body_id, plan_id, quarter)
    row = get_object_or_404(report.rows, pk=row_id)
    context = {"row": row}
    try:
        services.row_recommend(
            actor=request.user,
            row=row,
            text=request.POST.get("recommendation", ""),
            version=_version(request.POST.get("version")),
        )
    except ValidationError as exc:
        context["error"] = " ".join(error_text(exc, ReportRow))
        status = htmx_status(request, 400)
    except Conflict as conflict:  # their text is shown; the monitor's stays in the box
        theirs = conflict.current.recommendation or "—"
        context |= {
            "conflict": conflict,
            "row": conflict.current,
            "theirs": _("They saved: %(value)s") % {"value": theirs},
        }
        status = htmx_status(request, 409)
    else:
        status = 200
    html = render_to_string("reports/recommendation_saved.html", context, request)
    return HttpResponse(html, status=status)


def _version(posted: str | None) -> int | None:
    """The version a form sent; None (no check) when it sent none."""
    try:
        return int(posted) if posted else None
    except ValueError:
        return -1  # a mangled version matches no stored one


@login_required
@require_POST
def amendment_recommendation_new(request, body_id: int, plan_id: int, quarter: int) -> HttpResponse:
    report = _report(request, body_id, plan_id, quarter)
    rows = report_rows_query(report)
    form = AmendmentRecommendationForm(request.POST, report=report, rows=rows)
    _posted(
        request,
        form,
        lambda _data: services.amendment_recommendation_create(
            actor=request.user, report=report, **form.service_data()
        ),
        _("The recommendation to amend the plan has been added."),
    )
    return redirect(report.get_absolute_url() + "#amendments")


def _recommendation(
    request, body_id, plan_id, quarter, recommendation_id
) -> AmendmentRecommendation:
    report = _report(request, body_id, plan_id, quarter)
    return get_object_or_404(report.amendments, pk=recommendation_id)


@login_required
@require_POST
def amendment_recommendation_delete(
    request, body_id: int, plan_id: int, quarter: int, recommendation_id: int
):
    recommendation = _recommendation(request, body_id, plan_id, quarter, recommendation_id)
    attempt(
        request,
        lambda: services.amendment_recommendation_delete(
            actor=request.user, recommendation=recommendation
        ),
    )
    return redirect(recommendation.report.get_absolute_url() + "#amendments")


@login_required
@require_POST
def amendment_recommendation_apply(
    request, body_id: int, plan_id: int, quarter: int, recommendation_id: int
):
    recommendation = _recommendation(request, body_id, plan_id, quarter, recommendation_id)
    applied = attempt(
        request,
        lambda: services.amendment_recommendation_apply(
            actor=request.user, recommendation=recommendation
        ),
    )
    if applied is None:
        return redirect(recommendation.report.get_absolute_url() + "#amendments")
    recommendation = applied
    messages.success(
        request,
        _("The recommendation is now a change of the draft adjustment (revision %(n)s).")
        % {"n": recommendation.applied_revision_number},
    )
    anchor = (
        f"#action-{recommendation.applied_action_id}" if recommendation.applied_action_id else ""
    )
    return redirect(recommendation.applied_plan.get_absolute_url() + anchor)


@login_required
@require_POST
def report_submit(request, body_id: int, plan_id: int, quarter: int) -> HttpResponse:
    report = _report(request, body_id, plan_id, quarter)
    submitted = attempt(
        request,
        lambda: services.report_submit(
            actor=request.user, report=report, cms=request.POST.get("cms", "")
        ),
        _("The report has been submitted to the officials."),
    )
    return redirect(submitted or report)


@login_required
@require_POST
def decision_new(request, body_id: int, plan_id: int, quarter: int) -> HttpResponse:
    report = _report(request, body_id, plan_id, quarter)
    _posted(
        request,
        DecisionForm(request.POST, body=report.plan.body),
        lambda data: services.decision_create(
            actor=request.user, report=report, cms=request.POST.get("cms", ""), **data
        ),
        _("The decision has been recorded."),
    )
    return redirect(report.get_absolute_url() + "#decisions")


@login_required
@require_POST
def decision_status(request, body_id: int, decision_id: int) -> HttpResponse:
    """The official closes a decision, or opens it again."""
    body = body_for(request, body_id)
    decision = object_in_body(Decision, body, decision_id)
    attempt(
        request,
        lambda: services.decision_update(
            actor=request.user,
            decision=decision,
            kind=decision.kind,
            text=decision.text,
            units=list(decision.units.all()),
            due_on=decision.due_on,
            status=request.POST.get("status", ""),
        ),
        _("Saved."),
    )
    return redirect(decision.report.get_absolute_url() + "#decisions")


@login_required
def decision_edit(request, body_id: int, decision_id: int) -> HttpResponse:
    """The official corrects a decision: its aim, text, units and due date."""
    body = body_for(request, body_id, Perm.APPROVE_PLAN)
    decision = object_in_body(Decision, body, decision_id)
    form = DecisionForm(request.POST or None, instance=decision, body=body)
    signing = body.eds_use("decision") != SignatureUse.OFF
    extra = {}
    if signing:  # a change of what was decided is signed as the form holds it
        signature = latest_signature(decision)
        extra = {
            "sign_url": reverse("reports:decision_edit_document", args=[body.pk, decision.pk]),
            "ncalayer_url": settings.NCALAYER_URL,
            # shown while it covers the decision as saved
            "signature": signature if signature and covers(signature) else None,
        }
    response = form_page(
        request,
        form=form,
        save=lambda data: services.decision_update(
            actor=request.user,
            decision=decision,
            status=decision.status,
            cms=request.POST.get("cms", ""),
            **data,
        ),
        success_url=decision.report.get_absolute_url() + f"#decision-{decision.pk}",
        title=_("Edit the decision"),
        body=body,
        extra=extra,
    )
    return with_ncalayer(response) if signing else response


# --- decisions for the units ----------------------------------------------------------------


@login_required
def decisions(request: HttpRequest, body_id: int) -> HttpResponse:
    """The decisions assigned to the user's units (all of the body's for body-wide roles),
    with a form to say what has been done."""
    body = body_for(request, body_id)
    mine = units_of(request.user, body.pk, UNIT_ROLES)  # the units the user writes progress for
    show_done = request.GET.get("done") == "1"
    decisions = unit_decisions(body, include_done=show_done, viewer=request.user)
    items = list(visible(request.user, decisions))
    for decision in items:
        decision.my_units = [u for u in decision.units.all() if u.pk in mine]
    context = {
        "body": body,
        "decisions": items,
        "show_done": show_done,
        "form": DecisionProgressForm(),
    }
    return render(request, "reports/decisions.html", context)


@login_required
@require_POST
def decision_progress(request, body_id: int, decision_id: int, unit_id: int) -> HttpResponse:
    body = body_for(request, body_id)
    decision = object_in_body(Decision, body, decision_id)
    unit = object_in_body(Unit, body, unit_id)
    _posted(
        request,
        DecisionProgressForm(request.POST),
        lambda data: services.decision_progress_add(
            actor=request.user, decision=decision, unit=unit, **data
        ),
        _("Saved."),
    )
    return redirect("reports:decisions", body.pk)


# --- the execution dashboard ----------------------------------------------------------------


def _dashboard(request, body_id: int, plan_id: int):
    """The plan year's dashboard, for the body-wide roles (those who read the reports)."""
    body = body_for(request, body_id)
    plan = object_in_body(OperationalPlan, body, plan_id, plans_read())
    if not sees_all(request.user, Report, body.pk):
        raise PermissionDenied
    dashboard = execution_dashboard(plan)
    titles = {name: chart_title(name, dashboard) for name in CHARTS}
    return body, plan, dashboard, titles


def _cell(value) -> tuple[str, bool]:
    """A figure of a table as the page shows it, in the reader's language, and whether it is a
    number (aligned to the right)."""
    if value is None:
        return "—", True
    if isinstance(value, float):
        return percent(value), True
    if isinstance(value, Decimal):
        return num(value), True
    if isinstance(value, int):
        return number_format(value), True
    return str(value), False


@login_required
def execution(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    """The execution dashboard of the plan year: the charts and their tables."""
    body, plan, dashboard, titles = _dashboard(request, body_id, plan_id)
    grouping = request.GET.get("by", "direction")
    if grouping not in GROUPINGS:
        grouping = "direction"
    tables = {
        table.name: {
            "title": table.title,
            "headers": table.headers,
            "rows": [[_cell(value) for value in row] for row in table.rows],
        }
        for table in dashboard_tables(dashboard, titles)
    }
    groupings = [
        (name, label)
        for name, label in (
            ("direction", _("Strategic direction")),
            ("goal", _("Goal")),
            ("unit", _("Responsible executor")),
        )
    ]
    context = {
        "body": body,
        "plan": plan,
        "dashboard": dashboard,
        "grouping": grouping,
        "groupings": groupings,
        "overall_chart": draw("overall", dashboard),
        "group_chart": draw(grouping, dashboard),
        "indicator_chart": draw("indicators", dashboard),
        "overall_table": tables["overall"],
        "group_table": tables[grouping],
        "indicator_table": tables["indicators"],
    }
    return render(request, "reports/execution.html", context)


@login_required
def execution_chart(request: HttpRequest, body_id: int, plan_id: int, chart: str) -> HttpResponse:
    """One of the dashboard's charts as an SVG file."""
    if chart not in CHARTS:
        raise Http404
    _body, plan, dashboard, _titles = _dashboard(request, body_id, plan_id)
    svg = '<?xml version="1.0" encoding="UTF-8"?>\n' + draw(chart, dashboard)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    filename = f"execution-{plan.year}-{chart}.svg"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def execution_export(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    """The dashboard's tables as a workbook: a sheet for each chart."""
    _body, plan, dashboard, titles = _dashboard(request, body_id, plan_id)
    names = {
        "overall": _("Quarters"),
        "direction": _("Directions"),
        "goal": _("Goals"),
        "unit": _("Executors"),
        "indicators": _("Indicators"),
    }
    sheets = []
    for table in dashboard_tables(dashboard, titles):
        widths = [50 if table.group_column or table.name == "indicators" else 10]
        widths += [16] * (len(table.headers) - 1)
        if table.group_column:
            widths[2] = 30
        elif table.name == "overall":
            widths[1] = 30
        sheets.append(
            {
                "sheet": names[table.name],
                "title": table.title,
                "headers": table.headers,
                "rows": table.rows,
                "widths": widths,
            }
        )
    content = tables_workbook(sheets)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="execution-{plan.year}.xlsx"'
    return response
