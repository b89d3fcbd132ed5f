"""The REST API of the development plan: the plan, its amendments, directions, goals and
indicators. Reads show the rows of the user's bodies; writes call the services."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from jospar.api.base import (
    Services,
    ServiceViewSet,
    WorkbookImportView,
    docs,
    import_docs,
)
from jospar.api.filters import BODY_FILTER, Filter, body_and_plan
from jospar.api.viewsets import ReadWriteViewSet
from jospar.orgs.models import StateBody
from jospar.orgs.policy import Perm
from jospar.strategy import serializers as s
from jospar.strategy import services as strategy
from jospar.strategy.models import Amendment, DevelopmentPlan, Goal, Indicator, StrategicDirection
from jospar.strategy.workbook import plan_changes, read_workbook


def plan_filters(path: str = "") -> dict[str, Filter]:
    """`body` and `plan` filters of an object that reaches its plan through `path`."""
    return body_and_plan(f"{path}plan", _("Only the objects of this development plan (id)."))


@docs(
    list=_("List development plans"),
    retrieve=_("Get a development plan"),
    create=_("Add a development plan to a body (planner)"),
    update=_("Change a development plan (planner)"),
    partial_update=_("Change some fields of a development plan (planner)"),
)
class DevelopmentPlanViewSet(ReadWriteViewSet):
    """Development plans of bodies: the period and signing date (R2–R4)."""

    queryset = DevelopmentPlan.objects.order_by("body_id", "-start_year", "pk")
    serializer_class = s.DevelopmentPlanSerializer
    query_filters = {"body": BODY_FILTER}
    services = Services("plan", strategy.development_plan_create, strategy.development_plan_update)


@docs(
    list=_("List amendments of development plans"),
    retrieve=_("Get an amendment"),
    create=_("Record an amendment of a development plan (planner)"),
    update=_("Change an amendment (planner)"),
    partial_update=_("Change some fields of an amendment (planner)"),
    destroy=_("Delete an amendment (planner)"),
)
class AmendmentViewSet(ServiceViewSet, viewsets.ModelViewSet):
    """Amendments of a development plan: when it was amended and what changed."""

    queryset = Amendment.objects.order_by("plan_id", "signed_on", "pk")
    serializer_class = s.AmendmentSerializer
    query_filters = plan_filters()
    services = strategy.AMENDMENTS


@docs(
    list=_("List strategic directions"),
    retrieve=_("Get a strategic direction"),
    create=_("Add a strategic direction to a development plan (planner)"),
    update=_("Change a strategic direction (planner)"),
    partial_update=_("Change some fields of a strategic direction (planner)"),
    destroy=_("Delete a strategic direction with its goals and indicators (planner)"),
)
class StrategicDirectionViewSet(ServiceViewSet, viewsets.ModelViewSet):
    """Strategic directions of a development plan."""

    queryset = StrategicDirection.objects.order_by("plan_id", "number", "pk")
    serializer_class = s.StrategicDirectionSerializer
    query_filters = plan_filters()
    services = strategy.DIRECTIONS


@docs(
    list=_("List goals"),
    retrieve=_("Get a goal"),
    create=_("Add a goal to a strategic direction (planner)"),
    update=_("Change a goal (planner)"),
    partial_update=_("Change some fields of a goal (planner)"),
    destroy=_("Delete a goal with its target indicators (planner)"),
)
class GoalViewSet(ServiceViewSet, viewsets.ModelViewSet):
    """Goals of strategic directions, numbered "direction.goal" (1.1, 2.1 …)."""

    queryset = Goal.objects.select_related("direction").order_by(
        "direction__plan_id", "direction__number", "number", "pk"
    )
    serializer_class = s.GoalSerializer
    query_filters = plan_filters("direction__") | {
        "direction": Filter("direction", _("Only the goals of this strategic direction (id)."))
    }
    services = strategy.GOALS


@docs(
    list=_("List macro and target indicators with their planned values"),
    retrieve=_("Get an indicator with its planned values"),
    create=_("Add a macro indicator (to a direction) or a target indicator (to a goal) (planner)"),
    update=_("Change an indicator; the values given replace the planned values (planner)"),
    partial_update=_("Change some fields of an indicator (planner)"),
    destroy=_("Delete an indicator (planner)"),
)
class IndicatorViewSet(ServiceViewSet, viewsets.ModelViewSet):
    """Macro indicators (of a direction) and target indicators (of a goal) with the
    planned value for each year of the plan period."""

    queryset = Indicator.objects.prefetch_related("values").order_by(
        "plan_id", "kind", "number", "pk"
    )
    serializer_class = s.IndicatorSerializer
    query_filters = plan_filters() | {
        "kind": Filter("kind", _("Macro or target indicators only."), tuple(Indicator.Kind.values)),
        "direction": Filter("direction", _("Only the macro indicators of this direction (id).")),
        "goal": Filter("goal", _("Only the target indicators of this goal (id).")),
    }
    services = strategy.INDICATORS


class DevelopmentPlanImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("The workbook (.xlsx) laid out as Jospar's development plan template.")
    )
    dry_run = serializers.BooleanField(
        default=False, help_text=_("Only read the file and report; write nothing.")
    )
    amendment_signed_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("The signing date of the amendment: required when the file changes a plan."),
    )
    amendment_document = serializers.CharField(
        required=False, allow_blank=True, max_length=255, help_text=_("The amending document.")
    )


IMPORT_REPORT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=_(
        "The report: ok, problems (sheet, row, column, message), rows (row, level, code, "
        "status: created, updated or unchanged), created, updated, unchanged, amends (the "
        "import is recorded as an amendment), kept (stored rows the file does not list); "
        "after an import also plan and amendment (ids)."
    ),
)


def _report(reading, changes) -> dict:
    problems = reading.problems + (changes.problems if changes else [])
    report = {"ok": not problems, "problems": [p.as_dict() for p in problems]}
    if changes is None:
        return report
    return report | {
        "rows": [
            {"row": i.row, "level": i.level, "code": i.code, "status": i.status}
            for i in reading.items
        ],
        **{status: changes.count(status) for status in ("created", "updated", "unchanged")},
        "amends": changes.amends,
        "kept": changes.kept,
    }


@import_docs(
    summary=_("Import a development plan from a workbook (XLSX), or a dry run"),
    description=_(
        "Directions, goals, macro and target indicators with their units of measure, "
        "baselines and yearly values; matched to the stored plan of the same first year by "
        "level and code. All of it or nothing. A file that changes a stored plan is "
        "recorded as an amendment and needs amendment_signed_on."
    ),
    report=IMPORT_REPORT,
)
class DevelopmentPlanImportView(WorkbookImportView):
    """Import a body's development plan from a workbook (the body's planner)."""

    queryset = StateBody.objects.all()
    serializer_class = DevelopmentPlanImportSerializer
    perm = Perm.EDIT_STRATEGY

    def read(self, body: StateBody, data: dict):
        reading = read_workbook(data["file"])
        changes = plan_changes(reading, body) if reading.ok else None
        return _report(reading, changes), reading

    def write(self, body: StateBody, data: dict, reading, report: dict) -> Response:
        changes = strategy.development_plan_import(
            actor=self.request.user,
            body=body,
            reading=reading,
            amendment_signed_on=data.get("amendment_signed_on"),
            amendment_document=data.get("amendment_document", ""),
        )
        amendment = changes.amendment.pk if changes.amendment else None
        return Response(
            report | {"plan": changes.plan.pk, "amendment": amendment},
            status=status.HTTP_201_CREATED if changes.changed else status.HTTP_200_OK,
        )
