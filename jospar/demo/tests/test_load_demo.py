import datetime as dt
import re
import sys
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from jospar.demo import orgs as demo
from jospar.demo.monitoring import BOARD_QUARTER
from jospar.lib.files import sniff_evidence
from jospar.monitoring.models import (
    EntryStatus,
    Evidence,
    IndicatorActual,
    ProgressEntry,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)
from jospar.monitoring.selectors import (
    BoardState,
    attach_progress,
    board,
    entry_problems,
    unit_actions,
)
from jospar.orgs.models import BudgetProgram, Role, RoleAssignment, StateBody, Unit, User
from jospar.plans import services as plan_services
from jospar.plans.checks import check_plan, plan_errors
from jospar.plans.models import (
    Action,
    CompletionForm,
    FrozenError,
    OperationalPlan,
    PlanEvent,
    PlanStatus,
    Proposal,
    ProposalStatus,
    RegulationTask,
    Revision,
    RevisionAction,
    RevisionHeading,
)
from jospar.plans.terms import TermKind
from jospar.reports.dashboard import execution_dashboard
from jospar.reports.models import (
    AmendmentKind,
    AmendmentRecommendation,
    Decision,
    DecisionProgress,
    DecisionStatus,
    Report,
    ReportRow,
    ReportStatus,
)
from jospar.reports.selectors import report_layout, report_summary, unit_decisions
from jospar.strategy.models import (
    Amendment,
    DevelopmentPlan,
    Goal,
    Indicator,
    IndicatorValue,
    StrategicDirection,
)
from jospar.translation import TRANSLATED
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
MONITORING_MODELS = (
    Submission,
    ProgressEntry,
    IndicatorActual,
    Evidence,
    Report,
    ReportRow,
    AmendmentRecommendation,
    Decision,
)
MODELS = (
    StateBody,
    Unit,
    BudgetProgram,
    User,
    RoleAssignment,
    DevelopmentPlan,
    Amendment,
    StrategicDirection,
    Goal,
    Indicator,
    IndicatorValue,
    RegulationTask,
    OperationalPlan,
    Action,
    Proposal,
    *MONITORING_MODELS,
)
# Rows without a history of their own.
UNRECORDED = (PlanEvent, Revision, RevisionAction, SubmissionEvent, DecisionProgress)
PLAN_MODELS = (RegulationTask, OperationalPlan, Action, Proposal)


def load(*args, debug: bool = True) -> str:
    """Run the command as `make run` does (DEBUG on), or with `debug=False` as a server would."""
    out = StringIO()
    with override_settings(DEBUG=debug):
        call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS + UNRECORDED}


def plan_of(year: int) -> OperationalPlan:
    return OperationalPlan.objects.get(body__code=demo.DEMO_CODE, year=year)


def local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker):
    """The demo, loaded once for the tests of a class and rolled back after them (each test
    runs in a savepoint of its own inside)."""
    with django_db_blocker.unblock(), transaction.atomic():
        load()
        yield
        transaction.set_rollback(True)


