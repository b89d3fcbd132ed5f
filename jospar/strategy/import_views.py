"""The development plan from a workbook: download the template, upload a filled one, see the
dry run (every problem by sheet, row and column; what would be created, updated or left as it
is), then import — giving the amendment's date when the file changes a stored plan.

The uploaded file waits in the file storage between the dry run and the import, as every
import's does (jospar.lib.uploads)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from jospar.deadlines.calendar import today
from jospar.lib.files import CONTENT_TYPES
from jospar.lib.uploads import discard_kept, keep_upload, kept_upload, posted_form, read_kept
from jospar.lib.views import body_for, object_in_body
from jospar.orgs.policy import Perm
from jospar.strategy import services
from jospar.strategy.models import DevelopmentPlan
from jospar.strategy.workbook import plan_changes, read_workbook, template_workbook

SALT = "jospar.strategy.import"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Workbook (.xlsx)"),
        help_text=gettext_lazy(
            "The development plan in Jospar's template: the plan's details on the first sheet, "
            "its directions, goals and indicators on the second."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class AmendmentForm(forms.Form):
    """What the import asks when the file changes a stored plan (R18's basis)."""

    amendment_signed_on = forms.DateField(
        label=gettext_lazy("signing date of the amendment"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    amendment_document = forms.CharField(
        label=gettext_lazy("amending document"), max_length=255, required=False
    )


@login_required
def plan_template(request: HttpRequest, body_id: int) -> HttpResponse:
    """The template: of the plan `?plan=` filled with what it holds, else blank for the
    period `?start=`–`?end=` (this year and four more by default)."""
    body = body_for(request, body_id)
    plan = None
    if request.GET.get("plan", "").isdigit():
        plan = object_in_body(DevelopmentPlan, body, int(request.GET["plan"]))
        years = plan.years
    else:
        start = _year(request.GET.get("start"), today().year)
        end = _year(request.GET.get("end"), start + 4)
        years = range(start, max(start, min(end, start + 20)) + 1)
    content = template_workbook(years=years, plan=plan)
    response = HttpResponse(content, content_type=CONTENT_TYPES["xlsx"])
    name = f"development-plan-{body.code}-{years.start}-{years.stop - 1}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _year(text, default: int) -> int:
    return int(text) if text and text.isdigit() and 1990 <= int(text) <= 2100 else default


def _page(
    request, body, *, form=None, reading=None, changes=None, token="", amendment=None, status=200
) -> HttpResponse:
    if reading is not None and reading.ok:
        for item in reading.items:
            item.yearly = [item.values.get(year) for year in reading.years]
    context = {
        "body": body,
        "form": form or UploadForm(),
        "reading": reading,
        "changes": changes,
        # the file's problems, then the stored plan's (which have no place in the file)
        "problems": [
            *(reading.problems if reading is not None else []),
            *(changes.problems if changes is not None else []),
        ],
        "token": token,
        "amendment_form": amendment or AmendmentForm(),
        "plans": body.development_plans.all(),
    }
    return render(request, "strategy/import.html", context, status=status)


@login_required
def plan_import(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.EDIT_STRATEGY)
    form, shown = posted_form(request, UploadForm, lambda **kw: _page(request, body, **kw))
    if shown is not None:
        return shown
    upload = form.cleaned_data["file"]
    reading = read_workbook(upload)
    if not reading.ok:
        return _page(request, body, form=form, reading=reading, status=400)
    changes = plan_changes(reading, body)
    if changes.problems or not changes.changed:
        status = 400 if changes.problems else 200
        return _page(request, body, form=form, reading=reading, changes=changes, status=status)
    token = keep_upload(request, upload, salt=SALT, body=body.pk)
    return _page(request, body, reading=reading, changes=changes, token=token)


@login_required
@require_POST
def plan_import_confirm(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.EDIT_STRATEGY)
    ticket = kept_upload(request, salt=SALT, body=body.pk)
    if ticket is None:
        return _page(request, body, status=400)
    reading = read_kept(ticket, read_workbook)
    amendment = AmendmentForm(request.POST)
    if amendment.is_valid():
        try:
            changes = services.development_plan_import(
                actor=request.user, body=body, reading=reading, **amendment.cleaned_data
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            discard_kept(ticket)
            return _imported(request, changes)
    changes = plan_changes(reading, body) if reading.ok else None
    token = request.POST.get("token", "")
    context = {"reading": reading, "changes": changes, "token": token, "amendment": amendment}
    return _page(request, body, **context, status=400)


def _imported(request: HttpRequest, changes) -> HttpResponse:
    if changes.amendment is not None:
        messages.success(
            request,
            _("Recorded as the amendment of %(date)s: %(summary)s.")
            % {"date": f"{changes.amendment.signed_on:%d.%m.%Y}", "summary": changes.summary()},
        )
    else:
        messages.success(request, _("Imported: %(s)s.") % {"s": changes.summary()})
    return redirect(changes.plan.get_absolute_url())
