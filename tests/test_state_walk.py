"""Walk every URL over objects in every state of their workflow, as two kinds of stranger:

- inside the body, the executor and the head of unit B, over unit A's work in progress: they
  get none of it shown and change nothing of it, by any method;
- the outsider of `conftest.py` (every role, in another body): nothing of the body at all.

The world (built once for the module, through the services) holds the operational plans of
2025–2029 in every state of PLAN_STEPS (draft, submitted, returned, approved, and 2027 in an
adjustment), unit A's proposals in every state of PROPOSAL_STEPS, its quarterly information
in every state of the submission STEPS (Q1 accepted, Q2 returned, Q3 signed off, Q4 in
draft), the Q1 report submitted and the Q2 report in preparation (REPORT_STEPS), decisions
open, in progress and done. `SETS` names one object of each kind per walk; together they
hold every state (`test_the_walk_covers_every_state` says so, and fails if a state is lost).

Each walker uses the pages with a session (GET, and a form POST on every page URL) and the API
with a token (GET with the objects' ids as query filters; PUT, PATCH and DELETE on object
URLs; POST everywhere, the ids in the payload). 'Nothing changed' is judged by `fingerprint()`,
a digest of every row of every table, before and after every write (it names the request and
the tables at once) and around each walker's walk of a set (its reads).

What B legitimately sees of A is written in `test_what_another_unit_legitimately_sees`, each
with its reason; A's own marker `A_WORK` must never show.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse
from rest_framework.test import APIClient

from jospar.accounts.services import token_issue
from jospar.monitoring import services as monitoring
from jospar.monitoring.selectors import unit_actions
from jospar.orgs.models import Role
from jospar.plans import services as plans
from jospar.plans.models import OperationalPlan, PlanEvent
from jospar.plans.terms import TermKind
from jospar.reports import services as reports
from tests.factories import member, operational_plan
from tests.test_url_walk import (
    SKIP_POST,
    VALUES,
    api_model_label,
    differences,
    entry_name,
    fingerprint,
    foreign_ids,
    kwargs_variants,
    walk,
)
from tests.worlds import at, monitoring_world, shared_world

A_WORK = "Aunit-work-5K"  # in everything unit A writes that only A and the body-wide roles see
FOR_LEAD = "Aunit-part-for-lead-8P"  # A's part in an action unit B leads: B, the lead, sees it
PUBLISHED = "Published-action-2M"  # the action an accepted proposal of A became
SHARED = "Decision-for-A-and-B-3T"  # a decision assigned to both units
BODY = "Ministry of Water Resources"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def fill(world, submission, *, marker=A_WORK, led_by_b=FOR_LEAD) -> dict:
    """A's information for the quarter: an entry with a file on every due action and the
    value of A's indicator, all carrying `marker` (`led_by_b` on the action B leads).
    Returns the entries by action key."""
    keys = {action.pk: key for key, action in world.actions.items()}
    entries = {}
    for item in unit_actions(submission.plan, submission.unit, submission.quarter):
        if not item.due:
            continue
        key = keys[item.planned.action_id]
        text = led_by_b if key == "partner_q3" else marker
        entries[key] = monitoring.entry_save(
            actor=world.executor,
            submission=submission,
            action_id=item.planned.action_id,
            status="partial",
            actual=f"Done by {text} in Q{submission.quarter}",
            reasons=f"Late because of {text}",
            version=0,
        )
        upload = SimpleUploadedFile(f"{text}.pdf", PDF, "application/pdf")
        monitoring.evidence_add(actor=world.executor, entry=entries[key], upload=upload)
    monitoring.actual_save(
        actor=world.executor,
        submission=submission,
        indicator=world.indicator,
        value="12",
        comment=f"Measured by {marker}",
        version=0,
    )
    return entries


def task_plan(world, year: int) -> OperationalPlan:
    """A plan of `year` on the world's development plan, with one action of unit A."""
    plan = operational_plan(world.body, year, development_plan=world.development)
    plans.action_create(
        actor=world.planner,
        plan=plan,
        task=world.task,
        name=f"Work of {year}",
        lead_unit=world.unit,
        co_executors=[],
        term_kind=TermKind.YEAR,
        completion_form=world.form,
    )
    return plan


