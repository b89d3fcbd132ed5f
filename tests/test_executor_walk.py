"""Walk every API list endpoint and every page as the executor of one unit: they see their own
unit's work in progress and never another unit's of the same body.

A body has two units, `mine` and `theirs`, each with its proposals, its quarterly information
(entries, evidence, indicator values, the monitor's comments), and decisions assigned to it
with its progress on them; the text of each unit's work carries its unit's marker. The
published things (the plan and its actions, the strategy, the reference lists) carry neither.
The lead unit of an action is meant to see its co-executors' entries on it, so `mine` leads no
action of which `theirs` is a co-executor (the other way round is walked).

The list endpoints come from the API's router, the pages from the URL patterns (as in
tests/test_url_walk.py), so an endpoint or page added later is walked without being listed
here. Objects named in a URL are taken once from `mine` and once from `theirs`.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from jospar.accounts.services import token_issue
from jospar.api.urls import router
from jospar.documents.models import ExportJob
from jospar.monitoring import services as monitoring
from jospar.monitoring.selectors import unit_actions
from jospar.notifications.models import Notification
from jospar.orgs.models import Role
from jospar.plans import services as plans
from jospar.plans.models import CompletionForm, RegulationTask
from jospar.plans.terms import TermKind
from jospar.reports import services as reports
from tests.factories import (
    AmendmentFactory,
    BudgetProgramFactory,
    DirectionFactory,
    GoalFactory,
    IndicatorValueFactory,
    SignatureFactory,
    TargetIndicatorFactory,
    UnitFactory,
    member,
    operational_plan,
)
from tests.test_url_walk import outsider_urls
from tests.worlds import at, shared_world, the_body, the_member

MINE = "Own-unit-work-7Q"
THEIRS = "Other-unit-work-9Z"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class Side:
    """One unit's people and work."""

    def __init__(self, body, unit, marker: str, name: str):
        self.unit = unit
        self.marker = marker
        self.executor = member(body, Role.EXECUTOR, unit=unit, username=f"{name}-executor")
        self.head = member(body, Role.UNIT_HEAD, unit=unit, username=f"{name}-head")


def fill(side: Side, plan, quarter: int, indicator) -> object:
    """The side's information for a quarter: an entry on every due action with a file each,
    and the value of its target indicator, all carrying the side's marker."""
    submission = monitoring.submission_open(
        actor=side.executor, plan=plan, unit=side.unit, quarter=quarter
    )
    for item in unit_actions(plan, side.unit, quarter):
        if not item.due:
            continue
        entry = monitoring.entry_save(
            actor=side.executor,
            submission=submission,
            action_id=item.planned.action_id,
            status="partial",
            actual=f"Done by {side.marker} in Q{quarter}",
            reasons=f"Late because of {side.marker}",
            version=0,
        )
        upload = SimpleUploadedFile(f"act-{side.marker}.pdf", PDF, "application/pdf")
        monitoring.evidence_add(actor=side.executor, entry=entry, upload=upload)
    monitoring.actual_save(
        actor=side.executor,
        submission=submission,
        indicator=indicator,
        value="12",
        comment=f"Measured by {side.marker}",
        version=0,
    )
    return submission


def build():
    """The module's world (`world`), built once: see `units_at_work`."""
    travellers = []

    def clock(when):  # as conftest's `clock`, which a module's fixture cannot ask for
        if travellers:
            travellers.pop().stop()
        travellers.append(at(when))
        travellers[-1].start()

    try:
        body = the_body()
        return units_at_work(body, the_member(body, Role.PLANNER, "planner"), clock)
    finally:
        for traveller in travellers:
            traveller.stop()


