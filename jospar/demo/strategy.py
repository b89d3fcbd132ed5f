"""The demo body's development plan for 2025–2029 (R3) with its amendment of June 2025, as the
planner enters them when the body starts using Jospar; and the amendment signed in November
2026, while the plan for 2027 is being drafted. Everything goes through
`jospar.strategy.services`, acting as the planner.
"""

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from jospar.demo.clock import on
from jospar.demo.texts import T, tr
from jospar.lib.records import delete_record
from jospar.orgs.models import StateBody, Unit, User
from jospar.strategy import services as strategy_services
from jospar.strategy.models import Amendment, DevelopmentPlan, Indicator

PLAN_TITLE = T(
    "План развития Министерства водных ресурсов и ирригации Республики Казахстан "
    "на 2025–2029 годы (демо)",
    "Қазақстан Республикасы Су ресурстары және ирригация министрлігінің 2025–2029 жылдарға "
    "арналған даму жоспары (демо)",
)
PLAN = {
    "start_year": 2025,
    "end_year": 2029,
    "signed_on": dt.date(2024, 12, 27),
    "document": "Приказ Министра водных ресурсов и ирригации Республики Казахстан "
    "от 27 декабря 2024 года № 318",
}
AMENDMENT = {
    "signed_on": dt.date(2025, 6, 13),
    "document": "Приказ Министра водных ресурсов и ирригации Республики Казахстан "
    "от 13 июня 2025 года № 152",
    "description": "Плановые значения целевого индикатора 1.1.2 (протяженность "
    "реконструированных каналов) на 2026–2029 годы пересмотрены по итогам уточнения бюджета; "
    "ответственным за целевой индикатор 2.2.2 определен научно-исследовательский институт.",
}
# Signed while the 2027 plan is being drafted: the draft moves onto it, and R6's ten days for
# approving the 2027 plan run from it (to 30 November 2026).
NEXT_AMENDMENT = {
    "signed_on": dt.date(2026, 11, 20),
    "document": "Приказ Министра водных ресурсов и ирригации Республики Казахстан "
    "от 20 ноября 2026 года № 287",
    "description": "Цель 2.2 дополнена повторным использованием коллекторно-дренажных вод для "
    "орошения после принятия республиканского бюджета на 2027–2029 годы; плановые значения "
    "индикаторов не изменились.",
}

# When the planner entered the development plan, and when they entered the new amendment
# (Asia/Almaty).
STRATEGY_ENTERED = (2025, 11, 3, 14)
NEXT_AMENDMENT_ENTERED = (2026, 11, 20, 16)


class IndicatorSpec(NamedTuple):
    name: T
    unit_of_measure: T
    baseline: str  # for BASELINE_YEAR
    planned: tuple[str, str, str, str, str]  # for 2025 … 2029
    responsible: str  # unit code


PERCENT = T("%", "%")
KM = T("км", "км")
BILLION_M3 = T("млрд м³", "млрд м³")
THOUSAND_HA = T("тыс. га", "мың га")
UNITS_OF = T("единиц", "бірлік")

