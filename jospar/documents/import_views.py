"""Import of an operational plan from XLSX in the Appendix 1 layout: upload, see the dry run
(what would be created, every problem with its row and column), then import.

Between the dry run and the import the file waits in the file storage (jospar.lib.uploads).
"""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jospar.documents.importer import (
    MAX_MB,
    ImportResult,
    heading_translations,
    import_refusal,
    parse_plan_xlsx,
    plan_import,
    plan_translate,
    translation_pairs,
)
from jospar.lib.forms import language_name
from jospar.lib.uploads import discard_kept, keep_upload, kept_upload, posted_form, read_kept
from jospar.lib.views import body_for, object_in_body
from jospar.orgs.policy import Perm, can
from jospar.plans.models import OperationalPlan
from jospar.plans.selectors import plans_read

SALT = "jospar.documents.import"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Workbook (.xlsx, .xls or .ods)"),
        # Worded when shown: `gettext_lazy(...) % …` would fix the language at import time.
        help_text=lazy(
            lambda: (
                _(
                    "The plan in the Appendix 1 layout: the file Jospar exports, or your own, with "
                    "the headings in Kazakh, Russian or English. At most %(mb)s MB."
                )
                % {"mb": MAX_MB}
            ),
            str,
        )(),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.ods"}),
    )
    translation = forms.ChoiceField(
        label=gettext_lazy("Is the workbook a translation of this plan?"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("", gettext_lazy("No: create the actions it lists")),
            ("kk", gettext_lazy("Yes, in Kazakh: fill in the Kazakh texts of the plan's actions")),
            (
                "ru",
                gettext_lazy("Yes, in Russian: fill in the Russian texts of the plan's actions"),
            ),
            (
                "en",
                gettext_lazy("Yes, in English: fill in the English texts of the plan's actions"),
            ),
        ],
        help_text=gettext_lazy(
            "A translation is matched to the plan row by row, by the action's number and the "
            "heading it stands under; only the names and free-text forms of completion are taken."
        ),
    )


def _editable_plan(request: HttpRequest, body_id: int, plan_id: int):
    body = body_for(request, body_id)
    plan = object_in_body(OperationalPlan, body, plan_id, plans_read())
    if not can(request.user, Perm.EDIT_PLAN, plan):
        raise PermissionDenied
    refusal = import_refusal(plan, replace=True)  # a plan that is not a draft
    if refusal:
        raise PermissionDenied(refusal)
    return body, plan


def _page(
    request,
    body,
    plan,
    *,
    form=None,
    result: ImportResult | None = None,
    token="",
    status=200,
    language="",
    pairs=(),
    headings=(),
) -> HttpResponse:
    problems_by_row: dict[int, list] = {}
    if result is not None:
        for problem in result.problems:
            problems_by_row.setdefault(problem.row, []).append(problem)
    context = {
        "body": body,
        "plan": plan,
        "form": form or UploadForm(),
        "result": result,
        "problem_rows": problems_by_row,
        "token": token,
        "existing": plan.actions.filter(removed=False).count(),
        "max_mb": MAX_MB,
        "language": language,
        "language_name": language_name(language) if language else "",
        "pairs": pairs,
        "headings": headings,
    }
    return render(request, "documents/import.html", context, status=status)


@login_required
def plan_import_upload(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    body, plan = _editable_plan(request, body_id, plan_id)
    form, shown = posted_form(request, UploadForm, lambda **kw: _page(request, body, plan, **kw))
    if shown is not None:
        return shown
    upload = form.cleaned_data["file"]
    language = form.cleaned_data.get("translation") or ""
    result = parse_plan_xlsx(upload, plan=plan)
    pairs = translation_pairs(result, plan, language) if language and result.actions else []
    headings = heading_translations(result, language) if language else []
    shown = {"language": language, "pairs": pairs, "headings": headings}
    if not result.ok:
        return _page(request, body, plan, form=form, result=result, status=400, **shown)
    token = keep_upload(
        request, upload, salt=SALT, suffix=_suffix(upload), plan=plan.pk, language=language
    )
    return _page(request, body, plan, result=result, token=token, **shown)


def _suffix(upload) -> str:
    """The stored copy's extension: the upload's own if it is one the import reads (the
    content, not the name, says what the file is)."""
    suffix = Path(upload.name or "").suffix.lower()
    return suffix if suffix in (".xlsx", ".xls", ".ods") else ".xlsx"


@login_required
@require_POST
def plan_import_confirm(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    body, plan = _editable_plan(request, body_id, plan_id)
    ticket = kept_upload(request, salt=SALT, plan=plan.pk)
    if ticket is None:
        return _page(request, body, plan, status=400)
    language = ticket.get("language") or ""
    result = read_kept(ticket, lambda stored: parse_plan_xlsx(stored, plan=plan))
    try:
        if language:
            translated = plan_translate(
                actor=request.user, plan=plan, result=result, language=language
            )
        else:
            created = plan_import(
                actor=request.user,
                plan=plan,
                result=result,
                replace=request.POST.get("replace") == "on",
            )
    except ValidationError as error:
        if result.ok:
            messages.error(request, " ".join(error.messages))
            token = request.POST.get("token", "")
            return _page(request, body, plan, result=result, token=token, status=400)
        discard_kept(ticket)
        return _page(request, body, plan, result=result, status=400)
    discard_kept(ticket)
    if language:
        messages.success(
            request,
            _("Filled in the texts in %(language)s of %(count)s actions from the workbook.")
            % {"language": language_name(language), "count": len(translated)},
        )
    else:
        messages.success(
            request, _("Imported %(count)s actions from the workbook.") % {"count": len(created)}
        )
    return redirect(plan.get_absolute_url())


def urlpatterns() -> list:
    route = "<int64:body_id>/operational-plans/<int64:plan_id>/import/"
    return [
        path(route, plan_import_upload, name="plan_import"),
        path(route + "confirm/", plan_import_confirm, name="plan_import_confirm"),
    ]
