"""The canonical document: the same bytes however it is read, other bytes when anything the
person approves changes, and the same before and after the step it approves."""

import datetime as dt
import json

import pytest
from django.utils import translation

from jospar.monitoring import services
from jospar.signatures import canonical
from tests.worlds import monitoring_world as build
from tests.worlds import q2_report, shared_world

Q1 = dt.date(2026, 2, 16)

world_once, world = shared_world(build)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]


@pytest.fixture
def filled(world, clock):
    clock(Q1)
    submission = world.open(1)
    world.fill(submission)
    services.actual_save(
        actor=world.executor,
        submission=submission,
        indicator=world.indicator,
        value="7.5",
        comment="Lined so far",
        version=0,
    )
    return submission


def entry_of(world, submission, key):
    return submission.entries.get(action=world.actions[key])


def test_the_document_is_canonical_json_of_its_format(filled):
    document = canonical.document_of("submission", filled)
    data = json.loads(document)
    assert data["format"] == "jospar-submission/1" and data["quarter"] == 1
    assert canonical.encode(data) == document  # sorted keys, no whitespace
    assert b'", "' not in document and b'": ' not in document and b"\n" not in document
    assert [e["action_id"] for e in data["entries"]] == sorted(
        e["action_id"] for e in data["entries"]
    )
    assert data["indicators"][0]["value"] == "7.5"


def test_the_order_and_language_of_reading_change_nothing(filled):
    document = canonical.document_of("submission", filled)
    with translation.override("kk"):
        assert canonical.document_of("submission", filled) == document
    reversed_data = dict(reversed(list(json.loads(document).items())))
    assert canonical.encode(reversed_data) == document


@pytest.mark.parametrize(
    "change",
    [
        {"actual": "Done, but not quite"},
        {"reasons": "Another reason"},
        {"status": "partial"},
    ],
)
def test_a_change_of_an_entry_changes_the_document(world, filled, change):
    before = canonical.document_of("submission", filled)
    entry = entry_of(world, filled, "q1")
    data = {"status": entry.status, "actual": entry.actual, "reasons": entry.reasons}
    services.entry_save(
        actor=world.executor,
        submission=filled,
        action_id=entry.action_id,
        version=entry.version,
        **(data | change),
    )
    assert canonical.document_of("submission", filled) != before


@pytest.mark.parametrize("change", [{"value": "8"}, {"comment": "Another comment"}])
def test_a_change_of_an_indicator_value_changes_the_document(world, filled, change):
    before = canonical.document_of("submission", filled)
    actual = filled.actuals.get()
    data = {"value": actual.value, "comment": actual.comment}
    services.actual_save(
        actor=world.executor,
        submission=filled,
        indicator=world.indicator,
        version=actual.version,
        **(data | change),
    )
    assert canonical.document_of("submission", filled) != before


def test_signing_off_does_not_change_the_document(world, filled):
    before = canonical.document_of("submission", filled)
    services.submission_sign(actor=world.head, submission=filled)
    filled.refresh_from_db()
    assert canonical.document_of("submission", filled) == before


def test_the_revision_and_the_report_have_their_documents(world):
    revision = world.plan.revisions.get()
    data = json.loads(canonical.document_of("revision", revision))
    assert data["format"] == "jospar-revision/1"
    assert len(data["actions"]) == revision.actions.count() and data["headings"]
    # the revision's number and basis; not who approved it and when (the step's bookkeeping)
    assert set(data["revision"]) == {
        "number",
        "basis",
        "basis_amendment",
        "basis_reference",
        "basis_text",
    }
    # each action by what it says (its content fields), not the names a revision adds to read
    action = data["actions"][0]
    assert {"action", "number", "term_kind", "budget_codes", "co_executor_ids"} <= set(action)
    assert not {"id", "revision", "lead_name", "anchor_label", "completion"} & set(action)
    report = q2_report(world)
    read = json.loads(canonical.document_of("report", report))
    assert read["format"] == "jospar-report/1" and len(read["rows"]) == report.rows.count()
    world.adjust()  # the draft of revision 2 reads as its revision will
    draft = json.loads(canonical.document_of("revision", world.plan))
    assert draft["revision"]["number"] == 2 and draft["actions"] == data["actions"]