def build():
    """Unit A is the monitoring world's `unit` (D1: executor, head), unit B its `partner` (D2,
    co-executor of A's q2, lead of partner_q3 in which A takes part): `b_executor` and
    `partner_head` walk. The 2026 plan carries A's quarterly work, the reports and the
    decisions; 2027 A's proposals (it is in an adjustment); 2025, 2028, 2029 the other
    states of a plan."""
    world = monitoring_world()
    w = world
    world.b_executor = member(w.body, Role.EXECUTOR, unit=w.partner, username="b-executor")
    submissions, entries = {}, {}
    with at("2026-04-08 10:00"):
        submissions[1] = w.open(1)
        entries[1] = fill(w, submissions[1])
        monitoring.submission_sign(actor=w.head, submission=submissions[1])
        monitoring.submission_accept(actor=w.monitor, submission=submissions[1])
    with at("2026-04-10 10:00"):
        q1 = reports.report_compile(actor=w.monitor, plan=w.plan, quarter=1)
        reports.row_recommend(
            actor=w.monitor, row=q1.rows.get(action=w.actions["q1"]), text=f"Do {A_WORK}"
        )
        q1_recommendation = reports.amendment_recommendation_create(
            actor=w.monitor,
            report=q1,
            kind="remove",
            action=w.actions["q1"],
            justification=f"Done for good by {A_WORK}",
        )
        reports.report_submit(actor=w.monitor, report=q1)

        def decide(units, text):
            return reports.decision_create(
                actor=w.official,
                report=q1,
                kind="problems",
                text=text,
                units=units,
                due_on=dt.date(2026, 12, 31),
            )

        def progress(decision, status):
            return reports.decision_progress_add(
                actor=w.executor,
                decision=decision,
                unit=w.unit,
                status=status,
                text=f"Progress of {A_WORK} ({status})",
            )

        decisions = {
            "open": decide([w.unit], f"Decision for {A_WORK} (open)"),
            "in_progress": decide([w.unit], f"Decision for {A_WORK} (in progress)"),
            "done": decide([w.unit], f"Decision for {A_WORK} (done)"),
            "shared": decide([w.unit, w.partner], SHARED),
        }
        notes = {
            "in_progress": progress(decisions["in_progress"], "in_progress"),
            "done": progress(decisions["done"], "done"),
            "shared": progress(decisions["shared"], "in_progress"),
        }
    with at("2026-07-08 10:00"):
        submissions[2] = w.open(2)
        entries[2] = fill(w, submissions[2])
        monitoring.submission_sign(actor=w.head, submission=submissions[2])
        monitoring.submission_return(
            actor=w.monitor, submission=submissions[2], comment=f"Say more, {A_WORK}"
        )
    with at("2026-07-13 10:00"):
        q2 = reports.report_compile(actor=w.monitor, plan=w.plan, quarter=2)
        q2_recommendation = reports.amendment_recommendation_create(
            actor=w.monitor,
            report=q2,
            kind="remove",
            action=w.actions["q2"],
            justification=f"Not needed, {A_WORK}",
        )
    with at("2026-10-08 10:00"):
        submissions[3] = w.open(3)
        entries[3] = fill(w, submissions[3])
        monitoring.submission_sign(actor=w.head, submission=submissions[3])
        monitoring.submission_open(actor=world.b_executor, plan=w.plan, unit=w.partner, quarter=3)
        submissions[4] = w.open(4)
        entries[4] = fill(w, submissions[4])

    with at("2026-10-12 10:00"):
        later = task_plan(w, 2027)
        proposals = {}

        def propose(state):
            return plans.proposal_create(
                actor=w.executor,
                plan=later,
                unit=w.unit,
                task=w.task,
                name=f"Proposal of {A_WORK} ({state})",
                term_kind=TermKind.YEAR,
                completion_form=w.form,
            )

        # An accepted proposal's content is the plan's now, and the action's history names the
        # proposal it came from to every member: its name carries no marker.
        proposals["accepted"] = propose("accepted")
        proposals["accepted"].name = "Proposal taken into the plan"
        proposals["accepted"].save()
        plans.proposal_sign(actor=w.head, proposal=proposals["accepted"])
        published = plans.proposal_accept(
            actor=w.planner, proposal=proposals["accepted"], name=PUBLISHED
        )
        proposals["declined"] = propose("declined")
        plans.proposal_sign(actor=w.head, proposal=proposals["declined"])
        plans.proposal_decline(
            actor=w.planner, proposal=proposals["declined"], reason=f"Not now, {A_WORK}"
        )
        plans.plan_submit(actor=w.planner, plan=later)
        plans.plan_approve(actor=w.official, plan=later)
        plans.adjustment_start(
            actor=w.planner, plan=later, basis="other", basis_text="New tasks of the body"
        )
        proposals["draft"] = propose("draft")
        proposals["signed"] = propose("signed")
        plans.proposal_sign(actor=w.head, proposal=proposals["signed"])

        draft = task_plan(w, 2025)
        submitted = task_plan(w, 2028)
        plans.plan_submit(actor=w.planner, plan=submitted)
        returned = task_plan(w, 2029)
        plans.plan_submit(actor=w.planner, plan=returned)
        plans.plan_return(actor=w.official, plan=returned, comment="Add the budget programs")

    shared = {
        "orgs.statebody": w.body,
        "orgs.budgetprogram": w.program,
        "orgs.unit": w.unit,
        "orgs.user": w.executor,
        "orgs.roleassignment": w.executor.roles.get(),
        "accounts.apitoken": token_issue(user=w.executor, name=A_WORK)[0],
        "strategy.developmentplan": w.development,
        "strategy.strategicdirection": w.indicator.goal.direction,
        "strategy.goal": w.indicator.goal,
        "strategy.indicator": w.indicator,
        "strategy.indicator.target": w.indicator,
        "strategy.indicatorvalue": w.indicator.values.get(),
        "plans.regulationtask": w.task,
        "plans.completionform": w.form,
    }

    def quarter(n, action, report, recommendation, decision, note):
        submission = submissions[n]
        entry = entries[n][action]
        return shared | {
            "quarter": n,
            "plans.operationalplan": w.plan,
            "plans.revision": w.plan.revisions.get(),
            "plans.action": w.actions[action],
            "monitoring.submission": submission,
            "monitoring.progressentry": entry,
            "monitoring.evidence": entry.evidence.get(),
            "monitoring.indicatoractual": submission.actuals.get(),
            "reports.decision": decisions[decision],
            **({"reports.decisionprogress": notes[note]} if note else {}),
            **(
                {
                    "reports.report": report,
                    "reports.reportrow": report.rows.get(action=w.actions[action]),
                    "reports.amendmentrecommendation": recommendation,
                }
                if report
                else {}
            ),
        }

    def plan_only(plan, **more):
        return shared | {
            "plans.operationalplan": plan,
            "plans.action": plan.actions.first(),
            **({"plans.revision": plan.revisions.last()} if plan.revisions.exists() else {}),
            **more,
        }

    world.sets = [
        quarter(1, "q1", q1, q1_recommendation, "open", "in_progress"),
        quarter(2, "q2", q2, q2_recommendation, "in_progress", "done"),
        quarter(3, "quarterly", None, None, "done", None),
        quarter(4, "annual", None, None, "shared", "shared"),
        *(
            plan_only(later, **{"plans.proposal": proposal, "plans.action": published})
            for proposal in proposals.values()
        ),
        plan_only(draft),
        plan_only(submitted),
        plan_only(returned),
    ]
    world.shared_decision = decisions["shared"]
    world.later = later
    return world


