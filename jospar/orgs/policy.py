"""The one permission policy: may this user do this to this object?

Every page, API view and service asks `can()` / `require()`. Rules are written once, here, as
a table from a permission to the roles that hold it in the object's state body.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet

from jospar.orgs.models import Role, RoleAssignment, StateBody


class Perm(StrEnum):
    VIEW = "view"
    MANAGE_ORG = "manage_org"  # units, users and their roles, budget programs
    EDIT_STRATEGY = "edit_strategy"  # the development plan and its indicators


ALL_ROLES = frozenset(Role)
RULES: dict[Perm, frozenset[str]] = {
    Perm.VIEW: ALL_ROLES,
    Perm.MANAGE_ORG: frozenset({Role.ADMINISTRATOR}),
    Perm.EDIT_STRATEGY: frozenset({Role.PLANNER}),
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


def roles_of(user, body_id: int) -> set[str]:
    """The roles the user holds in a body, loaded once per user object."""
    if not user.is_authenticated:
        return set()
    cache = getattr(user, "_jospar_roles", None)
    if cache is None:
        cache = {}
        for b_id, role in RoleAssignment.objects.filter(user=user).values_list("body_id", "role"):
            cache.setdefault(b_id, set()).add(role)
        user._jospar_roles = cache
    return cache.get(body_id, set())


def forget_roles(user) -> None:
    user.__dict__.pop("_jospar_roles", None)


def can(user, perm: Perm, obj: Model) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(roles_of(user, body_id_of(obj)) & RULES[perm])


def require(user, perm: Perm, obj: Model) -> None:
    if not can(user, perm, obj):
        raise PermissionDenied


def visible(user, queryset: QuerySet) -> QuerySet:
    """Only the rows of the bodies the user belongs to."""
    if user.is_superuser:
        return queryset
    path = body_lookup(queryset.model)
    member_of = RoleAssignment.objects.filter(user=user).values("body_id")
    return queryset.filter(**{f"{path}__in" if path else "pk__in": member_of})


def bodies_of(user) -> QuerySet:
    return visible(user, StateBody.objects.all())