BASELINE_YEAR = 2024
DIRECTIONS = {
    "1": T("Обеспечение водной безопасности страны", "Елдің су қауіпсіздігін қамтамасыз ету"),
    "2": T(
        "Модернизация ирригации и развитие орошаемого земледелия",
        "Ирригацияны жаңғырту және суармалы егіншілікті дамыту",
    ),
}
GOALS = {
    "1.1": T(
        "Снижение потерь воды и внедрение автоматизированного учета воды",
        "Су шығынын азайту және суды автоматтандырылған есепке алуды енгізу",
    ),
    "1.2": T(
        "Безопасная эксплуатация водохозяйственных сооружений и сотрудничество по "
        "трансграничным рекам",
        "Су шаруашылығы құрылыстарын қауіпсіз пайдалану және трансшекаралық өзендер бойынша "
        "ынтымақтастық",
    ),
    "2.1": T(
        "Расширение орошаемых земель и возврат неиспользуемых земель в сельскохозяйственный оборот",
        "Суармалы жерлерді кеңейту және пайдаланылмай жатқан жерлерді ауыл шаруашылығы "
        "айналымына қайтару",
    ),
    "2.2": T(
        "Внедрение водосберегающих технологий и результатов прикладной науки",
        "Су үнемдейтін технологияларды және қолданбалы ғылымның нәтижелерін енгізу",
    ),
}
# The indicators by the key the rest of the demo names them by, in the order they are entered:
# "M1.2" is macro indicator 2 of direction 1, "T1.1.2" target indicator 2 of goal 1.1.
INDICATORS = {
    "M1.1": IndicatorSpec(
        T(
            "Общий объем забора воды из поверхностных и подземных источников",
            "Жерүсті және жерасты көздерінен алынатын судың жалпы көлемі",
        ),
        BILLION_M3,
        "23.9",
        ("23.6", "23.3", "23.0", "22.6", "22.2"),
        "D02",
    ),
    "M1.2": IndicatorSpec(
        T(
            "Потери воды при транспортировке по магистральным и межхозяйственным каналам",
            "Магистральдық және шаруашылықаралық каналдар арқылы тасымалдау кезіндегі су шығыны",
        ),
        PERCENT,
        "35.0",
        ("33.0", "31.0", "29.0", "27.0", "25.0"),
        "D03",
    ),
    "T1.1.1": IndicatorSpec(
        T(
            "Доля водозаборов, оснащенных автоматизированными средствами учета воды",
            "Суды есепке алудың автоматтандырылған құралдарымен жарақтандырылған су алу "
            "орындарының үлесі",
        ),
        PERCENT,
        "24.0",
        ("40.0", "55.0", "70.0", "85.0", "100.0"),
        "D05",
    ),
    "T1.1.2": IndicatorSpec(
        T(
            "Протяженность реконструированных магистральных и межхозяйственных каналов",
            "Реконструкцияланған магистральдық және шаруашылықаралық каналдардың ұзындығы",
        ),
        KM,
        "310",
        ("450", "520", "600", "680", "750"),
        "C01.1",
    ),
    "T1.2.1": IndicatorSpec(
        T(
            "Доля гидротехнических сооружений в удовлетворительном техническом состоянии",
            "Техникалық жай-күйі қанағаттанарлық гидротехникалық құрылыстардың үлесі",
        ),
        PERCENT,
        "61.0",
        ("64.0", "68.0", "72.0", "76.0", "80.0"),
        "D02",
    ),
    "T1.2.2": IndicatorSpec(
        T(
            "Количество реализованных межгосударственных соглашений и решений совместных "
            "комиссий по трансграничным рекам",
            "Трансшекаралық өзендер бойынша іске асырылған мемлекетаралық келісімдер мен "
            "бірлескен комиссиялар шешімдерінің саны",
        ),
        UNITS_OF,
        "4",
        ("5", "5", "6", "6", "7"),
        "D02.1",
    ),
    "M2.1": IndicatorSpec(
        T(
            "Площадь фактически используемых орошаемых земель",
            "Іс жүзінде пайдаланылатын суармалы жерлердің алаңы",
        ),
        THOUSAND_HA,
        "1480.0",
        ("1530.0", "1580.0", "1630.0", "1690.0", "1750.0"),
        "D03",
    ),
    "M2.2": IndicatorSpec(
        T(
            "Доля орошаемых земель, на которых применяются водосберегающие технологии",
            "Су үнемдейтін технологиялар қолданылатын суармалы жерлердің үлесі",
        ),
        PERCENT,
        "18.0",
        ("22.0", "26.0", "30.0", "35.0", "40.0"),
        "D03.1",
    ),
    "T2.1.1": IndicatorSpec(
        T(
            "Площадь орошаемых земель, возвращенных в сельскохозяйственный оборот",
            "Ауыл шаруашылығы айналымына қайтарылған суармалы жерлердің алаңы",
        ),
        THOUSAND_HA,
        "42.0",
        ("50.0", "55.0", "60.0", "65.0", "70.0"),
        "D03",
    ),
    "T2.1.2": IndicatorSpec(
        T(
            "Доля орошаемых земель в хорошем мелиоративном состоянии",
            "Мелиоративтік жай-күйі жақсы суармалы жерлердің үлесі",
        ),
        PERCENT,
        "71.5",
        ("73.0", "75.0", "77.0", "79.0", "81.0"),
        "C01",
    ),
    "T2.2.1": IndicatorSpec(
        T(
            "Площадь орошаемых земель под капельным орошением и дождеванием",
            "Тамшылатып және жаңбырлатып суарылатын суармалы жерлердің алаңы",
        ),
        THOUSAND_HA,
        "265.0",
        ("320.0", "380.0", "450.0", "520.0", "600.0"),
        "D03.1",
    ),
    "T2.2.2": IndicatorSpec(
        T(
            "Количество результатов прикладных научных исследований, внедренных в практику",
            "Тәжірибеге енгізілген қолданбалы ғылыми зерттеулер нәтижелерінің саны",
        ),
        UNITS_OF,
        "6",
        ("8", "9", "10", "11", "12"),
        "R01",
    ),
}