@pytest.mark.usefixtures("loaded")
class TestTheLoadedDemo:
    def test_what_the_plan_holds_per_language_is_in_russian_and_kazakh(self):
        """As a Kazakhstan ministry writes it: every text held per language (the body, units,
        programs, the development plan, tasks, actions, proposals) in Russian and in Kazakh
        alike, none in English. (The revisions and reports freeze these texts; the shared
        forms of completion are the app's own, translated by the interface.)"""
        body = StateBody.objects.get(code=demo.DEMO_CODE)
        checked = 0
        for model in TRANSLATED:
            if model in (CompletionForm, Revision, RevisionAction, RevisionHeading, Report):
                continue
            fields = model.TEXTS
            lookup = getattr(model, "BODY_LOOKUP", None) or "pk"
            rows = model.objects.filter(**{lookup: body.pk})
            assert rows.exists(), model.__name__
            for row in rows:
                for field in fields:
                    ru, kk, en = (
                        getattr(row, f"{field}_{lang}") or "" for lang in ("ru", "kk", "en")
                    )
                    assert bool(ru) == bool(kk), (model.__name__, row.pk, field, ru, kk)
                    assert not en, (model.__name__, row.pk, field, en)
                    if field != "unit_of_measure":  # "%", "км" are the same in both
                        assert ru != kk or not ru, (model.__name__, field, ru)
                    assert not re.search(r"[A-Za-z]{4}", ru + kk), (model.__name__, field)
                    checked += bool(ru)
        assert checked > 100
        assert "(демо)" in body.name_ru and "(демо)" in body.name_kk

    def test_it_loads_a_whole_ministry(self):
        body = StateBody.objects.get(code=demo.DEMO_CODE)
        assert body.is_demo
        assert 10 <= body.units.count() <= 14
        assert body.units.filter(kind=Unit.Kind.SUBORDINATE).count() == 3
        assert body.units.filter(parent__isnull=False).exists()
        assert not body.units.filter(head_name="").exists()
        assert body.budget_programs.count() == 6
        plan = body.development_plans.get()
        assert (plan.start_year, plan.end_year) == (2025, 2029)
        assert plan.signed_on.weekday() < 5
        first, second = plan.amendments.order_by("signed_on")
        assert plan.signed_on < first.signed_on < second.signed_on == dt.date(2026, 11, 20)
        assert plan.directions.count() == 2
        assert plan.indicators.filter(kind=Indicator.Kind.MACRO).count() == 4
        goals = Goal.objects.filter(direction__plan=plan).select_related("direction")
        assert sorted(goal.code for goal in goals) == ["1.1", "1.2", "2.1", "2.2"]
        targets = plan.indicators.filter(kind=Indicator.Kind.TARGET)
        assert targets.count() == 8
        for indicator in targets:
            assert indicator.unit_of_measure
            assert indicator.baseline_year == 2024 and indicator.baseline is not None
            assert indicator.responsible_unit.body == body
            assert list(indicator.values.values_list("year", flat=True)) == list(plan.years)
        assert list(body.operational_plans.order_by("year").values_list("year", "status")) == [
            (2026, PlanStatus.APPROVED),
            (2027, PlanStatus.DRAFT),
        ]

    def test_the_demo_users_have_notifications_from_the_walked_transitions(self):
        from jospar.notifications.models import Kind, Notification

        body = StateBody.objects.get(code=demo.DEMO_CODE)
        told = {
            (n.kind, role)
            for n in Notification.objects.filter(recipient__roles__body=body)
            for role in n.recipient.roles.filter(body=body).values_list("role", flat=True)
        }
        for kind, role in [
            (Kind.PLAN_SUBMITTED, Role.OFFICIAL),
            (Kind.PLAN_APPROVED, Role.PLANNER),
            (Kind.PROPOSAL_SIGNED, Role.PLANNER),
            (Kind.SUBMISSION_SIGNED, Role.MONITOR),
            (Kind.SUBMISSION_RETURNED, Role.EXECUTOR),
            (Kind.REPORT_SUBMITTED, Role.OFFICIAL),
            (Kind.DECISION_RECORDED, Role.UNIT_HEAD),
        ]:
            assert (kind, role) in told, (kind, role)
        assert all(n.text for n in Notification.objects.all()[:50])

    def test_every_role_has_a_demo_user_with_the_demo_password(self):
        body = StateBody.objects.get(code=demo.DEMO_CODE)
        for role in Role:
            assignments = RoleAssignment.objects.filter(body=body, role=role)
            assert assignments.exists(), role
            for assignment in assignments:
                assert assignment.user.check_password(demo.DEMO_PASSWORD)
                assert (assignment.unit is not None) == (role in {Role.EXECUTOR, Role.UNIT_HEAD})
        executor_units = RoleAssignment.objects.filter(body=body, role=Role.EXECUTOR).values("unit")
        assert executor_units.distinct().count() == 2
        root = User.objects.get(username=demo.SUPERUSER)
        assert root.is_superuser and root.is_staff
        assert root.check_password(demo.DEMO_PASSWORD)

    def test_every_unit_that_submits_information_has_its_head_as_a_user(self):
        body = StateBody.objects.get(code=demo.DEMO_CODE)
        heads = {
            a.unit.code: a.user
            for a in RoleAssignment.objects.filter(body=body, role=Role.UNIT_HEAD).select_related(
                "user", "unit"
            )
        }
        assert heads["D02"].username == "head"
        submitting = set(
            Submission.objects.filter(plan__body=body).values_list("unit__code", flat=True)
        )
        assert submitting <= set(heads)
        for code, user in heads.items():
            unit = body.units.get(code=code)
            # The login is the person the unit names as its head.
            assert f"{user.last_name} {user.first_name} {user.patronymic}" == unit.head_name
            assert user.position

    def test_loading_twice_changes_nothing(self):
        before = counts()
        output = load()
        assert counts() == before
        assert "already loaded" in output

    def test_the_output_names_the_logins_the_password_and_the_pages(self, monkeypatch):
        monkeypatch.setenv("PORT", "8123")
        output = load()
        base = "http://127.0.0.1:8123"
        assert f"{base}/" in output
        for spec in demo.USERS:
            assert f"  {spec.username} " in output
        assert f"  {demo.SUPERUSER} " in output
        assert demo.DEMO_PASSWORD in output
        # One login line per role: the other heads are named once, not listed.
        assert output.count("  head") == 1
        for spec in demo.HEADS:
            assert f"  {spec.username} " not in output
            assert spec.username in output
        plan, next_plan = plan_of(2026), plan_of(2027)
        body = plan.body_id
        assert f"{base}/bodies/{body}/operational-plans/{plan.pk}/\n" in output
        assert f"{base}/bodies/{body}/operational-plans/{plan.pk}/quarters/3/board/" in output
        assert f"{base}/bodies/{body}/operational-plans/{next_plan.pk}/\n" in output

    def test_every_change_is_recorded_with_who_made_it(self):
        root = User.objects.get(username=demo.SUPERUSER)
        admin = User.objects.get(username=demo.ADMINISTRATOR.username)
        planner = User.objects.get(username=demo.PLANNER.username)
        official = User.objects.get(username="official")
        monitor = User.objects.get(username="monitor")
        for model in MODELS:
            records = model.history.all()
            if model is User:
                # The superuser is the bootstrap: nobody created it.
                records = records.exclude(id=root.pk)
            assert records.exists(), model
            assert not records.filter(history_user__isnull=True).exists(), model
        assert set(Unit.history.values_list("history_user", flat=True)) == {admin.pk}
        assert set(BudgetProgram.history.values_list("history_user", flat=True)) == {admin.pk}
        assert set(Indicator.history.values_list("history_user", flat=True)) == {planner.pk}
        assert set(IndicatorValue.history.values_list("history_user", flat=True)) == {planner.pk}
        assert StateBody.history.get().history_user == root
        for model in (RegulationTask, Action):
            assert set(model.history.values_list("history_user", flat=True)) == {planner.pk}, model
        assert set(OperationalPlan.history.values_list("history_user", flat=True)) == {
            planner.pk,
            official.pk,
        }
        executor = User.objects.get(username="executor")
        head = User.objects.get(username="head")
        assert set(Proposal.history.values_list("history_user", flat=True)) == {
            executor.pk,
            head.pk,
            planner.pk,
        }
        unit_people = set(
            RoleAssignment.objects.filter(role__in=(Role.EXECUTOR, Role.UNIT_HEAD)).values_list(
                "user", flat=True
            )
        )
        for model in (ProgressEntry, IndicatorActual, Evidence):
            records = model.history.all()
            if model is IndicatorActual:
                records = records.exclude(history_type="+")  # see the test below
            assert set(records.values_list("history_user", flat=True)) <= unit_people, model
        assert set(Submission.history.values_list("history_user", flat=True)) <= unit_people | {
            monitor.pk
        }

    def test_the_first_save_of_an_actual_records_who_saved_it(self):
        created = IndicatorActual.history.filter(history_type="+")
        assert created.exists()
        assert not created.filter(history_user__isnull=True).exists()

    def test_each_step_happened_on_its_own_date(self):
        plan = plan_of(2026)
        first_action = Action.history.filter(plan_id=plan.pk).earliest("history_date")
        assert local_date(first_action.history_date) == dt.date(2025, 11, 10)
        events = {event.kind: event for event in plan.events.all()}
        assert local_date(events[PlanEvent.Kind.SUBMITTED].at) == dt.date(2025, 12, 26)
        assert local_date(events[PlanEvent.Kind.APPROVED].at) == dt.date(2026, 1, 8)
        for submission in Submission.objects.filter(signed_at__isnull=False):
            signed = local_date(submission.signed_at)
            # Signed off in the month after the quarter, around the 10th.
            assert (signed.year, signed.month) == (2026, submission.quarter * 3 + 1)
            assert 1 <= signed.day <= 16
        assert all(
            local_date(moment) <= dt.date(2026, 11, 26)
            for model in MODELS
            for moment in model.history.exclude(history_type="-").values_list(
                "history_date", flat=True
            )
        )

    def test_the_approved_revisions_refuse_deletion_outside_the_reset(self):
        revision = plan_of(2026).revisions.get()
        with pytest.raises(FrozenError):
            revision.delete()
        with pytest.raises(FrozenError):
            RevisionAction.objects.filter(revision=revision).delete()

    def test_the_2026_plan_was_approved_in_january_as_revision_1(self):
        body = StateBody.objects.get(code=demo.DEMO_CODE)
        plan = plan_of(2026)
        assert plan.status == PlanStatus.APPROVED
        development = body.development_plans.get()
        assert plan.development_plan == development
        assert plan.basis_amendment == development.amendments.earliest("signed_on")
        assert plan.planning_unit == body.units.get(code="D01")
        assert plan.approved_on == dt.date(2026, 1, 8)
        assert plan.approved_by.username == "official"
        # R6: ten days from the amendment of June 2025; January is late, and it says so.
        assert plan.approved_on > plan.approval_basis.deadline
        assert plan.approved_late
        revision = plan.revisions.get()
        assert (revision.number, revision.approved_on, revision.approved_late) == (
            1,
            dt.date(2026, 1, 8),
            True,
        )
        assert revision.actions.count() == plan.actions.count()
        assert plan_errors(plan) == []
        assert check_plan(plan) == []  # Section II has actions: not even a warning
        assert 4 >= body.tasks.count() >= 3
        assert not plan.proposals.exists()

    def test_the_plan_has_realistic_actions_of_every_kind(self):
        plan = plan_of(2026)
        actions = list(plan.actions.prefetch_related("budget_programs", "co_executors"))
        assert 25 <= len(actions) <= 32
        in_section_2 = [a for a in actions if a.task_id]
        assert 3 <= len(in_section_2) <= 5
        # Every indicator with a value for the year has an action.
        of_the_year = Indicator.objects.filter(plan=plan.development_plan, values__year=2026)
        assert set(of_the_year.values_list("pk", flat=True)) <= {a.indicator_id for a in actions}
        assert {a.term_kind for a in actions} == set(TermKind.values)
        for action in actions:
            assert action.term_display
            if action.term_kind == TermKind.DATE:
                assert action.term_date.year == 2026
            assert action.lead_unit.body_id == plan.body_id
            co = {unit.pk for unit in action.co_executors.all()}
            assert action.lead_unit_id not in co
            assert len(action.budget_programs.all()) <= 2
            assert bool(action.completion_form_id) != bool(action.completion_text)
            if action.completion_form_id:
                assert action.completion_form.body_id is None
        assert any(not a.budget_programs.all() for a in actions)
        assert any(len(a.budget_programs.all()) == 2 for a in actions)
        assert any(a.co_executors.all() for a in actions)
        assert 1 <= sum(bool(a.completion_text) for a in actions) <= 2
        assert not CompletionForm.objects.filter(body=plan.body).exists()
        # Positions run 1..n under each anchor.
        anchors: dict = {}
        for action in actions:
            anchors.setdefault((action.indicator_id, action.task_id), []).append(action.position)
        for positions in anchors.values():
            assert sorted(positions) == list(range(1, len(positions) + 1))

    @pytest.mark.parametrize("quarter", [1, 2])
    def test_every_unit_with_actions_due_gave_accepted_information(self, quarter):
        plan = plan_of(2026)
        rows, _countdown = board(plan, quarter)
        states = {row.unit.code: row.state for row in rows}
        assert set(states.values()) == {BoardState.ACCEPTED, BoardState.NOTHING_DUE}
        assert sum(state == BoardState.ACCEPTED for state in states.values()) >= 7
        late = []
        for row in rows:
            if row.state != BoardState.ACCEPTED:
                assert row.due == 0 and row.submission is None
                continue
            submission = row.submission
            assert row.filled == row.due > 0
            assert submission.signed_by.roles.get(role=Role.UNIT_HEAD).unit == row.unit
            assert submission.events.get(kind=SubmissionEvent.Kind.ACCEPTED).actor.username == (
                "monitor"
            )
            if submission.days_late:
                late.append(row.unit.code)
        # Most on time, one late.
        assert len(late) == 1

    def test_the_entries_read_like_a_real_quarter(self):
        entries = ProgressEntry.objects.filter(submission__plan=plan_of(2026))
        statuses = set(entries.values_list("status", flat=True))
        assert statuses == set(EntryStatus.values)
        for entry in entries:
            if entry.status in (EntryStatus.EXECUTED, EntryStatus.PARTIAL):
                assert len(entry.actual) > 40, entry
        for entry in entries.exclude(submission__status=SubmissionStatus.DRAFT):
            if entry.status in (EntryStatus.PARTIAL, EntryStatus.NOT_EXECUTED):
                assert len(entry.reasons) > 40, entry
        # Every signed-off submission passes the check that the sign-off makes.
        for submission in Submission.objects.exclude(status=SubmissionStatus.DRAFT):
            items = unit_actions(submission.plan, submission.unit, submission.quarter)
            attach_progress(items, submission, submission.quarter)
            assert entry_problems(items) == [], submission
        for evidence in Evidence.objects.all():
            with evidence.file.open("rb") as stored:
                assert sniff_evidence(stored) == "pdf"

    def test_the_units_report_the_actual_values_of_their_target_indicators(self):
        plan = plan_of(2026)
        for submission in Submission.objects.filter(plan=plan, quarter__lte=3):
            answers_for = set(
                Indicator.objects.filter(
                    kind=Indicator.Kind.TARGET, responsible_unit=submission.unit
                ).values_list("pk", flat=True)
            )
            reported = set(submission.actuals.values_list("indicator", flat=True))
            assert reported == answers_for, submission
        d05 = IndicatorActual.objects.filter(submission__unit__code="D05").order_by(
            "submission__quarter"
        )
        values = [actual.value for actual in d05]
        assert values == sorted(values) and len(values) == 3  # the share grows quarter by quarter

    def test_quarter_3_is_a_mix_as_on_26_november(self):
        plan = plan_of(2026)
        rows, countdown = board(plan, BOARD_QUARTER)
        states = {row.unit.code: row.state for row in rows}
        assert BOARD_QUARTER == 3
        assert countdown.deadline == dt.date(2026, 10, 10)
        assert list(states.values()).count(BoardState.ACCEPTED) >= 6
        assert states["D06"] == BoardState.DRAFT
        assert states["D02.1"] == BoardState.NOT_STARTED
        accepted = [r.submission for r in rows if r.state == BoardState.ACCEPTED]
        assert any(s.days_late for s in accepted)
        assert any(not s.days_late for s in accepted)
        # Returned with a comment, corrected and signed off again: it waits for the monitor.
        resubmitted = Submission.objects.get(plan=plan, quarter=3, unit__code="C01.1")
        assert resubmitted.status == SubmissionStatus.SUBMITTED and resubmitted.round == 2
        assert states["C01.1"] == BoardState.LATE
        steps = list(resubmitted.events.values_list("kind", "round", "actor__username"))
        assert steps == [
            (SubmissionEvent.Kind.SIGNED, 1, "head.c01.1"),
            (SubmissionEvent.Kind.RETURNED, 1, "monitor"),
            (SubmissionEvent.Kind.SIGNED, 2, "head.c01.1"),
        ]
        assert resubmitted.events.get(kind=SubmissionEvent.Kind.RETURNED).comment
        corrected = resubmitted.entries.filter(version__gt=1)
        assert corrected.exists()
        assert all(entry.updated_by.username == "executor2" for entry in corrected)
        assert Evidence.objects.filter(entry__in=corrected).exists()

    def test_the_monitor_reported_on_quarters_1_and_2_and_prepares_quarter_3(self):
        plan = plan_of(2026)
        reports = {report.quarter: report for report in plan.reports.all()}
        assert set(reports) == {1, 2, 3}
        for quarter in (1, 2):
            report = reports[quarter]
            assert report.status == ReportStatus.SUBMITTED
            assert report.submitted_by.username == "monitor"
            assert report.monitoring_unit.code == "D01.1"
            assert len(report.general_recommendations) > 200
            assert report.rows.exclude(recommendation="").count() >= 2
            # Submitted once every unit's information was accepted.
            assert report_summary(report, report_layout(report)).missing_units == []
        assert (reports[1].days_late, reports[2].days_late) == (1, 0)
        assert local_date(reports[1].submitted_at) == dt.date(2026, 4, 16)
        # Quarter 1 was compiled twice: the late unit's information came in on the 16th.
        compiled = Report.history.filter(id=reports[1].pk).values_list("compiled_at", flat=True)
        assert [local_date(moment) for moment in sorted(set(compiled))] == [
            dt.date(2026, 4, 15),
            dt.date(2026, 4, 16),
        ]
        draft = reports[3]
        assert draft.status == ReportStatus.DRAFT and draft.submitted_at is None
        assert draft.rows.exclude(recommendation="").exists()
        missing = report_summary(draft, report_layout(draft)).missing_units
        assert {"ДЮС", "РГП «Казводресурс»", "Управление трансграничных рек"} == set(missing)
        assert draft.rows.count() == draft.revision.actions.count()

    def test_the_execution_dashboard_reads_the_three_reports(self):
        """A person opening the dashboard on the demo sees quarters 1 and 2 as submitted, the
        3rd as compiled, the 4th without a report, each with the figures of its report; every
        target indicator has values to draw."""
        plan = plan_of(2026)
        dashboard = execution_dashboard(plan)
        assert [q.state for q in dashboard.quarters] == ["submitted", "submitted", "draft", "none"]
        for report in plan.reports.all():
            summary = report_summary(report, report_layout(report))
            tally = dashboard.overall.tally(report.quarter)
            assert (tally.due, tally.executed, tally.no_information) == (
                summary.overall.due,
                summary.overall.executed,
                summary.overall.no_information,
            )
            assert tally.due > 0
        assert all(len(dashboard.groups[name]) > 1 for name in ("direction", "goal", "unit"))
        assert sum(1 for s in dashboard.indicators if s.point(3) and s.point(3).actual) > 5

    def test_one_recommendation_to_amend_the_plan_is_not_applied(self):
        amendment = AmendmentRecommendation.objects.get()
        assert amendment.report.quarter == 2
        assert amendment.kind == AmendmentKind.TERM and amendment.term_quarter == 3
        assert amendment.action.term_quarter == 2  # the plan in force is unchanged
        assert amendment.justification and amendment.applied_at is None
        assert plan_of(2026).status == PlanStatus.APPROVED

    def test_the_officials_decisions_one_done_two_open_for_the_executor(self):
        done, open_, overdue = Decision.objects.order_by("report__quarter", "pk")
        for decision in (done, open_, overdue):
            assert decision.decided_by.username == "official"
            assert decision.due_on >= decision.decided_on
        assert done.status == DecisionStatus.DONE and done.closed_on is not None
        note = done.progress.get()
        assert note.status == DecisionStatus.DONE and note.unit.code == "D04"
        assert note.author.username == "head.d04"
        for decision in (open_, overdue):
            assert decision.status == DecisionStatus.OPEN and not decision.progress.exists()
        assert open_.due_on > dt.date(2026, 12, 6)
        # Not yet due on the demo's 26 November; overdue from December on.
        assert dt.date(2026, 11, 26) < overdue.due_on < dt.date(2026, 12, 6)
        executor = User.objects.get(username="executor")
        unit = executor.roles.get().unit
        assert list(open_.units.all()) == list(overdue.units.all()) == [unit]
        body = StateBody.objects.get(code=demo.DEMO_CODE)
        assert set(unit_decisions(body, {unit.pk})) == {open_, overdue}

    def test_quarter_4_has_one_draft(self):
        submission = Submission.objects.get(plan=plan_of(2026), quarter=4)
        assert submission.unit.code == "D02" and submission.status == SubmissionStatus.DRAFT
        assert submission.entries.get().updated_by.username == "executor"

    def test_the_2027_plan_is_a_draft_with_the_units_proposals_in_each_state(self):
        plan = plan_of(2027)
        assert plan.status == PlanStatus.DRAFT
        assert not plan.revisions.exists()
        assert plan.basis_amendment.signed_on == dt.date(2026, 11, 20)
        assert 10 <= plan.actions.count() <= 16
        assert plan_errors(plan) == []
        executor = User.objects.get(username="executor")
        proposals = {p.status: p for p in plan.proposals.all()}
        assert set(proposals) == {
            ProposalStatus.DRAFT,
            ProposalStatus.SIGNED,
            ProposalStatus.ACCEPTED,
        }
        unit = executor.roles.get().unit
        for proposal in proposals.values():
            assert proposal.author == executor and proposal.unit == unit
        for status in (ProposalStatus.SIGNED, ProposalStatus.ACCEPTED):
            assert proposals[status].signed_by.username == "head"
            assert proposals[status].signed_at is not None
        assert proposals[ProposalStatus.DRAFT].signed_by is None
        accepted = proposals[ProposalStatus.ACCEPTED]
        action = plan.actions.get(proposal__isnull=False)
        assert action.proposal == accepted
        assert action.name == accepted.name
        # The planner took it in edited: one more co-executor than the unit proposed.
        assert set(accepted.co_executors.all()) < set(action.co_executors.all())
        assert not proposals[ProposalStatus.SIGNED].actions.exists()

    def test_the_planner_can_take_the_2027_plan_through_approval_on_time(self):
        plan = plan_of(2027)
        planner = User.objects.get(username="planner")
        official = User.objects.get(username="official")
        today = dt.datetime(2026, 11, 26, 15, tzinfo=ALMATY)
        with time_machine.travel(today, tick=False):
            plan_services.proposal_decline(
                actor=planner,
                proposal=plan.proposals.get(status=ProposalStatus.SIGNED),
                reason="The schedule follows the inspection; propose it for 2028.",
            )
            plan_services.plan_submit(actor=planner, plan=plan)
            plan = plan_services.plan_approve(actor=official, plan=plan)
        assert plan.status == PlanStatus.APPROVED
        assert not plan.approved_late  # within R6's ten days of the November amendment
        assert plan.revisions.get().actions.count() == plan.actions.count()

    def test_the_demo_users_find_work_waiting_for_them(self):
        from jospar.inbox.selectors import Kind, my_work

        with time_machine.travel(dt.datetime(2026, 12, 6, 10, tzinfo=ALMATY), tick=False):
            work = {
                name: {item.kind for item in my_work(User.objects.get(username=name))}
                for name in ("executor", "executor2", "head", "planner", "monitor", "official")
            }
        assert {Kind.DECISION, Kind.PROPOSALS_OPEN} <= work["executor"]
        assert Kind.INFORMATION in work["executor2"]  # the 4th quarter, due 10 January
        assert {Kind.SIGN_INFORMATION, Kind.SIGN_PROPOSALS} <= work["head"]
        assert {Kind.DECIDE_PROPOSALS, Kind.SUBMIT_PLAN} <= work["planner"]
        assert {Kind.UNITS_OVERDUE, Kind.ACCEPT_INFORMATION, Kind.REPORT} <= work["monitor"]
        assert Kind.DECISION_OVERDUE in work["official"]  # due on 30 November, still open

    def test_the_reset_loads_it_afresh_deleting_each_record_as_the_root(self):
        # Inside this test's savepoint, so the class's demo is back as it was afterwards.
        before = counts()
        old_body = StateBody.objects.get(code=demo.DEMO_CODE)
        output = load("--reset")
        assert counts() == before
        assert StateBody.objects.get(code=demo.DEMO_CODE).pk != old_body.pk
        assert not Revision.objects.filter(plan__body=old_body.pk).exists()
        assert "Loaded" in output
        root = User.objects.get(username=demo.SUPERUSER)
        for model in PLAN_MODELS + MONITORING_MODELS:
            deleted = model.history.filter(history_type="-")
            assert deleted.exists(), model
            assert set(deleted.values_list("history_user", flat=True)) == {root.pk}, model


