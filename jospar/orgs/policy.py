"""The one permission policy: may this user do this to this object?

Every page, API view and service asks `can()` / `require()`. Rules are written once, here, as
a table from a permission to the roles that hold it in the object's state body. Which rows a
user sees is jospar.orgs.visibility's question.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Model, OuterRef

from jospar.orgs.models import Role, RoleAssignment, StateBody, Unit


class Perm(StrEnum):
    VIEW = "view"
    MANAGE_ORG = "manage_org"  # units, users and their roles, budget programs, reference lists
    EDIT_STRATEGY = "edit_strategy"  # the development plan and its indicators
    EDIT_PLAN = "edit_plan"  # the operational plan's actions; decides on proposals; submits
    APPROVE_PLAN = "approve_plan"  # approves the plan or returns it (first head, chief of staff)
    PROPOSE = "propose"  # drafts the unit's proposals (unit-scoped)
    SIGN_OFF = "sign_off"  # signs off the unit's proposals and information (unit-scoped)
    ENTER_INFORMATION = "enter_information"  # the unit's quarterly information (unit-scoped)
    MONITOR = "monitor"  # tracks submissions, returns or accepts them, compiles reports


ALL_ROLES = frozenset(Role)
RULES: dict[Perm, frozenset[str]] = {
    Perm.VIEW: ALL_ROLES,
    Perm.MANAGE_ORG: frozenset({Role.ADMINISTRATOR}),
    Perm.EDIT_STRATEGY: frozenset({Role.PLANNER}),
    Perm.EDIT_PLAN: frozenset({Role.PLANNER}),
    Perm.APPROVE_PLAN: frozenset({Role.OFFICIAL}),
    Perm.MONITOR: frozenset({Role.MONITOR}),
}
# Permissions held for one unit: the object's unit must be the unit the role is held for.
UNIT_RULES: dict[Perm, frozenset[str]] = {
    Perm.PROPOSE: frozenset({Role.EXECUTOR, Role.UNIT_HEAD}),
    Perm.SIGN_OFF: frozenset({Role.UNIT_HEAD}),
    Perm.ENTER_INFORMATION: frozenset({Role.EXECUTOR, Role.UNIT_HEAD}),
}


def body_lookup(model: type[Model]) -> str:
    """The ORM path from a model to its state body ("" for StateBody itself)."""
    if model is StateBody:
        return ""
    try:
        return model.BODY_LOOKUP
    except AttributeError:
        raise TypeError(f"{model.__name__} does not declare BODY_LOOKUP") from None


def body_id_of(obj: Model) -> int:
    path = body_lookup(type(obj))
    if not path:
        return obj.pk
    *hops, last = path.split("__")
    target = obj
    for hop in hops:
        target = getattr(target, hop)
    return getattr(target, f"{last}_id")


def unit_id_of(obj: Model) -> int | None:
    """The unit a unit-scoped permission is checked against (a Unit, or an object's `unit`)."""
    if isinstance(obj, Unit):
        return obj.pk
    return getattr(obj, "unit_id", None)


def _role_cache(user) -> dict[int, set[tuple[str, int | None]]]:
    cache = getattr(user, "_jospar_roles", None)
    if cache is None:
        cache = {}
        rows = RoleAssignment.objects.filter(user=user).values_list("body_id", "role", "unit_id")
        for body_id, role, unit_id in rows:
            cache.setdefault(body_id, set()).add((role, unit_id))
        user._jospar_roles = cache
    return cache


def held_roles(user) -> dict[int, set[tuple[str, int | None]]]:
    """Body id → the (role, unit) pairs the user holds there, loaded once per user object."""
    if not user.is_authenticated:
        return {}
    return _role_cache(user)


def roles_of(user, body_id: int) -> set[str]:
    """The roles the user holds in a body, loaded once per user object."""
    if not user.is_authenticated:
        return set()
    return {role for role, _unit in _role_cache(user).get(body_id, set())}


def units_of(user, body_id: int, roles=frozenset(Role)) -> set[int]:
    """The units for which the user holds one of `roles` in the body."""
    if not user.is_authenticated:
        return set()
    held = _role_cache(user).get(body_id, set())
    return {unit_id for role, unit_id in held if unit_id is not None and role in roles}


def forget_roles(user) -> None:
    user.__dict__.pop("_jospar_roles", None)


def can(user, perm: Perm, obj: Model) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    body_id = body_id_of(obj)
    if perm in UNIT_RULES:
        unit_id = unit_id_of(obj)
        return unit_id is not None and unit_id in units_of(user, body_id, UNIT_RULES[perm])
    return bool(roles_of(user, body_id) & RULES[perm])


def holds_for_unit(user_id: int, perm: Perm, body: OuterRef, unit: OuterRef) -> Exists:
    """can(user, perm, row) for a unit-scoped permission as a condition of a query on the rows
    (`body` and `unit` name the row's body and unit), so that a write can check it in the
    statement that reads what it writes to. A superuser holds it without a role (can()'s rule)
    and an inactive user holds nothing: ask `user.is_superuser` and `user.is_active` beside it."""
    return Exists(
        RoleAssignment.objects.filter(
            user_id=user_id, body_id=body, unit_id=unit, role__in=UNIT_RULES[perm]
        )
    )


def require(user, perm: Perm, obj: Model) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied
