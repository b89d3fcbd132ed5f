"""The demo body's operational plans: tasks from its regulation; the plan for 2026, with an
action for every indicator of the year, submitted by the planner and approved by the official
in January (revision 1, which the quarters of 2026 are monitored against); and the plan for
2027 in draft, with proposals of a unit in each state (R5).

Loaded after the body (`jospar.demo.orgs`) and its development plan (`jospar.demo.strategy`).
Everything goes through the services of `jospar.plans`, acting as the user who would do it in
the app: the planner assembles the plan, the executor proposes, the unit head signs off, the
official approves. Each step happens on its own date (`on`), so that the history, the approval
date and its lateness (R6) read as they would in a body that has used Jospar since late 2025.
"""

import datetime as dt
from typing import NamedTuple

from django.db import router

from jospar.demo.clock import NEXT_YEAR, PLAN_YEAR, on
from jospar.demo.strategy import Development
from jospar.lib.records import delete_record
from jospar.orgs.models import BudgetProgram, StateBody, Unit, User
from jospar.plans import services
from jospar.plans.models import (
    Action,
    CompletionForm,
    OperationalPlan,
    Proposal,
    RegulationTask,
    Revision,
    RevisionAction,
    RevisionHeading,
)
from jospar.plans.terms import TermKind
from jospar.strategy.models import Amendment, Indicator

PLANNING_UNIT = "D01"  # the Department of Strategic Planning and Analysis
PROPOSING_UNIT = "D02"  # the unit of the demo executor and unit head

