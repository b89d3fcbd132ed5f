"""The REST API of the operational plan: plans and their approval (R6), actions, the units'
proposals (R5), the reference lists, the adjustments (R18) with the approved revisions, which
never change, and the comparison of two states of the plan (JSON or the XLSX the comparison
page downloads). Reads show the rows of the user's bodies; writes call the services."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import F, Prefetch, Q, QuerySet
from django.http import HttpResponse
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter
from rest_framework import exceptions, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from jospar.api.base import Services, ServiceViewSet, StepsMixin, docs, files, reading, step
from jospar.api.filters import BODY_FILTER, Filter, body_and_plan, status_filter
from jospar.api.viewsets import ReadCreateViewSet, ReadViewSet, ReadWriteViewSet
from jospar.orgs.visibility import visible
from jospar.plans import serializers as s
from jospar.plans import services as plans
from jospar.plans.carryover import next_year_offer
from jospar.plans.checks import check_plan
from jospar.plans.diff import (
    ComparedAction,
    actions_of_draft,
    actions_of_revision,
    compare,
    diff_xlsx,
)
from jospar.plans.models import (
    Action,
    CompletionForm,
    OperationalPlan,
    PlanEvent,
    Proposal,
    ProposalStatus,
    RegulationTask,
    Revision,
    RevisionAction,
)
from jospar.plans.selectors import plan_layout

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DRAFT = "draft"


def side(plan: OperationalPlan, name: str, value: str) -> tuple[str, list[ComparedAction]]:
    """A side of a comparison: a revision number, or "draft" for the open working copy."""
    if value == DRAFT:
        return _("draft"), actions_of_draft(plan)
    number = int(value)
    revision = plan.revisions.filter(number=number).first()
    if revision is None:
        raise exceptions.NotFound(
            {name: [_("The plan has no revision %(number)s.") % {"number": number}]}
        )
    return str(revision), actions_of_revision(revision)


# An action removed by an adjustment stays for the revisions that hold it; the plan has it no more.
ACTIONS = (
    Action.objects.filter(removed=False)
    .select_related("lead_unit", "completion_form")
    .prefetch_related("budget_programs", "co_executors")
)


@dataclass(frozen=True)
class RowsFilter(Filter):
    """A filter that is more than one lookup: `rows(value)` selects the matching rows."""

    rows: Callable[[int | str], QuerySet] | None = None

    def parse(self, name: str, raw: str) -> QuerySet:
        return self.rows(super().parse(name, raw)).values("pk")


def involving(unit_id: int) -> QuerySet[Action]:
    return Action.objects.filter(Q(lead_unit=unit_id) | Q(co_executors=unit_id))


UNIT_PARAMETER = OpenApiParameter(
    "unit",
    int,
    description=_("Only the actions this unit leads or takes part in (id)."),
)


@docs(
    list=_("List operational plans"),
    retrieve=_("Get an operational plan with its approval deadline and steps"),
    create=_("Open the operational plan of a body for a year (planner)"),
    update=_("Change a draft or returned operational plan (planner)"),
    partial_update=_("Change some fields of a draft or returned operational plan (planner)"),
)
class OperationalPlanViewSet(StepsMixin, ReadWriteViewSet):
    """Operational plans: one per body per year (R2, R6), with the approval steps taken, their
    adjustments (R18) and the comparison of their revisions."""

    queryset = (
        OperationalPlan.objects.select_related("development_plan", "basis_amendment")
        .prefetch_related(
            Prefetch("events", PlanEvent.objects.select_related("actor").order_by("at", "pk"))
        )
        .order_by("body_id", "-year", "pk")
    )
    serializer_class = s.OperationalPlanSerializer
    query_filters = {
        "body": BODY_FILTER,
        "year": Filter("year", _("Only the plans for this year.")),
    }
    services = Services("plan", plans.plan_create, plans.plan_update)

    @step(_("Submit the plan for approval (planner); refused while the check finds errors"))
    def submit(self, request: Request, *args, **kwargs) -> Response:
        return self.call(plans.plan_submit, "plan")

    @step(
        _("Approve the submitted plan (first head or chief of staff)"),
        request=s.PlanApproveSerializer,
    )
    def approve(self, request: Request, *args, **kwargs) -> Response:
        return self.call(plans.plan_approve, "plan", s.PlanApproveSerializer)

    @step(
        _("Return the submitted plan with what must be corrected (official)"),
        request=s.PlanReturnSerializer,
        url_path="return",
    )
    def return_for_revision(self, request: Request, *args, **kwargs) -> Response:
        return self.call(plans.plan_return, "plan", s.PlanReturnSerializer)

    @reading(
        _("Run the completeness check: errors block submission, warnings do not"),
        responses=s.ProblemSerializer(many=True),
        url_path="check",
    )
    def completeness(self, request: Request, *args, **kwargs) -> Response:
        problems = check_plan(self.get_object())
        return Response(s.ProblemSerializer(problems, many=True).data)

    @reading(
        _("The plan as Appendix 1 lays it out, with the actions numbered"),
        parameters=[UNIT_PARAMETER],
        responses=s.LayoutRowSerializer(many=True),
    )
    def layout(self, request: Request, *args, **kwargs) -> Response:
        plan = self.get_object()
        raw = request.query_params.get("unit")
        unit_filter = Filter("unit", UNIT_PARAMETER.description)
        unit_id = unit_filter.parse("unit", raw) if raw is not None else None
        rows = [s.LayoutRow.of(row) for row in plan_layout(plan, unit_id=unit_id)]
        context = self.get_serializer_context()
        return Response(s.LayoutRowSerializer(rows, many=True, context=context).data)

    @step(
        gettext_lazy(
            "Start an adjustment (R18): open a draft of the next revision with its basis (planner)"
        ),
        description=gettext_lazy(
            "Only an approved plan can be adjusted, and one adjustment at a time. The draft "
            "starts as the revision in force and goes through approval again."
        ),
        request=s.AdjustmentSerializer,
    )
    def adjust(self, request: Request, *args, **kwargs) -> Response:
        return self.call(plans.adjustment_start, "plan", s.AdjustmentSerializer)

    @reading(
        gettext_lazy("What preparing next year's plan from this one would carry over"),
        responses=s.NextYearOfferSerializer,
        url_path="next-year-offer",
    )
    def next_year_offer(self, request: Request, *args, **kwargs) -> Response:
        offer = next_year_offer(self.get_object())
        return Response(s.NextYearOfferSerializer(offer).data)

    @step(
        gettext_lazy("Prepare next year's plan from this one (planner)"),
        description=gettext_lazy(
            "A new draft for the next year: every action of the plan in force whose term recurs "
            "is carried over, and the unfinished ones listed in carry; each new action links to "
            "the action it continues. Answers with the new plan."
        ),
        request=s.NextYearSerializer,
        responses={201: s.OperationalPlanSerializer},
        url_path="next-year",
    )
    def next_year(self, request: Request, *args, **kwargs) -> Response:
        plan = self.get_object()
        data = self.payload(s.NextYearSerializer)
        new = plans.plan_prepare_next(actor=request.user, plan=plan, **data)
        return self.answer(new, status.HTTP_201_CREATED)

    @reading(
        gettext_lazy(
            "Compare two states of the plan: two revisions, or a revision and the open draft"
        ),
        description=gettext_lazy(
            "Actions are matched by identity, so an edited or moved action is changed, never "
            "removed and added. With download=xlsx the answer is the comparison as a spreadsheet."
        ),
        parameters=[s.CompareQuerySerializer],
        responses={
            (200, "application/json"): s.CompareSerializer,
            **files(gettext_lazy("With download=xlsx."), XLSX),
        },
    )
    def compare(self, request: Request, *args, **kwargs) -> Response | HttpResponse:
        plan = self.get_object()
        query = s.CompareQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        a, b = query.validated_data["a"], query.validated_data["b"]
        old_label, old = side(plan, "a", a)
        new_label, new = side(plan, "b", b)
        diff = compare(old, new)
        if query.validated_data.get("download") == "xlsx":
            response = HttpResponse(
                diff_xlsx(diff, f"{plan}: {old_label} → {new_label}"), content_type=XLSX
            )
            name = f"plan-{plan.year}-{a}-{b}.xlsx"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        data = {"a": old_label, "b": new_label} | vars(diff)
        return Response(s.CompareSerializer(data).data)


@docs(
    list=_("List actions of operational plans"),
    retrieve=_("Get an action"),
    create=_("Add an action to a draft or returned plan (planner)"),
    partial_update=_("Change an action (planner)"),
    destroy=_("Delete an action; the others of its indicator or task close up (planner)"),
)
class ActionViewSet(StepsMixin, ServiceViewSet, viewsets.ModelViewSet):
    """Actions, the rows of the operational plan: each under an indicator (Section I) or a task
    from the regulation (Section II), in its order there. The layout of a plan numbers them."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = ACTIONS.order_by("plan_id", "indicator_id", "task_id", "position", "pk")
    serializer_class = s.ActionSerializer
    query_filters = {
        **body_and_plan("plan", _("Only the actions of this operational plan (id).")),
        "unit": RowsFilter("pk__in", UNIT_PARAMETER.description, rows=involving),
    }
    services = Services("action", plans.action_create, plans.action_update, plans.action_delete)

    @step(
        _("Move an action up or down among those of its indicator or task (planner)"),
        request=s.ActionMoveSerializer,
    )
    def move(self, request: Request, *args, **kwargs) -> Response:
        return self.call(plans.action_move, "action", s.ActionMoveSerializer)


