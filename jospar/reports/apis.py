"""The REST API of the quarterly report (R15–R16) and the officials' decisions (R17): the monitor
compiles the report, writes recommendations on it and on each action, recommends amendments of
the plan and submits it by the 15th; a planner turns an recommendation into a change of a draft
adjustment (R18); an official records decisions that the assigned units follow up.

The report and its recommendations are the body-wide roles' work; a unit's executors and head
see only the decisions assigned to their units (jospar.orgs.visibility decides). Every write
calls jospar.reports.services."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.request import Request
from rest_framework.response import Response

from jospar.api.base import Services, ServiceViewSet, StepsMixin, docs, open_step, step
from jospar.api.filters import Filter, body_and_plan, status_filter
from jospar.api.viewsets import ReadCreateDeleteViewSet, ReadViewSet, ReadWriteViewSet
from jospar.plans.apis import RowsFilter
from jospar.plans.serializers import LayoutRow
from jospar.reports import models
from jospar.reports import serializers as s
from jospar.reports import services as reports
from jospar.reports.selectors import progress_seen_by, report_layout, report_summary


def report_details(report: models.Report) -> models.Report:
    """Put on the report what its full read shows: the rows as Appendix 2 lays them out and
    the summary. A fixed number of queries, whatever the number of actions."""
    layout = report_layout(report)
    report.layout = [LayoutRow.of(row) for row in layout]
    report.summary = report_summary(report, layout)
    return report


REPORTS = models.Report.objects.select_related(
    "plan__body", "plan__development_plan", "revision", "monitoring_unit", "submitted_by"
).order_by("plan__body_id", "plan__year", "quarter", "pk")
DETAIL = s.ReportDetailSerializer


@docs(
    list=_("List the quarterly reports (the body-wide roles)"),
    retrieve=_("Get a quarterly report with its summary and its rows as Appendix 2 lays them out"),
)
class ReportViewSet(StepsMixin, ReadViewSet):
    """The monitor's quarterly reports on the implementation of the plan (R15–R16): compiled
    from the units' accepted information, with recommendations to the officials and on each
    action, submitted by the 15th of the month after the quarter and frozen from then on."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = REPORTS
    serializer_class = s.ReportSerializer
    query_filters = {
        **body_and_plan("plan", _("Only the reports on this operational plan (id).")),
        "quarter": Filter("quarter", _("Only the reports for this quarter (1–4).")),
        "status": status_filter(_("Only the reports in this status."), models.ReportStatus),
    }

    def get_serializer_class(self):
        return s.ReportSerializer if self.action == "list" else DETAIL

    def with_details(self, report: models.Report) -> models.Report:
        return report_details(report)

    @extend_schema(
        summary=_(
            "Write the recommendations to the officials or name the unit responsible for the "
            "report (monitor)"
        ),
        description=_("Refused once the report is submitted. A field not given stays."),
        request=s.ReportUpdateSerializer,
        responses=DETAIL,
    )
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        report = self.get_object()
        data = self.payload(s.ReportUpdateSerializer, instance=report, partial=True)
        return self.answer(reports.report_update(actor=request.user, report=report, **data))

    compile_report = open_step(
        models.Report,
        reports.report_compile,
        s.ReportCompileSerializer,
        DETAIL,
        url_path="compile",
        summary=_(
            "Compile the report for a quarter that has started, or compile it again (monitor)"
        ),
        description=_(
            "Fills the columns of every action of the plan in force from the units' accepted "
            "information; what the monitor wrote stays. Refused once the report is submitted. "
            "Compiling again answers 200, a first compilation 201."
        ),
    )

    @step(
        _("Submit the report to the officials (monitor); it is frozen from then on"),
        description=_(
            "Lateness against R15 (the 15th of the month after the quarter) is recorded. "
            "Where the body uses the digital signature for the report, `cms` signs it."
        ),
        request=s.ReportSubmitSerializer,
        responses=DETAIL,
    )
    def submit(self, request: Request, *args, **kwargs) -> Response:
        return self.call(reports.report_submit, "report", s.ReportSubmitSerializer)


@docs(retrieve=_("Get one action of a quarterly report in the columns of Appendix 2"))
class ReportRowViewSet(StepsMixin, ServiceViewSet, mixins.RetrieveModelMixin):
    """The actions of a report (GET reports/{id}/ lists them under their headings). The
    monitor writes a recommendation on each while the report is in preparation."""

    http_method_names = ["get", "patch", "head", "options"]
    queryset = models.ReportRow.objects.select_related("planned", "report").order_by(
        "report_id", "pk"
    )
    serializer_class = s.ReportRowSerializer

    def with_details(self, row: models.ReportRow) -> models.ReportRow:
        row.amendment_list = list(
            row.report.amendments.filter(action_id=row.action_id).select_related("lead_unit")
        )
        return row

    @extend_schema(
        summary=_("Write the recommendation on one action (monitor)"),
        description=_("Refused once the report is submitted."),
        request=s.RowRecommendationSerializer,
        responses=s.ReportRowSerializer,
    )
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        row = self.get_object()
        data = self.payload(s.RowRecommendationSerializer)
        saved = reports.row_recommend(
            actor=request.user,
            row=row,
            text=data["recommendation"],
            version=data.get("version"),
        )
        return self.answer(saved)


