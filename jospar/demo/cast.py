"""Who does what in the demo's monitoring of its approved plan, and what they work on."""

from jospar.orgs.models import Role, RoleAssignment, Unit, User
from jospar.plans.models import Action, OperationalPlan
from jospar.strategy.models import Indicator


class Cast:
    """The plan being monitored, its actions by the demo's key (`jospar.demo.plans`), the target
    indicators by key (`jospar.demo.strategy`), the body's units by code and its people: the
    monitor, the official, and each unit's executor and head."""

    def __init__(
        self,
        plan: OperationalPlan,
        actions: dict[str, Action],
        indicators: dict[str, Indicator],
        users: dict[str, User],
    ):
        self.plan, self.indicators = plan, indicators
        self.monitor, self.official = users["monitor"], users["official"]
        self.action_ids = {key: action.pk for key, action in actions.items()}
        self.units: dict[str, Unit] = {unit.code: unit for unit in plan.body.units.all()}
        self.heads: dict[str, User] = {}
        self.executors: dict[str, User] = {}
        assignments = RoleAssignment.objects.filter(
            body=plan.body, role__in=(Role.UNIT_HEAD, Role.EXECUTOR)
        ).select_related("user", "unit")
        for assignment in assignments.order_by("user__username"):
            people = self.heads if assignment.role == Role.UNIT_HEAD else self.executors
            people.setdefault(assignment.unit.code, assignment.user)

    def reporter(self, unit: str) -> User:
        """Who writes for a unit: an executor of the unit, else its head."""
        return self.executors.get(unit) or self.heads[unit]
