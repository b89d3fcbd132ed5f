"""The demo body and its people: a fictional ministry (the state body itself), its units, a
user for every role (and a head for every unit that signs off information) and its budget
programs, as its first administrator enters them on the day the body starts using Jospar; and
the logins that `jospar load_demo` prints.

Only the bootstrap has no service: the superuser (created by nobody), the state body itself and
its first administrator (both created by the superuser). Everything else goes through
`jospar.orgs.services`.
"""

from typing import NamedTuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, When
from django.utils.translation import gettext as _

from jospar.demo.clock import on
from jospar.lib.records import delete_record
from jospar.orgs import services as org_services
from jospar.orgs.models import Role, RoleAssignment, StateBody, Unit, User

DEMO_CODE = "MWRI-DEMO"
DEMO_PASSWORD = "jospar-demo-2025"  # noqa: S105 - published on purpose: it opens demo data only
SUPERUSER = "root"

BODY = {
    "name": "Ministry of Water Resources and Irrigation of the Republic of Kazakhstan (demo)",
    "short_name": "MWRI (demo)",
    "budget_administrator_code": "255",
}

STRUCTURAL, SUBORDINATE = Unit.Kind.STRUCTURAL, Unit.Kind.SUBORDINATE


class UnitSpec(NamedTuple):
    """A unit, with the fields `unit_create` takes; its parent by code."""

    code: str
    parent: str | None
    kind: str
    name: str
    short_name: str
    head_name: str
    head_position: str


UNITS = (
    UnitSpec(
        "D01",
        None,
        STRUCTURAL,
        "Department of Strategic Planning and Analysis",
        "DSPA",
        "Bekova Aigul Serikovna",
        "Director of the Department",
    ),
    UnitSpec(
        "D01.1",
        "D01",
        STRUCTURAL,
        "Division of Monitoring and Evaluation",
        "",
        "Abenova Gulnara Maratkyzy",
        "Head of the Division",
    ),
    UnitSpec(
        "D02",
        None,
        STRUCTURAL,
        "Department of Water Resources Management",
        "DWRM",
        "Omarov Daulet Kairatovich",
        "Director of the Department",
    ),
    UnitSpec(
        "D02.1",
        "D02",
        STRUCTURAL,
        "Division of Transboundary Rivers",
        "",
        "Zhaksylykova Madina Erlanovna",
        "Head of the Division",
    ),
    UnitSpec(
        "D03",
        None,
        STRUCTURAL,
        "Department of Irrigation and Drainage",
        "DID",
        "Ismailov Yerlan Bolatuly",
        "Director of the Department",
    ),
    UnitSpec(
        "D03.1",
        "D03",
        STRUCTURAL,
        "Division of Water-Saving Technologies",
        "",
        "Kenzhebayeva Aliya Nurlanovna",
        "Head of the Division",
    ),
    UnitSpec(
        "D04",
        None,
        STRUCTURAL,
        "Department of Budget Planning and Finance",
        "DBPF",
        "Sultanbekov Timur Askarovich",
        "Director of the Department",
    ),
    UnitSpec(
        "D05",
        None,
        STRUCTURAL,
        "Department of Digitalisation and Water Accounting",
        "DDWA",
        "Myrzakhmetov Azamat Yerbolovich",
        "Director of the Department",
    ),
    UnitSpec(
        "D06",
        None,
        STRUCTURAL,
        "Legal Service Department",
        "DLS",
        "Baimukhanova Dinara Sabitovna",
        "Director of the Department",
    ),
    UnitSpec(
        "C01",
        None,
        SUBORDINATE,
        "Committee for Regulation, Protection and Use of Water Resources",
        "Water Committee",
        "Rakhimzhanov Nurbol Zhanatovich",
        "Chairman of the Committee",
    ),
    UnitSpec(
        "C01.1",
        "C01",
        SUBORDINATE,
        "Republican State Enterprise on the Right of Economic Management «Kazvodresurs»",
        "RSE Kazvodresurs",
        "Yessenov Bakhyt Kuanyshevich",
        "General Director",
    ),
    UnitSpec(
        "R01",
        None,
        SUBORDINATE,
        "Kazakh Research Institute of Water Management and Land Reclamation",
        "KazRIWM",
        "Zhunusov Kairat Amangeldiuly",
        "Director General",
    ),
)

