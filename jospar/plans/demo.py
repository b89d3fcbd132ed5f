"""The demo body's operational plan for 2026: tasks from its regulation, the plan in draft with
an action for every indicator of the year, and proposals of a unit in each state (R5).

Called by `jospar.orgs.demo`, which creates the body, its units, users and development plan.
Everything goes through the services of `jospar.plans`, acting as the user who would do it in
the app: the planner assembles the plan, the executor proposes, the unit head signs off.
"""

import datetime as dt
from typing import NamedTuple

from jospar.lib.records import delete_record
from jospar.orgs.models import BudgetProgram, StateBody, Unit, User
from jospar.plans import services
from jospar.plans.models import Action, CompletionForm, OperationalPlan, Proposal, RegulationTask
from jospar.plans.terms import TermKind
from jospar.strategy.models import Amendment, DevelopmentPlan, Indicator

PLAN_YEAR = 2026
PLANNING_UNIT = "D01"  # the Department of Strategic Planning and Analysis
PROPOSING_UNIT = "D02"  # the unit of the demo executor and unit head

TASKS = (
    (
        1,
        "Improving the legislation of the Republic of Kazakhstan in the field of the use and "
        "protection of the water fund, water supply and water disposal",
    ),
    (
        2,
        "Organising budget planning and ensuring the effective use of budget funds allocated "
        "to the ministry",
    ),
    (
        3,
        "Informing the public about the activities of the ministry and the state of the "
        "country's water resources",
    ),
    (
        4,
        "Digital transformation of water management and the provision of public services in "
        "electronic form",
    ),
)


# Terms of execution, as the plan writes them.
def by(month: int, day: int) -> dict:
    return {"term_kind": TermKind.DATE, "term_date": dt.date(PLAN_YEAR, month, day)}


def in_month(month: int) -> dict:
    return {"term_kind": TermKind.MONTH, "term_month": month}


def in_quarter(quarter: int) -> dict:
    return {"term_kind": TermKind.QUARTER, "term_quarter": quarter}


def in_half(half: int) -> dict:
    return {"term_kind": TermKind.HALF, "term_half": half}


DURING_THE_YEAR = {"term_kind": TermKind.YEAR}
MONTHLY = {"term_kind": TermKind.MONTHLY}
QUARTERLY = {"term_kind": TermKind.QUARTERLY}
SEMIANNUALLY = {"term_kind": TermKind.SEMIANNUAL}


class ActionSpec(NamedTuple):
    """A row of the plan. `anchor` is an indicator key of the demo development plan ("M1.2":
    direction 1, macro indicator 2; "T1.1.2": goal 1.1, target indicator 2) or "II.n" for
    task n of the regulation. `form` names a shared form of completion; `text` is free text."""

    anchor: str
    name: str
    programs: tuple[str, ...]
    lead: str
    co_executors: tuple[str, ...]
    term: dict
    form: str = ""
    text: str = ""


