"""The quarterly report (R15–R16), recommendations to amend the plan turned into an
adjustment (R18), and the officials' decisions with their follow-up (R17)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jospar.monitoring import services as monitoring
from jospar.monitoring.models import EntryStatus
from jospar.plans import services as plans
from jospar.plans.models import PlanStatus, RevisionBasis
from jospar.plans.terms import TermKind
from jospar.reports import services as reports
from jospar.reports.models import AmendmentKind, DecisionKind, DecisionStatus, Report, ReportStatus
from jospar.reports.selectors import (
    open_decisions_before,
    report_layout,
    report_summary,
    unit_decisions,
)
from tests.factories import UnitFactory
from tests.worlds import AFTER_Q2, IN_Q2, monitoring_world, q2_report, shared_world

world_once, world = shared_world(monitoring_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]


def compiled_q2(world, clock):
    """The report on the 2nd quarter (tests.worlds.q2_report); the clock stays on 13 July."""
    report = q2_report(world)
    clock(AFTER_Q2)
    return report


# Compiling


def test_the_report_lists_every_action_of_the_plan_prefilled_from_accepted_information(
    world, clock
):
    report = compiled_q2(world, clock)
    rows = world.rows_by_key(report)
    assert set(rows) == set(world.actions)
    q2 = rows["q2"]
    assert (q2.due, q2.status) == (True, EntryStatus.PARTIAL)
    assert q2.actual == "Done as planned"
    assert q2.reasons == "The contractor was late"
    # the co-executor (partner) has not submitted: flagged, not silently missing
    assert q2.missing_units == [str(world.partner)]
    assert rows["other_q2"].missing_units == [str(world.other)]
    assert rows["other_q2"].status == ""
    assert (rows["partner_q3"].due, rows["partner_q3"].status) == (False, EntryStatus.NOT_DUE)
    assert rows["q1"].due is True  # past its term and not reported executed: still due


def test_layout_groups_actions_under_the_headings_of_appendix_2(world, clock):
    report = compiled_q2(world, clock)
    kinds = [row.kind for row in report_layout(report)]
    assert kinds[0] == "section" and "direction" in kinds and "goal" in kinds
    assert kinds.index("target") < kinds.index("action")
    assert kinds[kinds.index("section", 1) + 1] == "task"
    numbers = [row.number for row in report_layout(report) if row.kind == "action"]
    assert numbers == sorted(numbers) and len(numbers) == len(world.actions)


def test_compiling_again_after_a_late_submission_keeps_what_the_monitor_wrote(world, clock):
    report = compiled_q2(world, clock)
    row = world.rows_by_key(report)["q2"]
    reports.row_recommend(actor=world.monitor, row=row, text="Speed up the tender")
    clock(dt.date(2026, 7, 14))
    world.accepted(2, world.partner, status="not_executed")
    reports.report_compile(actor=world.monitor, plan=world.plan, quarter=2)
    row = world.rows_by_key(report)["q2"]
    assert row.recommendation == "Speed up the tender"
    assert row.missing_units == []
    assert row.actual == (f"{world.unit}: Done as planned\n{world.partner}: Done as planned")
    assert Report.objects.count() == 1
    # A row that flags no unit takes a recommendation too (an empty list is not "blank").
    reports.row_recommend(actor=world.monitor, row=row, text="Keep the pace")
    row.refresh_from_db()
    assert row.recommendation == "Keep the pace"


def test_an_action_removed_by_an_adjustment_in_q3_still_appears_in_the_q2_report(world, clock):
    compiled_q2(world, clock)
    clock(dt.date(2026, 8, 3))
    plans.adjustment_start(
        actor=world.planner, plan=world.plan, basis=RevisionBasis.OTHER, basis_text="Done"
    )
    plans.action_delete(actor=world.planner, action=world.actions["q2"])
    plans.plan_submit(actor=world.planner, plan=world.plan)
    plans.plan_approve(actor=world.official, plan=world.plan)
    report = reports.report_compile(actor=world.monitor, plan=world.plan, quarter=2)
    assert "q2" in world.rows_by_key(report)
    q3 = reports.report_compile(actor=world.monitor, plan=world.plan, quarter=3)
    assert "q2" not in world.rows_by_key(q3)


def test_only_the_monitor_compiles(world, clock):
    clock(AFTER_Q2)
    for stranger in (world.planner, world.official, world.executor, world.head):
        with pytest.raises(PermissionDenied):
            reports.report_compile(actor=stranger, plan=world.plan, quarter=2)


def test_a_quarter_not_yet_started_has_no_report(world, clock):
    clock(IN_Q2)
    with pytest.raises(ValidationError, match="has not started"):
        reports.report_compile(actor=world.monitor, plan=world.plan, quarter=3)


def test_the_summary_counts_due_actions_by_direction_goal_and_unit(world, clock):
    report = compiled_q2(world, clock)
    summary = report_summary(report)
    overall = summary.overall
    # due in Q2: q1 (carried), q2, other_q2, quarterly
    assert (overall.due, overall.executed, overall.partial, overall.no_information) == (4, 2, 1, 1)
    assert [t.due for t in summary.by_direction] == [4]  # section II has nothing due in Q2
    assert {t.label: t.due for t in summary.by_unit} == {str(world.unit): 3, str(world.other): 1}
    assert summary.missing_units == sorted([str(world.partner), str(world.other)])
    states = {t.unit: t.state for t in summary.timeliness}
    assert states[world.unit] == "on_time" and states[world.other] == "missing"
    progress = {p.indicator: p for p in summary.indicators}
    assert progress[world.indicator].planned == 40


# Submitting (R15)


@pytest.mark.parametrize(
    "quarter, submitted_on, deadline, days_late",
    [
        (2, dt.date(2026, 7, 15), dt.date(2026, 7, 15), 0),
        (2, dt.date(2026, 7, 17), dt.date(2026, 7, 15), 2),
        (4, dt.date(2027, 1, 15), dt.date(2027, 1, 15), 0),  # Q4: 15 January of the next year
        (4, dt.date(2027, 1, 16), dt.date(2027, 1, 15), 1),
    ],
)
def test_the_report_is_due_on_the_15th_and_lateness_is_recorded(
    world, clock, quarter, submitted_on, deadline, days_late
):
    from jospar.reports.selectors import report_due

    clock(submitted_on)
    report = reports.report_compile(actor=world.monitor, plan=world.plan, quarter=quarter)
    assert report_due(report) == deadline
    report = reports.report_submit(actor=world.monitor, report=report)
    assert (report.status, report.days_late) == (ReportStatus.SUBMITTED, days_late)
    assert report.submitted_by == world.monitor


def test_a_submitted_report_is_frozen(world, clock):
    report = compiled_q2(world, clock)
    reports.report_submit(actor=world.monitor, report=report)
    row = report.rows.first()
    with pytest.raises(ValidationError, match="frozen"):
        reports.row_recommend(actor=world.monitor, row=row, text="Late thought")
    with pytest.raises(ValidationError, match="frozen"):
        reports.report_compile(actor=world.monitor, plan=world.plan, quarter=2)
    with pytest.raises(ValidationError, match="frozen"):
        reports.report_update(actor=world.monitor, report=report, general_recommendations="x")
    with pytest.raises(ValidationError, match="frozen"):
        reports.amendment_recommendation_create(
            actor=world.monitor,
            report=report,
            kind=AmendmentKind.REMOVE,
            action=world.actions["q1"],
            justification="Too late",
        )
    with pytest.raises(ValidationError):
        reports.report_submit(actor=world.monitor, report=report)
    row.refresh_from_db()
    assert row.recommendation == ""


def test_only_the_monitor_submits(world, clock):
    report = compiled_q2(world, clock)
    for stranger in (world.planner, world.official, world.head):
        with pytest.raises(PermissionDenied):
            reports.report_submit(actor=stranger, report=report)


# Recommendations to amend the plan


def amend(world, report, kind, key=None, **fields):
    return reports.amendment_recommendation_create(
        actor=world.monitor,
        report=report,
        kind=kind,
        action=world.actions[key] if key else None,
        justification=fields.pop("justification", "The monitoring shows it"),
        **fields,
    )


@pytest.mark.parametrize(
    "kind, key, fields, field",
    [
        (AmendmentKind.TERM, "q2", {}, "term_kind"),
        (AmendmentKind.TERM, "q2", {"term_kind": TermKind.QUARTER}, "term_quarter"),
        (AmendmentKind.TERM, None, {"term_kind": TermKind.YEAR}, "action"),
        (AmendmentKind.EXECUTOR, "q2", {}, "lead_unit"),
        (AmendmentKind.WORDING, "q2", {"name": "  "}, "name"),
        (AmendmentKind.ADD, None, {"name": "New"}, "lead_unit"),
        (AmendmentKind.REMOVE, "q2", {"justification": ""}, "justification"),
    ],
)
def test_a_recommendation_names_what_it_lacks(world, clock, kind, key, fields, field):
    report = compiled_q2(world, clock)
    with pytest.raises(ValidationError) as error:
        amend(world, report, kind, key, **fields)
    assert field in error.value.message_dict
    assert not report.amendments.exists()


def test_a_recommendation_keeps_only_what_its_kind_uses(world, clock):
    report = compiled_q2(world, clock)
    recommendation = amend(
        world,
        report,
        AmendmentKind.TERM,
        "q2",
        term_kind=TermKind.QUARTER,
        term_quarter=3,
        name="ignored",
        lead_unit=world.other,
    )
    assert (recommendation.name, recommendation.lead_unit, recommendation.term.quarter) == (
        "",
        None,
        3,
    )


def submitted_with(world, clock, *specs):
    report = compiled_q2(world, clock)
    made = [amend(world, report, kind, key, **fields) for kind, key, fields in specs]
    reports.report_submit(actor=world.monitor, report=report)
    return report, made


def test_a_recommendation_turned_into_an_adjustment_links_both_ways(world, clock):
    report, (term,) = submitted_with(
        world, clock, (AmendmentKind.TERM, "q2", {"term_kind": TermKind.QUARTER, "term_quarter": 3})
    )
    applied = reports.amendment_recommendation_apply(actor=world.planner, recommendation=term)
    plan = world.plan
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.basis == RevisionBasis.MONITORING
    assert str(report) in plan.basis_reference
    assert (applied.applied_plan, applied.applied_revision_number) == (plan, 2)
    assert list(plan.applied_recommendations.filter(applied_revision_number=2)) == [applied]
    action = world.actions["q2"]
    action.refresh_from_db()
    assert (action.term_kind, action.term_quarter) == (TermKind.QUARTER, 3)
    plans.plan_submit(actor=world.planner, plan=plan)
    plans.plan_approve(actor=world.official, plan=plan)
    revision = plan.revisions.get(number=2)
    assert str(report) in revision.basis_reference
    assert revision.actions.get(action=action).term_quarter == 3


def test_every_kind_of_change_goes_into_one_open_adjustment(world, clock):
    report, made = submitted_with(
        world,
        clock,
        (AmendmentKind.EXECUTOR, "q2", {"lead_unit": world.partner}),
        (AmendmentKind.WORDING, "q1", {"name": "Audit every reservoir"}),
        (AmendmentKind.REMOVE, "other_q2", {}),
        (
            AmendmentKind.ADD,
            None,
            {
                "name": "Train the staff",
                "indicator": world.indicator,
                "lead_unit": world.other,
                "term_kind": TermKind.HALF,
                "term_half": 2,
            },
        ),
    )
    for recommendation in made:
        reports.amendment_recommendation_apply(actor=world.planner, recommendation=recommendation)
    q2, q1, other = (world.actions[k] for k in ("q2", "q1", "other_q2"))
    for action in (q2, q1, other):
        action.refresh_from_db()
    assert q2.lead_unit == world.partner and list(q2.co_executors.all()) == []
    assert q1.name == "Audit every reservoir"
    assert other.removed is True
    added = made[3]
    added.refresh_from_db()
    assert added.applied_action.name == "Train the staff"
    assert world.plan.events.filter(kind="adjustment").count() == 1
    world.plan.refresh_from_db()
    assert world.plan.basis_reference.count(str(report)) == 4


def test_a_recommendation_is_applied_once_by_a_planner_after_submission(world, clock):
    report = compiled_q2(world, clock)
    recommendation = amend(world, report, AmendmentKind.REMOVE, "q1")
    with pytest.raises(ValidationError, match="submitted"):
        reports.amendment_recommendation_apply(actor=world.planner, recommendation=recommendation)
    reports.report_submit(actor=world.monitor, report=report)
    with pytest.raises(PermissionDenied):
        reports.amendment_recommendation_apply(actor=world.monitor, recommendation=recommendation)
    reports.amendment_recommendation_apply(actor=world.planner, recommendation=recommendation)
    with pytest.raises(ValidationError, match="already"):
        reports.amendment_recommendation_apply(actor=world.planner, recommendation=recommendation)


def test_a_failed_change_leaves_no_adjustment_behind(world, clock):
    report, (recommendation,) = submitted_with(world, clock, (AmendmentKind.REMOVE, "q1", {}))
    # someone removed the action in an adjustment approved in the meantime
    plans.adjustment_start(
        actor=world.planner, plan=world.plan, basis=RevisionBasis.OTHER, basis_text="x"
    )
    plans.action_delete(actor=world.planner, action=world.actions["q1"])
    plans.plan_submit(actor=world.planner, plan=world.plan)
    plans.plan_approve(actor=world.official, plan=world.plan)
    with pytest.raises(ValidationError, match="removed"):
        reports.amendment_recommendation_apply(actor=world.planner, recommendation=recommendation)
    world.plan.refresh_from_db()
    assert world.plan.status == PlanStatus.APPROVED
    recommendation.refresh_from_db()
    assert recommendation.applied_at is None


# Decisions (R17)


def decide(world, report, units, actor=None, **fields):
    return reports.decision_create(
        actor=actor or world.official,
        report=report,
        kind=fields.get("kind", DecisionKind.PROBLEMS),
        text=fields.get("text", "Hold a meeting with the contractor"),
        units=units,
        due_on=fields.get("due_on", dt.date(2026, 9, 1)),
    )


def test_an_official_records_decisions_on_a_submitted_report(world, clock):
    report = compiled_q2(world, clock)
    with pytest.raises(ValidationError, match="submitted report"):
        decide(world, report, [world.unit])
    reports.report_submit(actor=world.monitor, report=report)
    for stranger in (world.monitor, world.planner, world.head):
        with pytest.raises(PermissionDenied):
            decide(world, report, [world.unit], actor=stranger)
    with pytest.raises(ValidationError) as error:
        decide(world, report, [])
    assert "units" in error.value.message_dict
    decision = decide(world, report, [world.unit, world.partner])
    assert decision.status == DecisionStatus.OPEN
    assert decision.history.last().history_user == world.official


def test_assigned_units_see_and_follow_up_their_decisions(world, clock):
    report = compiled_q2(world, clock)
    reports.report_submit(actor=world.monitor, report=report)
    decision = decide(world, report, [world.unit])
    assert list(unit_decisions(world.plan.body, {world.unit.pk})) == [decision]
    assert list(unit_decisions(world.plan.body, {world.other.pk})) == []
    with pytest.raises(PermissionDenied):
        reports.decision_progress_add(
            actor=world.partner_head,
            decision=decision,
            unit=world.partner,
            status=DecisionStatus.DONE,
            text="Not ours",
        )
    with pytest.raises(ValidationError):
        reports.decision_progress_add(
            actor=world.executor,
            decision=decision,
            unit=world.unit,
            status=DecisionStatus.IN_PROGRESS,
            text=" ",
        )
    reports.decision_progress_add(
        actor=world.executor,
        decision=decision,
        unit=world.unit,
        status=DecisionStatus.IN_PROGRESS,
        text="Meeting planned",
    )
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.IN_PROGRESS and decision.closed_on is None


def test_open_decisions_reappear_in_the_next_reports_until_closed(world, clock):
    report = compiled_q2(world, clock)
    reports.report_submit(actor=world.monitor, report=report)
    decision = decide(world, report, [world.unit])
    clock(dt.date(2026, 10, 12))
    q3 = reports.report_compile(actor=world.monitor, plan=world.plan, quarter=3)
    assert open_decisions_before(q3) == [decision]
    assert open_decisions_before(report) == []
    reports.decision_progress_add(
        actor=world.executor,
        decision=decision,
        unit=world.unit,
        status=DecisionStatus.DONE,
        text="Contract signed",
    )
    decision.refresh_from_db()
    assert decision.closed_on == dt.date(2026, 10, 12)
    assert open_decisions_before(q3) == []


# Shape


def test_compiling_and_reading_the_report_cost_the_same_for_any_number_of_actions(
    world, clock, django_assert_max_num_queries
):
    from jospar.plans.models import Action
    from jospar.reports.models import ReportRow

    clock(AFTER_Q2)

    def measure(quarter: int) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            report = reports.report_compile(actor=world.monitor, plan=world.plan, quarter=quarter)
            report_summary(Report.objects.get(pk=report.pk))
        return len(ctx.captured_queries)

    small = measure(2)
    # Grow the plan in force tenfold and compare.
    plans.adjustment_start(
        actor=world.planner, plan=world.plan, basis=RevisionBasis.OTHER, basis_text="More"
    )
    template = world.actions["q2"]
    Action.objects.bulk_create(
        [
            Action(
                plan=world.plan,
                indicator=template.indicator,
                name=f"Extra {n}",
                lead_unit=world.other,
                term_kind=TermKind.QUARTER,
                term_quarter=2,
                position=100 + n,
                completion_form=template.completion_form,
            )
            for n in range(60)
        ]
    )
    plans.plan_submit(actor=world.planner, plan=world.plan)
    clock(dt.date(2026, 6, 1))
    plans.plan_approve(actor=world.official, plan=world.plan)
    clock(dt.date(2026, 10, 12))
    with django_assert_max_num_queries(small):
        measure(3)  # a fresh report, as the first one was
    assert ReportRow.objects.filter(report__quarter=3).count() == 66


def test_a_co_executors_part_does_not_stand_for_the_missing_lead(world, clock):
    clock(IN_Q2)
    world.accepted(2, world.partner)  # the partner reports its part of q2; the lead does not
    clock(AFTER_Q2)
    report = reports.report_compile(actor=world.monitor, plan=world.plan, quarter=2)
    q2 = world.rows_by_key(report)["q2"]
    assert q2.status == ""
    assert q2.actual == "Done as planned"  # the partner's text is still shown
    assert q2.missing_units == [str(world.unit)]


def test_a_submitted_report_keeps_the_indicators_and_timeliness_it_was_submitted_with(world, clock):
    from jospar.monitoring.selectors import unit_actions
    from jospar.orgs.models import Role
    from tests.factories import member

    report = compiled_q2(world, clock)
    reports.report_submit(actor=world.monitor, report=report)
    # After submission the unit that had not submitted signs off late and is accepted,
    # with a value of its target indicator.
    clock(dt.date(2026, 7, 20))
    head = member(world.plan.body, Role.UNIT_HEAD, unit=world.other, username="otherhead")
    late = monitoring.submission_open(actor=head, plan=world.plan, unit=world.other, quarter=2)
    for item in unit_actions(world.plan, world.other, 2):
        if item.due:
            monitoring.entry_save(
                actor=head,
                submission=late,
                action_id=item.planned.action_id,
                status=EntryStatus.EXECUTED,
                actual="Laid",
                reasons="",
                version=0,
            )
    monitoring.actual_save(
        actor=head,
        submission=late,
        indicator=world.foreign_indicator,
        value="33",
        comment="",
        version=0,
    )
    monitoring.submission_sign(actor=head, submission=late)
    monitoring.submission_accept(actor=world.monitor, submission=late)
    summary = report_summary(Report.objects.get(pk=report.pk))
    states = {t.unit: t.state for t in summary.timeliness}
    assert states[world.other] == "missing" and states[world.unit] == "on_time"
    on_time = next(t for t in summary.timeliness if t.unit == world.unit)
    assert on_time.submission.get_status_display() == "accepted"
    progress = {p.indicator: p for p in summary.indicators}
    assert progress[world.foreign_indicator].actual is None
    assert progress[world.indicator].planned == 40


def test_editing_a_closed_decision_keeps_the_day_it_closed(world, clock):
    report = compiled_q2(world, clock)
    reports.report_submit(actor=world.monitor, report=report)
    decision = decide(world, report, [world.unit])
    fields = {"kind": decision.kind, "units": [world.unit], "due_on": decision.due_on}
    reports.decision_update(
        actor=world.official, decision=decision, text="Done", status=DecisionStatus.DONE, **fields
    )
    clock(dt.date(2026, 8, 20))
    reports.decision_update(
        actor=world.official,
        decision=decision,
        text="Done, with the contract",
        status=DecisionStatus.DONE,
        **fields,
    )
    decision.refresh_from_db()
    assert decision.closed_on == AFTER_Q2
    reports.decision_update(
        actor=world.official, decision=decision, text="Again", status="open", **fields
    )
    decision.refresh_from_db()
    assert decision.closed_on is None


def test_a_new_action_takes_a_form_of_completion_of_the_body(world, clock, other_body):
    from jospar.plans.models import CompletionForm

    report = compiled_q2(world, clock)
    foreign = CompletionForm.objects.create(body=other_body, name="Their own form")
    with pytest.raises(ValidationError) as error:
        amend(
            world,
            report,
            AmendmentKind.ADD,
            name="Train the staff",
            indicator=world.indicator,
            lead_unit=world.other,
            term_kind=TermKind.YEAR,
            completion_form=foreign,
        )
    assert "completion_form" in error.value.message_dict


def test_an_action_executed_earlier_reads_so_in_the_readers_language(world, clock):
    from django.utils import translation

    clock(dt.date(2026, 4, 2))
    world.accepted(1)  # q1 executed in Q1
    clock(AFTER_Q2)
    with translation.override("ru"):  # compiled by someone working in Russian
        report = reports.report_compile(actor=world.monitor, plan=world.plan, quarter=2)
    q1 = world.rows_by_key(report)["q1"]
    assert (q1.status, q1.actual, q1.executed_earlier) == (EntryStatus.EXECUTED, "", True)
    assert q1.missing_units == []
    with translation.override("en"):
        layout = {r.obj.action_id: r.obj for r in report_layout(report) if r.kind == "action"}
        assert layout[q1.action_id].actual_text == "Executed in an earlier quarter."


def test_a_report_is_submitted_only_after_its_quarter(world, clock):
    clock(dt.date(2026, 6, 30))
    report = reports.report_compile(actor=world.monitor, plan=world.plan, quarter=2)
    with pytest.raises(ValidationError, match="once the quarter has ended"):
        reports.report_submit(actor=world.monitor, report=report)
    clock(dt.date(2026, 7, 1))
    assert reports.report_submit(actor=world.monitor, report=report).status == "submitted"


def test_a_decision_is_done_when_every_assigned_unit_is_done(world, clock):
    report = compiled_q2(world, clock)
    report = reports.report_submit(actor=world.monitor, report=report)
    decision = decide(world, report, [world.unit, world.partner])

    def note(actor, unit, status):
        reports.decision_progress_add(
            actor=actor, decision=decision, unit=unit, status=status, text="Our part"
        )
        decision.refresh_from_db()
        return decision.status

    assert note(world.executor, world.unit, DecisionStatus.DONE) == DecisionStatus.IN_PROGRESS
    assert decision.is_open
    assert note(world.partner_head, world.partner, DecisionStatus.DONE) == DecisionStatus.DONE
    with pytest.raises(ValidationError, match="closed"):
        note(world.executor, world.unit, DecisionStatus.IN_PROGRESS)
    with pytest.raises(ValidationError):
        reports.decision_progress_add(
            actor=world.executor, decision=decision, unit=world.unit, status="open", text="x"
        )


def test_an_open_decision_past_its_due_date_is_overdue(world, clock):
    report = compiled_q2(world, clock)
    report = reports.report_submit(actor=world.monitor, report=report)
    decision = decide(world, report, [world.unit], due_on=dt.date(2026, 8, 1))
    assert not decision.is_overdue
    clock(dt.date(2026, 8, 2))
    assert decision.is_overdue


def test_a_unit_whose_part_was_done_earlier_is_not_listed_as_late(world, clock):
    clock(dt.date(2026, 3, 2))
    early = world.open(1, world.partner)  # the co-executor does its part of q2 in Q1
    monitoring.entry_save(
        actor=world.partner_head,
        submission=early,
        action_id=world.actions["q2"].pk,
        status="executed",
        actual="Paid ahead of time",
        reasons="",
        version=0,
    )
    monitoring.submission_sign(actor=world.partner_head, submission=early)
    monitoring.submission_accept(actor=world.monitor, submission=early)
    report = compiled_q2(world, clock)
    assert world.rows_by_key(report)["q2"].missing_units == []
    units = {t.unit for t in report_summary(report).timeliness}
    assert world.partner not in units and world.unit in units and world.other in units


def test_two_monitors_compiling_the_first_report_at_once_are_told_to_reload(
    world, clock, monkeypatch
):
    """The second compilation looked for the report before the first one's was committed:
    the database's one-report-per-quarter constraint refuses it, with a message, not a 500."""
    clock(AFTER_Q2)
    reports.report_compile(actor=world.monitor, plan=world.plan, quarter=2)
    monkeypatch.setattr(Report.objects, "select_for_update", Report.objects.none)
    monkeypatch.setattr(Report, "validate_constraints", lambda self, exclude=None: None)
    with pytest.raises(ValidationError, match="reload the page and try again"):
        reports.report_compile(actor=world.monitor, plan=world.plan, quarter=2)
    assert Report.objects.count() == 1


def test_a_decision_names_the_field_a_service_caller_got_wrong(world, clock, other_body):
    """What the page's form would catch, the service refuses too (the API, a command)."""
    report = reports.report_submit(actor=world.monitor, report=compiled_q2(world, clock))
    stranger = UnitFactory(body=other_body)
    for units, fields, field in (
        ([world.unit], {"kind": "whim"}, "kind"),
        ([world.unit], {"text": "   "}, "text"),
        ([world.unit, stranger], {}, "units"),
        ([world.unit], {"due_on": None}, "due_on"),
    ):
        with pytest.raises(ValidationError) as error:
            decide(world, report, units, **fields)
        assert list(error.value.message_dict) == [field]
    decision = decide(world, report, [world.unit])
    with pytest.raises(ValidationError) as error:
        reports.decision_update(
            actor=world.official,
            decision=decision,
            kind=decision.kind,
            text=decision.text,
            units=[world.unit],
            due_on=decision.due_on,
            status="forgotten",
        )
    assert list(error.value.message_dict) == ["status"]
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.OPEN and report.decisions.count() == 1
