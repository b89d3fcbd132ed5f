"""The REST API of the legal forms: an operational plan as Appendix 1 (any revision or the
working draft) and a quarterly report as Appendix 2, in XLSX, DOCX or PDF, in Kazakh, Russian
or English — the same files the download pages give.

And the XLSX import: upload an Appendix 1 workbook into an operational plan, as a dry run
(what would be created, every problem by row and column) or for real. The answer is the
report the import page shows, as JSON; problems answer 400 and write nothing. Writes go
through jospar.documents.importer.plan_import."""

from collections.abc import Callable

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from jospar.api.base import (
    ReadOnlyModelSerializer,
    ServiceViewSet,
    WorkbookImportView,
    files,
    import_docs,
)
from jospar.documents.appendices import (
    CONTENT_TYPES,
    FORMATS,
    LANGUAGES,
    ExportError,
    plan_form_file,
    report_form_file,
)
from jospar.documents.export_views import current_language, file_response
from jospar.documents.importer import MAX_MB, parse_plan_xlsx, plan_import, plan_import_check
from jospar.documents.job_views import job_file_response
from jospar.documents.models import ExportJob
from jospar.documents.selectors import may_export
from jospar.documents.services import export_job_start, export_size, in_background
from jospar.orgs.policy import Perm, require
from jospar.orgs.visibility import in_bodies, sees_all
from jospar.plans.models import OperationalPlan
from jospar.reports.models import Report


class FileNegotiation(BaseContentNegotiation):
    """The answer is a file whatever the client accepts; errors are JSON. (DRF's own
    negotiation would also read `format` from the query string, where it names the file's
    format.)"""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class FileQuerySerializer(serializers.Serializer):
    format = serializers.ChoiceField(
        FORMATS, default="xlsx", help_text=_("The file format: xlsx, docx or pdf.")
    )
    lang = serializers.ChoiceField(
        LANGUAGES,
        default=current_language,
        help_text=_("The language of the form: kk, ru or en; by default the request's."),
    )


class FormQuerySerializer(FileQuerySerializer):
    revision = serializers.RegexField(
        r"^(\d+|draft)$",
        required=False,
        help_text=_(
            "An approved revision's number, or “draft” for the working draft of an open "
            "adjustment; by default the revision in force (the draft before the first approval)."
        ),
    )