def units_at_work(body, planner, clock):
    """Plan 2026 approved in January; both units' information for Q1 signed, returned with a
    comment, signed again and accepted; their Q2 information in progress; the Q1 report
    submitted with a decision for each unit and each unit's progress on its own."""
    clock("2026-01-05 10:00")
    mine = Side(body, UnitFactory(body=body, code="D1", name="Water department"), MINE, "mine")
    theirs = Side(
        body, UnitFactory(body=body, code="D2", name="Finance department"), THEIRS, "theirs"
    )
    monitor = member(body, Role.MONITOR, username="monitor")
    official = member(body, Role.OFFICIAL, username="official")
    plan = operational_plan(body, 2026)
    goal = GoalFactory(direction=DirectionFactory(plan=plan.development_plan))
    indicators = {}
    for side in (mine, theirs):
        indicators[side] = TargetIndicatorFactory(goal=goal, responsible_unit=side.unit)
        IndicatorValueFactory(indicator=indicators[side], year=2026, planned=Decimal(40))
    task = RegulationTask.objects.create(body=body, number=1, name="Informing the public")
    form, _created = CompletionForm.objects.get_or_create(body=None, name="Report")
    actions = {}
    for side in (mine, theirs):
        actions[side] = plans.action_create(
            actor=planner,
            plan=plan,
            name=f"Quarterly work led by {side.unit.code}",
            indicator=indicators[side],
            lead_unit=side.unit,
            co_executors=[],
            term_kind=TermKind.QUARTERLY,
            completion_form=form,
        )
    # An action `theirs` leads and `mine` takes part in: each unit reports its own part.
    plans.action_create(
        actor=planner,
        plan=plan,
        name="Joint work led by D2",
        task=task,
        lead_unit=theirs.unit,
        co_executors=[mine.unit],
        term_kind=TermKind.QUARTERLY,
        completion_form=form,
    )
    proposals = {}
    for side in (mine, theirs):
        declined = plans.proposal_create(
            actor=side.executor, plan=plan, unit=side.unit, task=task, name=f"Idea {side.marker}"
        )
        plans.proposal_sign(actor=side.head, proposal=declined)
        plans.proposal_decline(actor=planner, proposal=declined, reason=f"Not now, {side.marker}")
        proposals[side] = plans.proposal_create(
            actor=side.executor,
            plan=plan,
            unit=side.unit,
            task=task,
            name=f"Proposal {side.marker}",
        )
    plans.plan_submit(actor=planner, plan=plan)
    plans.plan_approve(actor=official, plan=plan)
    plan.refresh_from_db()

    clock(BUILT_ON)
    for side in (mine, theirs):
        first = fill(side, plan, 1, indicators[side])
        monitoring.submission_sign(actor=side.head, submission=first)
        monitoring.submission_return(
            actor=monitor, submission=first, comment=f"Say more, {side.marker}"
        )
        monitoring.submission_sign(actor=side.head, submission=first)
        monitoring.submission_accept(actor=monitor, submission=first)
        fill(side, plan, 2, indicators[side])
    report = reports.report_compile(actor=monitor, plan=plan, quarter=1)
    recommendation = reports.amendment_recommendation_create(
        actor=monitor,
        report=report,
        kind="remove",
        action=actions[theirs],
        justification="Done for good",
    )
    reports.report_submit(actor=monitor, report=report)
    decisions = {}
    for side in (mine, theirs):
        decisions[side] = reports.decision_create(
            actor=official,
            report=report,
            kind="problems",
            text=f"Decision for {side.marker}",
            units=[side.unit],
            due_on=dt.date(2026, 9, 1),
        )
        reports.decision_progress_add(
            actor=side.executor,
            decision=decisions[side],
            unit=side.unit,
            status="in_progress",
            text=f"Progress of {side.marker}",
        )
    shared = {
        "orgs.statebody": body,
        "orgs.budgetprogram": BudgetProgramFactory(body=body),
        "strategy.developmentplan": plan.development_plan,
        "strategy.amendment": AmendmentFactory(plan=plan.development_plan),
        "strategy.strategicdirection": goal.direction,
        "strategy.goal": goal,
        "plans.operationalplan": plan,
        "plans.regulationtask": task,
        "plans.completionform": form,
        "plans.revision": plan.revisions.get(),
        "reports.report": report,
        "reports.amendmentrecommendation": recommendation,
    }
    for side in (mine, theirs):
        submission = side.unit.submissions.get(quarter=2)
        entry = submission.entries.get(action=actions[side])
        side.objects = shared | {
            "orgs.unit": side.unit,
            "orgs.user": side.executor,
            "orgs.roleassignment": side.executor.roles.get(),
            "strategy.indicator": indicators[side],
            "strategy.indicatorvalue": indicators[side].values.get(),
            "plans.action": actions[side],
            "plans.proposal": proposals[side],
            "monitoring.submission": submission,
            "monitoring.progressentry": entry,
            "monitoring.evidence": entry.evidence.get(),
            "monitoring.indicatoractual": submission.actuals.get(),
            "reports.reportrow": report.rows.get(action=actions[side]),
            "reports.decision": decisions[side],
            "reports.decisionprogress": decisions[side].progress.get(),
            "accounts.apitoken": token_issue(user=side.executor, name=side.marker)[0],
            "documents.exportjob": export_job(side.executor, plan, side.marker),
            "signatures.signature": SignatureFactory(
                signed_object=submission,
                signer=side.executor,
                signer_name=f"Signer {side.marker}",
                certificate_serial=side.marker,
                document=side.marker.encode(),
                cms=side.marker.encode(),
            ),
            "notifications.notification": Notification.objects.create(
                recipient=side.executor,
                kind="plan_approved",
                params={"year": side.marker, "comment": ""},
                link="/",
            ),
        }
    return mine, theirs


