"""The factories of the later stages build rows the models accept, all inside one body."""

import pytest

from jospar.plans.models import PlanStatus
from tests.factories import (
    ActionFactory,
    DecisionFactory,
    ProgressEntryFactory,
    ProposalFactory,
    ReportFactory,
    SubmissionFactory,
)

pytestmark = pytest.mark.django_db


def test_an_action_hangs_under_an_indicator_of_its_plans_development_plan():
    action = ActionFactory()
    action.full_clean()
    assert action.indicator.plan == action.plan.development_plan
    assert action.lead_unit.body == action.plan.body
    assert (action.term_display, action.completion_display) == ("2 quarter", "Report")


def test_a_proposal_is_a_draft_of_its_unit():
    proposal = ProposalFactory()
    proposal.full_clean()
    assert proposal.status == "draft"
    assert proposal.unit.body == proposal.plan.body == proposal.lead_unit.body


def test_an_entry_reports_on_an_action_its_unit_leads_in_the_same_plan():
    entry = ProgressEntryFactory()
    entry.full_clean()
    submission = entry.submission
    assert (submission.quarter, submission.status) == (2, "draft")
    assert entry.action.plan == submission.plan and entry.action.lead_unit == submission.unit
    assert entry.is_filled
    assert SubmissionFactory(plan=submission.plan).unit.body == submission.plan.body


def test_a_report_reads_the_first_revision_of_an_approved_plan():
    action = ActionFactory()
    report = ReportFactory(plan=action.plan)
    report.full_clean()
    assert report.plan.status == PlanStatus.APPROVED
    assert report.revision.number == 1
    assert list(report.revision.actions.values_list("action", flat=True)) == [action.pk]
    assert ReportFactory(plan=report.plan, quarter=3).revision == report.revision


def test_a_decision_is_assigned_to_a_unit_of_the_reports_body():
    decision = DecisionFactory()
    decision.full_clean()
    [unit] = decision.units.all()
    assert unit.body == decision.report.plan.body
    assert decision.is_open