def test_a_taken_login_stops_it_before_anything_is_written():
    UserFactory(username="planner")
    UserFactory(username="head.d05")
    before = counts()
    with pytest.raises(CommandError, match="planner") as error:
        load()
    assert "head.d05" in str(error.value)
    assert counts() == before


def test_it_refuses_a_root_that_is_not_a_superuser():
    UserFactory(username=demo.SUPERUSER)
    with pytest.raises(CommandError, match=demo.SUPERUSER):
        load()
    assert not StateBody.objects.exists()


def test_with_debug_off_it_refuses_unless_told_it_is_not_production():
    with pytest.raises(CommandError, match="--i-know-this-is-not-production"):
        load(debug=False)
    assert not StateBody.objects.exists() and not User.objects.exists()


def test_as_a_production_install_loads_it_the_same_without_a_published_password(monkeypatch):
    """As on a server (for a trial there): no test extras, so the clock is Django's
    `timezone.now` instead of time-machine's, and DEBUG off."""
    monkeypatch.setitem(sys.modules, "time_machine", None)
    output = load("--i-know-this-is-not-production", debug=False)
    plan = plan_of(2026)
    assert plan.approved_on == dt.date(2026, 1, 8)
    signed = Submission.objects.get(plan=plan, quarter=1, unit__code="D04")
    assert signed.days_late == 4
    assert local_date(signed.signed_at) == dt.date(2026, 4, 14)
    root = User.objects.get(username=demo.SUPERUSER)
    assert root.is_superuser and not root.has_usable_password()
    assert not root.check_password(demo.DEMO_PASSWORD)
    assert f"jospar changepassword {demo.SUPERUSER}" in output
    assert f"  {demo.SUPERUSER} " not in output  # not offered as a login


def test_load_demo_explains_itself(capsys):
    from django.core.management import call_command

    with pytest.raises(SystemExit):
        call_command("load_demo", "--help")
    out = capsys.readouterr().out
    assert "--reset" in out and "demo state body" in out