# The demo's calendar (Asia/Almaty): the plan for 2026 is assembled in November 2025,
# submitted before the New Year and approved after the holidays; planning for 2027 starts
# in October 2026, when the units' proposals come in (R5).
ASSEMBLED = (2025, 11, 10, 10)
SUBMITTED = (2025, 12, 26, 16)
APPROVED = (2026, 1, 8, 11)
NEXT_STARTED = (2026, 10, 19, 10)
PROPOSED = (2026, 10, 21, 15)
PROPOSALS_SIGNED = (2026, 10, 23, 11)
PROPOSAL_ACCEPTED = (2026, 11, 3, 12)
REBASED = (2026, 11, 23, 10)  # the 2027 plan moves onto the development plan's new amendment


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
def by(month: int, day: int, year: int = PLAN_YEAR) -> dict:
    return {"term_kind": TermKind.DATE, "term_date": dt.date(year, month, day)}


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
    """A row of the plan. `key` names it for the demo's monitoring script. `anchor` is an
    indicator key of the demo development plan ("M1.2": direction 1, macro indicator 2;
    "T1.1.2": goal 1.1, target indicator 2) or "II.n" for task n of the regulation. `form`
    names a shared form of completion; `text` is free text."""

    key: str
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
        "limits",
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
        "intake",
        "M1.1",
        "Monitoring of water intake by water users against the approved limits of water use",
        ("001",),
        "C01",
        ("D05",),
        QUARTERLY,
        form="Information to the management",
    ),
    ActionSpec(
        "lining",
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
        "inventory",
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
        "metering",
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
        "integration",
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
        "turkestan",
        "T1.1.2",
        "Reconstruction of 150 km of irrigation canals in Turkestan region",
        ("027", "052"),
        "C01.1",
        ("D03",),
        in_month(12),
        form="Act of acceptance",
    ),
    ActionSpec(
        "kyzylorda",
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
        "transfers",
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
        "inspection",
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
        "flood-repair",
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
        "floods",
        "T1.2.1",
        "Preparation of water management facilities for the passage of spring floods",
        ("009",),
        "D02",
        ("C01",),
        by(3, 1),
        form="Information to the Government",
    ),
    ActionSpec(
        "china",
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
        "uzbekistan",
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
        "land-analysis",
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
        "schedules",
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
        "subsidy-rules",
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
        "saving-monitoring",
        "M2.2",
        "Monitoring of the introduction of water-saving technologies by region",
        (),
        "D03.1",
        (),
        MONTHLY,
        form="Information to the management",
    ),
    ActionSpec(
        "land-return",
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
        "drainage",
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
        "reclamation",
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
        "drip",
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
        "seminars",
        "T2.2.1",
        "Regional seminars for farmers on water-saving irrigation technologies in six regions",
        ("003",),
        "R01",
        ("D03.1",),
        in_half(1),
        form="Publication in the media",
    ),
    ActionSpec(
        "research",
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
        "recommendations",
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
        "draft-law",
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
        "budget",
        "II.2",
        "Preparation of the budget application of the ministry for 2027–2029",
        ("001",),
        "D04",
        ("D01",),
        by(5, 15),
        form="Information to the Ministry of National Economy",
    ),
    ActionSpec(
        "publication",
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
        "e-service",
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


def again(of: str, name: str = "", **changes) -> ActionSpec:
    """The action `of` of the plan for PLAN_YEAR planned again for NEXT_YEAR: the same indicator
    or task, budget programs, executors, term and form of completion, under `name` (unless it
    keeps its own), with `changes` to any of them (and to its key, "`of`-NEXT_YEAR")."""
    spec = next(spec for spec in ACTIONS if spec.key == of)
    return spec._replace(**{"key": f"{of}-{NEXT_YEAR}", "name": name or spec.name, **changes})


# The plan for 2027, as far as the planner has got by late November 2026: an action for
# every indicator with a value for 2027 (the accepted proposal covers M1.1), so that it passes
# the completeness check and can be submitted, and two actions for the regulation's tasks. Each
# carries on an action of 2026.
NEXT_ACTIONS = (
    again(
        "lining",
        "Lining of 120 km of main canals with concrete and geomembrane in Turkestan and "
        "Kyzylorda regions",
    ),
    again(
        "metering",
        "Installation of automated water metering and data transmission equipment at a further "
        "450 water intake points",
        programs=("105",),
    ),
    again(
        "kyzylorda",
        "Reconstruction of 80 km of inter-farm irrigation canals in Zhambyl region",
        key="zhambyl-2027",
        term=in_month(12),
    ),
    again(
        "inspection",
        "Multifactor safety inspection of 40 hydraulic structures of class III with the "
        "preparation of safety declarations",
    ),
    again(
        "china",
        "Holding the meeting of the Kazakh-Uzbek working group on the joint management of the "
        "water resources of the Syr Darya basin",
        key="uzbekistan-2027",
        term=in_quarter(2),
    ),
    again(
        "schedules",
        "Approval of the schedules of irrigation water supply to water users for the 2027 "
        "growing season",
        term=by(4, 1, NEXT_YEAR),
    ),
    again("saving-monitoring"),
    again(
        "land-return",
        "Return of 6 thousand ha of unused irrigated land to agricultural use in Turkestan and "
        "Kyzylorda regions",
    ),
    again(
        "reclamation",
        "Reclamation monitoring of irrigated land (groundwater level and soil salinity) at "
        "2,700 observation wells",
    ),
    again(
        "drip",
        "Introduction of drip and sprinkler irrigation on 70 thousand ha with the subsidising "
        "of investment costs at the raised share of 80%",
    ),
    again(
        "research",
        "Applied research on the reuse of collector-drainage water for irrigation in the lower "
        "reaches of the Syr Darya",
    ),
    again(
        "budget",
        "Preparation of the budget application of the ministry for 2028–2030",
        term=by(5, 14, NEXT_YEAR),
    ),
    again(
        "publication",
        "Publication of information on the implementation of the operational plan on the "
        "Internet resource of the ministry",
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


# For 2027: accepted by the planner (who adds co-executors), signed off and waiting, a draft.
ACCEPTED = ProposalSpec(
    "M1.1",
    "Development of the water balance of the Republic of Kazakhstan for 2027 by the eight water "
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
    "2028–2029 on the results of the 2026 safety inspection",
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


class _Content:
    """Turns a spec into the fields the services take, with the body's reference data."""

    def __init__(self, body, indicators: dict[str, Indicator], units: dict[str, Unit]):
        self.indicators, self.units = indicators, units
        self.tasks = {f"II.{t.number}": t for t in RegulationTask.objects.filter(body=body)}
        self.programs = {p.code: p for p in BudgetProgram.objects.filter(body=body)}
        self.forms = {f.name: f for f in CompletionForm.objects.filter(body=None)}

    def __call__(self, spec) -> dict:
        key = spec.anchor
        if key.startswith("II."):
            anchor = {"task": self.tasks[key]}
        else:
            anchor = {"indicator": self.indicators[key]}
        return {
            **anchor,
            "name": spec.name,
            "budget_programs": [self.programs[code] for code in spec.programs],
            "co_executors": [self.units[code] for code in spec.co_executors],
            **spec.term,
        }

    def actions(self, plan: OperationalPlan, specs, *, actor: User) -> dict[str, Action]:
        return {
            spec.key: services.action_create(
                actor=actor,
                plan=plan,
                lead_unit=self.units[spec.lead],
                completion_form=self.forms[spec.form] if spec.form else None,
                completion_text=spec.text,
                **self(spec),
            )
            for spec in specs
        }


def load_plan(
    body: StateBody, development: Development, units: dict[str, Unit], users: dict[str, User]
) -> tuple[OperationalPlan, dict[str, Action]]:
    """The tasks and the plan for PLAN_YEAR, approved as revision 1; `users` by demo login.
    Returns the plan and its actions by key."""
    planner, official = users["planner"], users["official"]
    with on(ASSEMBLED):
        for number, name in TASKS:
            services.task_create(actor=planner, body=body, number=number, name=name)
        plan, _content, actions = _assemble(body, PLAN_YEAR, ACTIONS, development, units, planner)
    with on(SUBMITTED):
        plan = services.plan_submit(actor=planner, plan=plan)
    # Approved after the New Year holidays, long after R6's ten days from the amendment: the
    # plan records that it was approved late, as a real one would.
    with on(APPROVED):
        plan = services.plan_approve(actor=official, plan=plan)
    return plan, actions


def load_next_plan(
    body: StateBody, development: Development, units: dict[str, Unit], users: dict[str, User]
) -> OperationalPlan:
    """The draft plan for NEXT_YEAR with its actions and the proposals of the executor's unit:
    one accepted (edited), one signed off and waiting for the planner, one still a draft."""
    planner, executor, head = users["planner"], users["executor"], users["head"]
    with on(NEXT_STARTED):
        plan, content, _actions = _assemble(
            body, NEXT_YEAR, NEXT_ACTIONS, development, units, planner
        )
    with on(PROPOSED):
        accepted, signed, _draft = (
            services.proposal_create(
                actor=executor,
                plan=plan,
                unit=units[PROPOSING_UNIT],
                completion_form=content.forms[spec.form],
                **content(spec),
            )
            for spec in (ACCEPTED, SIGNED, DRAFT)
        )
    with on(PROPOSALS_SIGNED):
        for proposal in (accepted, signed):
            services.proposal_sign(actor=head, proposal=proposal)
    with on(PROPOSAL_ACCEPTED):
        services.proposal_accept(
            actor=planner,
            proposal=accepted,
            co_executors=[units[code] for code in ACCEPTED_EDITS["co_executors"]],
        )
    return plan


def _assemble(
    body: StateBody,
    year: int,
    specs: tuple[ActionSpec, ...],
    development: Development,
    units: dict[str, Unit],
    planner: User,
) -> tuple[OperationalPlan, _Content, dict[str, Action]]:
    """A plan for `year` resting on the development plan's amendment, drafted by the planner
    with the actions of `specs`."""
    plan = services.plan_create(
        actor=planner,
        body=body,
        year=year,
        development_plan=development.plan,
        basis_amendment=development.amendment,
        planning_unit=units[PLANNING_UNIT],
    )
    content = _Content(body, development.indicators, units)
    return plan, content, content.actions(plan, specs, actor=planner)


def rebase_next_plan(plan: OperationalPlan, amendment: Amendment, *, actor: User) -> None:
    """The development plan was amended: the draft for NEXT_YEAR now rests on the amendment,
    and R6's ten days run from its signing."""
    with on(REBASED):
        services.plan_update(actor=actor, plan=plan, basis_amendment=amendment)


def remove_plans(body: StateBody, *, actor: User) -> None:
    """Delete the body's operational plans with their revisions, actions and proposals, its
    tasks and its own forms of completion, one record at a time so that the history records
    who deleted them. The monitoring of the plans must be gone already (see
    `jospar.demo.monitoring.remove_monitoring`). Revisions first: they hold on to actions."""
    revisions = list(Revision.objects.filter(plan__body=body).values_list("pk", flat=True))
    if revisions:
        # Approved revisions never change: Revision, RevisionAction and RevisionHeading refuse
        # delete(), one by one or in bulk. Wiping the demo is the one place where frozen rows
        # are deleted, so it goes round that guard on purpose, with a raw DELETE (no signals,
        # no history: the frozen rows have none). Nothing else in Jospar may do this.
        using = router.db_for_write(Revision)
        RevisionAction.objects.filter(revision_id__in=revisions)._raw_delete(using)
        RevisionHeading.objects.filter(revision_id__in=revisions)._raw_delete(using)
        Revision.objects.filter(pk__in=revisions)._raw_delete(using)
    for model in (Action, Proposal):
        for record in model.objects.filter(plan__body=body):
            delete_record(record, actor=actor)
    for plan in OperationalPlan.objects.filter(body=body):
        delete_record(plan, actor=actor)
    for task in RegulationTask.objects.filter(body=body):
        delete_record(task, actor=actor)
    for form in CompletionForm.objects.filter(body=body):
        delete_record(form, actor=actor)