world_once, world = shared_world(build)
pytestmark = pytest.mark.usefixtures("world")


# --- the walk -------------------------------------------------------------------------------


def urls(objects: dict):
    """(name, url, labels) for every URL pattern (the admin's aside: only superusers are its
    staff, and tests/test_url_walk.py walks it) that the set has objects for; `labels` are the
    kinds of object the URL names. The ".json" twins of the API's URLs reach the same views
    and are left to tests/test_url_walk.py."""
    values = VALUES | {"quarter": [objects["quarter"]]} if "quarter" in objects else VALUES
    for route, namespace, entry in walk(get_resolver().url_patterns):
        keywords = set(entry.pattern.regex.groupindex)
        if route.startswith("admin/") or "format" in keywords:
            continue
        if "quarter" in keywords and "quarter" not in objects:
            continue
        try:
            variants = list(kwargs_variants(route, entry, objects, values))
        except KeyError:  # the set has no object of a kind the URL names
            continue
        for kwargs in variants:
            yield (
                namespace + entry.name,
                reverse(namespace + entry.name, kwargs=kwargs),
                (labels_of(route, entry, kwargs)),
            )


_urls_of_sets: dict[tuple, list] = {}


def set_urls(objects: dict) -> list:
    """`urls(objects)`, worked out once for the sets of the same objects (each walker walks
    them all)."""
    key = tuple(sorted((label, getattr(obj, "pk", obj)) for label, obj in objects.items()))
    if key not in _urls_of_sets:
        _urls_of_sets[key] = list(urls(objects))
    return _urls_of_sets[key]


