"""The demo body and its people: a fictional ministry (the state body itself), its units, a
user for every role (and a head for every unit that signs off information) and its budget
programs, as its first administrator enters them on the day the body starts using Jospar; and
the logins that `jospar load_demo` prints.

The body's, units' and programs' texts are in Russian and Kazakh (`jospar.demo.texts`);
people's names are Kazakh, their positions in Russian.

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
from jospar.demo.texts import NONE, T, tr
from jospar.lib.records import delete_record
from jospar.orgs import services as org_services
from jospar.orgs.models import Role, RoleAssignment, StateBody, Unit, User

DEMO_CODE = "MWRI-DEMO"
DEMO_PASSWORD = "jospar-demo-2025"  # noqa: S105 - published on purpose: it opens demo data only
SUPERUSER = "root"

BODY_NAME = T(
    "Министерство водных ресурсов и ирригации Республики Казахстан (демо)",
    "Қазақстан Республикасы Су ресурстары және ирригация министрлігі (демо)",
)
BODY_SHORT_NAME = T("МВРИ (демо)", "СРИМ (демо)")
BUDGET_ADMINISTRATOR_CODE = "255"

STRUCTURAL, SUBORDINATE = Unit.Kind.STRUCTURAL, Unit.Kind.SUBORDINATE

DIRECTOR = T("Директор департамента", "Департамент директоры")
DIVISION_HEAD = T("Руководитель управления", "Басқарма басшысы")
CHAIRMAN = T("Председатель комитета", "Комитет төрағасы")
GENERAL_DIRECTOR = T("Генеральный директор", "Бас директор")


class UnitSpec(NamedTuple):
    """A unit, with the fields `unit_create` takes; its parent by code. `head_title`: the
    head's own position as their user account gives it (in Russian)."""

    code: str
    parent: str | None
    kind: str
    name: T
    short_name: T
    head_name: str
    head_position: T
    head_title: str