ACTIONS = (
    # I. Strategic direction 1. Ensuring the water security of the country
    ActionSpec(
        "M1.1",
        "Approval of the limits of water use for 2026 by water management basins and by "
        "branches of the economy",
        ("001",),
        "C01",
        ("D02",),
        by(2, 15),
        form="Order of the Minister",
    ),
    ActionSpec(
        "M1.1",
        "Monitoring of water intake by water users against the approved limits of water use",
        ("001",),
        "C01",
        ("D05",),
        QUARTERLY,
        form="Information to the management",
    ),
    ActionSpec(
        "M1.2",
        "Lining of 85 km of main and inter-farm canals with concrete and geomembrane in "
        "Kyzylorda and Zhambyl regions",
        ("027",),
        "C01.1",
        ("D03",),
        in_quarter(4),
        form="Act of acceptance",
    ),
    ActionSpec(
        "M1.2",
        "Inventory of the technical condition of main canals with the measurement of actual "
        "water losses during transportation by canal section",
        ("009",),
        "C01",
        ("C01.1", "R01"),
        in_half(1),
        form="Report",
    ),
    ActionSpec(
        "T1.1.1",
        "Installation of automated water metering and data transmission equipment at 600 water "
        "intake points of main and inter-farm canals",
        ("105", "009"),
        "D05",
        ("C01.1",),
        in_quarter(3),
        form="Act of acceptance",
    ),
    ActionSpec(
        "T1.1.1",
        "Integration of automated water metering data into the National Water Resources "
        "Information System",
        ("105",),
        "D05",
        (),
        by(11, 30),
        text="Act of commissioning of the integration module",
    ),
    ActionSpec(
        "T1.1.2",
        "Reconstruction of 150 km of irrigation canals in Turkestan region",
        ("027", "052"),
        "C01.1",
        ("D03",),
        in_month(12),
        form="Act of acceptance",
    ),
    ActionSpec(
        "T1.1.2",
        "Reconstruction of 60 km of inter-farm canals of the Kazaly and Karmakshy irrigation "
        "systems in Kyzylorda region",
        ("052",),
        "C01.1",
        ("D04",),
        in_quarter(4),
        form="Act of acceptance",
    ),
    ActionSpec(
        "T1.1.2",
        "Conclusion of agreements on target transfers with the akimats of Turkestan, Kyzylorda "
        "and Zhambyl regions for the reconstruction of inter-farm irrigation networks",
        ("052",),
        "D04",
        ("D03",),
        by(2, 27),
        form="Agreement (contract)",
    ),
    ActionSpec(
        "T1.2.1",
        "Multifactor safety inspection of 45 hydraulic structures of classes I–II with the "
        "preparation of safety declarations",
        ("009",),
        "C01",
        ("C01.1",),
        in_half(2),
        form="Report",
    ),
    ActionSpec(
        "T1.2.1",
        "Repair and restoration of 12 water-retaining structures damaged by the 2024 floods in "
        "Aktobe, West Kazakhstan and Atyrau regions",
        ("027",),
        "C01.1",
        ("D02",),
        in_quarter(3),
        form="Act of acceptance",
    ),
    ActionSpec(
        "T1.2.1",
        "Preparation of water management facilities for the passage of spring floods",
        ("009",),
        "D02",
        ("C01",),
        by(3, 1),
        form="Information to the Government",
    ),
    ActionSpec(
        "T1.2.2",
        "Holding the regular meeting of the Kazakh-Chinese Joint Commission on the use and "
        "protection of transboundary rivers",
        ("001",),
        "D02.1",
        (),
        in_quarter(3),
        form="Protocol",
    ),
    ActionSpec(
        "T1.2.2",
        "Preparation of the draft agreement between the Republic of Kazakhstan and the Republic "
        "of Uzbekistan on the joint management of the water resources of the Syr Darya basin",
        (),
        "D02.1",
        ("D06",),
        in_half(2),
        text="Draft agreement submitted for internal state procedures",
    ),
    # I. Strategic direction 2. Modernisation of irrigation and growth of irrigated agriculture
    ActionSpec(
        "M2.1",
        "Analysis of the use of irrigated land by region with the identification of land not "
        "used for more than two years",
        ("001",),
        "D03",
        ("C01",),
        in_quarter(2),
        form="Information to the Government",
    ),
    ActionSpec(
        "M2.1",
        "Approval of the schedules of irrigation water supply to water users for the 2026 "
        "growing season",
        ("009",),
        "C01",
        ("D03",),
        by(4, 1),
        form="Joint order",
    ),
    ActionSpec(
        "M2.2",
        "Development of amendments to the rules for subsidising the cost of water-saving "
        "irrigation systems (raising the subsidy share to 80%)",
        ("001",),
        "D03.1",
        ("D06", "D04"),
        in_quarter(2),
        form="Order of the Minister",
    ),
    ActionSpec(
        "M2.2",
        "Monitoring of the introduction of water-saving technologies by region",
        (),
        "D03.1",
        (),
        MONTHLY,
        form="Information to the management",
    ),
    ActionSpec(
        "T2.1.1",
        "Return of 5 thousand ha of irrigated land to agricultural use in Almaty and Zhetysu "
        "regions after the reconstruction of collector-drainage networks",
        ("027", "052"),
        "D03",
        ("C01.1",),
        in_quarter(4),
        form="Information to the Government",
    ),
    ActionSpec(
        "T2.1.2",
        "Cleaning of 1,200 km of collector-drainage networks in Turkestan, Kyzylorda and "
        "Zhambyl regions",
        ("009",),
        "C01.1",
        ("C01",),
        in_quarter(3),
        form="Act of acceptance",
    ),
    ActionSpec(
        "T2.1.2",
        "Reclamation monitoring of irrigated land (groundwater level and soil salinity) at "
        "2,500 observation wells",
        ("009",),
        "C01",
        ("R01",),
        SEMIANNUALLY,
        form="Report",
    ),
    ActionSpec(
        "T2.2.1",
        "Introduction of drip and sprinkler irrigation on 60 thousand ha with the subsidising "
        "of investment costs",
        (),
        "D03.1",
        ("C01",),
        DURING_THE_YEAR,
        form="Information to the Government",
    ),
    ActionSpec(
        "T2.2.1",
        "Regional seminars for farmers on water-saving irrigation technologies in six regions",
        ("003",),
        "R01",
        ("D03.1",),
        in_half(1),
        form="Publication in the media",
    ),
    ActionSpec(
        "T2.2.2",
        "Completion of applied research on the drip irrigation of cotton and rice on saline "
        "soils and transfer of the results to farms",
        ("003",),
        "R01",
        (),
        in_quarter(4),
        form="Report",
    ),
    ActionSpec(
        "T2.2.2",
        "Preparation of methodological recommendations on water-saving irrigation regimes of "
        "crops for the southern regions",
        ("003",),
        "R01",
        ("D03.1",),
        in_month(10),
        form="Methodological recommendations",
    ),
    # II. Other tasks set by the regulation on the ministry
    ActionSpec(
        "II.1",
        "Development of the draft Law of the Republic of Kazakhstan «On amendments and "
        "additions to certain legislative acts of the Republic of Kazakhstan on water issues»",
        ("001",),
        "D06",
        ("D02", "D03"),
        by(9, 1),
        form="Draft law",
    ),
    ActionSpec(
        "II.2",
        "Preparation of the budget application of the ministry for 2027–2029",
        ("001",),
        "D04",
        ("D01",),
        by(5, 15),
        form="Information to the Ministry of National Economy",
    ),
    ActionSpec(
        "II.3",
        "Publication of information on the implementation of the operational plan and of water "
        "management projects on the Internet resource of the ministry",
        (),
        "D01",
        ("D05",),
        QUARTERLY,
        form="Publication in the media",
    ),
    ActionSpec(
        "II.4",
        "Launch of the public service «Issuance of a permit for special water use» on the "
        "e-government portal",
        ("105",),
        "D05",
        ("C01",),
        in_half(2),
        form="Act of acceptance",
    ),
)


