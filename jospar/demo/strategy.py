"""The demo body's development plan for 2025–2029 (R3) with its amendment of June 2025, as the
planner enters them when the body starts using Jospar; and the amendment signed in November
2026, while the plan for 2027 is being drafted. Everything goes through
`jospar.strategy.services`, acting as the planner.
"""

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from jospar.demo.clock import on
from jospar.lib.records import delete_record
from jospar.orgs.models import StateBody, Unit, User
from jospar.strategy import services as strategy_services
from jospar.strategy.models import Amendment, DevelopmentPlan, Indicator

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

# When the planner entered the development plan, and when they entered the new amendment
# (Asia/Almaty).
STRATEGY_ENTERED = (2025, 11, 3, 14)
NEXT_AMENDMENT_ENTERED = (2026, 11, 20, 16)


class IndicatorSpec(NamedTuple):
    name: str
    unit_of_measure: str
    baseline: str  # for BASELINE_YEAR
    planned: tuple[str, str, str, str, str]  # for 2025 … 2029
    responsible: str  # unit code


BASELINE_YEAR = 2024
DIRECTIONS = {
    "1": "Ensuring the water security of the country",
    "2": "Modernisation of irrigation and growth of irrigated agriculture",
}
GOALS = {
    "1.1": "Reducing water losses and introducing automated water accounting",
    "1.2": "Safe operation of water management facilities and cooperation on transboundary rivers",
    "2.1": "Expanding irrigated land and returning unused land to agricultural use",
    "2.2": "Introducing water-saving technologies and the results of applied science",
}
# The indicators by the key the rest of the demo names them by, in the order they are entered:
# "M1.2" is macro indicator 2 of direction 1, "T1.1.2" target indicator 2 of goal 1.1.
INDICATORS = {
    "M1.1": IndicatorSpec(
        "Total water intake from surface and groundwater sources",
        "billion m³",
        "23.9",
        ("23.6", "23.3", "23.0", "22.6", "22.2"),
        "D02",
    ),
    "M1.2": IndicatorSpec(
        "Water losses during transportation in main and inter-farm canals",
        "%",
        "35.0",
        ("33.0", "31.0", "29.0", "27.0", "25.0"),
        "D03",
    ),
    "T1.1.1": IndicatorSpec(
        "Share of water intake points equipped with automated water metering",
        "%",
        "24.0",
        ("40.0", "55.0", "70.0", "85.0", "100.0"),
        "D05",
    ),
    "T1.1.2": IndicatorSpec(
        "Length of reconstructed main and inter-farm canals",
        "km",
        "310",
        ("450", "520", "600", "680", "750"),
        "C01.1",
    ),
    "T1.2.1": IndicatorSpec(
        "Share of hydraulic structures in satisfactory technical condition",
        "%",
        "61.0",
        ("64.0", "68.0", "72.0", "76.0", "80.0"),
        "D02",
    ),
    "T1.2.2": IndicatorSpec(
        "Number of interstate agreements and joint commission decisions on transboundary rivers "
        "implemented",
        "units",
        "4",
        ("5", "5", "6", "6", "7"),
        "D02.1",
    ),
    "M2.1": IndicatorSpec(
        "Area of irrigated land actually used",
        "thousand ha",
        "1480.0",
        ("1530.0", "1580.0", "1630.0", "1690.0", "1750.0"),
        "D03",
    ),
    "M2.2": IndicatorSpec(
        "Share of irrigated land under water-saving technologies",
        "%",
        "18.0",
        ("22.0", "26.0", "30.0", "35.0", "40.0"),
        "D03.1",
    ),
    "T2.1.1": IndicatorSpec(
        "Area of irrigated land returned to agricultural use",
        "thousand ha",
        "42.0",
        ("50.0", "55.0", "60.0", "65.0", "70.0"),
        "D03",
    ),
    "T2.1.2": IndicatorSpec(
        "Share of irrigated land in good reclamation condition",
        "%",
        "71.5",
        ("73.0", "75.0", "77.0", "79.0", "81.0"),
        "C01",
    ),
    "T2.2.1": IndicatorSpec(
        "Area of irrigated land under drip and sprinkler irrigation",
        "thousand ha",
        "265.0",
        ("320.0", "380.0", "450.0", "520.0", "600.0"),
        "D03.1",
    ),
    "T2.2.2": IndicatorSpec(
        "Number of applied research results introduced into practice",
        "units",
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
        plan = strategy_services.development_plan_create(actor=actor, body=body, **PLAN)
        amendment = strategy_services.amendment_create(actor=actor, plan=plan, **AMENDMENT)
        indicators: dict[str, Indicator] = {}

        def enter(prefix: str, **anchor) -> None:
            for key in INDICATORS:
                if key.startswith(prefix):
                    indicators[key] = _indicator(plan, key, units, actor=actor, **anchor)

        for d_key, name in DIRECTIONS.items():
            direction = strategy_services.direction_create(
                actor=actor, plan=plan, number=int(d_key), name=name
            )
            enter(f"M{d_key}.", kind=Indicator.Kind.MACRO, direction=direction)
            for g_key, name in GOALS.items():
                if g_key.startswith(f"{d_key}."):
                    goal = strategy_services.goal_create(
                        actor=actor,
                        plan=plan,
                        direction=direction,
                        number=_number(g_key),
                        name=name,
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
        name=spec.name,
        unit_of_measure=spec.unit_of_measure,
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
