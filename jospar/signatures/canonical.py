"""The canonical document of what a person approves with their digital signature: a stable,
versioned serialisation of the object as JSON (keys sorted, no whitespace, UTF-8, non-ASCII
kept as is), whose bytes are what NCALayer signs and whose SHA-256 a Signature stores.

Each kind's document carries `"format": "jospar-<kind>/1"`; a change of what a kind holds is a
new format number, never a silent change of an old one (the documents already signed must read
the same). Rows are ordered by their ids, so the document does not depend on the order the
database returns them in. A text held in each language is signed in each language (its
`name_ru`, `name_kk`, … columns), never as the active language reads it. Bookkeeping that the
step itself changes (the status, who signed and when, versions, timestamps) is left out: the
document is the same before and after the step it approves."""

import datetime as dt
import decimal
import hashlib
import json
import uuid

from django.db import models

# Bookkeeping left out of every row: not what a person approves, and changed by the step itself.
SKIPPED = frozenset(
    {
        "version",
        "updated_at",
        "updated_by",
        "created_at",
        "status_changed_at",
        "signed_by",
        "signed_at",
        "days_late",
        "round",
        "compiled_at",
        "compiled_by",
        "submitted_at",
        "submitted_by",
        "frozen_summary",
        "approved_late",
    }
)

KINDS = ("proposal", "submission", "revision", "report", "decision")


def _value(value):
    if isinstance(value, decimal.Decimal):
        # the number, not its stored scale: 7.5000 and 7.5 read the same
        return format(value.normalize(), "f")
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return value


def row(obj: models.Model, *, skip: frozenset = frozenset()) -> dict:
    """The stored values of a row: each concrete field by its column name (a foreign key as its
    id), a text held in each language as each language's column only."""
    fields = obj._meta.concrete_fields
    names = {field.name for field in fields}
    texts = {name for name in names if any(f"{name}_{code}" in names for code in ("ru", "kk"))}
    left_out = SKIPPED | skip | texts

    def kept(name: str) -> bool:
        # a language's column of a text left out (frozen_summary_ru) is left out with it
        source = name.rsplit("_", 1)[0]
        return name not in left_out and not (source in texts and source in SKIPPED | skip)

    return {
        field.attname: _value(getattr(obj, field.attname)) for field in fields if kept(field.name)
    }


def _rows(queryset, **options) -> list[dict]:
    return [row(obj, **options) for obj in queryset.order_by("pk")]


def _opening(kind: str, plan) -> dict:
    """What every kind's document opens with: its format, and the body and plan it is of."""
    return {
        "format": f"jospar-{kind}/1",
        "body": {"id": plan.body_id, "code": plan.body.code},
        "plan": {"id": plan.pk, "year": plan.year},
    }


def _unit(unit) -> dict:
    """The unit a document is for, without its place in the body's tree."""
    return row(unit, skip=frozenset({"order", "parent"}))


def submission_document(submission) -> dict:
    """A unit's quarterly information (R11–R14): its entries and indicator values, with the plan,
    the unit and the quarter they are for."""
    from jospar.monitoring.models import Evidence

    plan, unit = submission.plan, submission.unit
    files = Evidence.objects.filter(entry__submission=submission).order_by("pk")
    return {
        **_opening("submission", plan),
        "unit": _unit(unit),
        "quarter": submission.quarter,
        "submission": submission.pk,
        "entries": _rows(submission.entries.all(), skip=frozenset({"submission"})),
        "indicators": _rows(submission.actuals.all(), skip=frozenset({"submission"})),
        "evidence": [
            {"id": f.pk, "entry": f.entry_id, "name": f.name, "size": f.size, "kind": f.kind}
            for f in files
        ],
    }


def _content(obj) -> dict:
    """What an action or a proposal says (ActionContent's fields, each text in each language),
    as stored."""
    return {name: _value(value) for name, value in obj.content().items()}


def _codes(text: str) -> list[str]:
    return sorted(code.strip() for code in text.split(",") if code.strip())


