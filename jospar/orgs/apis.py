"""The REST API of the foundation objects: bodies, units, users and roles, budget programs. Reads
show the rows of the user's bodies; writes call the services."""

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from jospar.api.base import Services, ServiceViewSet, StepsMixin, bodies_where, docs, step
from jospar.api.filters import BODY_FILTER, Filter
from jospar.api.viewsets import ReadCreateDeleteViewSet, ReadViewSet, ReadWriteViewSet
from jospar.orgs import serializers as s
from jospar.orgs import services as org
from jospar.orgs.models import BudgetProgram, RoleAssignment, StateBody, Unit, User
from jospar.orgs.policy import Perm
from jospar.orgs.visibility import visible


@docs(list=_("List the state bodies you belong to"), retrieve=_("Get a state body"))
class StateBodyViewSet(StepsMixin, ReadViewSet):
    """The state bodies you hold a role in, with your roles there."""

    queryset = StateBody.objects.order_by("name", "pk")
    serializer_class = s.StateBodySerializer

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
