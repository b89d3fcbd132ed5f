"""The one answer to "which rows of this kind may this user see".

A row belongs to a state body (its model's BODY_LOOKUP) and only the body's members, the
holders of a role in it, see it. Within the body, `RULES` says who sees each kind of row, once:

- what is published (the development plan, the operational plan with its actions and revisions,
  the reference lists): every member;
- a unit's work (its proposals; its quarterly information with the entries, evidence files,
  indicator values and steps; the decisions assigned to it and what it has done on them): the
  body-wide roles (planner, monitor, official, viewer, administrator) and that unit's own
  executors and head;
- the monitor's quarterly report, its rows and its recommendations to amend the plan: the
  body-wide roles only;
- the body's users and their roles: those who manage the body's organisation.

Pages, API lists and lookups, exports and selectors ask `visible()` for rows, `sees_all()` for
whether a whole kind is theirs to see in a body (the monitor's board, the report), `sees_unit()`
for one unit's work and `sees()` for one object; none of them looks at the roles itself.
`in_bodies()` is the coarser question an id in a payload is checked against.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cache

from django.apps import apps
from django.db.models import Model, Q, QuerySet

from jospar.orgs.models import UNIT_ROLES, RoleAssignment, StateBody, Unit
from jospar.orgs.policy import RULES as PERMISSIONS
from jospar.orgs.policy import Perm, body_id_of, body_lookup, held_roles, roles_of, units_of


class Scope(Enum):
    MEMBERS = "members"  # every member of the body
    UNITS = "units"  # the body-wide roles, and the executors and head of the row's unit
    BODY_WIDE = "body_wide"  # the body-wide roles only
    ADMINISTRATORS = "administrators"  # those who manage the body's organisation


@dataclass(frozen=True)
class Rule:
    scope: Scope = Scope.MEMBERS
    unit: str = ""  # Scope.UNITS: the ORM path from the row to the unit whose work it is
    body: str | None = None  # the ORM path to the body, when not the model's BODY_LOOKUP
    shared: bool = False  # a row without a body belongs to every body


PUBLISHED = Rule()

# Model label → who sees its rows; a model not named here is published to the body's members.
RULES: dict[str, Rule] = {
    "orgs.user": Rule(Scope.ADMINISTRATORS, body="roles__body"),
    "orgs.roleassignment": Rule(Scope.ADMINISTRATORS),
    "plans.completionform": Rule(shared=True),
    "plans.proposal": Rule(Scope.UNITS, unit="unit"),
    "monitoring.submission": Rule(Scope.UNITS, unit="unit"),
    "monitoring.submissionevent": Rule(Scope.UNITS, unit="submission__unit"),
    "monitoring.progressentry": Rule(Scope.UNITS, unit="submission__unit"),
    "monitoring.indicatoractual": Rule(Scope.UNITS, unit="submission__unit"),
    "monitoring.evidence": Rule(Scope.UNITS, unit="entry__submission__unit"),
    "reports.report": Rule(Scope.BODY_WIDE),
    "reports.reportrow": Rule(Scope.BODY_WIDE),
    "reports.amendmentrecommendation": Rule(Scope.BODY_WIDE),
    "reports.decision": Rule(Scope.UNITS, unit="units"),
    "reports.decisionprogress": Rule(Scope.UNITS, unit="unit"),
    # A digital signature's own row (its history, a list of them) is the body-wide roles'; its
    # page asks instead whether the reader sees the object it signed (signatures.selectors).
    "signatures.signature": Rule(Scope.BODY_WIDE),
}


def rule_of(kind: type[Model] | str) -> Rule:
    """The rule for a model, or for its label ("reports.report") where importing it would make
    an earlier stage depend on a later one."""
    if isinstance(kind, str):
        kind = apps.get_model(kind)  # a mistyped label is an error, never "published"
    return RULES.get(kind._meta.label_lower, PUBLISHED)


def sees_whole_body(user, body_id: int) -> bool:
    """A body-wide role sees every unit's work; an executor or unit head only their units'."""
    return user.is_superuser or bool(roles_of(user, body_id) - UNIT_ROLES)


def in_bodies(user, queryset: QuerySet) -> QuerySet:
    """The rows of the bodies the user belongs to, whoever's work they are: what an id in a
    payload may name, and where a lookup that answers 403 rather than 404 starts."""
    model = queryset.model
    rule = rule_of(model)
    path = _body_path(model, rule)
    if user.is_superuser:
        if not _crosses_many(model, path):
            return queryset
        return _of_bodies(queryset, path, StateBody.objects.values("pk"), rule)
    member_of = RoleAssignment.objects.filter(user=user).values("body_id")
    return _of_bodies(queryset, path, member_of, rule)


def visible(user, queryset: QuerySet) -> QuerySet:
    """The rows of `queryset` the user may see, by the rule of its model."""
    model = queryset.model
    rule = rule_of(model)
    path = _body_path(model, rule)
    if rule.scope is Scope.ADMINISTRATORS:
        if user.is_superuser:
            return in_bodies(user, queryset)
        managing = StateBody.objects.filter(
            roles__user=user, roles__role__in=PERMISSIONS[Perm.MANAGE_ORG]
        )
        return _of_bodies(queryset, path, managing, rule)
    queryset = in_bodies(user, queryset)
    if user.is_superuser or rule.scope is Scope.MEMBERS:
        return queryset
    whole, units = _reach(user)
    seen = Q(**{f"{path}__in": whole})
    if rule.scope is Scope.UNITS:
        seen |= Q(**{f"{rule.unit}__in": units})
        if _crosses_many(model, rule.unit):  # a row of several units is still one row
            return queryset.filter(pk__in=model._default_manager.filter(seen).values("pk"))
    return queryset.filter(seen)


def sees_all(user, kind: type[Model] | str, body_id: int) -> bool:
    """Whether the user sees every row of this kind (a model or its label) in the body, not
    only their units'."""
    if user.is_superuser:
        return True
    scope = rule_of(kind).scope
    if scope is Scope.MEMBERS:
        return bool(roles_of(user, body_id))
    if scope is Scope.ADMINISTRATORS:
        return bool(roles_of(user, body_id) & PERMISSIONS[Perm.MANAGE_ORG])
    return sees_whole_body(user, body_id)