UNITS = (
    UnitSpec(
        "D01",
        None,
        STRUCTURAL,
        T(
            "Департамент стратегического планирования и анализа",
            "Стратегиялық жоспарлау және талдау департаменті",
        ),
        T("ДСПА", "СЖТД"),
        "Бекова Айгуль Сериковна",
        DIRECTOR,
        "Директор Департамента стратегического планирования и анализа",
    ),
    UnitSpec(
        "D01.1",
        "D01",
        STRUCTURAL,
        T("Управление мониторинга и оценки", "Мониторинг және бағалау басқармасы"),
        NONE,
        "Абенова Гульнара Маратқызы",
        DIVISION_HEAD,
        "Руководитель Управления мониторинга и оценки",
    ),
    UnitSpec(
        "D02",
        None,
        STRUCTURAL,
        T("Департамент управления водными ресурсами", "Су ресурстарын басқару департаменті"),
        T("ДУВР", "СРБД"),
        "Омаров Даулет Кайратович",
        DIRECTOR,
        "Директор Департамента управления водными ресурсами",
    ),
    UnitSpec(
        "D02.1",
        "D02",
        STRUCTURAL,
        T("Управление трансграничных рек", "Трансшекаралық өзендер басқармасы"),
        NONE,
        "Жаксылыкова Мадина Ерлановна",
        DIVISION_HEAD,
        "Руководитель Управления трансграничных рек",
    ),
    UnitSpec(
        "D03",
        None,
        STRUCTURAL,
        T("Департамент ирригации и дренажа", "Ирригация және дренаж департаменті"),
        T("ДИД", "ИДД"),
        "Исмаилов Ерлан Болатұлы",
        DIRECTOR,
        "Директор Департамента ирригации и дренажа",
    ),
    UnitSpec(
        "D03.1",
        "D03",
        STRUCTURAL,
        T("Управление водосберегающих технологий", "Су үнемдейтін технологиялар басқармасы"),
        NONE,
        "Кенжебаева Алия Нурлановна",
        DIVISION_HEAD,
        "Руководитель Управления водосберегающих технологий",
    ),
    UnitSpec(
        "D04",
        None,
        STRUCTURAL,
        T(
            "Департамент бюджетного планирования и финансов",
            "Бюджеттік жоспарлау және қаржы департаменті",
        ),
        T("ДБПФ", "БЖҚД"),
        "Султанбеков Тимур Аскарович",
        DIRECTOR,
        "Директор Департамента бюджетного планирования и финансов",
    ),
    UnitSpec(
        "D05",
        None,
        STRUCTURAL,
        T(
            "Департамент цифровизации и учета воды",
            "Цифрландыру және суды есепке алу департаменті",
        ),
        T("ДЦУВ", "ЦСЕД"),
        "Мырзахметов Азамат Ерболович",
        DIRECTOR,
        "Директор Департамента цифровизации и учета воды",
    ),
    UnitSpec(
        "D06",
        None,
        STRUCTURAL,
        T("Департамент юридической службы", "Заң қызметі департаменті"),
        T("ДЮС", "ЗҚД"),
        "Баймуханова Динара Сабитовна",
        DIRECTOR,
        "Директор Департамента юридической службы",
    ),
    UnitSpec(
        "C01",
        None,
        SUBORDINATE,
        T(
            "Комитет по регулированию, охране и использованию водных ресурсов",
            "Су ресурстарын реттеу, қорғау және пайдалану комитеті",
        ),
        T("Комитет водных ресурсов", "Су ресурстары комитеті"),
        "Рахимжанов Нурбол Жанатович",
        CHAIRMAN,
        "Председатель Комитета по регулированию, охране и использованию водных ресурсов",
    ),
    UnitSpec(
        "C01.1",
        "C01",
        SUBORDINATE,
        T(
            "Республиканское государственное предприятие на праве хозяйственного ведения "
            "«Казводресурс»",
            "«Қазсуресурс» шаруашылық жүргізу құқығындағы республикалық мемлекеттік кәсіпорны",
        ),
        T("РГП «Казводресурс»", "«Қазсуресурс» РМК"),
        "Есенов Бахыт Куанышевич",
        GENERAL_DIRECTOR,
        "Генеральный директор РГП «Казводресурс»",
    ),
    UnitSpec(
        "R01",
        None,
        SUBORDINATE,
        T(
            "Казахский научно-исследовательский институт водного хозяйства и мелиорации",
            "Қазақ су шаруашылығы және мелиорация ғылыми-зерттеу институты",
        ),
        T("КазНИИВХМ", "ҚазСШМҒЗИ"),
        "Жунусов Кайрат Амангельдиұлы",
        GENERAL_DIRECTOR,
        "Генеральный директор Казахского научно-исследовательского института водного "
        "хозяйства и мелиорации",
    ),
)

PROGRAMS = (
    (
        "001",
        T(
            "Услуги по формированию и реализации государственной политики в области водных "
            "ресурсов и ирригации",
            "Су ресурстары және ирригация саласындағы мемлекеттік саясатты қалыптастыру және "
            "іске асыру жөніндегі қызметтер",
        ),
    ),
    (
        "003",
        T(
            "Прикладные научные исследования в области водного хозяйства и мелиорации",
            "Су шаруашылығы және мелиорация саласындағы қолданбалы ғылыми зерттеулер",
        ),
    ),
    (
        "009",
        T(
            "Эксплуатация межгосударственных и республиканских водохозяйственных сооружений",
            "Мемлекетаралық және республикалық су шаруашылығы құрылыстарын пайдалану",
        ),
    ),
    (
        "027",
        T(
            "Строительство и реконструкция водохозяйственных объектов и оросительных систем",
            "Су шаруашылығы объектілері мен суару жүйелерін салу және реконструкциялау",
        ),
    ),
    (
        "052",
        T(
            "Целевые трансферты на развитие областным бюджетам на реконструкцию "
            "межхозяйственных оросительных сетей",
            "Облыстық бюджеттерге шаруашылықаралық суару желілерін реконструкциялауға "
            "берілетін дамуға арналған нысаналы трансферттер",
        ),
    ),
    (
        "105",
        T(
            "Цифровизация учета воды и национальной информационной системы водных ресурсов",
            "Суды есепке алуды және су ресурстарының ұлттық ақпараттық жүйесін цифрландыру",
        ),
    ),
)