class Development(NamedTuple):
    """The development plan as loaded: the plan, the amendment that the operational plans rest
    on, and its indicators by key."""

    plan: DevelopmentPlan
    amendment: Amendment
    indicators: dict[str, Indicator]


def load_development_plan(body: StateBody, units: dict[str, Unit], *, actor: User) -> Development:
    """The plan, its amendment and its indicators, entered direction by direction: the
    direction, its macro indicators, then each of its goals with its target indicators."""
    with on(STRATEGY_ENTERED):
        plan = strategy_services.development_plan_create(
            actor=actor, body=body, **tr("title", PLAN_TITLE), **PLAN
        )
        amendment = strategy_services.amendment_create(actor=actor, plan=plan, **AMENDMENT)
        indicators: dict[str, Indicator] = {}

        def enter(prefix: str, **anchor) -> None:
            for key in INDICATORS:
                if key.startswith(prefix):
                    indicators[key] = _indicator(plan, key, units, actor=actor, **anchor)

        for d_key, name in DIRECTIONS.items():
            direction = strategy_services.direction_create(
                actor=actor, plan=plan, number=int(d_key), **tr("name", name)
            )
            enter(f"M{d_key}.", kind=Indicator.Kind.MACRO, direction=direction)
            for g_key, name in GOALS.items():
                if g_key.startswith(f"{d_key}."):
                    goal = strategy_services.goal_create(
                        actor=actor,
                        plan=plan,
                        direction=direction,
                        number=_number(g_key),
                        **tr("name", name),
                    )
                    enter(f"T{g_key}.", kind=Indicator.Kind.TARGET, goal=goal)
    return Development(plan, amendment, indicators)


def _number(key: str) -> int:
    """The number of a goal or an indicator within its parent: the last part of its key."""
    return int(key.rsplit(".", 1)[1])


def _indicator(plan: DevelopmentPlan, key: str, units: dict[str, Unit], *, actor, **anchor):
    spec = INDICATORS[key]
    return strategy_services.indicator_create(
        actor=actor,
        plan=plan,
        number=_number(key),
        **tr("name", spec.name),
        **tr("unit_of_measure", spec.unit_of_measure),
        baseline_year=BASELINE_YEAR,
        baseline=Decimal(spec.baseline),
        responsible_unit=units[spec.responsible],
        values={year: Decimal(value) for year, value in zip(plan.years, spec.planned, strict=True)},
        **anchor,
    )


def amend(plan: DevelopmentPlan, *, actor: User) -> Amendment:
    """The amendment of November 2026 (NEXT_AMENDMENT)."""
    with on(NEXT_AMENDMENT_ENTERED):
        return strategy_services.amendment_create(actor=actor, plan=plan, **NEXT_AMENDMENT)


def remove_strategy(body: StateBody, *, actor: User) -> None:
    """Delete the body's development plans (their indicators protect the units they name); the
    operational plans that rest on them must be gone already."""
    for plan in DevelopmentPlan.objects.filter(body=body):
        delete_record(plan, actor=actor)