class ProposalSpec(NamedTuple):
    """A proposal of the executor's unit (it leads the action unless it says otherwise)."""

    anchor: str
    name: str
    programs: tuple[str, ...]
    co_executors: tuple[str, ...]
    term: dict
    form: str


# Accepted by the planner (who adds co-executors), signed off and waiting, still a draft.
ACCEPTED = ProposalSpec(
    "M1.1",
    "Development of the water balance of the Republic of Kazakhstan for 2026 by the eight water "
    "management basins",
    ("001",),
    ("C01",),
    in_quarter(3),
    "Report",
)
ACCEPTED_EDITS = {"co_executors": ("C01", "R01")}
SIGNED = ProposalSpec(
    "T1.2.1",
    "Drawing up the schedule of capital repairs of republican hydraulic structures for "
    "2027–2029 on the results of the 2026 safety inspection",
    ("009",),
    ("C01",),
    in_quarter(4),
    "Order of the Minister",
)
DRAFT = ProposalSpec(
    "M1.1",
    "Proposals on tariffs for irrigation water supply services differentiated by the "
    "water-saving technology used",
    (),
    ("D04",),
    in_half(2),
    "Information to the Government",
)


def load_plan(
    body: StateBody,
    development_plan: DevelopmentPlan,
    amendment: Amendment,
    indicators: dict[str, Indicator],
    units: dict[str, Unit],
    users: dict[str, User],
) -> OperationalPlan:
    """The tasks, the draft plan for PLAN_YEAR and the proposals; `users` by demo login."""
    planner, executor, head = users["planner"], users["executor"], users["head"]
    tasks = {
        f"II.{number}": services.task_create(actor=planner, body=body, number=number, name=name)
        for number, name in TASKS
    }
    plan = services.plan_create(
        actor=planner,
        body=body,
        year=PLAN_YEAR,
        development_plan=development_plan,
        basis_amendment=amendment,
        planning_unit=units[PLANNING_UNIT],
    )
    programs = {p.code: p for p in BudgetProgram.objects.filter(body=body)}
    forms = {f.name: f for f in CompletionForm.objects.filter(body=None)}

    def anchor(key: str) -> dict:
        return {"task": tasks[key]} if key.startswith("II.") else {"indicator": indicators[key]}

    def content(spec) -> dict:
        return {
            **anchor(spec.anchor),
            "name": spec.name,
            "budget_programs": [programs[code] for code in spec.programs],
            "co_executors": [units[code] for code in spec.co_executors],
            **spec.term,
        }

    for spec in ACTIONS:
        services.action_create(
            actor=planner,
            plan=plan,
            lead_unit=units[spec.lead],
            completion_form=forms[spec.form] if spec.form else None,
            completion_text=spec.text,
            **content(spec),
        )

    unit = units[PROPOSING_UNIT]
    proposals = [
        services.proposal_create(
            actor=executor,
            plan=plan,
            unit=unit,
            completion_form=forms[spec.form],
            **content(spec),
        )
        for spec in (ACCEPTED, SIGNED, DRAFT)
    ]
    accepted, signed, _draft = proposals
    for proposal in (accepted, signed):
        services.proposal_sign(actor=head, proposal=proposal)
    services.proposal_accept(
        actor=planner,
        proposal=accepted,
        co_executors=[units[code] for code in ACCEPTED_EDITS["co_executors"]],
    )
    return plan


def remove_plans(body: StateBody, *, actor: User) -> None:
    """Delete the body's operational plans with their actions and proposals, its tasks and its
    own forms of completion, one record at a time so that the history records who deleted
    them. The actions first: they hold on to indicators, units, tasks and forms."""
    for model in (Action, Proposal):
        for record in model.objects.filter(plan__body=body):
            delete_record(record, actor=actor)
    for plan in OperationalPlan.objects.filter(body=body):
        delete_record(plan, actor=actor)
    for task in RegulationTask.objects.filter(body=body):
        delete_record(task, actor=actor)
    for form in CompletionForm.objects.filter(body=body):
        delete_record(form, actor=actor)
