"""The monitor's quarterly reports on the demo body's 2026 plan (R15–R17) and the officials'
decisions on them, as they stand on the demo's "today", 26 November 2026.

Quarter 1 compiled on the 15th, compiled again once the late unit's information was accepted
and submitted a day late; quarter 2 submitted on time with a recommendation to move an action
to the 3rd quarter (not applied); an official's decision on each, the first done, the second
open with the Department of Water Resources Management, with a second decision of the 2nd
quarter due on 30 November (overdue from December on). Quarter 3 is compiled and in
preparation: three units' information is not accepted yet.

Played together with the units' information (`jospar.demo.monitoring`), each step on its own
date. Everything goes through `jospar.reports.services`, acting as the monitor, the official and
the units that follow the decisions up.
"""

import datetime as dt
from typing import NamedTuple

from jospar.demo.cast import Cast
from jospar.demo.clock import Step, at
from jospar.lib.records import delete_record
from jospar.orgs.models import StateBody, User
from jospar.plans.terms import TermKind
from jospar.reports import services
from jospar.reports.models import (
    AmendmentKind,
    AmendmentRecommendation,
    Decision,
    DecisionKind,
    DecisionProgress,
    DecisionStatus,
    Report,
    ReportRow,
)

# The reports are due the 15th after the quarter.


class AmendmentSpec(NamedTuple):
    """A recommendation to amend the plan: the change, the action's key, the justification and
    the proposed content (`jospar.reports.services.amendment_recommendation_create`'s fields)."""

    kind: str
    action: str
    justification: str
    content: dict


class ProgressSpec(NamedTuple):
    """A unit's note on a decision: its reporter (an executor, else the head) writes it."""

    at: dt.datetime
    unit: str
    status: str
    text: str


class DecisionSpec(NamedTuple):
    """An official's decision on a submitted report (R17), assigned to units by code."""

    decided: dt.datetime
    kind: str
    text: str
    units: tuple[str, ...]
    due_on: dt.date
    progress: tuple[ProgressSpec, ...] = ()


class ReportSpec(NamedTuple):
    """The monitor's report on a quarter: compiled at each of `compiled` (again once late
    information is accepted), the recommendations written at `written` (per action key, to the
    officials, to amend the plan), submitted at `submitted` (None: still in preparation), and
    the officials' decisions on it."""

    quarter: int
    compiled: tuple[dt.datetime, ...]
    written: dt.datetime
    recommendations: dict[str, str]
    general: str = ""
    amendments: tuple[AmendmentSpec, ...] = ()
    submitted: dt.datetime | None = None
    decisions: tuple[DecisionSpec, ...] = ()


MONITORING_UNIT = "D01.1"  # the Division of Monitoring and Evaluation prepares the reports

REPORTS = (
    # Compiled on the 15th without the Department of Budget Planning and Finance (signed off
    # late, accepted on the 16th), compiled again and submitted a day late.
    ReportSpec(
        1,
        compiled=(at(4, 15, 15), at(4, 16, 11)),
        written=at(4, 16, 12),
        recommendations={
            "floods": "Finish the repair of the spillway gates of the Kargaly, Aktobe and Sazdy "
            "reservoirs before the peak of the flood and report the acceptance to the "
            "Committee.",
            "transfers": "Conclude the agreement with the akimat of Zhambyl region as soon as the "
            "state expert review is received; the transfers of the other two regions are on "
            "schedule.",
            "metering": "Keep the installation schedule of May–September: the equipment of 600 "
            "points decides target indicator 1.1.1 for the year.",
        },
        general="1. Four of the six actions due in the first quarter are executed and two "
        "partially: the preparation for the spring flood (the spillway gates of three "
        "reservoirs) and the target transfers (Zhambyl region).\n"
        "2. The Department of Budget Planning and Finance signed off its information four days "
        "after the deadline of R13; the heads of units are asked to sign off by the 10th.\n"
        "3. It is proposed to hold the Department of Budget Planning and Finance to the "
        "conclusion of the agreement with the akimat of Zhambyl region in April.",
        submitted=at(4, 16, 15),
        decisions=(
            DecisionSpec(
                at(4, 16, 17, 30),
                DecisionKind.PROBLEMS,
                "Conclude the agreement on target transfers with the akimat of Zhambyl region "
                "within three working days of the positive state expert review and report on it.",
                ("D04",),
                dt.date(2026, 4, 30),
                progress=(
                    ProgressSpec(
                        at(4, 20, 11),
                        "D04",
                        DecisionStatus.DONE,
                        "The agreement No. 21 with the akimat of Zhambyl region was concluded on "
                        "17 April 2026, the day after the positive state expert review.",
                    ),
                ),
            ),
        ),
    ),
    # Everything accepted by the afternoon of the 15th: submitted on time.
    ReportSpec(
        2,
        compiled=(at(7, 15, 15),),
        written=at(7, 15, 16),
        recommendations={
            "subsidy-rules": "Agree the calculation of the additional expenditure with the "
            "Ministry of Finance and adopt the order in the third quarter; the term should move "
            "(see the recommendation to amend the plan).",
            "seminars": "Hold the seminar in Kyzylorda region in July, after the rice sowing, as "
            "agreed with the akimat.",
            "inventory": "Use the measured losses (29.7% on average) to rank the canals for "
            "lining in the 2027 plan.",
        },
        general="1. Of the 12 actions due in the second quarter 10 are executed, one "
        "partially (seminars: Kyzylorda region moved to July) and one is not executed "
        "(amendments to the subsidy rules, awaiting the Ministry of Finance).\n"
        "2. The Kazakh Research Institute signed off its information three days late.\n"
        "3. It is proposed to move the term of the amendments to the subsidy rules to the "
        "third quarter, and to take under control the repair of the water-retaining "
        "structures damaged by the 2024 floods, due in the third quarter.",
        amendments=(
            AmendmentSpec(
                AmendmentKind.TERM,
                "subsidy-rules",
                "The Ministry of Finance agrees to raise the subsidy share only with the "
                "calculation of the additional expenditure for 2027, sent on 1 July 2026; the "
                "order cannot be adopted before the third quarter.",
                {"term_kind": TermKind.QUARTER, "term_quarter": 3},
            ),
        ),
        submitted=at(7, 15, 17, 30),
        decisions=(
            DecisionSpec(
                at(7, 17, 11),
                DecisionKind.EFFECTIVENESS,
                "Take the repair of the 12 water-retaining structures damaged by the 2024 floods "
                "under the department's control: agree a weekly schedule with RSE Kazvodresurs "
                "and the contractor and report on the acceptance of every structure.",
                ("D02",),
                dt.date(2026, 12, 15),
            ),
            # Open and past its day on the demo's December: the official's overdue decision.
            DecisionSpec(
                at(7, 17, 11, 15),
                DecisionKind.PROBLEMS,
                "Present to the Minister the list of the water-retaining structures whose repair "
                "will not be finished by 15 December 2026, with the reasons and the new terms.",
                ("D02",),
                dt.date(2026, 11, 30),
            ),
        ),
    ),
    # Compiled on the 15th while three units' information is not accepted: in preparation.
    ReportSpec(
        3,
        compiled=(at(10, 15, 16),),
        written=at(10, 15, 17),
        recommendations={
            "flood-repair": "Finish the Kyzylkoga and Sagiz dams by 15 December 2026; the "
            "corrected information of RSE Kazvodresurs is under review.",
            "metering": "Connect the remaining 48 points to the Information System before the "
            "end of the year.",
        },
    ),
)