def labels_of(route: str, entry, kwargs: dict) -> set[str]:
    """The kinds of object the URL names (a unit's quarter is its submission)."""
    labels = set()
    for name in kwargs:
        value = VALUES.get(name)
        if isinstance(value, str) and value != "PLAN":
            labels.add(value)
    if "pk" in kwargs:
        labels.add(api_model_label(entry))
    if "model" in kwargs:
        labels.add(kwargs["model"])
    if "quarter" in kwargs:
        labels.add("monitoring.submission" if "unit_id" in kwargs else "")
        labels.add("reports.report" if "/report/" in route else "")
    return labels - {""}


# The kinds of row B never gets one of (visibility.RULES: A's work, the monitor's report, the
# body's users and roles), and A's API token.
HIDDEN_FROM_B = {
    "plans.proposal",
    "monitoring.submission",
    "monitoring.progressentry",
    "monitoring.evidence",
    "monitoring.indicatoractual",
    "reports.report",
    "reports.reportrow",
    "reports.amendmentrecommendation",
    "reports.decision",
    "reports.decisionprogress",
    "orgs.user",
    "orgs.roleassignment",
    "accounts.apitoken",
}


def hidden(labels: set[str], body_wide: bool, shared_decision: bool) -> bool:
    """Whether the URL names something the walker must get 403 or 404 for (`shared_decision`:
    the set's decision is assigned to more than one unit)."""
    if body_wide:  # the outsider: whatever the URL names but the forms every body shares
        return bool(labels - {"plans.completionform"})
    names = labels & HIDDEN_FROM_B
    if shared_decision:
        names.discard("reports.decision")  # the decision assigned to B as well is B's too
    return bool(names)