# The moment the world is built up to, at which the tests walk it.
BUILT_ON = "2026-04-08 10:00"
world_once, built = shared_world(build)


@pytest.fixture
def world(built, clock):
    clock(BUILT_ON)
    return built


pytestmark = pytest.mark.usefixtures("world")


def export_job(requester, plan, marker):
    """A finished background export the unit's executor asked for (only they see it)."""
    job = ExportJob.objects.create(
        body=plan.body,
        requester=requester,
        kind="plan",
        plan=plan,
        file_format="pdf",
        language="en",
        actions=1,
        status="done",
        filename=f"{marker}.pdf",
        content_type="application/pdf",
    )
    job.file.save(f"{marker}.pdf", ContentFile(b"%PDF-1.4 " + marker.encode()))
    return job


def list_routes():
    """The API's list endpoints as the router has them registered: (prefix, viewset)."""
    for prefix, viewset, _basename in router.registry:
        if hasattr(viewset, "list"):
            yield prefix, viewset


def content(response) -> str:
    """What the answer shows: its body (a file's too) and the file name it gives."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return response.get("Content-Disposition", "") + raw.decode(errors="replace")


# Where each unit's own work shows to its executor, at the least.
OWN_LISTS = {"proposals", "decisions"}
OWN_PAGES = {
    "plans:proposals",
    "reports:decisions",
    "monitoring:submission",
    "api-proposal-detail",
    "api-submission-detail",
    "api-evidence-detail",
    "api-decision-detail",
}
# The pages above that name one object of a unit's work: the other unit's answer 403 or 404.
THEIR_OBJECT_PAGES = OWN_PAGES - {"plans:proposals", "reports:decisions"}


@pytest.mark.django_db
def test_a_units_executor_lists_only_their_units_work(client, world):
    """Every list endpoint, also filtered by the other unit where it filters by unit; a monitor
    sees both units' work in the same lists, so the markers are where they should be."""
    mine, theirs = world
    client.force_login(mine.executor)
    shown = set()
    for prefix, viewset in list_routes():
        url = f"/api/v1/{prefix}/"
        queries = [{}]
        if "unit" in getattr(viewset, "query_filters", ()):
            queries.append({"unit": theirs.unit.pk})
        for query in queries:
            response = client.get(url, query)
            assert response.status_code == 200, f"GET {url} {query}: {response.status_code}"
            assert THEIRS not in content(response), f"GET {url} {query} showed their work"
            if MINE in content(response):
                shown.add(prefix)
    assert OWN_LISTS <= shown, f"the unit's own work is missing from {OWN_LISTS - shown}"
    submissions = client.get("/api/v1/submissions/").json()["results"]
    assert {row["unit"] for row in submissions} == {mine.unit.pk}
    assert len(submissions) == 2  # Q1 accepted, Q2 in progress

    client.force_login(member(mine.unit.body, Role.MONITOR, username="auditor"))
    for prefix in OWN_LISTS:
        listed = content(client.get(f"/api/v1/{prefix}/"))
        assert MINE in listed and THEIRS in listed, prefix


@pytest.mark.django_db
@pytest.mark.usefixtures("quiet_logs")
def test_a_units_executor_never_gets_another_units_work_from_a_page(client, world):
    """Every page and API URL (admin's aside), with the objects of each unit in turn; a
    monitor sees both units' proposals on the same page. A URL that names no object of the
    unit (the shared ones', or none) is the same for both and read once: the answer to the
    same GET of the same user cannot differ."""
    mine, theirs = world
    client.force_login(mine.executor)
    shown, walked, checked = set(), set(), 0
    for side in (mine, theirs):
        for name, url, _names_object, _entry in outsider_urls(side.objects):
            if name.startswith("admin:") or url in walked:
                continue
            walked.add(url)
            response = client.get(url)
            assert response.status_code < 500, f"GET {url} ({name}): {response.status_code}"
            assert THEIRS not in content(response), f"GET {url} ({name}) showed their work"
            if side is theirs and name in THEIR_OBJECT_PAGES:  # not merely without the marker
                assert response.status_code in (403, 404), f"GET {url} ({name})"
            if MINE in content(response):
                shown.add(name)
            checked += 1
    assert checked > 100
    assert OWN_PAGES <= shown, f"the unit's own work is missing from {OWN_PAGES - shown}"

    client.force_login(member(mine.unit.body, Role.MONITOR, username="auditor"))
    body, plan = mine.unit.body, mine.objects["plans.operationalplan"]
    page = content(client.get(f"/bodies/{body.pk}/operational-plans/{plan.pk}/proposals/"))
    assert MINE in page and THEIRS in page
