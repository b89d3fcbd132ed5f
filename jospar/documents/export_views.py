"""Downloads of the legal forms (Appendix 1 and 2): a page to choose the format, the language
(and, for the plan, the revision), and the download itself, which works as a plain link and
which the page's script (static/jospar/export.js) fetches with a progress bar.

A PDF or DOCX of more than EXPORT_BACKGROUND_ACTIONS actions is made by the worker instead:
the page's form is then posted, which queues an export job and shows its page
(jospar.documents.job_views); a plain link to such a file shows the form again, saying so."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import get_language, get_language_info, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from jospar.documents.appendices import (
    FORMATS,
    LANGUAGES,
    ExportError,
    ExportFile,
    plan_form_file,
    report_form_file,
)
from jospar.documents.services import export_job_start, export_size, fallbacks, in_background
from jospar.lib.views import body_for, object_in_body
from jospar.orgs.policy import Perm, require
from jospar.orgs.visibility import sees_all
from jospar.plans.models import OperationalPlan, PlanStatus
from jospar.reports.models import Report

FORMAT_NAMES = {"xlsx": "XLSX (Excel)", "docx": "DOCX (Word)", "pdf": "PDF"}
REPORT = "quarters/<int64:quarter>/report/"  # after the plan's prefix, as the report page


def urlpatterns(prefix: str) -> list:
    return [
        path(prefix + "export/", plan_export, name="plan_export"),
        path(prefix + "export/appendix-1/", plan_export_file, name="plan_export_file"),
        path(prefix + REPORT + "export/", report_export, name="report_export"),
        path(prefix + REPORT + "export/appendix-2/", report_export_file, name="report_export_file"),
    ]


class ExportForm(forms.Form):
    """The file's format and language."""

    format = forms.ChoiceField(
        label=_("Format"),
        choices=[(code, FORMAT_NAMES[code]) for code in FORMATS],
        widget=forms.RadioSelect,
        initial="xlsx",
    )
    lang = forms.ChoiceField(label=_("Language"), widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lang"].choices = [
            (code, get_language_info(code)["name_local"]) for code in LANGUAGES
        ]
        self.fields["lang"].initial = current_language()

    @classmethod
    def from_query(cls, request: HttpRequest, **kwargs):
        """The form bound to the query string over the defaults: XLSX in the reader's
        language (a plain link to the file needs no parameters)."""
        return cls({"format": "xlsx", "lang": current_language()} | request.GET.dict(), **kwargs)


class PlanExportForm(ExportForm):
    revision = forms.ChoiceField(label=_("Revision"), required=False)
    field_order = ["revision", "format", "lang"]

    def __init__(self, *args, plan: OperationalPlan, **kwargs):
        super().__init__(*args, **kwargs)
        revisions = list(plan.revisions.order_by("-number"))
        choices = [
            (
                str(r.number),
                _("Revision %(number)s, approved on %(date)s")
                % {"number": r.number, "date": r.approved_on.strftime("%d.%m.%Y")},
            )
            for r in revisions
        ]
        if plan.status != PlanStatus.APPROVED:
            choices.insert(0, ("draft", _("the working draft (not approved)")))
        self.fields["revision"].choices = choices
        self.fields["revision"].initial = str(revisions[0].number) if revisions else "draft"

    def clean_revision(self) -> str:
        """By default, the revision in force (the draft while nothing was approved)."""
        return self.cleaned_data["revision"] or self.fields["revision"].initial


def current_language() -> str:
    code = (get_language() or settings.LANGUAGE_CODE)[:2]
    return code if code in LANGUAGES else "ru"


def _plan(request: HttpRequest, body_id: int, plan_id: int):
    body = body_for(request, body_id)
    plan = object_in_body(
        OperationalPlan, body, plan_id, OperationalPlan.objects.select_related("body")
    )
    require(request.user, Perm.VIEW, plan)
    return body, plan


def _background_note(actions: int) -> str:
    return _(
        "This form has %(actions)s actions: its PDF or DOCX is prepared in the background. "
        "You will see how it goes and download the file when it is ready."
    ) % {"actions": actions}


def _fallback_notes(counts: dict[str, int]) -> list[str]:
    """What the export page says of the texts a form prints in its other language."""
    notes = []
    if counts.get("kk"):
        notes.append(
            ngettext(
                "In Kazakh, %(n)s text has no Kazakh version yet: the form prints it in "
                "Russian (or English).",
                "In Kazakh, %(n)s texts have no Kazakh version yet: the form prints them in "
                "Russian (or English).",
                counts["kk"],
            )
            % {"n": counts["kk"]}
        )
    if counts.get("ru"):
        notes.append(
            ngettext(
                "In Russian, %(n)s text has no Russian version yet: the form prints it in "
                "Kazakh (or English).",
                "In Russian, %(n)s texts have no Russian version yet: the form prints them in "
                "Kazakh (or English).",
                counts["ru"],
            )
            % {"n": counts["ru"]}
        )
    return notes


def _plan_page(request, body, plan, form, status=200, actions=None) -> HttpResponse:
    if actions is None:
        actions = plan.actions.count()  # the working copy: a revision has as many or fewer
    own = {
        "title": _("Download the operational plan"),
        "subject": plan,
        "intro": _(
            "Appendix 1 to the Rules: the form with its headings, the development plan's "
            "directions, indicators and goals, the actions and the signature block."
        ),
        "action": reverse("documents:plan_export_file", args=[body.pk, plan.pk]),
        "back_url": plan.get_absolute_url(),
        "back_label": _("Back to the plan"),
        "slow": _("A large plan takes a few seconds to prepare, a PDF the longest."),
    }
    return _export_page(request, body, plan, form, status, actions, fallbacks(plan=plan), own)


