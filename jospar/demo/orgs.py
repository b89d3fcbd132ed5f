"""The demo state body that `jospar load_demo` (and so `make run`) loads: a fictional ministry
as it stands on 26 November 2026. Its units, a user for every role (and a head for every unit
that signs off information), budget programs and a development plan; the operational plan for
2026, approved in January, with three quarters of monitoring in (`jospar.demo.plans`,
`jospar.demo.monitoring`); and the plan for 2027 in draft, with the units' proposals.

Everything that a service can create is created through that service, so the demo passes the
same validation and leaves the same audit trail as data typed in by people, each step on the
date it would have happened (the body started using Jospar in November 2025). Only the
bootstrap has no service: the superuser (created by nobody), the state body itself and its
first administrator (both created by the superuser).
"""

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, When
from django.utils.translation import gettext as _

from jospar.demo import monitoring as monitoring_demo
from jospar.demo import plans as plans_demo
from jospar.lib.records import delete_record
from jospar.orgs import services as org_services
from jospar.orgs.models import Role, RoleAssignment, StateBody, Unit, User
from jospar.strategy import services as strategy_services
from jospar.strategy.models import Amendment, DevelopmentPlan, Indicator

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

PLAN = {
    "title": "Development plan of the Ministry of Water Resources and Irrigation of the Republic "
    "of Kazakhstan for 2025–2029 (demo)",
    "start_year": 2025,
    "end_year": 2029,
    "signed_on": dt.date(2024, 12, 27),
    "document": "Order of the Minister of Water Resources and Irrigation No. 318 "
    "of 27 December 2024",
}
AMENDMENT = {
    "signed_on": dt.date(2025, 6, 13),
    "document": "Order of the Minister of Water Resources and Irrigation No. 152 of 13 June 2025",
    "description": "Planned values of target indicator 1.1.2 (length of reconstructed canals) "
    "for 2026–2029 revised after the budget clarification; the responsible unit of target "
    "indicator 2.2.2 changed to the research institute.",
}
# Signed while the 2027 plan is being drafted: the draft moves onto it, and R6's ten days for
# approving the 2027 plan run from it (to 30 November 2026).
NEXT_AMENDMENT = {
    "signed_on": dt.date(2026, 11, 20),
    "document": "Order of the Minister of Water Resources and Irrigation No. 287 "
    "of 20 November 2026",
    "description": "Goal 2.2 supplemented with the reuse of collector-drainage water for "
    "irrigation after the adoption of the republican budget for 2027–2029; the planned values "
    "of the indicators are unchanged.",
}

# When the bootstrap happened and the planner entered the development plan, and when the
# planner entered the new amendment (Asia/Almaty).
BOOTSTRAPPED = (2025, 11, 3, 9)
STRATEGY_ENTERED = (2025, 11, 3, 14)
NEXT_AMENDMENT_ENTERED = (2026, 11, 20, 16)


class IndicatorSpec(NamedTuple):
    name: str
    unit_of_measure: str
    baseline: str  # for BASELINE_YEAR
    planned: tuple[str, str, str, str, str]  # for 2025 … 2029
    responsible: str  # unit code


class GoalSpec(NamedTuple):
    name: str
    targets: tuple[IndicatorSpec, ...]


class DirectionSpec(NamedTuple):
    name: str
    macro: tuple[IndicatorSpec, ...]
    goals: tuple[GoalSpec, ...]


