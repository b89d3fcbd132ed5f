"""Downloads of the legal forms (Appendix 1 and 2): a page to choose the format, the language
and the revision, and the download itself, which works as a plain link and which the page's
script (static/jospar/export.js) fetches with a progress bar."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from jospar.documents.forms import LANGUAGES, ExportError, ExportFile, plan_form_file
from jospar.lib.views import body_for, object_in_body
from jospar.orgs.policy import Perm, require
from jospar.plans.models import OperationalPlan, PlanStatus

FORMAT_CHOICES = [("xlsx", "XLSX (Excel)"), ("docx", "DOCX (Word)"), ("pdf", "PDF")]


def urlpatterns(prefix: str) -> list:
    return [
        path(prefix + "export/", plan_export, name="plan_export"),
        path(prefix + "export/appendix-1/", plan_export_file, name="plan_export_file"),
    ]


class PlanExportForm(forms.Form):
    revision = forms.ChoiceField(label=_("Revision"), required=False)
    format = forms.ChoiceField(
        label=_("Format"), choices=FORMAT_CHOICES, widget=forms.RadioSelect, initial="xlsx"
    )
    lang = forms.ChoiceField(label=_("Language"), widget=forms.RadioSelect)

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
        self.fields["lang"].choices = [
            (code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES
        ]
        self.fields["lang"].initial = current_language()

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


@login_required
def plan_export(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    body, plan = _plan(request, body_id, plan_id)
    form = PlanExportForm(plan=plan, initial=request.GET.dict())
    context = {"body": body, "plan": plan, "form": form}
    return render(request, "documents/export.html", context)


@login_required
def plan_export_file(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    body, plan = _plan(request, body_id, plan_id)
    data = {"format": "xlsx", "lang": current_language()} | request.GET.dict()
    form = PlanExportForm(data, plan=plan)
    if not form.is_valid():
        context = {"body": body, "plan": plan, "form": form}
        return render(request, "documents/export.html", context, status=400)
    try:
        file = plan_form_file(
            plan,
            revision=form.cleaned_data["revision"],
            file_format=form.cleaned_data["format"],
            language=form.cleaned_data["lang"],
        )
    except ExportError as error:
        form.add_error(None, str(error))
        context = {"body": body, "plan": plan, "form": form}
        return render(request, "documents/export.html", context, status=400)
    return file_response(file)


def file_response(file: ExportFile) -> HttpResponse:
    """The file as an attachment with its length, so a download can show its progress."""
    response = HttpResponse(file.content, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["Content-Length"] = str(len(file.content))
    response["Cache-Control"] = "private, no-store"
    return response