@docs(
    list=_("List proposals (a unit's executors and head see their units' only)"),
    retrieve=_("Get a proposal"),
    create=_("Propose an action for your unit (executor, unit head)"),
    partial_update=_("Change a draft proposal of your unit (executor, unit head)"),
    destroy=_("Delete a draft proposal of your unit (executor, unit head)"),
)
class ProposalViewSet(StepsMixin, ServiceViewSet, viewsets.ModelViewSet):
    """The units' proposals for the plan (R5). Work in progress is seen by its unit and by the
    body-wide roles; an executor or unit head sees only their own units' proposals."""

    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    queryset = (
        Proposal.objects.select_related("lead_unit", "completion_form")
        .prefetch_related(
            "budget_programs",
            "co_executors",
            Prefetch("actions", Action.objects.only("id", "plan_id", "proposal_id")),
        )
        .order_by("plan_id", "pk")
    )
    serializer_class = s.ProposalSerializer
    query_filters = {
        **body_and_plan("plan", _("Only the proposals for this operational plan (id).")),
        "unit": Filter("unit", _("Only the proposals of this unit (id).")),
        "status": status_filter(_("Only the proposals in this status."), ProposalStatus),
    }
    services = Services(
        "proposal", plans.proposal_create, plans.proposal_update, plans.proposal_delete
    )

    @step(_("Sign the proposal off (head of the unit)"), request=s.ProposalSignSerializer)
    def sign(self, request: Request, *args, **kwargs) -> Response:
        return self.call(plans.proposal_sign, "proposal", s.ProposalSignSerializer)

    @step(
        _("Return the draft to its executor with what to change (head of the unit)"),
        request=s.ProposalReturnSerializer,
        url_path="return",
    )
    def return_to_executor(self, request: Request, *args, **kwargs) -> Response:
        return self.call(plans.proposal_return, "proposal", s.ProposalReturnSerializer)

    @step(_("Send the returned proposal to the head again (executor)"))
    def resubmit(self, request: Request, *args, **kwargs) -> Response:
        return self.call(plans.proposal_resubmit, "proposal")

    @step(
        _("Accept a signed-off proposal into the plan, possibly edited (planner)"),
        request=s.ProposalAcceptSerializer,
        responses={201: s.ActionSerializer},
    )
    def accept(self, request: Request, *args, **kwargs) -> Response:
        proposal = self.get_object()
        edits = self.payload(s.ProposalAcceptSerializer, partial=True)
        made = plans.proposal_accept(actor=request.user, proposal=proposal, **edits)
        made = visible(request.user, ACTIONS).get(pk=made.pk)
        data = s.ActionSerializer(made, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_201_CREATED)

    @step(
        _("Decline a signed-off proposal with a reason the unit sees (planner)"),
        request=s.ProposalDeclineSerializer,
    )
    def decline(self, request: Request, *args, **kwargs) -> Response:
        return self.call(plans.proposal_decline, "proposal", s.ProposalDeclineSerializer)