def content(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return response.get("Content-Disposition", "") + raw.decode(errors="replace")


# Form fields of every page that takes one, and more: a form the walker could fill must still
# be refused for the object it names.
FORM = {
    "name": "changed",
    "code": "X1",
    "status": "done",
    "text": "changed",
    "actual": "changed",
    "reasons": "changed",
    "comment": "changed",
    "reason": "changed",
    "value": "99",
    "version": "1",
}


class Walker:
    """One user walking the sets: `forbidden` must never show; each URL once."""

    def __init__(self, user, forbidden: tuple[str, ...], body_wide: bool, reads: bool = True):
        self.user, self.forbidden, self.body_wide, self.reads = user, forbidden, body_wide, reads
        self.session = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        self.session.force_login(user)
        self.token = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        key = token_issue(user=user, name="walk")[1]
        self.token.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        self.seen: set = set()
        self.state: dict | None = None  # the last fingerprint (`write`)
        self.answers: dict[int, int] = {}

    def check(self, what: str, response) -> None:
        self.answers[response.status_code] = self.answers.get(response.status_code, 0) + 1
        assert response.status_code < 500, f"{what} answered {response.status_code}"
        shown = content(response)
        for marker in self.forbidden:
            assert marker not in shown, f"{what} showed {marker}"

    def write(self, what: str, send, *args, **kwargs) -> object:
        before = self.state = fingerprint(since=self.state)
        response = send(*args, **kwargs)
        self.check(what, response)
        self.state = fingerprint(since=before)
        tables = differences(before, self.state)
        assert not tables, f"{what} ({response.status_code}) changed {tables}"
        return response

    def walk_set(self, objects: dict) -> None:
        payload = foreign_ids(objects) | FORM | {"quarter": objects.get("quarter", 1)}
        query = {k: v for k, v in payload.items() if isinstance(v, int)}
        decision = objects.get("reports.decision")
        shared_decision = decision is not None and decision.units.count() > 1
        for name, url, labels in set_urls(objects):
            if url in self.seen:
                continue
            self.seen.add(url)
            refused = hidden(labels, self.body_wide, shared_decision)
            api = url.startswith("/api/")
            if api and entry_name(name) in SKIP_POST | {"api-docs", "api-schema", "api-root"}:
                continue
            if not api:
                response = self.session.get(url) if self.reads else None
                if response is not None:
                    self.check(f"GET {url} ({name})", response)
                if response is not None and refused:
                    assert response.status_code in (403, 404, 405), f"GET {url} ({name})"
                if entry_name(name) not in SKIP_POST:
                    self.write(f"POST {url} ({name})", self.session.post, url, FORM)
                continue
            response = self.token.get(url, query) if self.reads else None
            if response is not None:
                self.check(f"GET {url} ({name}) with filters", response)
            if response is not None and refused:
                assert response.status_code in (403, 404, 405), f"GET {url} ({name})"
            methods = ("put", "patch", "delete", "post") if labels else ("post",)
            for method in methods:
                send = getattr(self.token, method)
                what = f"{method.upper()} {url} ({name}) by token"
                answer = self.write(what, send, url, payload, format="json")
                if refused or self.body_wide:
                    assert answer.status_code in (403, 404, 405), f"{method} {url} ({name})"
                else:
                    assert answer.status_code not in (200, 201, 204), f"{method} {url} ({name})"

    def walk(self, sets: list[dict]) -> None:
        """Each set, every row of every table unchanged after each write (`write`) and after
        the set's walk as a whole (its reads)."""
        for objects in sets:
            before = self.state = fingerprint()
            self.walk_set(objects)
            tables = differences(before, fingerprint())
            assert not tables, f"reading the set of {sorted(objects)} changed {tables}"


def walkers(world, outsider) -> dict:
    return {
        "b_executor": (world.b_executor, (A_WORK,), False),
        # The head sees what the executor sees (visibility knows a unit's roles, not which),
        # so the head's walk only writes: signing off is theirs alone.
        "b_head": (world.partner_head, (A_WORK,), False, False),
        "outsider": (outsider, (A_WORK, FOR_LEAD, PUBLISHED, SHARED, BODY), True),
    }


@pytest.mark.usefixtures("quiet_logs")
@pytest.mark.parametrize("who", ["b_executor", "b_head", "outsider"])
def test_a_stranger_gets_and_changes_nothing_in_any_state(world, outsider, who):
    """B's executor, B's head, and the outsider, over every set."""
    walker = Walker(*walkers(world, outsider)[who])
    walker.walk(world.sets)
    assert len(walker.seen) > 150, len(walker.seen)


WORKFLOWS = (
    "plans.operationalplan",
    "plans.proposal",
    "monitoring.submission",
    "reports.report",
    "reports.decision",
    "reports.decisionprogress",
)


def test_the_walk_covers_every_state(world):
    """Every status of every workflow is among the objects walked, and an adjustment."""
    reached = {}
    for objects in world.sets:
        for label in set(WORKFLOWS) & set(objects):
            objects[label].refresh_from_db()
            reached.setdefault(label, set()).add(objects[label].status)
    assert reached == {
        "plans.operationalplan": {"draft", "submitted", "returned", "approved"},
        "plans.proposal": {"draft", "signed", "accepted", "declined"},
        "monitoring.submission": {"draft", "submitted", "returned", "accepted"},
        "reports.report": {"draft", "submitted"},
        "reports.decision": {"open", "in_progress", "done"},
        "reports.decisionprogress": {"in_progress", "done"},
    }
    adjusting = [o["plans.operationalplan"] for o in world.sets if "plans.proposal" in o]
    assert all(plan.status == "draft" and plan.revisions.exists() for plan in adjusting)
    assert world.later.events.filter(kind=PlanEvent.Kind.ADJUSTMENT).exists()


def test_what_another_unit_legitimately_sees(world, client):
    """What B sees of A, each for a reason; A's own marker stays out all the same."""
    body, plan = world.body, world.plan
    client.force_login(world.b_executor)

    # B leads partner_q3 and A takes part in it: the lead sees its co-executors' entries
    # (monitoring.selectors.attach_progress), to answer for the action as a whole.
    theirs = reverse("monitoring:submission", args=[body.pk, plan.pk, 3, world.partner.pk])
    page = content(client.get(theirs))
    assert FOR_LEAD in page and A_WORK not in page

    # An accepted proposal became an action of the plan, published to every member.
    page = content(client.get(reverse("plans:plan", args=[body.pk, world.later.pk])))
    assert PUBLISHED in page and A_WORK not in page

    # A decision assigned to both units is B's as well; A's progress on it is A's.
    page = content(client.get(reverse("reports:decisions", args=[body.pk])))
    assert SHARED in page and A_WORK not in page
    answer = client.get(f"/api/v1/decisions/{world.shared_decision.pk}/").json()
    assert answer["text"] == SHARED
    assert all(A_WORK not in note["text"] for note in answer["progress"])
