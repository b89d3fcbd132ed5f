"""The REST API of the legal forms: an operational plan as Appendix 1 (any revision or the
working draft) and a quarterly report as Appendix 2, in XLSX, DOCX or PDF, in Kazakh, Russian
or English — the same files the download pages give."""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request

from jospar.api.base import ServiceViewSet
from jospar.documents.export_views import current_language, file_response
from jospar.documents.forms import (
    CONTENT_TYPES,
    FORMATS,
    LANGUAGES,
    ExportError,
    plan_form_file,
    report_form_file,
)
from jospar.orgs.policy import Perm, require, sees_whole_body
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


FILE_RESPONSES = {
    (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description=_("The form's file."))
    for content_type in CONTENT_TYPES.values()
}


class PlanFormViewSet(ServiceViewSet):
    """Appendix 1 of an operational plan as a file (anyone who may view the plan)."""

    queryset = OperationalPlan.objects.select_related("body")
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FileNegotiation
    pagination_class = None

    @extend_schema(
        summary=_("Download an operational plan as Appendix 1 (XLSX, DOCX or PDF)"),
        parameters=[FormQuerySerializer],
        responses=FILE_RESPONSES,
    )
    def retrieve(self, request: Request, *args, **kwargs) -> HttpResponse:
        plan = self.get_object()
        require(request.user, Perm.VIEW, plan)
        query = FormQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            file = plan_form_file(
                plan,
                revision=query.validated_data.get("revision"),
                file_format=query.validated_data["format"],
                language=query.validated_data["lang"],
            )
        except ExportError as error:
            raise exceptions.ValidationError({"revision": [str(error)]}) from None
        return file_response(file)


class ReportFormViewSet(ServiceViewSet):
    """Appendix 2 of a quarterly report as a file: like the report's page, for the body-wide
    roles only (a unit's executor or head gets a 403)."""

    queryset = Report.objects.select_related("plan__body")
    renderer_classes = [JSONRenderer]
    content_negotiation_class = FileNegotiation
    pagination_class = None

    @extend_schema(
        summary=_("Download a quarterly report as Appendix 2 (XLSX, DOCX or PDF)"),
        parameters=[FileQuerySerializer],
        responses=FILE_RESPONSES,
    )
    def retrieve(self, request: Request, *args, **kwargs) -> HttpResponse:
        report = self.get_object()
        require(request.user, Perm.VIEW, report)
        if not sees_whole_body(request.user, report.plan.body_id):
            raise exceptions.PermissionDenied
        query = FileQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        file = report_form_file(
            report,
            file_format=query.validated_data["format"],
            language=query.validated_data["lang"],
        )
        return file_response(file)
