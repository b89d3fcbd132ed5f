"""Domain operations on bodies, units, users, roles and budget programs.

Each takes the acting user, checks the policy, validates, and saves in one transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
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
from jospar.orgs.models import (
    UNIT_ROLES,
    BudgetProgram,
    Role,
    RoleAssignment,
    SignatureUse,
    StateBody,
    Unit,
    User,
)
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
USER_FIELDS = ("username", "last_name", "first_name", "patronymic", "position", "email", "iin")

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


EDS_SETTINGS = ("eds_sign_off", "eds_approval", "eds_report", "eds_decisions")


def body_set_signatures(*, actor, body: StateBody, **uses: str) -> StateBody:
    """Whether each signed step of the body (EDS_SETTINGS: the head's sign-off, the approval,
    the report, the decisions) is signed with the digital signature: off, optional or
    required. A setting not given stays."""
    unknown = set(uses) - set(EDS_SETTINGS)
    if unknown:
        raise TypeError(f"unexpected settings: {sorted(unknown)}")

    def check(body: StateBody) -> None:
        errors = {
            name: _("Choose whether the digital signature is not used, optional or required.")
            for name in uses
            if getattr(body, name) not in SignatureUse.values
        }
        if errors:
            raise ValidationError(errors)

    return save_checked(actor, Perm.MANAGE_ORG, body, uses, check)


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


def member_password_link(*, actor, body: StateBody, user: User) -> str:
    """The link at which a person of the body who has no password yet (imported from the
    spreadsheet of units and people) sets one, for the administrator to hand over; refused for
    a person who has a password (they change it themselves) or who also works for another
    body (its administrator would lose them)."""
    _require_user_in_body(actor, body, user)
    if user.has_usable_password():
        raise ValidationError(
            _("%(user)s has a password already: they change it themselves.") % {"user": user}
        )
    _require_identity_of_one_body(actor, body, user, {"password": None})
    return password_link(user)


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


# --- a new body and its first administrator ---------------------------------------------------

# Who may create a state body: a superuser, or an "installation administrator" — a user given
# the Django permission `orgs.add_statebody` (in the Django admin: a user's or group's
# permissions, "state body | Can add state body"). It is not a role in a body: the bodies'
# own administrators manage their body (Perm.MANAGE_ORG) and cannot create another.
BODY_CREATE_PERMISSION = "orgs.add_statebody"


def may_create_bodies(user) -> bool:
    """Whether `user` is an installation administrator (or a superuser)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(BODY_CREATE_PERMISSION))
    )


def split_full_name(full_name: str) -> dict:
    """ "Surname Name Patronymic" as User fields (a patronymic may be several words)."""
    words = full_name.split()
    return {
        "last_name": words[0] if words else "",
        "first_name": words[1] if len(words) > 1 else "",
        "patronymic": " ".join(words[2:]),
    }


def _check_new_administrator(login: str, email: str, full_name: str) -> dict[str, list[str]]:
    from django.core.validators import validate_email

    errors: dict[str, list[str]] = {}
    if not full_name.split():
        errors["admin_name"] = [_("Give the administrator's full name.")]
    try:
        validate_email(email)
    except ValidationError:
        errors["admin_email"] = [_("“%(value)s” is not an e-mail address.") % {"value": email}]
    if User.objects.filter(username__iexact=login).exists():
        errors["admin_login"] = [_("This login is taken.")]
    elif User.objects.filter(email__iexact=email).exists():
        errors["admin_email"] = [_("A user with this e-mail address already exists.")]
    return errors


@transaction.atomic
def body_create(
    *,
    actor,
    code: str,
    budget_administrator_code: str = "",
    admin_name: str,
    admin_email: str,
    admin_login: str = "",
    admin_position: str = "",
    **texts,
) -> tuple[StateBody, User]:
    """Create a state body and its first administrator (an installation administrator's or a
    superuser's act): the body, the user (no password yet: they set one through the link
    `password_link` gives) and their administrator role, each with its history row. `texts`
    are the body's names per language (name_kk, name_ru, name_en, short_name_…)."""
    if not may_create_bodies(actor):
        raise PermissionDenied
    admin_email = admin_email.strip()
    login = (admin_login or admin_email).strip()
    body = apply_fields(
        StateBody(code=code.strip(), budget_administrator_code=budget_administrator_code.strip()),
        texts,
    )
    errors = _check_new_administrator(login, admin_email, admin_name)
    if not any((texts.get(f"name_{language}") or "").strip() for language in ("kk", "ru", "en")):
        errors["name"] = [_("Write the body's name in at least one language.")]
    try:
        ensure_unique(body, "code", _("Another state body has this code."))
        body.full_clean(exclude=["name", *errors])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    body._history_user = actor
    body.save()
    user = User(
        username=login,
        email=admin_email,
        position=admin_position.strip(),
        **split_full_name(admin_name),
    )
    user.set_unusable_password()
    save_record(user, actor=actor, exclude=["password"])
    _assign(actor, body, user, Role.ADMINISTRATOR, None)
    return body, user