class UserSpec(NamedTuple):
    """A user with their first role, with the fields `user_create` takes; the unit by code.
    Users' names and positions are not translated: the position is in Russian."""

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
    "Жумабаев",
    "Руслан",
    "Канатович",
    "Главный эксперт Департамента цифровизации и учета воды",
)
PLANNER = UserSpec(
    "planner",
    Role.PLANNER,
    None,
    "Касымова",
    "Жанна",
    "Талгатовна",
    "Главный эксперт Департамента стратегического планирования и анализа",
)
USERS = (  # the logins that `load_demo` prints: one for each role
    ADMINISTRATOR,
    PLANNER,
    UserSpec(
        "monitor",
        Role.MONITOR,
        None,
        "Абенов",
        "Марат",
        "Ержанович",
        "Главный эксперт Управления мониторинга и оценки",
    ),
    UserSpec(
        "official",
        Role.OFFICIAL,
        None,
        "Тулегенов",
        "Аскар",
        "Нурланович",
        "Ответственный секретарь",
    ),
    UserSpec(
        "viewer",
        Role.VIEWER,
        None,
        "Муханова",
        "Сауле",
        "Амановна",
        "Руководитель Службы внутреннего аудита",
    ),
    UserSpec(
        "executor",
        Role.EXECUTOR,
        "D02",
        "Нурпеисова",
        "Дана",
        "Маратовна",
        "Главный эксперт Департамента управления водными ресурсами",
    ),
    UserSpec(
        "executor2",
        Role.EXECUTOR,
        "C01.1",
        "Садыков",
        "Арман",
        "Бауыржанұлы",
        "Ведущий инженер производственного отдела РГП «Казводресурс»",
    ),
    UserSpec(
        "head",
        Role.UNIT_HEAD,
        "D02",
        "Омаров",
        "Даулет",
        "Кайратович",
        "Директор Департамента управления водными ресурсами",
    ),
)


def _head(unit: UnitSpec) -> UserSpec:
    """The head of a unit, as the unit names them, with a login made of the unit's code."""
    last_name, first_name, patronymic = unit.head_name.split()
    return UserSpec(
        f"head.{unit.code.lower()}",
        Role.UNIT_HEAD,
        unit.code,
        last_name,
        first_name,
        patronymic,
        unit.head_title,
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
        body = StateBody(
            code=DEMO_CODE,
            is_demo=True,
            budget_administrator_code=BUDGET_ADMINISTRATOR_CODE,
            **tr("name", BODY_NAME),
            **tr("short_name", BODY_SHORT_NAME),
        )
        body.full_clean()
        body._history_user = root
        body.save()
        admin = _user(body, ADMINISTRATOR, units={}, actor=root)
        units = _units(body, actor=admin)
        for code, name in PROGRAMS:
            org_services.budget_program_create(
                actor=admin, body=body, code=code, **tr("name", name)
            )
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
            actor=actor,
            body=body,
            order=order * 10,
            code=spec.code,
            parent=units[spec.parent] if spec.parent else None,
            kind=spec.kind,
            head_name=spec.head_name,
            **tr("name", spec.name),
            **tr("short_name", spec.short_name),
            **tr("head_position", spec.head_position),
        )
    return units


def _user(body: StateBody, spec: UserSpec, units: dict[str, Unit], *, actor: User) -> User:
    fields = spec._asdict()
    fields["unit"] = units[spec.unit] if spec.unit else None
    return org_services.user_create(actor=actor, body=body, password=DEMO_PASSWORD, **fields)
