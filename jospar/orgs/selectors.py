"""Reads shared by the organisation pages and the API."""

from dataclasses import dataclass, field

from jospar.orgs.models import StateBody, Unit, User


@dataclass
class UnitNode:
    unit: Unit
    depth: int
    children: list["UnitNode"] = field(default_factory=list)


def unit_tree(body: StateBody) -> list[UnitNode]:
    """The body's units as a flat list in tree order, each with its depth (one query)."""
    units = list(body.units.all())
    by_parent: dict[int | None, list[Unit]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)
    ordered: list[UnitNode] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for unit in by_parent.get(parent_id, []):
            ordered.append(UnitNode(unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return ordered


def body_members(body: StateBody) -> list[User]:
    """Users holding a role in the body, each with `body_roles` (two queries)."""
    roles = list(body.roles.select_related("user", "unit").order_by("user__last_name", "role"))
    users: dict[int, User] = {}
    for assignment in roles:
        user = users.setdefault(assignment.user_id, assignment.user)
        user.__dict__.setdefault("body_roles", []).append(assignment)
    return list(users.values())