def steps(cast: Cast, specs=REPORTS) -> list[Step]:
    """The steps of the monitor's reports and of the decisions on them."""
    steps: list[Step] = []
    for spec in specs:
        for when in spec.compiled:
            steps.append((when, lambda q=spec.quarter: _compile(cast, q)))
        steps.append((spec.written, lambda r=spec: _write(cast, r)))
        if spec.submitted:
            steps.append((spec.submitted, lambda r=spec: _submit(cast, r)))
        for decision in spec.decisions:
            steps.append((decision.decided, lambda r=spec, d=decision: _decide(cast, r, d)))
            for note in decision.progress:
                steps.append((note.at, lambda d=decision, n=note: _follow_up(cast, d, n)))
    return steps


def _report(cast: Cast, quarter: int) -> Report:
    return Report.objects.get(plan=cast.plan, quarter=quarter)


def _compile(cast: Cast, quarter: int) -> None:
    services.report_compile(actor=cast.monitor, plan=cast.plan, quarter=quarter)


def _write(cast: Cast, spec: ReportSpec) -> None:
    report = _report(cast, spec.quarter)
    for key, text in spec.recommendations.items():
        row = report.rows.get(action_id=cast.action_ids[key])
        services.row_recommend(actor=cast.monitor, row=row, text=text)
    services.report_update(
        actor=cast.monitor,
        report=report,
        general_recommendations=spec.general,
        monitoring_unit=cast.units[MONITORING_UNIT],
    )
    for recommendation in spec.amendments:
        services.amendment_recommendation_create(
            actor=cast.monitor,
            report=report,
            kind=recommendation.kind,
            justification=recommendation.justification,
            action_id=cast.action_ids[recommendation.action],
            **recommendation.content,
        )


def _submit(cast: Cast, spec: ReportSpec) -> None:
    services.report_submit(actor=cast.monitor, report=_report(cast, spec.quarter))


def _decide(cast: Cast, spec: ReportSpec, decision: DecisionSpec) -> None:
    services.decision_create(
        actor=cast.official,
        report=_report(cast, spec.quarter),
        kind=decision.kind,
        text=decision.text,
        units=[cast.units[code] for code in decision.units],
        due_on=decision.due_on,
    )


def _follow_up(cast: Cast, decision: DecisionSpec, note: ProgressSpec) -> None:
    services.decision_progress_add(
        actor=cast.reporter(note.unit),
        decision=Decision.objects.get(report__plan=cast.plan, text=decision.text),
        unit=cast.units[note.unit],
        status=note.status,
        text=note.text,
    )


def remove_reports(body: StateBody, *, actor: User) -> None:
    """Delete the body's reports before its monitoring: the units' notes on the decisions, the
    decisions, the recommendations to amend the plan, the rows and the reports, one record at a
    time so that the history records who deleted them."""
    DecisionProgress.objects.filter(decision__report__plan__body=body).delete()  # no history
    for model in (Decision, AmendmentRecommendation, ReportRow):
        for record in model.objects.filter(report__plan__body=body):
            delete_record(record, actor=actor)
    for report in Report.objects.filter(plan__body=body):
        delete_record(report, actor=actor)
