"""The REST API of quarterly monitoring (R11–R14): the units' submissions, their entries with
optimistic locking, evidence files and indicator values, the head's sign-off, the monitor's
return, acceptance and reopening, and the monitor's board. A unit's work is seen by the unit
and by the body-wide roles; every write calls jospar.monitoring.services."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics, mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer

from jospar.api.base import (
    ServiceViewSet,
    StepsMixin,
    docs,
    download,
    open_step,
    service_exception_handler,
    step,
)
from jospar.api.filters import Filter, body_and_plan, status_filter
from jospar.api.viewsets import ReadViewSet
from jospar.lib.files import download_response
from jospar.monitoring import serializers as s
from jospar.monitoring import services as monitoring
from jospar.monitoring.models import Evidence, Submission, SubmissionEvent, SubmissionStatus
from jospar.monitoring.selectors import board, entry_problems, unit_quarter
from jospar.orgs.policy import Perm, require
from jospar.orgs.visibility import sees_all
from jospar.plans.models import OperationalPlan


def submission_details(submission: Submission) -> Submission:
    """Put on the submission what its full read shows: the actions the unit reports on with
    their entries, its indicators with their actual values and what blocks the sign-off.
    A fixed number of queries, whatever the number of actions."""
    items, indicators = unit_quarter(
        submission.plan, submission.unit, submission.quarter, submission
    )
    submission.due_actions = items
    submission.indicators = indicators
    submission.problems = entry_problems(items)
    return submission


def entry_fields(data: dict) -> dict:
    """A ProgressEntryWriteSerializer's data as the entry services' keyword arguments."""
    names = ("status", "actual", "reasons", "version")
    return {"action_id": data["action"], **{name: data[name] for name in names}}


def conflict_answer(detail: str, current: Serializer) -> Response:
    """409: nothing was written, for someone saved the same record since it was loaded;
    `current` is what they saved."""
    return Response({"detail": detail, "current": current.data}, status=status.HTTP_409_CONFLICT)


SUBMISSIONS = Submission.objects.select_related("plan", "unit", "signed_by").order_by(
    "plan_id", "quarter", "unit__order", "unit__name", "pk"
)
EVENTS = Prefetch("events", SubmissionEvent.objects.select_related("actor").order_by("at", "pk"))
DETAIL = s.SubmissionDetailSerializer


@docs(
    list=gettext_lazy(
        "List the units' quarterly information (a unit's executors and head see their units' only)"
    ),
    retrieve=gettext_lazy(
        "Get a unit's quarterly information with the actions it reports on, its entries, "
        "indicator values and steps"
    ),
)
class SubmissionViewSet(StepsMixin, ReadViewSet):
    """The units' quarterly information on the implementation of the plan (R11–R14): one per
    unit and quarter, filled in by the unit, signed off by its head by the 10th of the month
    after the quarter (R13), returned with a comment or accepted by the monitor."""

    queryset = SUBMISSIONS
    serializer_class = s.SubmissionSerializer
    query_filters = {
        **body_and_plan(
            "plan", gettext_lazy("Only the information for this operational plan (id).")
        ),
        "quarter": Filter("quarter", gettext_lazy("Only the information for this quarter (1–4).")),
        "unit": Filter("unit", gettext_lazy("Only the information of this unit (id).")),
        "status": status_filter(
            gettext_lazy("Only the information in this status."), SubmissionStatus
        ),
    }

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        if self.action != "list":
            queryset = queryset.prefetch_related(EVENTS)
        return queryset

    def get_serializer_class(self):
        return s.SubmissionSerializer if self.action == "list" else DETAIL

    def with_details(self, submission: Submission) -> Submission:
        return submission_details(submission)

    open_quarter = open_step(
        Submission,
        monitoring.submission_open,
        s.SubmissionOpenSerializer,
        DETAIL,
        url_path="open",
        summary=gettext_lazy(
            "Open your unit's information for a quarter that has started (executor, unit head)"
        ),
        description=gettext_lazy(
            "Refused before the quarter starts and before the plan is approved. Opening it "
            "again answers with the same submission (200)."
        ),
    )

    @step(
        gettext_lazy("Save your unit's entry on one action (executor, unit head)"),
        description=gettext_lazy(
            "Send the version you loaded. If someone saved the entry since, nothing is "
            "written and the answer is 409 with what they saved."
        ),
        request=s.ProgressEntryWriteSerializer,
        responses={200: s.ProgressEntrySerializer, 409: s.ProgressEntryConflictSerializer},
    )
    def entries(self, request: Request, *args, **kwargs) -> Response:
        payload = s.ProgressEntryWriteSerializer(data=request.data)
        if payload.is_valid():
            entry = self.autosave(entry_fields(payload.validated_data))
            if entry is not None:
                return Response(s.ProgressEntrySerializer(entry).data)
        # A refusal or a conflict goes the long way, answered as ever.
        submission = self.get_object()
        fields = entry_fields(self.payload(s.ProgressEntryWriteSerializer))
        try:
            entry = monitoring.entry_save(actor=request.user, submission=submission, **fields)
        except monitoring.Conflict as conflict:
            current = conflict.current
            detail = _(
                "%(who)s saved this entry since you loaded it; nothing of yours was written."
            ) % {"who": current.updated_by or _("Someone")}
            return conflict_answer(detail, s.ProgressEntryCurrentSerializer(current))
        entry = submission.entries.select_related("updated_by").get(pk=entry.pk)
        return Response(s.ProgressEntrySerializer(entry).data)

    def autosave(self, fields: dict):
        """The entry saved in one statement (three on SQLite: monitoring.entry_autosave), or
        None."""
        pk = str(self.kwargs[self.lookup_url_kwarg or self.lookup_field])
        if not pk.isdigit():
            return None
        where = {"pk": int(pk)}
        entry = monitoring.entry_autosave(actor=self.request.user, where=where, **fields)
        if entry is not None and not entry.has_evidence:  # a new entry's files: none to read
            entry._prefetched_objects_cache = {"evidence": Evidence.objects.none()}
        return entry

    @step(
        gettext_lazy(
            "Save the actual value of a target indicator your unit answers for "
            "(executor, unit head)"
        ),
        request=s.ActualWriteSerializer,
        responses={200: s.ActualSerializer, 409: s.ActualConflictSerializer},
    )
    def actuals(self, request: Request, *args, **kwargs) -> Response:
        submission = self.get_object()
        data = self.payload(s.ActualWriteSerializer)
        try:
            actual = monitoring.actual_save(actor=request.user, submission=submission, **data)
        except monitoring.Conflict as conflict:
            detail = _("Someone saved this value since you loaded it; nothing was written.")
            return conflict_answer(detail, s.ActualCurrentSerializer(conflict.current))
        return Response(s.ActualSerializer(actual).data)

    @extend_schema(
        summary=gettext_lazy(
            "Attach a file to your unit's entry on an action (executor, unit head)"
        ),
        request={"multipart/form-data": s.EvidenceUploadSerializer},
        responses={201: s.EvidenceSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def evidence(self, request: Request, *args, **kwargs) -> Response:
        submission = self.get_object()
        data = self.payload(s.EvidenceUploadSerializer)
        entry = submission.entries.filter(action_id=data["action"]).first()
        if entry is None:
            raise ValidationError({"action": _("Save the entry before attaching files to it.")})
        evidence = monitoring.evidence_add(actor=request.user, entry=entry, upload=data["file"])
        evidence = Evidence.objects.select_related("entry", "uploaded_by").get(pk=evidence.pk)
        return Response(s.EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)

    @step(
        gettext_lazy("Sign the information off and submit it (head of the unit)"),
        description=gettext_lazy(
            "Refused while a due action has no status, no account of its execution, or no "
            "reasons when it is not fully executed. Lateness against R13 is recorded."
        ),
        request=s.SignSerializer,
        responses={200: DETAIL, 409: s.SignConflictSerializer},
    )
    def sign(self, request: Request, *args, **kwargs) -> Response:
        submission = self.get_object()
        require(request.user, Perm.SIGN_OFF, submission)  # a 403 before the payload's 400
        data = self.payload(s.SignSerializer)
        try:
            signed = monitoring.submission_sign(
                actor=request.user, submission=submission, seen=data["seen"], cms=data["cms"]
            )
        except monitoring.SignConflict as conflict:
            data = {
                "detail": conflict.message,
                "actions": sorted(conflict.actions),
                "indicators": sorted(conflict.indicators),
            }
            return Response(data, status=status.HTTP_409_CONFLICT)
        return self.answer(signed)

    @step(
        gettext_lazy("Return submitted information with what must be corrected (monitor)"),
        request=s.ReturnSerializer,
        responses=DETAIL,
        url_path="return",
    )
    def return_for_correction(self, request: Request, *args, **kwargs) -> Response:
        return self.call(monitoring.submission_return, "submission", s.ReturnSerializer)

    @step(gettext_lazy("Accept submitted information (monitor)"), responses=DETAIL)
    def accept(self, request: Request, *args, **kwargs) -> Response:
        return self.call(monitoring.submission_accept, "submission")

    @step(
        gettext_lazy("Reopen accepted information for correction, with the reason (monitor)"),
        request=s.ReopenSerializer,
        responses=DETAIL,
    )
    def reopen(self, request: Request, *args, **kwargs) -> Response:
        return self.call(monitoring.submission_reopen, "submission", s.ReopenSerializer)


@docs(
    retrieve=gettext_lazy("Get an evidence file's description"),
    destroy=gettext_lazy(
        "Remove an evidence file while the information is editable (executor, unit head)"
    ),
)
class EvidenceViewSet(ServiceViewSet, mixins.RetrieveModelMixin, mixins.DestroyModelMixin):
    """Files that support the units' entries. They are attached through
    POST submissions/{id}/evidence/ and seen by the unit and the body-wide roles."""

    queryset = Evidence.objects.select_related("entry", "uploaded_by").order_by("pk")
    serializer_class = s.EvidenceSerializer

    def perform_destroy(self, instance: Evidence) -> None:
        monitoring.evidence_remove(actor=self.request.user, evidence=instance)

    @download(
        gettext_lazy("Download an evidence file"),
        "application/octet-stream",
        gettext_lazy("The file as it was uploaded."),
    )
    def download(self, request: Request, *args, **kwargs) -> FileResponse:
        evidence = self.get_object()
        return download_response(evidence.file, name=evidence.name, kind=evidence.kind)


class BoardView(generics.GenericAPIView):
    """The monitor's board: every unit of the body with the state and completeness of its
    information for the quarter, and the days left until (or past) the R13 deadline."""

    queryset = OperationalPlan.objects.select_related("body")
    serializer_class = s.BoardSerializer
    pagination_class = None

    def get_exception_handler(self):
        return service_exception_handler

    @extend_schema(
        summary=gettext_lazy(
            "The monitor's board for a quarter (the body-wide roles: monitor, planner, "
            "official, viewer)"
        ),
        parameters=[s.BoardQuerySerializer],
        responses=s.BoardSerializer,
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        query = s.BoardQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        plan, quarter = query.validated_data["plan"], query.validated_data["quarter"]
        if not sees_all(request.user, Submission, plan.body_id):
            raise PermissionDenied  # every unit's information: the body-wide roles' board
        rows, clock = board(plan, quarter)
        data = {
            "plan": plan.pk,
            "quarter": quarter,
            "deadline": clock.deadline,
            "days_left": max(0, clock.days_left),
            "days_late": clock.days_late,
            "countdown": str(clock),
            "rows": rows,
        }
        return Response(s.BoardSerializer(data).data)
