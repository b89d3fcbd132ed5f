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
            "floods": "Завершить ремонт затворов водосбросов Каргалинского, Актюбинского и "
            "Саздинского водохранилищ до пика паводка и доложить Комитету о приемке работ.",
            "transfers": "Заключить соглашение с акиматом Жамбылской области сразу после "
            "получения заключения государственной экспертизы; трансферты двух других областей "
            "идут по графику.",
            "metering": "Соблюдать график монтажа на май–сентябрь: оснащение 600 водозаборов "
            "определяет достижение целевого индикатора 1.1.1 за год.",
        },
        general="1. Из шести мероприятий со сроком в I квартале четыре исполнены, два — "
        "частично: подготовка к весеннему паводку (затворы водосбросов трех водохранилищ) и "
        "целевые трансферты (Жамбылская область).\n"
        "2. Департамент бюджетного планирования и финансов подписал информацию через четыре "
        "дня после установленного срока; руководителям подразделений предлагается "
        "подписывать информацию до 10-го числа.\n"
        "3. Предлагается поручить Департаменту бюджетного планирования и финансов заключить "
        "соглашение с акиматом Жамбылской области в апреле.",
        submitted=at(4, 16, 15),
        decisions=(
            DecisionSpec(
                at(4, 16, 17, 30),
                DecisionKind.PROBLEMS,
                "Заключить соглашение о целевых трансфертах с акиматом Жамбылской области в "
                "течение трех рабочих дней после получения положительного заключения "
                "государственной экспертизы и доложить об исполнении.",
                ("D04",),
                dt.date(2026, 4, 30),
                progress=(
                    ProgressSpec(
                        at(4, 20, 11),
                        "D04",
                        DecisionStatus.DONE,
                        "Соглашение № 21 с акиматом Жамбылской области заключено 17 апреля "
                        "2026 года, на следующий день после получения положительного заключения "
                        "государственной экспертизы.",
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
            "subsidy-rules": "Согласовать с Министерством финансов расчет дополнительных "
            "расходов и принять приказ в III квартале; срок следует перенести (см. рекомендацию "
            "о внесении изменения в план).",
            "seminars": "Провести семинар в Кызылординской области в июле, после сева риса, как "
            "согласовано с акиматом.",
            "inventory": "Использовать измеренные потери (в среднем 29,7%) для ранжирования "
            "каналов для облицовки в плане на 2027 год.",
        },
        general="1. Из 12 мероприятий со сроком во II квартале 10 исполнены, одно — частично "
        "(семинары: Кызылординская область перенесена на июль) и одно не исполнено "
        "(изменения в правила субсидирования ожидают согласования Министерства финансов).\n"
        "2. Казахский научно-исследовательский институт подписал информацию с опозданием на "
        "три дня.\n"
        "3. Предлагается перенести срок изменений в правила субсидирования на III квартал и "
        "взять на контроль ремонт водоподпорных сооружений, поврежденных паводками 2024 года, "
        "со сроком в III квартале.",
        amendments=(
            AmendmentSpec(
                AmendmentKind.TERM,
                "subsidy-rules",
                "Министерство финансов согласует повышение доли субсидирования только при "
                "наличии расчета дополнительных расходов на 2027 год, направленного 1 июля "
                "2026 года; приказ не может быть принят ранее III квартала.",
                {"term_kind": TermKind.QUARTER, "term_quarter": 3},
            ),
        ),
        submitted=at(7, 15, 17, 30),
        decisions=(
            DecisionSpec(
                at(7, 17, 11),
                DecisionKind.EFFECTIVENESS,
                "Взять ремонт 12 водоподпорных сооружений, поврежденных паводками 2024 года, на "
                "контроль департамента: согласовать с РГП «Казводресурс» и подрядчиком "
                "еженедельный график и докладывать о приемке каждого сооружения.",
                ("D02",),
                dt.date(2026, 12, 15),
            ),
            # Open and past its day on the demo's December: the official's overdue decision.
            DecisionSpec(
                at(7, 17, 11, 15),
                DecisionKind.PROBLEMS,
                "Представить Министру перечень водоподпорных сооружений, ремонт которых не будет "
                "завершен к 15 декабря 2026 года, с указанием причин и новых сроков.",
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
            "flood-repair": "Завершить плотины Кызылкога и Сагиз к 15 декабря 2026 года; "
            "исправленная информация РГП «Казводресурс» находится на рассмотрении.",
            "metering": "Подключить оставшиеся 48 пунктов к информационной системе до конца года.",
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