def proposal_document(proposal) -> dict:
    """A unit's proposed action (R5) as its head signs it off: what it says, with its budget
    programs and co-executors, the plan and the unit it is for."""
    plan, unit = proposal.plan, proposal.unit
    return {
        **_opening("proposal", plan),
        "unit": _unit(unit),
        "proposal": proposal.pk,
        "content": _content(proposal),
        "budget_codes": sorted(p.code for p in proposal.budget_programs.all()),
        "co_executor_ids": sorted(u.pk for u in proposal.co_executors.all()),
    }


def _revision_action(action) -> dict:
    """An action of a revision (saved, or as the approval will freeze it): its identity, its
    number in the form and what it says; the texts a revision adds for reading (the names of
    units, of the anchor) are not what is approved."""
    return {
        "action": action.action_id,
        "number": action.number,
        **_content(action),
        "budget_codes": _codes(action.budget_codes),
        "co_executor_ids": sorted(action.co_executor_ids),
    }


HEADING_SKIP = frozenset({"id", "revision"})


def revision_document(obj) -> dict:
    """A revision of the plan (R6, R18): its basis, headings and actions. Built from the stored
    revision, or from the plan's working copy as its approval will freeze it (what the official
    reads and signs before the revision exists): the same bytes either way."""
    from jospar.plans.models import OperationalPlan
    from jospar.plans.selectors import next_revision_number
    from jospar.plans.services import revision_basis, revision_rows

    if isinstance(obj, OperationalPlan):
        plan = obj
        number, basis = next_revision_number(plan), revision_basis(plan)
        actions, headings = revision_rows(plan)
        basis["basis_amendment"] = getattr(basis["basis_amendment"], "pk", None)
    else:
        plan = obj.plan
        number = obj.number
        basis = {name: getattr(obj, name) for name in ("basis", "basis_reference", "basis_text")}
        basis["basis_amendment"] = obj.basis_amendment_id
        actions = obj.actions.all()
        headings = obj.headings.order_by("position")
    return {
        **_opening("revision", plan),
        "revision": {"number": number, **basis},
        "headings": [row(heading, skip=HEADING_SKIP) for heading in headings],
        "actions": sorted(
            (_revision_action(action) for action in actions),
            key=lambda entry: (entry["number"], entry["action"]),
        ),
    }


def report_document(report) -> dict:
    """The monitor's quarterly report (R15, R16): its rows, recommendations and proposed
    amendments of the plan."""
    plan = report.plan
    return {
        **_opening("report", plan),
        "report": row(report, skip=frozenset({"status"})),
        "rows": _rows(report.rows.all(), skip=frozenset({"report"})),
        "amendments": _rows(
            report.amendments.all(),
            skip=frozenset(
                {"report", "applied_plan", "applied_action", "applied_at", "applied_by"}
            ),
        ),
    }


def decision_document(decision, units=None) -> dict:
    """An official's decision on a report (R17): the report it is on, what it is aimed at, its
    text (in each language it is held in), the units it is assigned to and its due date. Its
    status, who took it and when are left out: the units' progress changes the status, and a
    decision is signed before it is saved. `units` are the units the form assigns it to, for a
    decision not saved yet (or not with them); else the decision's own."""
    report = decision.report
    if units is None:
        units = decision.units.all()
    return {
        **_opening("decision", report.plan),
        "report": {"id": report.pk, "quarter": report.quarter},
        "decision": row(
            decision,
            skip=frozenset({"id", "report", "status", "decided_by", "decided_on", "closed_on"}),
        ),
        "units": sorted(unit.pk for unit in units),
    }


BUILDERS = {
    "proposal": proposal_document,
    "submission": submission_document,
    "revision": revision_document,
    "report": report_document,
    "decision": decision_document,
}


def encode(document: dict) -> bytes:
    """The canonical bytes of a document."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def document_of(kind: str, obj) -> bytes:
    """The canonical bytes of what signing `obj` as `kind` approves."""
    return encode(BUILDERS[kind](obj))


def sha256(document: bytes) -> str:
    return hashlib.sha256(document).hexdigest()
