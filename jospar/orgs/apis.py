"""The REST API of the foundation objects: bodies, units, users and roles, budget programs. Reads
show the rows of the user's bodies; writes call the services."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from jospar.api.base import (
    Services,
    ServiceViewSet,
    StepsMixin,
    WorkbookImportView,
    bodies_where,
    docs,
    import_docs,
    step,
)
from jospar.api.filters import BODY_FILTER, Filter
from jospar.api.viewsets import ReadCreateDeleteViewSet, ReadViewSet, ReadWriteViewSet
from jospar.notifications.services import password_link_send
from jospar.orgs import serializers as s
from jospar.orgs import services as org
from jospar.orgs.models import BudgetProgram, RoleAssignment, StateBody, Unit, User
from jospar.orgs.orgsheet import read_org_sheet
from jospar.orgs.policy import Perm
from jospar.orgs.visibility import visible


@docs(list=_("List the state bodies you belong to"), retrieve=_("Get a state body"))
class StateBodyViewSet(StepsMixin, ReadViewSet):
    """The state bodies you hold a role in, with your roles there."""

    queryset = StateBody.objects.order_by("name", "pk")
    serializer_class = s.StateBodySerializer

    @extend_schema(
        summary=_("Create a state body and its first administrator (installation administrator)"),
        request=s.NewBodySerializer,
        responses={201: s.NewBodyAnswerSerializer},
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        """The administrator is e-mailed the link to set a password when e-mail is configured;
        otherwise the answer holds the link, to be handed over."""
        if not org.may_create_bodies(request.user):
            raise PermissionDenied
        data = self.payload(s.NewBodySerializer)
        body, admin = org.body_create(actor=request.user, **data)
        link = org.password_link(admin)
        sent = password_link_send(user=admin, link=link, body=body)
        answer = {
            "id": body.pk,
            "code": body.code,
            "name": body.name,
            "administrator": admin.pk,
            "administrator_login": admin.username,
            "link_sent": sent,
            "set_password_link": None if sent else link,
        }
        return Response(answer, status=201)

    @step(
        _(
            "Require two-factor login of the body's administrators and officials, or stop "
            "requiring it (administrator)"
        ),
        request=s.TwoFactorRequirementSerializer,
        url_path="two-factor",
    )
    def two_factor(self, request: Request, *args, **kwargs) -> Response:
        return self.call(org.body_set_two_factor, "body", s.TwoFactorRequirementSerializer)

    @step(
        _(
            "Choose whether each signed step of the body is signed with the digital signature: "
            "off, optional or required (administrator)"
        ),
        request=s.SignatureUseSerializer,
        url_path="signatures",
    )
    def signatures(self, request: Request, *args, **kwargs) -> Response:
        return self.call(org.body_set_signatures, "body", s.SignatureUseSerializer)


@docs(
    list=_("List units"),
    retrieve=_("Get a unit"),
    create=_("Add a unit to a body (administrator)"),
    update=_("Change a unit (administrator)"),
    partial_update=_("Change some fields of a unit (administrator)"),
    destroy=_("Delete a unit without subordinate units (administrator)"),
)
class UnitViewSet(ServiceViewSet, viewsets.ModelViewSet):
    """Structural units and subordinate organisations of a body; `parent` makes the tree."""

    queryset = Unit.objects.order_by("body_id", "order", "name", "pk")
    serializer_class = s.UnitSerializer
    query_filters = {"body": BODY_FILTER}
    services = org.UNITS


@docs(
    list=_("List budget programs"),
    retrieve=_("Get a budget program"),
    create=_("Add a budget program to a body (administrator)"),
    update=_("Change a budget program (administrator)"),
    partial_update=_("Change some fields of a budget program (administrator)"),
    destroy=_("Delete a budget program (administrator)"),
)
class BudgetProgramViewSet(ServiceViewSet, viewsets.ModelViewSet):
    """The body's budget programs, the reference list for "Code of budget program"."""

    queryset = BudgetProgram.objects.order_by("body_id", "code", "pk")
    serializer_class = s.BudgetProgramSerializer
    query_filters = {"body": BODY_FILTER}
    services = org.PROGRAMS


@docs(
    list=_("List the roles in the bodies you administer"),
    retrieve=_("Get a role assignment"),
    create=_("Give a member of a body another role (administrator)"),
    destroy=_("Take a role away (administrator)"),
)
class RoleAssignmentViewSet(ReadCreateDeleteViewSet):
    """Roles of users in bodies; executors and unit heads hold theirs for a unit."""

    queryset = RoleAssignment.objects.order_by("body_id", "user_id", "role", "pk")
    serializer_class = s.RoleAssignmentSerializer
    query_filters = {
        "body": BODY_FILTER,
        "user": Filter("user", _("Only the roles of this user (id).")),
    }
    services = Services("assignment", org.role_assign, delete=org.role_revoke)


@docs(
    list=_("List the users of the bodies you administer"),
    retrieve=_("Get a user"),
    create=_("Create a user with a first role in a body (administrator)"),
    partial_update=_("Change some of a user's details (administrator)"),
)
class UserViewSet(ReadWriteViewSet):
    """Users of the bodies you administer, each with their roles there."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = User.objects.order_by("last_name", "first_name", "pk")
    serializer_class = s.UserSerializer
    query_filters = {"body": Filter("roles__body", BODY_FILTER.description)}
    services = Services("user", org.user_create)

    def get_queryset(self) -> QuerySet:
        roles = visible(self.request.user, RoleAssignment.objects.order_by("body_id", "role", "pk"))
        roles_here = Prefetch("roles", queryset=roles, to_attr="body_roles")
        return super().get_queryset().prefetch_related(roles_here)

    def perform_update(self, serializer: s.UserSerializer) -> None:
        actor = self.request.user
        user = serializer.instance
        body = bodies_where(actor, Perm.MANAGE_ORG).filter(roles__user=user).first()
        org.user_update(actor=actor, body=body, user=user, **serializer.service_data())
        serializer.instance = self.reread(user)


ORG_REPORT = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=_(
        "The report: ok, summary, units, people and roles (how many would be created, updated "
        "or left unchanged), changes (each unit, person and role with what the import does), "
        "problems and warnings (sheet, row, column, message); after an import also written."
    ),
)


@import_docs(
    summary=_("Import units and people from a workbook (XLSX), or a dry run"),
    description=_(
        "Units are matched to the body's by code, people to users by e-mail; what is not "
        "in the file is left as it is. Problems answer 400 and nothing is written."
    ),
    report=ORG_REPORT,
)
class OrgImportView(WorkbookImportView):
    """Import a body's units and people from the template's workbook (the body's
    administrator): a dry run, or the import, all of it or nothing."""

    queryset = StateBody.objects.all()
    serializer_class = s.OrgImportSerializer
    perm = Perm.MANAGE_ORG

    def read(self, body: StateBody, data: dict):
        sheet = read_org_sheet(data["file"], body=body, actor=self.request.user)
        return sheet.as_dict(), sheet

    def write(self, body: StateBody, data: dict, sheet, report: dict) -> Response:
        written = org.org_import(actor=self.request.user, body=body, sheet=sheet)
        return Response(report | {"written": written}, status=status.HTTP_201_CREATED)