@docs(
    list=_("List the forms of completion: the shared ones and those of your bodies"),
    retrieve=_("Get a form of completion"),
    create=_("Add a form of completion to a body's list (administrator)"),
)
class CompletionFormViewSet(ReadCreateViewSet):
    """The reference list for "Form of completion": shared forms (no body) and each body's own."""

    queryset = CompletionForm.objects.order_by(
        F("body_id").asc(nulls_first=True), "order", "name", "pk"
    )
    serializer_class = s.CompletionFormSerializer
    query_filters = {
        "body": RowsFilter(
            "pk__in",
            _("The shared forms and those of this state body (id)."),
            rows=lambda body: CompletionForm.objects.filter(Q(body=None) | Q(body=body)),
        )
    }
    services = Services("form", plans.completion_form_create)


@docs(
    list=_("List the tasks set by the regulations of bodies"),
    retrieve=_("Get a task from the regulation"),
    create=_("Add a task from the body's regulation (planner)"),
    update=_("Change a task from the regulation (planner)"),
    partial_update=_("Change some fields of a task from the regulation (planner)"),
)
class RegulationTaskViewSet(ReadWriteViewSet):
    """Tasks set by the regulation on the state body: the anchors of Section II of the plan."""

    queryset = RegulationTask.objects.order_by("body_id", "number", "pk")
    serializer_class = s.RegulationTaskSerializer
    query_filters = {"body": BODY_FILTER}
    services = Services("task", plans.task_create, plans.task_update)


REVISION_ACTIONS = RevisionAction.objects.select_related("lead_unit", "completion_form").order_by(
    "number"
)


@docs(
    list=gettext_lazy("List the approved revisions of operational plans"),
    retrieve=gettext_lazy("Get an approved revision with its actions as they were approved"),
)
class RevisionViewSet(ReadViewSet):
    """Approved revisions of operational plans (R18): every approval freezes the plan as the
    next numbered revision, with its basis; a revision never changes afterwards."""

    queryset = Revision.objects.select_related("approved_by").order_by("plan_id", "number")
    serializer_class = s.RevisionSerializer
    query_filters = body_and_plan(
        "plan", gettext_lazy("Only the revisions of this operational plan (id).")
    )

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(Prefetch("actions", REVISION_ACTIONS))
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.RevisionDetailSerializer
        return s.RevisionSerializer
