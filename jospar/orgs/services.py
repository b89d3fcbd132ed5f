"""Domain operations on bodies, units, users, roles and budget programs.

Each takes the acting user, checks the policy, validates, and saves in one transaction.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jospar.lib.records import (
    apply_fields,
    delete_checked,
    delete_record,
    ensure_unique,
    next_version,
    record_services,
    save_checked,
    save_record,
)
from jospar.orgs.models import UNIT_ROLES, BudgetProgram, RoleAssignment, StateBody, Unit, User
from jospar.orgs.policy import Perm, forget_roles, require

UNIT_FIELDS = (
    "parent",
    "kind",
    "code",
    "name",
    "short_name",
    "head_name",
    "head_position",
    "order",
)
PROGRAM_FIELDS = ("code", "name")
USER_FIELDS = ("username", "last_name", "first_name", "patronymic", "position", "email")

# Units and budget programs: records of a body, kept by its administrator.
OF_BODY = {"parent": "body", "perm": Perm.MANAGE_ORG}


def _check_unit(unit: Unit) -> None:
    ensure_unique(unit, "code", _("Another unit of this body has this code."), body=unit.body_id)
    parent = unit.parent
    if parent is None:
        return
    if parent.body_id != unit.body_id:
        raise ValidationError({"parent": _("The parent unit belongs to another body.")})
    seen = set()
    while parent is not None:
        if parent.pk == unit.pk or parent.pk in seen:
            raise ValidationError({"parent": _("A unit cannot be placed under itself.")})
        seen.add(parent.pk)
        parent = parent.parent


def _check_unit_unused(unit: Unit) -> None:
    from jospar.plans.models import Action

    if Action.co_executors.through.objects.filter(unit=unit).exists():
        raise ValidationError(_("The unit is a co-executor of actions in a plan; it cannot go."))


UNITS = record_services(Unit, "unit", check=_check_unit, check_delete=_check_unit_unused, **OF_BODY)
unit_create, unit_update, unit_delete = UNITS.create, UNITS.update, UNITS.delete


@transaction.atomic
def body_set_two_factor(*, actor, body: StateBody, required: bool) -> StateBody:
    """Whether the body's administrators and officials must log in with a second factor
    (those without an authenticator are sent to enrol one at their next page)."""
    return save_checked(actor, Perm.MANAGE_ORG, body, {"require_two_factor": bool(required)})


def _check_program(program: BudgetProgram) -> None:
    ensure_unique(
        program, "code", _("The body already has a program with this code."), body=program.body_id
    )


def _check_program_unused(program: BudgetProgram) -> None:
    from jospar.plans.models import Action

    if Action.budget_programs.through.objects.filter(budgetprogram=program).exists():
        raise ValidationError(_("Actions of a plan use this budget program; it cannot go."))


PROGRAMS = record_services(
    BudgetProgram, "program", check=_check_program, check_delete=_check_program_unused, **OF_BODY
)
budget_program_create, budget_program_update = PROGRAMS.create, PROGRAMS.update
budget_program_delete = PROGRAMS.delete


def _check_assignment(assignment: RoleAssignment) -> None:
    if assignment.role in UNIT_ROLES and assignment.unit is None:
        raise ValidationError({"unit": _("Executors and unit heads hold their role for a unit.")})
    if assignment.role not in UNIT_ROLES:
        assignment.unit = None
    if assignment.unit is not None and assignment.unit.body_id != assignment.body_id:
        raise ValidationError({"unit": _("The unit belongs to another body.")})
    duplicate = RoleAssignment.objects.filter(
        user=assignment.user_id, body=assignment.body_id, role=assignment.role, unit=assignment.unit
    ).exclude(pk=assignment.pk)
    if duplicate.exists():
        raise ValidationError({"role": _("The user already holds this role.")})


@transaction.atomic
def role_assign(*, actor, body: StateBody, user: User, role: str, unit: Unit | None = None):
    """Give another role to a user of the body (a new user comes through `user_create`)."""
    _require_user_in_body(actor, body, user)
    return _assign(actor, body, user, role, unit)


def _assign(actor, body: StateBody, user: User, role: str, unit: Unit | None) -> RoleAssignment:
    assignment = RoleAssignment(body=body, user=user, role=role, unit=unit)
    _check_assignment(assignment)
    save_record(assignment, actor=actor)
    forget_roles(user)
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment) -> None:
    delete_checked(actor, Perm.MANAGE_ORG, assignment)
    forget_roles(assignment.user)


def _require_user_in_body(actor, body: StateBody, user: User) -> None:
    require(actor, Perm.MANAGE_ORG, body)
    if not actor.is_superuser and not user.roles.filter(body=body).exists():
        raise ValidationError({"user": _("The user holds no role in this body.")})


# Who a person is: what one body's administrator may not change for a person who also
# works for another body (that body's administrator would lose them, or be locked out).
IDENTITY = ("username", "email", "first_name", "last_name", "patronymic", "password")


def _require_identity_of_one_body(actor, body: StateBody, user: User, fields: dict) -> None:
    """Refuse a change of the user's identity by another person unless the user belongs to
    `body` alone or the actor is a superuser."""
    changed = [name for name in IDENTITY if name in fields and fields[name] != getattr(user, name)]
    if not changed or actor.is_superuser or actor.pk == user.pk:
        return
    if user.roles.exclude(body=body).exists():
        message = _(
            "%(user)s also works for another state body: only they themselves or a superuser "
            "can change this."
        ) % {"user": user}
        raise ValidationError({name: message for name in changed})


@transaction.atomic
def user_create(
    *, actor, body: StateBody, password: str, role: str, unit: Unit | None = None, **fields
) -> User:
    """Create a user of the body with a first role (a user always belongs to some body)."""
    require(actor, Perm.MANAGE_ORG, body)
    user = apply_fields(User(), fields)
    ensure_unique(user, "username", _("This login is taken."))
    user.set_password(password)
    save_record(user, actor=actor, exclude=["password"])
    _assign(actor, body, user, role, unit)
    return user


@transaction.atomic
def user_update(
    *, actor, body: StateBody, user: User, version: int | None = None, **fields
) -> User:
    """Change a user's details; `version` is the one the administrator started from: if
    another administrator saved the user in between, nothing is written (Conflict)."""
    _require_user_in_body(actor, body, user)
    next_version(user, version)
    _require_identity_of_one_body(actor, body, user, fields)
    apply_fields(user, fields)
    ensure_unique(user, "username", _("This login is taken."))
    return save_record(user, actor=actor, exclude=["password"])


@transaction.atomic
def user_set_password(*, actor, body: StateBody, user: User, password: str) -> None:
    _require_user_in_body(actor, body, user)
    _require_identity_of_one_body(actor, body, user, {"password": password})
    user.set_password(password)
    user._history_user = actor
    user.save(update_fields=["password"])


@transaction.atomic
def user_deactivate(*, actor, body: StateBody, user: User) -> None:
    """Remove the user's roles in this body; a user left without any body is deactivated."""
    _require_user_in_body(actor, body, user)
    for assignment in user.roles.filter(body=body):
        delete_record(assignment, actor=actor)
    if not user.roles.exists():
        user.is_active = False
        user._history_user = actor
        user.save(update_fields=["is_active"])
    forget_roles(user)