def _export_page(request, body, plan, form, status, actions, found, own) -> HttpResponse:
    """An export's page: what is `own` to it (title, introduction, where to go back), the form, and
    what the export will do (in the background when large; `found`: the texts it falls back
    on)."""
    context = {
        "body": body,
        "plan": plan,
        "form": form,
        **own,
        "background": in_background("pdf", actions),
        "background_note": _background_note(actions),
        "fallbacks": _fallback_notes(found),
    }
    return render(request, "documents/export.html", context, status=status)


@login_required
def plan_export(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    body, plan = _plan(request, body_id, plan_id)
    form = PlanExportForm(plan=plan, initial=request.GET.dict())
    return _plan_page(request, body, plan, form)


def _bound(request: HttpRequest, form_class, **kwargs):
    """The form of a GET from its query string, of a POST from its body."""
    if request.method == "POST":
        return form_class(request.POST, **kwargs)
    return form_class.from_query(request, **kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def plan_export_file(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    """The file at once, or for a large PDF or DOCX: posted, a job for the worker; as a
    link, the form again saying why."""
    body, plan = _plan(request, body_id, plan_id)
    form = _bound(request, PlanExportForm, plan=plan)
    if not form.is_valid():
        return _plan_page(request, body, plan, form, status=400)
    data = form.cleaned_data
    try:
        actions = export_size(plan=plan, revision=data["revision"])
        if in_background(data["format"], actions):
            if request.method != "POST":
                return _plan_page(request, body, plan, form, actions=actions)
            job = export_job_start(
                actor=request.user,
                plan=plan,
                revision=data["revision"],
                file_format=data["format"],
                language=data["lang"],
            )
            return see_other(job_url(job))
        file = plan_form_file(
            plan, revision=data["revision"], file_format=data["format"], language=data["lang"]
        )
    except ExportError as error:
        form.add_error(None, str(error))
        return _plan_page(request, body, plan, form, status=400)
    return file_response(file)


def see_other(url: str) -> HttpResponseRedirect:
    """A redirect after a POST that the browser follows with a GET."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def job_url(job) -> str:
    return reverse("documents:export_job", args=[job.body_id, job.pk])


# --- Appendix 2 ------------------------------------------------------------------------------


def _report(request: HttpRequest, body_id: int, plan_id: int, quarter: int):
    """The report as its page finds it: the body-wide roles' work, so a unit's executor or
    head gets a 403, as on the report page; no report compiled for the quarter is a 404."""
    body = body_for(request, body_id)
    if not sees_all(request.user, Report, body.pk):
        raise PermissionDenied
    plan = object_in_body(OperationalPlan, body, plan_id)
    report = Report.objects.filter(plan=plan, quarter=quarter).select_related("plan__body").first()
    if report is None:
        raise Http404
    require(request.user, Perm.VIEW, report)
    return body, report


def _report_page(request, body, report, form, status=200) -> HttpResponse:
    plan, quarter = report.plan, report.quarter
    actions = export_size(report=report)
    own = {
        "report": report,
        "title": _("Download the report on the implementation of the operational plan"),
        "subject": report,
        "intro": _(
            "Appendix 2 to the Rules: the actions of the plan with their actual execution, "
            "the reasons for non-fulfilment and the recommendations, under the headings of "
            "the development plan, and the signature block."
        ),
        "action": reverse("documents:report_export_file", args=[body.pk, plan.pk, quarter]),
        "back_url": reverse("reports:report", args=[body.pk, plan.pk, quarter]),
        "back_label": _("Back to the report"),
        "slow": _("A large report takes a few seconds to prepare, a PDF the longest."),
    }
    found = fallbacks(report=report)
    return _export_page(request, body, plan, form, status, actions, found, own)


@login_required
def report_export(request: HttpRequest, body_id: int, plan_id: int, quarter: int) -> HttpResponse:
    body, report = _report(request, body_id, plan_id, quarter)
    return _report_page(request, body, report, ExportForm(initial=request.GET.dict()))


@login_required
@require_http_methods(["GET", "POST"])
def report_export_file(
    request: HttpRequest, body_id: int, plan_id: int, quarter: int
) -> HttpResponse:
    """As plan_export_file, for Appendix 2."""
    body, report = _report(request, body_id, plan_id, quarter)
    form = _bound(request, ExportForm)
    if not form.is_valid():
        return _report_page(request, body, report, form, status=400)
    data = form.cleaned_data
    if in_background(data["format"], export_size(report=report)):
        if request.method != "POST":
            return _report_page(request, body, report, form)
        job = export_job_start(
            actor=request.user, report=report, file_format=data["format"], language=data["lang"]
        )
        return see_other(job_url(job))
    file = report_form_file(report, file_format=data["format"], language=data["lang"])
    return file_response(file)


def file_response(file: ExportFile) -> HttpResponse:
    """The file as an attachment with its length, so a download can show its progress."""
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["Content-Length"] = str(len(file.content))
    response["Cache-Control"] = "private, no-store"
    return response