def password_link(user: User) -> str:
    """The absolute link at which `user` sets their password (Django's password reset token:
    it stops working once the password is set, and after PASSWORD_RESET_TIMEOUT)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from jospar.notifications.services import site_link

    path = reverse(
        "accounts:set_password",
        args=[
            urlsafe_base64_encode(force_bytes(user.pk)),
            default_token_generator.make_token(user),
        ],
    )
    return site_link(path)


# --- units and people from a spreadsheet (jospar.orgs.orgsheet reads it) ---------------------


@transaction.atomic
def org_import(*, actor, body: StateBody, sheet) -> dict[str, int]:
    """Write what `sheet` (an OrgSheet read for `body` by jospar.orgs.orgsheet.read_org_sheet)
    says: new units and people, changed units and people, new roles, each with its history
    row; all or nothing, in a fixed number of statements however many rows. Units and people
    not in the sheet are left as they are. Returns how many of each were written."""
    from django.db import IntegrityError

    from jospar.lib.records import bulk_history, conflict_message, insert_many

    require(actor, Perm.MANAGE_ORG, body)
    if sheet.body_id != body.pk:
        raise ValidationError(_("The file was read for another body; upload it again."))
    if not sheet.ok:
        raise ValidationError([str(problem) for problem in sheet.problems])
    units = {u.code: u for u in Unit.objects.select_for_update().filter(body=body)}
    next_order = max((u.order for u in units.values()), default=0) + 1
    created_units, updated_units = [], []
    for change in sheet.units:
        values = {k: v for k, v in change.values.items() if k != "parent"}
        if change.action == "create":
            unit = Unit(body=body, code=change.key, order=next_order, **values)
            next_order += 1
            created_units.append(unit)
            units[change.key] = unit
        elif change.action == "update":
            unit = units.get(change.key)
            if unit is None:
                raise ValidationError(_("The body's units changed meanwhile; upload it again."))
            apply_fields(unit, values)
            unit.version += 1
            updated_units.append(unit)
    # New units go in a level of the tree at a time, parents first: each knows its parent's id
    # (one INSERT per level, however many units).
    parent_of = {c.key: c.values.get("parent", "") for c in sheet.units}
    levels: dict[int, list[Unit]] = {}
    for unit in created_units:
        depth, code, seen = 0, parent_of.get(unit.code, ""), {unit.code}
        while code and code in parent_of and units[code].pk is None and code not in seen:
            depth, seen = depth + 1, seen | {code}
            code = parent_of.get(code, "")
        levels.setdefault(depth, []).append(unit)
    for depth in sorted(levels):
        for unit in levels[depth]:
            code = parent_of.get(unit.code, "")
            unit.parent_id = units[code].pk if code else None
        try:
            with transaction.atomic():
                insert_many(Unit, levels[depth])
        except IntegrityError:  # someone added a unit with one of these codes a moment ago
            raise ValidationError(conflict_message()) from None
    changed_fields = {"version"}
    for change in sheet.units:
        if change.action == "update":
            unit = units[change.key]
            code = parent_of.get(change.key, "")
            unit.parent_id = units[code].pk if code else None
            changed_fields |= set(change.fields)
    Unit.objects.bulk_update(updated_units, sorted(changed_fields), batch_size=500)
    bulk_history(Unit, created_units, "+", actor)
    bulk_history(Unit, updated_units, "~", actor)

    existing = {
        u.pk: u
        for u in User.objects.select_for_update().filter(
            pk__in=[c.values["pk"] for c in sheet.people if c.action != "create"]
        )
    }
    users = {}
    created_users, updated_users = [], []
    for change in sheet.people:
        if change.action == "create":
            user = User(username=change.key, email=change.key, **change.values)
            user.set_unusable_password()
            created_users.append(user)
        else:
            user = existing[change.values["pk"]]
            if change.action == "update":
                apply_fields(user, {k: v for k, v in change.values.items() if k != "pk"})
                user.version += 1
                updated_users.append(user)
        users[change.key] = user
    try:
        with transaction.atomic():
            insert_many(User, created_users)
    except IntegrityError:  # someone took one of these logins a moment ago
        raise ValidationError(conflict_message()) from None
    user_fields = {name for c in sheet.people if c.action == "update" for name in c.fields}
    User.objects.bulk_update(updated_users, [*sorted(user_fields), "version"], batch_size=500)
    bulk_history(User, created_users, "+", actor)
    bulk_history(User, updated_users, "~", actor)

    roles = [
        RoleAssignment(
            body=body,
            user=users[change.key],
            role=change.values["role"],
            unit=units[change.values["unit"]] if change.values["unit"] else None,
        )
        for change in sheet.roles
    ]
    try:
        with transaction.atomic():
            insert_many(RoleAssignment, roles)
    except IntegrityError:  # someone gave one of these roles a moment ago
        raise ValidationError(conflict_message()) from None
    bulk_history(RoleAssignment, roles, "+", actor)
    for user in users.values():
        forget_roles(user)
    forget_roles(actor)
    return {
        "units_created": len(created_units),
        "units_updated": len(updated_units),
        "people_created": len(created_users),
        "people_updated": len(updated_users),
        "roles_created": len(roles),
    }
