from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.lib.views import (
    ObjectPages,
    body_for,
    body_form_view,
    confirm_delete,
    form_page,
    object_in_body,
)
from jospar.orgs.models import StateBody
from jospar.orgs.policy import Perm, can
from jospar.strategy import services
from jospar.strategy.forms import (
    AmendmentForm,
    DevelopmentPlanForm,
    DirectionForm,
    GoalForm,
    IndicatorForm,
)
from jospar.strategy.models import DevelopmentPlan, Indicator
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


plan_new = body_form_view(
    perm=Perm.EDIT_STRATEGY,
    form_class=DevelopmentPlanForm,
    create=services.development_plan_create,
    title=gettext_lazy("New development plan"),
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


def _plan(body: StateBody, url_kwargs: dict) -> DevelopmentPlan:
    return object_in_body(DevelopmentPlan, body, url_kwargs["plan_id"])


# The elements of a development plan: each edited on a page of its own, under its plan.
IN_PLAN = {"perm": Perm.EDIT_STRATEGY, "parent_arg": "plan", "parent": _plan}

AMENDMENTS = ObjectPages(
    form_class=AmendmentForm,
    services=services.AMENDMENTS,
    new_title=gettext_lazy("New amendment"),
    title=lambda amendment: _("Amendment of %s") % amendment.signed_on.strftime("%d.%m.%Y"),
    **IN_PLAN,
)

DIRECTIONS = ObjectPages(
    form_class=DirectionForm,
    services=services.DIRECTIONS,
    new_title=gettext_lazy("New strategic direction"),
    title=lambda direction: _("Strategic direction %s") % direction.number,
    **IN_PLAN,
)

GOALS = ObjectPages(
    form_class=GoalForm,
    services=services.GOALS,
    new_title=gettext_lazy("New goal"),
    title=lambda goal: _("Goal %s") % goal.code,
    parent_of=lambda goal: goal.direction.plan_id,
    form_kwargs=lambda plan: {"plan": plan},
    **IN_PLAN,
)


def _plan_child(request, body_id, plan_id, pk=None):
    body = body_for(request, body_id, Perm.EDIT_STRATEGY)
    plan = object_in_body(DevelopmentPlan, body, plan_id)
    indicator = None
    if pk is not None:
        indicator = object_in_body(Indicator, body, pk)
        if indicator.plan_id != plan.pk:
            raise Http404
    return body, plan, indicator


@login_required
def indicator_new(request: HttpRequest, body_id: int, plan_id: int, kind: str) -> HttpResponse:
    if kind not in Indicator.Kind.values:
        raise Http404
    body, plan, _obj = _plan_child(request, body_id, plan_id)
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
    body, plan, indicator = _plan_child(request, body_id, plan_id, indicator_id)
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
    body, plan, indicator = _plan_child(request, body_id, plan_id, indicator_id)
    return confirm_delete(
        request,
        obj=indicator,
        delete=lambda: services.indicator_delete(actor=request.user, indicator=indicator),
        success_url=plan.get_absolute_url(),
        body=body,
    )
