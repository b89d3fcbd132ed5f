from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jospar.lib.views import body_for, confirm_delete, form_page, object_in_body
from jospar.orgs.policy import Perm, can
from jospar.strategy import services
from jospar.strategy.forms import (
    AmendmentForm,
    DevelopmentPlanForm,
    DirectionForm,
    GoalForm,
    IndicatorForm,
)
from jospar.strategy.models import (
    Amendment,
    DevelopmentPlan,
    Goal,
    Indicator,
    StrategicDirection,
)
from jospar.strategy.selectors import development_plan_tree, values_by_year


@login_required
def plan_detail(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    body = body_for(request, body_id)
    plan = object_in_body(DevelopmentPlan, body, plan_id)
    years = list(plan.years)
    directions = development_plan_tree(plan)
    for direction in directions:
        for indicator in direction.macro_indicators.all():
            indicator.yearly = values_by_year(indicator, years)
        for goal in direction.goals.all():
            for indicator in goal.target_indicators.all():
                indicator.yearly = values_by_year(indicator, years)
    context = {
        "body": body,
        "plan": plan,
        "years": years,
        "directions": directions,
        "amendments": plan.amendments.all(),
        "may_edit": can(request.user, Perm.EDIT_STRATEGY, plan),
    }
    return render(request, "strategy/plan.html", context)


@login_required
def plan_new(request: HttpRequest, body_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.EDIT_STRATEGY)
    return form_page(
        request,
        form=DevelopmentPlanForm(request.POST or None),
        save=lambda data: services.development_plan_create(actor=request.user, body=body, **data),
        success_url=body.get_absolute_url(),
        title=_("New development plan"),
        body=body,
    )


@login_required
def plan_edit(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    body = body_for(request, body_id, Perm.EDIT_STRATEGY)
    plan = object_in_body(DevelopmentPlan, body, plan_id)
    return form_page(
        request,
        form=DevelopmentPlanForm(request.POST or None, instance=plan),
        save=lambda data: services.development_plan_update(actor=request.user, plan=plan, **data),
        success_url=plan.get_absolute_url(),
        title=str(plan),
        body=body,
        extra={"history_of": plan},
    )


def _plan_child(request, body_id, plan_id, model, pk):
    body = body_for(request, body_id, Perm.EDIT_STRATEGY)
    plan = object_in_body(DevelopmentPlan, body, plan_id)
    obj = None
    if pk is not None:
        obj = object_in_body(model, body, pk)
        owner = obj.direction.plan_id if model is Goal else obj.plan_id
        if owner != plan.pk:
            raise Http404
    return body, plan, obj


@login_required
def amendment_new(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    body, plan, _obj = _plan_child(request, body_id, plan_id, Amendment, None)
    return form_page(
        request,
        form=AmendmentForm(request.POST or None),
        save=lambda data: services.amendment_create(actor=request.user, plan=plan, **data),
        success_url=plan.get_absolute_url(),
        title=_("New amendment"),
        body=body,
    )


@login_required
def amendment_edit(request, body_id: int, plan_id: int, amendment_id: int) -> HttpResponse:
    body, plan, amendment = _plan_child(request, body_id, plan_id, Amendment, amendment_id)
    return form_page(
        request,
        form=AmendmentForm(request.POST or None, instance=amendment),
        save=lambda data: services.amendment_update(
            actor=request.user, amendment=amendment, **data
        ),
        success_url=plan.get_absolute_url(),
        title=_("Amendment of %s") % amendment.signed_on.strftime("%d.%m.%Y"),
        body=body,
        extra={"history_of": amendment},
    )


@login_required
def amendment_delete(request, body_id: int, plan_id: int, amendment_id: int) -> HttpResponse:
    body, plan, amendment = _plan_child(request, body_id, plan_id, Amendment, amendment_id)
    return confirm_delete(
        request,
        obj=amendment,
        delete=lambda: services.amendment_delete(actor=request.user, amendment=amendment),
        success_url=plan.get_absolute_url(),
        body=body,
    )


@login_required
def direction_new(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    body, plan, _obj = _plan_child(request, body_id, plan_id, StrategicDirection, None)
    return form_page(
        request,
        form=DirectionForm(request.POST or None),
        save=lambda data: services.direction_create(actor=request.user, plan=plan, **data),
        success_url=plan.get_absolute_url(),
        title=_("New strategic direction"),
        body=body,
    )


@login_required
def direction_edit(request, body_id: int, plan_id: int, direction_id: int) -> HttpResponse:
    body, plan, direction = _plan_child(request, body_id, plan_id, StrategicDirection, direction_id)
    return form_page(
        request,
        form=DirectionForm(request.POST or None, instance=direction),
        save=lambda data: services.direction_update(
            actor=request.user, direction=direction, **data
        ),
        success_url=plan.get_absolute_url(),
        title=_("Strategic direction %s") % direction.number,
        body=body,
        extra={"history_of": direction},
    )


@login_required
def direction_delete(request, body_id: int, plan_id: int, direction_id: int) -> HttpResponse:
    body, plan, direction = _plan_child(request, body_id, plan_id, StrategicDirection, direction_id)
    return confirm_delete(
        request,
        obj=direction,
        delete=lambda: services.direction_delete(actor=request.user, direction=direction),
        success_url=plan.get_absolute_url(),
        body=body,
    )


@login_required
def goal_new(request: HttpRequest, body_id: int, plan_id: int) -> HttpResponse:
    body, plan, _obj = _plan_child(request, body_id, plan_id, Goal, None)
    return form_page(
        request,
        form=GoalForm(request.POST or None, plan=plan),
        save=lambda data: services.goal_create(actor=request.user, plan=plan, **data),
        success_url=plan.get_absolute_url(),
        title=_("New goal"),
        body=body,
    )


@login_required
def goal_edit(request, body_id: int, plan_id: int, goal_id: int) -> HttpResponse:
    body, plan, goal = _plan_child(request, body_id, plan_id, Goal, goal_id)
    return form_page(
        request,
        form=GoalForm(request.POST or None, instance=goal, plan=plan),
        save=lambda data: services.goal_update(actor=request.user, goal=goal, **data),
        success_url=plan.get_absolute_url(),
        title=_("Goal %s") % goal.code,
        body=body,
        extra={"history_of": goal},
    )


@login_required
def goal_delete(request, body_id: int, plan_id: int, goal_id: int) -> HttpResponse:
    body, plan, goal = _plan_child(request, body_id, plan_id, Goal, goal_id)
    return confirm_delete(
        request,
        obj=goal,
        delete=lambda: services.goal_delete(actor=request.user, goal=goal),
        success_url=plan.get_absolute_url(),
        body=body,
    )


@login_required
def indicator_new(request: HttpRequest, body_id: int, plan_id: int, kind: str) -> HttpResponse:
    if kind not in Indicator.Kind.values:
        raise Http404
    body, plan, _obj = _plan_child(request, body_id, plan_id, Indicator, None)
    form = IndicatorForm(request.POST or None, plan=plan, kind=kind)
    return form_page(
        request,
        form=form,
        save=lambda data: services.indicator_create(
            actor=request.user, plan=plan, kind=kind, **form.service_data()
        ),
        success_url=plan.get_absolute_url(),
        title=Indicator.Kind(kind).label.capitalize(),
        body=body,
    )


@login_required
def indicator_edit(request, body_id: int, plan_id: int, indicator_id: int) -> HttpResponse:
    body, plan, indicator = _plan_child(request, body_id, plan_id, Indicator, indicator_id)
    form = IndicatorForm(request.POST or None, instance=indicator, plan=plan, kind=indicator.kind)
    return form_page(
        request,
        form=form,
        save=lambda data: services.indicator_update(
            actor=request.user, indicator=indicator, **form.service_data()
        ),
        success_url=plan.get_absolute_url(),
        title=str(indicator),
        body=body,
        extra={"history_of": indicator},
    )


@login_required
def indicator_delete(request, body_id: int, plan_id: int, indicator_id: int) -> HttpResponse:
    body, plan, indicator = _plan_child(request, body_id, plan_id, Indicator, indicator_id)
    return confirm_delete(
        request,
        obj=indicator,
        delete=lambda: services.indicator_delete(actor=request.user, indicator=indicator),
        success_url=plan.get_absolute_url(),
        body=body,
    )
