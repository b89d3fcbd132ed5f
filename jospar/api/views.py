"""The REST API of the foundation objects: bodies, units, users and roles, budget programs and
the development plan. Reads show the rows of the user's bodies; writes call the services."""

from collections.abc import Callable

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets

from jospar.api import serializers as s
from jospar.api.base import BODY_FILTER, Filter, Services, ServiceViewSet, bodies_where
from jospar.orgs import services as org
from jospar.orgs.models import BudgetProgram, RoleAssignment, StateBody, Unit, User
from jospar.orgs.policy import Perm
from jospar.strategy import services as strategy
from jospar.strategy.models import Amendment, DevelopmentPlan, Goal, Indicator, StrategicDirection


def docs(**summaries: str) -> Callable[[type], type]:
    """Short descriptions of a viewset's operations, for the OpenAPI schema."""
    return extend_schema_view(
        **{action: extend_schema(summary=text) for action, text in summaries.items()}
    )


def plan_filters(path: str = "") -> dict[str, Filter]:
    """`body` and `plan` filters of an object that reaches its plan through `path`."""
    plan = f"{path}plan"
    return {
        "body": Filter(f"{plan}__body", BODY_FILTER.description),
        "plan": Filter(plan, _("Only the objects of this development plan (id).")),
    }


@docs(list=_("List the state bodies you belong to"), retrieve=_("Get a state body"))
class StateBodyViewSet(ServiceViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The state bodies you hold a role in, with your roles there."""

    queryset = StateBody.objects.order_by("name", "pk")
    serializer_class = s.StateBodySerializer


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
    services = Services("unit", org.unit_create, org.unit_update, org.unit_delete)


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
    services = Services(
        "program", org.budget_program_create, org.budget_program_update, org.budget_program_delete
    )


@docs(
    list=_("List the roles in the bodies you administer"),
    retrieve=_("Get a role assignment"),
    create=_("Give a member of a body another role (administrator)"),
    destroy=_("Take a role away (administrator)"),
)
class RoleAssignmentViewSet(
    ServiceViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
):
    """Roles of users in bodies; executors and unit heads hold theirs for a unit."""

    queryset = RoleAssignment.objects.order_by("body_id", "user_id", "role", "pk")
    serializer_class = s.RoleAssignmentSerializer
    query_filters = {
        "body": BODY_FILTER,
        "user": Filter("user", _("Only the roles of this user (id).")),
    }
    services = Services("assignment", org.role_assign, delete=org.role_revoke)

    def get_queryset(self) -> QuerySet:
        managed = bodies_where(self.request.user, Perm.MANAGE_ORG)
        return super().get_queryset().filter(body__in=managed)


@docs(
    list=_("List the users of the bodies you administer"),
    retrieve=_("Get a user"),
    create=_("Create a user with a first role in a body (administrator)"),
    partial_update=_("Change some of a user's details (administrator)"),
)
class UserViewSet(
    ServiceViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """Users of the bodies you administer, each with their roles there."""

    http_method_names = ["get", "post", "patch", "head", "options"]
    queryset = User.objects.order_by("last_name", "first_name", "pk")
    serializer_class = s.UserSerializer
    query_filters = {"body": Filter("roles__body", BODY_FILTER.description)}
    services = Services("user", org.user_create)

    def get_queryset(self) -> QuerySet:
        managed = bodies_where(self.request.user, Perm.MANAGE_ORG)
        roles = RoleAssignment.objects.filter(body__in=managed).order_by("body_id", "role", "pk")
        return (
            self.queryset.filter(roles__body__in=managed)
            .distinct()
            .prefetch_related(Prefetch("roles", queryset=roles, to_attr="body_roles"))
        )

    def perform_update(self, serializer: s.UserSerializer) -> None:
        actor = self.request.user
        user = serializer.instance
        body = bodies_where(actor, Perm.MANAGE_ORG).filter(roles__user=user).first()
        org.user_update(actor=actor, body=body, user=user, **serializer.service_data())
        serializer.instance = self.reread(user)


@docs(
    list=_("List development plans"),
    retrieve=_("Get a development plan"),
    create=_("Add a development plan to a body (planner)"),
    update=_("Change a development plan (planner)"),
    partial_update=_("Change some fields of a development plan (planner)"),
)
class DevelopmentPlanViewSet(
    ServiceViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
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
    services = Services(
        "amendment",
        strategy.amendment_create,
        strategy.amendment_update,
        strategy.amendment_delete,
    )


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
    services = Services(
        "direction",
        strategy.direction_create,
        strategy.direction_update,
        strategy.direction_delete,
    )


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
    services = Services("goal", strategy.goal_create, strategy.goal_update, strategy.goal_delete)


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
    services = Services(
        "indicator",
        strategy.indicator_create,
        strategy.indicator_update,
        strategy.indicator_delete,
    )
