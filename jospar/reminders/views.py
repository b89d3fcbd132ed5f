"""The body's reminder schedule (its administrator's page) and the board's "Remind"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from jospar.lib.views import attempt, body_for, form_page, object_in_body
from jospar.monitoring.views import quarter_plan
from jospar.orgs.models import Unit
from jospar.orgs.policy import Perm
from jospar.reminders import services
from jospar.reminders.forms import ScheduleForm
from jospar.reminders.selectors import schedule_of


@login_required
def schedule(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.MANAGE_ORG)
    current = schedule_of(body)
    return form_page(
        request,
        form=ScheduleForm(request.POST or None, instance=current),
        save=lambda data: services.schedule_update(actor=request.user, body=body, **data),
        success_url=body.get_absolute_url() + "#reminders",
        title=_("Reminders of deadlines"),
        body=body,
        extra={"history_of": current if current.pk else None},
    )


@login_required
@require_POST
def unit_remind(
    request: HttpRequest, body_id: int, plan_id: int, quarter: int, unit_id: int
) -> HttpResponse:
    body, plan = quarter_plan(request, body_id, plan_id, quarter)
    body_for(request, body.pk, Perm.MONITOR)
    unit = object_in_body(Unit, body, unit_id)
    reminder = attempt(
        request,
        lambda: services.unit_remind(actor=request.user, plan=plan, quarter=quarter, unit=unit),
    )
    if reminder is not None:
        messages.success(
            request,
            ngettext(
                "%(unit)s reminded: %(n)s person notified.",
                "%(unit)s reminded: %(n)s people notified.",
                reminder.recipients,
            )
            % {"unit": unit, "n": reminder.recipients},
        )
    return redirect(reverse("monitoring:board", args=[body.pk, plan.pk, quarter]))
