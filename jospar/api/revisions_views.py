"""The REST API of the plan's revisions and adjustments (R18): start an adjustment with its
basis, read the approved revisions (which never change) and compare two states of the plan,
as JSON or as the XLSX the comparison page downloads. Writes call jospar.plans.services."""

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from jospar.api import plans_views
from jospar.api import revisions_serializers as s
from jospar.api.base import BODY_FILTER, Filter, ServiceViewSet
from jospar.api.views import docs
from jospar.plans import services as plans
from jospar.plans.diff import Entry, compare, diff_xlsx, draft_entries, revision_entries
from jospar.plans.models import OperationalPlan, Revision, RevisionAction

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DRAFT = "draft"


def side(plan: OperationalPlan, name: str, value: str) -> tuple[str, list[Entry]]:
    """A side of a comparison: a revision number, or "draft" for the open working copy."""
    if value == DRAFT:
        return _("draft"), draft_entries(plan)
    number = int(value)
    revision = plan.revisions.filter(number=number).first()
    if revision is None:
        raise exceptions.NotFound(
            {name: [_("The plan has no revision %(number)s.") % {"number": number}]}
        )
    return str(revision), revision_entries(revision)


class RevisionStepsMixin:
    """The operations of an operational plan on its revisions: the adjustment and the diff."""

    @extend_schema(
        summary=gettext_lazy(
            "Start an adjustment (R18): open a draft of the next revision with its basis (planner)"
        ),
        description=gettext_lazy(
            "Only an approved plan can be adjusted, and one adjustment at a time. The draft "
            "starts as the revision in force and goes through approval again."
        ),
        request=s.AdjustmentSerializer,
    )
    @action(detail=True, methods=["post"])
    def adjust(self, request: Request, *args, **kwargs) -> Response:
        plan = self.get_object()
        basis = self.payload(s.AdjustmentSerializer)
        return self.answer(plans.adjustment_start(actor=request.user, plan=plan, **basis))

    @extend_schema(
        summary=gettext_lazy(
            "Compare two states of the plan: two revisions, or a revision and the open draft"
        ),
        description=gettext_lazy(
            "Actions are matched by identity, so an edited or moved action is changed, never "
            "removed and added. With download=xlsx the answer is the comparison as a spreadsheet."
        ),
        parameters=[s.CompareQuerySerializer],
        responses={
            (200, "application/json"): s.CompareSerializer,
            (200, XLSX): OpenApiResponse(
                OpenApiTypes.BINARY, description=gettext_lazy("With download=xlsx.")
            ),
        },
    )
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
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


class OperationalPlanViewSet(RevisionStepsMixin, plans_views.OperationalPlanViewSet):
    """Operational plans: one per body per year (R2, R6), with the approval steps taken, their
    adjustments (R18) and the comparison of their revisions."""


ENTRIES = RevisionAction.objects.select_related("lead_unit", "completion_form").order_by("number")


@docs(
    list=gettext_lazy("List the approved revisions of operational plans"),
    retrieve=gettext_lazy("Get an approved revision with its actions as they were approved"),
)
class RevisionViewSet(ServiceViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Approved revisions of operational plans (R18): every approval freezes the plan as the
    next numbered revision, with its basis; a revision never changes afterwards."""

    queryset = Revision.objects.select_related("approved_by").order_by("plan_id", "number")
    serializer_class = s.RevisionSerializer
    query_filters = {
        "body": Filter("plan__body", BODY_FILTER.description),
        "plan": Filter("plan", gettext_lazy("Only the revisions of this operational plan (id).")),
    }

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(Prefetch("entries", ENTRIES))
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return s.RevisionDetailSerializer
        return s.RevisionSerializer