class ExportJobSerializer(ReadOnlyModelSerializer):
    """A form made in the background, as its requester polls it."""

    status_display = serializers.CharField(source="get_status_display", read_only=True)
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    download_url = serializers.SerializerMethodField(
        help_text=_("Where to download the file once the status is “done”; null before.")
    )
    message = serializers.SerializerMethodField(
        help_text=_("What went wrong, in the request's language, when the status is “failed”.")
    )

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "kind",
            "plan",
            "report",
            "revision",
            "file_format",
            "language",
            "actions",
            "status",
            "status_display",
            "stage",
            "stage_display",
            "progress",
            "filename",
            "size",
            "created_at",
            "finished_at",
            "expires_at",
            "download_url",
            "message",
        ]

    def get_download_url(self, job: ExportJob) -> str | None:
        if not job.ready:
            return None
        url = reverse("api-export-job-file", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def get_message(self, job: ExportJob) -> str | None:
        if job.status == "failed":
            return gettext("The file could not be prepared. Try again, or ask the administrator.")
        if job.expired:
            return gettext("The file has expired; ask for the form again.")
        return None


FORM_FILES = files(_("The form's file."), *CONTENT_TYPES.values())
FILE_RESPONSES = FORM_FILES | {
    202: OpenApiResponse(
        ExportJobSerializer,
        description=_(
            "A PDF or DOCX of more actions than the server's threshold is prepared in the "
            "background: the answer is the export job, and its `Location` header the job to "
            "poll until its status is “done” (then download `download_url`)."
        ),
    )
}
LOCATION = OpenApiParameter(
    "Location",
    OpenApiTypes.URI,
    OpenApiParameter.HEADER,
    response=[202],
    description=_("The export job to poll."),
)


def form_docs(summary: str, query: type[serializers.Serializer]) -> Callable[[type], type]:
    """The schema of a form's download: its summary, its query string and the files."""
    return extend_schema_view(
        retrieve=extend_schema(
            summary=summary, parameters=[query, LOCATION], responses=FILE_RESPONSES
        )
    )


class FormFileViewSet(ServiceViewSet):
    """A legal form as a file: JSON only for errors, no pages. Anyone who may view the object
    reads it, unless `check` refuses; `query_class` reads the query string."""

    renderer_classes = [JSONRenderer]
    content_negotiation_class = FileNegotiation
    pagination_class = None
    query_class: type[serializers.Serializer]

    def retrieve(self, request: Request, *args, **kwargs) -> HttpResponse:
        obj = self.get_object()
        require(request.user, Perm.VIEW, obj)
        self.check(obj)
        query = self.query_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        if in_background(data["format"], self.size(obj, data)):
            job = self.start(obj, data)
            answer = Response(
                ExportJobSerializer(job, context={"request": request}).data,
                status=status.HTTP_202_ACCEPTED,
            )
            answer["Location"] = request.build_absolute_uri(
                reverse("api-export-job-detail", args=[job.pk])
            )
            return answer
        return file_response(self.file(obj, data))

    def check(self, obj) -> None:
        """Refuse what viewing the object alone does not allow (nothing by default)."""

    def size(self, obj, query: dict) -> int:
        """How many actions the form lists."""
        raise NotImplementedError

    def start(self, obj, query: dict) -> ExportJob:
        """Queue the form for the worker."""
        raise NotImplementedError

    def file(self, obj, query: dict):
        """The form's file for the checked query string."""
        raise NotImplementedError


@form_docs(_("Download an operational plan as Appendix 1 (XLSX, DOCX or PDF)"), FormQuerySerializer)
class PlanFormViewSet(FormFileViewSet):
    """Appendix 1 of an operational plan as a file (anyone who may view the plan)."""

    queryset = OperationalPlan.objects.select_related("body")
    query_class = FormQuerySerializer

    def size(self, plan: OperationalPlan, query: dict) -> int:
        try:
            return export_size(plan=plan, revision=query.get("revision"))
        except ExportError as error:
            raise exceptions.ValidationError({"revision": [str(error)]}) from None

    def start(self, plan: OperationalPlan, query: dict) -> ExportJob:
        return export_job_start(
            actor=self.request.user,
            plan=plan,
            revision=query.get("revision"),
            file_format=query["format"],
            language=query["lang"],
        )

    def file(self, plan: OperationalPlan, query: dict):
        try:
            return plan_form_file(
                plan,
                revision=query.get("revision"),
                file_format=query["format"],
                language=query["lang"],
            )
        except ExportError as error:
            raise exceptions.ValidationError({"revision": [str(error)]}) from None


@form_docs(_("Download a quarterly report as Appendix 2 (XLSX, DOCX or PDF)"), FileQuerySerializer)
class ReportFormViewSet(FormFileViewSet):
    """Appendix 2 of a quarterly report as a file: like the report's page, for the body-wide
    roles only (a unit's executor or head gets a 403)."""

    queryset = Report.objects.select_related("plan__body")
    query_class = FileQuerySerializer

    def get_queryset(self):
        """Any report of the user's bodies: one the user may not see is a 403, not a 404."""
        return in_bodies(self.request.user, self.queryset.all())

    def check(self, report: Report) -> None:
        if not sees_all(self.request.user, Report, report.plan.body_id):
            raise exceptions.PermissionDenied

    def size(self, report: Report, query: dict) -> int:
        return export_size(report=report)

    def start(self, report: Report, query: dict) -> ExportJob:
        return export_job_start(
            actor=self.request.user,
            report=report,
            file_format=query["format"],
            language=query["lang"],
        )

    def file(self, report: Report, query: dict):
        return report_form_file(report, file_format=query["format"], language=query["lang"])


@extend_schema_view(
    retrieve=extend_schema(
        summary=_("An export job: its status and progress, and the download once it is done")
    ),
    file=extend_schema(
        summary=_("Download the file of a finished export job"),
        responses={
            **FORM_FILES,
            409: OpenApiResponse(
                ExportJobSerializer, description=_("The file is not ready yet, or it failed.")
            ),
            410: OpenApiResponse(
                ExportJobSerializer,
                description=_("The file was kept for the set time and has been deleted."),
            ),
        },
    ),
)
class ExportJobViewSet(mixins.RetrieveModelMixin, ServiceViewSet):
    """The caller's own export jobs (a large PDF or DOCX form made in the background): only the
    person who asked, and only while they may still export what it is of."""

    queryset = ExportJob.objects.select_related("body", "plan__body", "report__plan__body")
    serializer_class = ExportJobSerializer
    pagination_class = None

    def get_queryset(self):
        return self.queryset.filter(requester_id=self.request.user.pk)

    def get_object(self) -> ExportJob:
        job = super().get_object()
        if not may_export(self.request.user, job):
            raise Http404
        return job

    @action(detail=True, methods=["get"], url_path="file", renderer_classes=[JSONRenderer])
    def file(self, request: Request, *args, **kwargs) -> HttpResponse:
        job = self.get_object()
        if job.expired:
            return Response(self.get_serializer(job).data, status=status.HTTP_410_GONE)
        if not job.ready:
            return Response(self.get_serializer(job).data, status=status.HTTP_409_CONFLICT)
        return job_file_response(job)


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=lazy(  # worded when the schema is made, not when the module is imported
            lambda: (
                gettext(
                    "The workbook (.xlsx, .xls or .ods) in the Appendix 1 layout, "
                    "at most %(mb)s MB."
                )
                % {"mb": MAX_MB}
            ),
            str,
        )()
    )
    dry_run = serializers.BooleanField(
        default=False, help_text=_("Only read the file and report; write nothing.")
    )
    replace = serializers.BooleanField(
        default=False,
        help_text=_("Delete the draft's actions first; without it the plan must have none."),
    )


REPORT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=_(
        "The report: ok, sheet, header_row, actions (how many), new_tasks, rows (headings and "
        "actions as read, with their row numbers), problems and warnings (row, column, "
        "message); after an import also created (how many actions)."
    ),
)


@import_docs(
    summary=_("Import an operational plan from an Appendix 1 workbook (XLSX), or a dry run"),
    description=_(
        "Headings in Kazakh, Russian or English are recognised; directions, goals and "
        "indicators are matched to the development plan by number and name, executors to "
        "the body's units, budget programs by code. All actions are created or none."
    ),
    report=REPORT,
)
class PlanImportView(WorkbookImportView):
    """Import an operational plan from XLSX (the body's planner; the plan a draft or returned)."""

    queryset = OperationalPlan.objects.select_related("body", "development_plan")
    serializer_class = ImportSerializer
    perm = Perm.EDIT_PLAN

    def read(self, plan: OperationalPlan, data: dict):
        result = parse_plan_xlsx(data["file"], plan=plan)
        # A dry run refuses what the import would: a plan that is not a draft, or its actions.
        plan_import_check(result, plan=plan, replace=data["replace"])
        return result.as_dict(), result

    def write(self, plan: OperationalPlan, data: dict, result, report: dict) -> Response:
        created = plan_import(
            actor=self.request.user, plan=plan, result=result, replace=data["replace"]
        )
        return Response(report | {"created": len(created)}, status=status.HTTP_201_CREATED)