PROGRAMS = (
    (
        "001",
        "Services for shaping and implementing state policy in the field of water resources "
        "and irrigation",
    ),
    ("003", "Applied scientific research in the field of water management and land reclamation"),
    ("009", "Operation of interstate and republican water management facilities"),
    (
        "027",
        "Construction and reconstruction of water management facilities and irrigation systems",
    ),
    (
        "052",
        "Target transfers for development to regional budgets for the reconstruction of "
        "inter-farm irrigation networks",
    ),
    (
        "105",
        "Digitalisation of water accounting and the national water resources information system",
    ),
)


class UserSpec(NamedTuple):
    """A user with their first role, with the fields `user_create` takes; the unit by code."""

    username: str
    role: str
    unit: str | None
    last_name: str
    first_name: str
    patronymic: str
    position: str


ADMINISTRATOR = UserSpec(
    "admin",
    Role.ADMINISTRATOR,
    None,
    "Zhumabayev",
    "Ruslan",
    "Kanatovich",
    "Chief expert of the Department of Digitalisation and Water Accounting",
)
PLANNER = UserSpec(
    "planner",
    Role.PLANNER,
    None,
    "Kassymova",
    "Zhanna",
    "Talgatovna",
    "Chief expert of the Department of Strategic Planning and Analysis",
)
USERS = (  # the logins that `load_demo` prints: one for each role
    ADMINISTRATOR,
    PLANNER,
    UserSpec(
        "monitor",
        Role.MONITOR,
        None,
        "Abenov",
        "Marat",
        "Yerzhanovich",
        "Chief expert of the Division of Monitoring and Evaluation",
    ),
    UserSpec(
        "official", Role.OFFICIAL, None, "Tulegenov", "Askar", "Nurlanovich", "Executive Secretary"
    ),
    UserSpec(
        "viewer",
        Role.VIEWER,
        None,
        "Mukhanova",
        "Saule",
        "Amanovna",
        "Head of the Internal Audit Service",
    ),
    UserSpec(
        "executor",
        Role.EXECUTOR,
        "D02",
        "Nurpeisova",
        "Dana",
        "Maratovna",
        "Chief expert of the Department of Water Resources Management",
    ),
    UserSpec(
        "executor2",
        Role.EXECUTOR,
        "C01.1",
        "Sadykov",
        "Arman",
        "Bauyrzhanuly",
        "Leading engineer of the production department, RSE Kazvodresurs",
    ),
    UserSpec(
        "head",
        Role.UNIT_HEAD,
        "D02",
        "Omarov",
        "Daulet",
        "Kairatovich",
        "Director of the Department of Water Resources Management",
    ),
)


def _head(unit: UnitSpec) -> UserSpec:
    """The head of a unit, as the unit names them, with a login made of the unit's code."""
    last_name, first_name, patronymic = unit.head_name.split()
    if " of the " in unit.head_position:  # "Director of the Department" of what
        position = f"{unit.head_position.rsplit(' of the ', 1)[0]} of the {unit.name}"
    else:  # "General Director", "Director General"
        position = f"{unit.head_position}, {unit.short_name or unit.name}"
    return UserSpec(
        f"head.{unit.code.lower()}",
        Role.UNIT_HEAD,
        unit.code,
        last_name,
        first_name,
        patronymic,
        position,
    )


# The heads of the other units that sign off quarterly information (R14); `head` heads D02.
HEADS = tuple(
    _head(unit)
    for unit in UNITS
    if unit.code in {"D01", "D03", "D03.1", "D04", "D05", "D06", "C01", "C01.1", "R01"}
)
ALL_USERS = USERS + HEADS

# When the superuser set the body up and its administrator entered the units and users
# (Asia/Almaty).
BOOTSTRAPPED = (2025, 11, 3, 9)


class DemoLogin(NamedTuple):
    username: str
    role: str  # the role's display name, or "superuser"
    unit: Unit | None
    full_name: str


def demo_body() -> StateBody | None:
    return StateBody.objects.filter(code=DEMO_CODE).first()


def load_body(root: User) -> tuple[StateBody, dict[str, Unit], dict[str, User]]:
    """The body (created by the superuser `root`) with its administrator, who enters its units,
    budget programs and the other users. Returns the body, its units by code and its users by
    login."""
    with on(BOOTSTRAPPED):
        body = StateBody(code=DEMO_CODE, is_demo=True, **BODY)
        body.full_clean()
        body._history_user = root
        body.save()
        admin = _user(body, ADMINISTRATOR, units={}, actor=root)
        units = _units(body, actor=admin)
        for code, name in PROGRAMS:
            org_services.budget_program_create(actor=admin, body=body, code=code, name=name)
        users = {spec.username: _user(body, spec, units, actor=admin) for spec in ALL_USERS[1:]}
    return body, units, {admin.username: admin, **users}