def sees_unit(user, model: type[Model], unit: Unit) -> bool:
    """Whether the user sees the unit's rows of this kind."""
    if sees_all(user, model, unit.body_id):
        return True
    return rule_of(model).scope is Scope.UNITS and unit.pk in units_of(user, unit.body_id)


def sees(user, obj: Model) -> bool:
    """Whether the user sees this object of their body (a query only for a unit's work seen
    by a unit's executor or head)."""
    model = type(obj)
    body_id = body_id_of(obj)
    if sees_all(user, model, body_id):
        return True
    rule = rule_of(model)
    if rule.scope is not Scope.UNITS:
        return False
    mine = units_of(user, body_id)
    return model._default_manager.filter(pk=obj.pk, **{f"{rule.unit}__in": mine}).exists()


def _body_path(model: type[Model], rule: Rule) -> str:
    return rule.body if rule.body is not None else body_lookup(model)


def _of_bodies(queryset: QuerySet, path: str, bodies, rule: Rule) -> QuerySet:
    """The rows whose body is among `bodies` (ids, or a subquery of them)."""
    condition = Q(**{f"{path}__in" if path else "pk__in": bodies})
    if rule.shared:
        condition |= Q(**{path: None})
    queryset = queryset.filter(condition)
    return queryset.distinct() if _crosses_many(queryset.model, path) else queryset


def _reach(user) -> tuple[list[int], list[int]]:
    """The bodies the user sees whole, and the units whose work they see in the others."""
    whole, units = [], []
    for body_id, held in sorted(held_roles(user).items()):
        if sees_whole_body(user, body_id):
            whole.append(body_id)
        else:
            units.extend(sorted({unit_id for _role, unit_id in held if unit_id is not None}))
    return whole, units


@cache
def _crosses_many(model: type[Model], path: str) -> bool:
    """Whether the ORM path goes through a relation to many rows (a row would repeat)."""
    for name in filter(None, path.split("__")):
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False