BASELINE_YEAR = 2024
DIRECTIONS = (
    DirectionSpec(
        "Ensuring the water security of the country",
        macro=(
            IndicatorSpec(
                "Total water intake from surface and groundwater sources",
                "billion m³",
                "23.9",
                ("23.6", "23.3", "23.0", "22.6", "22.2"),
                "D02",
            ),
            IndicatorSpec(
                "Water losses during transportation in main and inter-farm canals",
                "%",
                "35.0",
                ("33.0", "31.0", "29.0", "27.0", "25.0"),
                "D03",
            ),
        ),
        goals=(
            GoalSpec(
                "Reducing water losses and introducing automated water accounting",
                targets=(
                    IndicatorSpec(
                        "Share of water intake points equipped with automated water metering",
                        "%",
                        "24.0",
                        ("40.0", "55.0", "70.0", "85.0", "100.0"),
                        "D05",
                    ),
                    IndicatorSpec(
                        "Length of reconstructed main and inter-farm canals",
                        "km",
                        "310",
                        ("450", "520", "600", "680", "750"),
                        "C01.1",
                    ),
                ),
            ),
            GoalSpec(
                "Safe operation of water management facilities and cooperation on "
                "transboundary rivers",
                targets=(
                    IndicatorSpec(
                        "Share of hydraulic structures in satisfactory technical condition",
                        "%",
                        "61.0",
                        ("64.0", "68.0", "72.0", "76.0", "80.0"),
                        "D02",
                    ),
                    IndicatorSpec(
                        "Number of interstate agreements and joint commission decisions on "
                        "transboundary rivers implemented",
                        "units",
                        "4",
                        ("5", "5", "6", "6", "7"),
                        "D02.1",
                    ),
                ),
            ),
        ),
    ),
    DirectionSpec(
        "Modernisation of irrigation and growth of irrigated agriculture",
        macro=(
            IndicatorSpec(
                "Area of irrigated land actually used",
                "thousand ha",
                "1480.0",
                ("1530.0", "1580.0", "1630.0", "1690.0", "1750.0"),
                "D03",
            ),
            IndicatorSpec(
                "Share of irrigated land under water-saving technologies",
                "%",
                "18.0",
                ("22.0", "26.0", "30.0", "35.0", "40.0"),
                "D03.1",
            ),
        ),
        goals=(
            GoalSpec(
                "Expanding irrigated land and returning unused land to agricultural use",
                targets=(
                    IndicatorSpec(
                        "Area of irrigated land returned to agricultural use",
                        "thousand ha",
                        "42.0",
                        ("50.0", "55.0", "60.0", "65.0", "70.0"),
                        "D03",
                    ),
                    IndicatorSpec(
                        "Share of irrigated land in good reclamation condition",
                        "%",
                        "71.5",
                        ("73.0", "75.0", "77.0", "79.0", "81.0"),
                        "C01",
                    ),
                ),
            ),
            GoalSpec(
                "Introducing water-saving technologies and the results of applied science",
                targets=(
                    IndicatorSpec(
                        "Area of irrigated land under drip and sprinkler irrigation",
                        "thousand ha",
                        "265.0",
                        ("320.0", "380.0", "450.0", "520.0", "600.0"),
                        "D03.1",
                    ),
                    IndicatorSpec(
                        "Number of applied research results introduced into practice",
                        "units",
                        "6",
                        ("8", "9", "10", "11", "12"),
                        "R01",
                    ),
                ),
            ),
        ),
    ),
)


class DemoLogin(NamedTuple):
    username: str
    role: str  # the role's display name, or "superuser"
    unit: Unit | None
    full_name: str


def demo_body() -> StateBody | None:
    return StateBody.objects.filter(code=DEMO_CODE).first()


@transaction.atomic
def load_demo(*, reset: bool = False) -> tuple[StateBody, bool]:
    """Load the demo body unless it is there; return it and whether it was loaded just now.

    With `reset`, an existing demo body and its users are deleted and loaded afresh.
    Raises ValidationError when a demo login is taken by somebody else.
    """
    body = demo_body()
    if body is not None and not reset:
        return body, False
    with plans_demo.on(BOOTSTRAPPED):
        root = _superuser()
    if reset:
        _remove(body, actor=root)
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

    with plans_demo.on(BOOTSTRAPPED):
        body = StateBody(code=DEMO_CODE, is_demo=True, **BODY)
        body.full_clean()
        body._history_user = root
        body.save()
        admin = _user(body, ADMINISTRATOR, units={}, actor=root)
        units = _units(body, actor=admin)
        for code, name in PROGRAMS:
            org_services.budget_program_create(actor=admin, body=body, code=code, name=name)
        users = {spec.username: _user(body, spec, units, actor=admin) for spec in ALL_USERS[1:]}
    planner = users[PLANNER.username]
    with plans_demo.on(STRATEGY_ENTERED):
        development, amendment, indicators = _development_plan(body, units, actor=planner)
    # The order of the steps is the order of their dates: the 2026 plan and its approval,
    # three quarters of its monitoring, the 2027 draft, the new amendment, the open quarter.
    plan, actions = plans_demo.load_plan(body, development, amendment, indicators, units, users)
    monitoring_demo.load_monitoring(plan, actions, indicators, users)
    next_plan = plans_demo.load_next_plan(body, development, amendment, indicators, units, users)
    with plans_demo.on(NEXT_AMENDMENT_ENTERED):
        new_amendment = strategy_services.amendment_create(
            actor=planner, plan=development, **NEXT_AMENDMENT
        )
    plans_demo.rebase_next_plan(next_plan, new_amendment, actor=planner)
    monitoring_demo.load_open_quarter(plan, actions, indicators, users)
    return body, True


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
    if root is not None:
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