@docs(
    list=_("List the recommendations to amend the plan (the body-wide roles)"),
    retrieve=_("Get a recommendation to amend the plan"),
    create=_("Recommend an amendment of the plan in a report in preparation (monitor)"),
    destroy=_("Delete a recommendation from a report in preparation (monitor)"),
)
class AmendmentRecommendationViewSet(StepsMixin, ReadCreateDeleteViewSet):
    """Recommendations to amend the plan (R16), each about one action of the report (a new
    term, executor or wording, or its removal) or a new action. Once the report is submitted a
    planner applies one: it becomes a change of the plan's draft adjustment (R18), and the
    recommendation and the adjustment name each other."""

    http_method_names = ["get", "post", "delete", "head", "options"]
    queryset = models.AmendmentRecommendation.objects.select_related(
        "lead_unit", "completion_form"
    ).order_by("report_id", "pk")
    serializer_class = s.AmendmentRecommendationSerializer
    query_filters = {
        **body_and_plan(
            "report__plan", _("Only the recommendations on this operational plan (id).")
        ),
        "report": Filter("report", _("Only the recommendations of this report (id).")),
        "applied_plan": Filter(
            "applied_plan",
            _("Only the recommendations applied to the adjustment of this operational plan (id)."),
        ),
    }
    services = Services(
        "recommendation",
        reports.amendment_recommendation_create,
        delete=reports.amendment_recommendation_delete,
    )

    @step(
        _("Apply the recommendation: make the change in the plan's adjustment (planner)"),
        description=_(
            "The report must be submitted. Opens an adjustment on the basis of monitoring if "
            "the plan is approved, or adds to the one that is open; the answer names the plan "
            "(applied_plan), the revision the adjustment becomes and the action changed or "
            "created. Nothing is changed when any part of it is refused."
        ),
    )
    def apply(self, request: Request, *args, **kwargs) -> Response:
        return self.call(reports.amendment_recommendation_apply, "recommendation")


def open_or_done(value: str) -> QuerySet:
    decisions, done = models.Decision.objects, models.DecisionStatus.DONE
    return decisions.exclude(status=done) if value == "true" else decisions.filter(status=done)


# The units' notes are prefetched per user, in get_queryset: each unit sees its own.
DECISIONS = (
    models.Decision.objects.select_related("report__plan", "decided_by")
    .prefetch_related("units")
    .order_by("report__plan__year", "report__quarter", "pk")
)


@docs(
    list=_("List decisions (a unit's executors and head see those assigned to their units)"),
    retrieve=_("Get a decision with the units' progress on it"),
    create=_("Record a decision on a submitted report (official)"),
    partial_update=_("Change a decision or close it (official)"),
)
class DecisionViewSet(StepsMixin, ReadWriteViewSet):
    """The officials' decisions on the reports (R17), each assigned to units with a due date.
    The units say what they have done; a decision not yet done stays open in the later
    reports."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = DECISIONS
    serializer_class = s.DecisionSerializer
    query_filters = {
        **body_and_plan(
            "report__plan", _("Only the decisions on this operational plan's reports.")
        ),
        "report": Filter("report", _("Only the decisions on this report (id).")),
        "unit": Filter("units", _("Only the decisions assigned to this unit (id).")),
        "status": status_filter(_("Only the decisions in this status."), models.DecisionStatus),
        "open": RowsFilter(
            "pk__in",
            _("true: only the decisions not yet done; false: only those done."),
            ("true", "false"),
            rows=open_or_done,
        ),
    }
    services = Services("decision", reports.decision_create, reports.decision_update)

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().prefetch_related(progress_seen_by(self.request.user))

    @step(
        _("Say what your unit has done on a decision assigned to it (executor, unit head)"),
        description=_("The decision takes the status you give; done closes it."),
        request=s.DecisionProgressWriteSerializer,
        responses={201: s.DecisionSerializer},
    )
    def progress(self, request: Request, *args, **kwargs) -> Response:
        decision = self.get_object()
        data = self.payload(s.DecisionProgressWriteSerializer)
        reports.decision_progress_add(actor=request.user, decision=decision, **data)
        data = self.get_serializer(self.reread(decision)).data
        return Response(data, status=status.HTTP_201_CREATED)