def check_logins_free() -> None:
    """Raise ValidationError when a demo login is taken by somebody else."""
    taken = sorted(
        User.objects.filter(username__in=[u.username for u in ALL_USERS]).values_list(
            "username", flat=True
        )
    )
    if taken:
        raise ValidationError(
            _(
                "The demo logins %(logins)s are taken. Rename or remove those users, or run "
                "load_demo --reset to remove demo users that hold no role elsewhere."
            )
            % {"logins": ", ".join(taken)}
        )


def demo_logins(body: StateBody) -> list[DemoLogin]:
    """The body's users, one line per role in the order of Role, then the superuser. The heads
    of the other units (`other_heads`) are left out: `head` stands for them."""
    role_order = Case(
        *(When(role=role, then=index) for index, role in enumerate(Role)),
        output_field=IntegerField(),
    )
    assignments = (
        RoleAssignment.objects.filter(body=body, user__is_active=True)
        .exclude(user__username__in=[spec.username for spec in HEADS])
        .select_related("user", "unit")
        .order_by(role_order, "unit__order", "user__username")
    )
    logins = [
        DemoLogin(a.user.username, a.get_role_display(), a.unit, a.user.full_name)
        for a in assignments
    ]
    root = User.objects.filter(username=SUPERUSER, is_superuser=True, is_active=True).first()
    if root is not None and root.check_password(DEMO_PASSWORD):
        logins.append(DemoLogin(root.username, _("superuser"), None, root.full_name))
    return logins


def other_heads(body: StateBody) -> list[str]:
    """The logins of the other units' heads, in the order of the units."""
    return list(
        RoleAssignment.objects.filter(
            body=body,
            role=Role.UNIT_HEAD,
            user__is_active=True,
            user__username__in=[spec.username for spec in HEADS],
        )
        .order_by("unit__order", "user__username")
        .values_list("user__username", flat=True)
    )


def superuser() -> User:
    """The superuser `root`, created at the bootstrap unless it is there."""
    root = User.objects.filter(username=SUPERUSER).first()
    if root is None:
        with on(BOOTSTRAPPED):
            root = User(username=SUPERUSER, is_staff=True, is_superuser=True)
            if settings.DEBUG:
                root.set_password(DEMO_PASSWORD)
            else:
                # Outside DEBUG the published password would open a real server's admin:
                # the superuser gets none (`jospar changepassword root` gives it one).
                root.set_unusable_password()
            root.save()
    elif not (root.is_superuser and root.is_active):
        raise ValidationError(
            _("A user “%(login)s” exists but is not an active superuser.") % {"login": SUPERUSER}
        )
    return root


def removable_users() -> list[User]:
    """The demo users that hold no role in another body (the superuser stays)."""
    elsewhere = RoleAssignment.objects.exclude(body__code=DEMO_CODE).values("user")
    return list(
        User.objects.filter(
            username__in=[u.username for u in ALL_USERS], is_superuser=False
        ).exclude(pk__in=elsewhere)
    )


def remove_body(body: StateBody, *, actor: User) -> None:
    """Delete the units from the leaves up (a unit protects its subunits), then the body, one
    record at a time so that the history records who deleted them. Whatever else the body
    holds must be gone already."""
    units = list(body.units.all())
    parents = {unit.pk: unit.parent_id for unit in units}

    def depth(unit: Unit) -> int:
        level, parent = 0, unit.parent_id
        while parent is not None:
            level, parent = level + 1, parents[parent]
        return level

    for unit in sorted(units, key=depth, reverse=True):
        delete_record(unit, actor=actor)
    delete_record(body, actor=actor)


def remove_users(users: list[User], *, actor: User) -> None:
    for user in users:
        delete_record(user, actor=actor)


def _units(body: StateBody, *, actor: User) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for order, spec in enumerate(UNITS, start=1):
        units[spec.code] = org_services.unit_create(
            actor=actor, body=body, order=order * 10, **_fields(spec, "parent", units)
        )
    return units


def _user(body: StateBody, spec: UserSpec, units: dict[str, Unit], *, actor: User) -> User:
    return org_services.user_create(
        actor=actor, body=body, password=DEMO_PASSWORD, **_fields(spec, "unit", units)
    )


def _fields(spec: UnitSpec | UserSpec, field: str, units: dict[str, Unit]) -> dict:
    """The spec's fields as the service takes them, with the unit that `field` names by code
    (or None)."""
    fields = spec._asdict()
    fields[field] = units[fields[field]] if fields[field] else None
    return fields