def _superuser() -> User:
    root = User.objects.filter(username=SUPERUSER).first()
    if root is None:
        root = User(username=SUPERUSER, is_staff=True, is_superuser=True)
        root.set_password(DEMO_PASSWORD)
        root.save()
    elif not (root.is_superuser and root.is_active):
        raise ValidationError(
            _("A user “%(login)s” exists but is not an active superuser.") % {"login": SUPERUSER}
        )
    return root


def _remove(body: StateBody | None, *, actor: User) -> None:
    """Delete the demo body and the demo users that hold no role in another body."""
    elsewhere = RoleAssignment.objects.exclude(body__code=DEMO_CODE).values("user")
    users = list(
        User.objects.filter(
            username__in=[u.username for u in ALL_USERS], is_superuser=False
        ).exclude(pk__in=elsewhere)
    )
    if body is not None:
        # The monitoring first (its submissions protect the plans, units and actions), then the
        # operational plans (their revisions and actions protect indicators, units, tasks and
        # forms), then the development plan (its indicators protect the units they name), then
        # the units from the leaves up (a unit protects its subunits), so the body's cascade
        # meets no protection.
        monitoring_demo.remove_monitoring(body, actor=actor)
        plans_demo.remove_plans(body, actor=actor)
        for plan in DevelopmentPlan.objects.filter(body=body):
            delete_record(plan, actor=actor)
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
    for user in users:
        delete_record(user, actor=actor)


def _units(body: StateBody, *, actor: User) -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for order, spec in enumerate(UNITS, start=1):
        units[spec.code] = org_services.unit_create(
            actor=actor,
            body=body,
            parent=units[spec.parent] if spec.parent else None,
            kind=spec.kind,
            code=spec.code,
            name=spec.name,
            short_name=spec.short_name,
            head_name=spec.head_name,
            head_position=spec.head_position,
            order=order * 10,
        )
    return units


def _user(body: StateBody, spec: UserSpec, units: dict[str, Unit], *, actor: User) -> User:
    return org_services.user_create(
        actor=actor,
        body=body,
        password=DEMO_PASSWORD,
        role=spec.role,
        unit=units[spec.unit] if spec.unit else None,
        username=spec.username,
        last_name=spec.last_name,
        first_name=spec.first_name,
        patronymic=spec.patronymic,
        position=spec.position,
    )


def _development_plan(
    body: StateBody, units: dict[str, Unit], *, actor: User
) -> tuple[DevelopmentPlan, Amendment, dict[str, Indicator]]:
    """The plan, its amendment and its indicators by key: "M1.2" is macro indicator 2 of
    direction 1, "T1.1.2" target indicator 2 of goal 1.1."""
    plan = strategy_services.development_plan_create(actor=actor, body=body, **PLAN)
    amendment = strategy_services.amendment_create(actor=actor, plan=plan, **AMENDMENT)
    indicators: dict[str, Indicator] = {}
    for d_number, d_spec in enumerate(DIRECTIONS, start=1):
        direction = strategy_services.direction_create(
            actor=actor, plan=plan, number=d_number, name=d_spec.name
        )
        for number, spec in enumerate(d_spec.macro, start=1):
            indicators[f"M{d_number}.{number}"] = _indicator(
                plan, spec, number, units, actor, kind=Indicator.Kind.MACRO, direction=direction
            )
        for g_number, g_spec in enumerate(d_spec.goals, start=1):
            goal = strategy_services.goal_create(
                actor=actor, plan=plan, direction=direction, number=g_number, name=g_spec.name
            )
            for number, spec in enumerate(g_spec.targets, start=1):
                indicators[f"T{d_number}.{g_number}.{number}"] = _indicator(
                    plan, spec, number, units, actor, kind=Indicator.Kind.TARGET, goal=goal
                )
    return plan, amendment, indicators


def _indicator(plan, spec: IndicatorSpec, number: int, units, actor, **anchor) -> Indicator:
    return strategy_services.indicator_create(
        actor=actor,
        plan=plan,
        number=number,
        name=spec.name,
        unit_of_measure=spec.unit_of_measure,
        baseline_year=BASELINE_YEAR,
        baseline=Decimal(spec.baseline),
        responsible_unit=units[spec.responsible],
        values={year: Decimal(value) for year, value in zip(plan.years, spec.planned, strict=True)},
        **anchor,
    )
