"""The official's decisions on a report (R17) signed with the digital signature, as the body's
setting (eds_decisions) asks. A decision is signed before it is saved: the document is of what
the form holds (jospar-decision/1: the report, the aim, the text, the units, the due date) and
the service verifies the signature against the decision as saved, the same bytes. A change of
what was decided is signed again where the body requires it, and the earlier signature no
longer covers the decision; a change of its status alone signs nothing."""

import base64
import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jospar.orgs.models import SignatureUse
from jospar.reports import services as reports
from jospar.reports.models import Decision, DecisionKind, DecisionStatus
from jospar.signatures import canonical, verify
from jospar.signatures.models import Signature
from jospar.signatures.services import covers, latest_signature
from jospar.signatures.tests.pki import IIN
from jospar.signatures.tests.steps import client_of
from tests.worlds import AFTER_Q2, at, monitoring_world, q2_report, shared_world


def reported_world():
    """The monitoring world, its 2nd quarter's report submitted on 13 July (`world.report`) and
    the official holding the IIN of the test CA's signer; built once for the module."""
    world = monitoring_world()
    compiled = q2_report(world)
    with at(AFTER_Q2):
        reports.report_submit(actor=world.monitor, report=compiled)
    world.official.iin = IIN
    world.official.save()
    world.report = compiled
    return world


world_once, world = shared_world(reported_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]
DECISIONS = "/api/v1/decisions/"
DUE = dt.date(2026, 9, 1)
TEXT = "Hold a meeting with the contractor"


@pytest.fixture
def report(world, clock, settings):
    clock(AFTER_Q2)
    settings.NCALAYER_URL = "wss://127.0.0.1:13579/"
    return world.report


def use(world, setting):
    world.body.eds_decisions = setting
    world.body.save()


def to_sign(report, units, text=TEXT, due_on=DUE, kind=DecisionKind.PROBLEMS) -> bytes:
    """The document of a decision not saved yet, as the form's document view builds it."""
    decision = Decision(report=report, kind=kind, text=text, due_on=due_on)
    return canonical.encode(canonical.decision_document(decision, units=units))


def create(api, world, report, cms=None, **fields):
    data = {
        "report": report.pk,
        "kind": DecisionKind.PROBLEMS,
        "text": TEXT,
        "units": [world.unit.pk],
        "due_on": DUE.isoformat(),
    } | fields
    if cms is not None:
        data["cms"] = cms
    return api(world.official).post(DECISIONS, data, format="json")


def test_the_document_is_the_decision_in_its_own_format(world, report):
    document = json.loads(to_sign(report, [world.partner, world.unit]))
    assert document["format"] == "jospar-decision/1"
    assert document["report"] == {"id": report.pk, "quarter": 2}
    assert document["units"] == sorted([world.unit.pk, world.partner.pk])
    assert document["decision"] == {"kind": "problems", "text": TEXT, "due_on": "2026-09-01"}


@pytest.mark.parametrize("setting", [SignatureUse.OPTIONAL, SignatureUse.REQUIRED])
def test_a_signed_decision_is_recorded_with_its_signature(api, ca, world, report, setting):
    use(world, setting)
    cms = ca.sign(ca.signer, to_sign(report, [world.unit]))
    response = create(api, world, report, cms)
    assert response.status_code == 201, response.content
    decision = Decision.objects.get()
    signature = Signature.objects.get()
    assert (signature.signed_object, signature.kind, signature.iin) == (decision, "decision", IIN)
    assert signature.signer == world.official and covers(signature)
    assert "cms" not in response.json()  # written, never read back
    assert response.json()["signature"]["id"] == signature.pk


def test_required_without_a_signature_records_nothing(api, world, report):
    use(world, SignatureUse.REQUIRED)
    response = create(api, world, report)
    assert response.status_code == 400
    assert "decisions with a digital signature" in str(response.json()["cms"])
    assert not Decision.objects.exists()


def test_optional_or_off_records_a_decision_without_a_signature(api, world, report):
    use(world, SignatureUse.OPTIONAL)
    assert create(api, world, report).status_code == 201
    use(world, SignatureUse.OFF)
    assert create(api, world, report).status_code == 201
    assert Decision.objects.count() == 2 and not Signature.objects.exists()


@pytest.mark.parametrize(
    "holder, reason",
    [("other", verify.other_person()), ("auth", "authentication (AUTH) key")],
)
def test_a_signature_of_another_person_or_an_auth_key_records_nothing(
    api, ca, world, report, holder, reason
):
    use(world, SignatureUse.OPTIONAL)
    cms = ca.sign(getattr(ca, holder), to_sign(report, [world.unit]))
    response = create(api, world, report, cms)
    assert response.status_code == 400 and reason in str(response.json()["cms"])
    assert not Decision.objects.exists() and not Signature.objects.exists()


def test_a_signature_of_other_content_records_nothing(api, ca, world, report):
    """Signed for one unit, sent for two: not the document of the decision."""
    use(world, SignatureUse.REQUIRED)
    cms = ca.sign(ca.signer, to_sign(report, [world.unit]))
    response = create(api, world, report, cms, units=[world.unit.pk, world.partner.pk])
    assert response.status_code == 400 and "cms" in response.json()
    assert not Decision.objects.exists()


# Changing a signed decision


@pytest.fixture
def signed_decision(ca, world, report):
    use(world, SignatureUse.REQUIRED)
    cms = ca.sign(ca.signer, to_sign(report, [world.unit]))
    return reports.decision_create(
        actor=world.official,
        report=report,
        kind=DecisionKind.PROBLEMS,
        text=TEXT,
        units=[world.unit],
        due_on=DUE,
        cms=cms,
    )


def change(api, world, decision, cms=None, **fields):
    data = fields | ({} if cms is None else {"cms": cms})
    return api(world.official).patch(f"{DECISIONS}{decision.pk}/", data, format="json")


def test_a_change_of_what_was_decided_needs_a_new_signature(api, ca, world, signed_decision):
    first = latest_signature(signed_decision)
    response = change(api, world, signed_decision, text="Replace the contractor")
    assert response.status_code == 400 and "cms" in response.json()
    signed_decision.refresh_from_db()
    assert signed_decision.text == TEXT and covers(first)
    replaced = to_sign(signed_decision.report, [world.unit], "Replace the contractor")
    response = change(
        api, world, signed_decision, ca.sign(ca.signer, replaced), text="Replace the contractor"
    )
    assert response.status_code == 200, response.content
    assert response.json()["signature"]["id"] == latest_signature(signed_decision).pk
    signed_decision.refresh_from_db()
    assert signed_decision.text == "Replace the contractor"
    assert latest_signature(signed_decision) != first and covers(latest_signature(signed_decision))
    first.refresh_from_db()
    assert not covers(first)  # the earlier signature visibly no longer covers it


def test_the_earlier_signature_does_not_sign_a_change(api, ca, world, signed_decision):
    """A replay: the signature of the decision as it was, sent with a change of it."""
    earlier = ca.sign(ca.signer, to_sign(signed_decision.report, [world.unit]))
    response = change(api, world, signed_decision, earlier, due_on="2026-10-01")
    assert response.status_code == 400 and "cms" in response.json()
    signed_decision.refresh_from_db()
    assert signed_decision.due_on == DUE and Signature.objects.count() == 1


def test_an_optional_change_unsigned_leaves_the_signature_not_covering(world, signed_decision):
    use(world, SignatureUse.OPTIONAL)
    reports.decision_update(
        actor=world.official,
        decision=Decision.objects.get(pk=signed_decision.pk),  # (its body's setting as now)
        kind=DecisionKind.PROBLEMS,
        text=TEXT,
        units=[world.unit, world.partner],
        due_on=DUE,
        status=signed_decision.status,
    )
    assert not covers(latest_signature(signed_decision))


def test_a_change_of_the_status_alone_signs_nothing(world, signed_decision):
    reports.decision_update(
        actor=world.official,
        decision=signed_decision,
        kind=signed_decision.kind,
        text=signed_decision.text,
        units=[world.unit],
        due_on=signed_decision.due_on,
        status=DecisionStatus.DONE,
    )
    signed_decision.refresh_from_db()
    assert signed_decision.status == DecisionStatus.DONE
    assert covers(latest_signature(signed_decision))


# The pages


def report_url(name, report):
    return reverse(f"reports:{name}", args=[report.plan.body_id, report.plan_id, report.quarter])


def form_data(world, **fields):
    return {
        "kind": DecisionKind.PROBLEMS,
        "text": TEXT,
        "units": [world.unit.pk],
        "due_on": DUE.isoformat(),
    } | fields


def test_the_form_signs_what_it_holds_and_the_saved_decision_verifies(ca, world, report):
    use(world, SignatureUse.REQUIRED)
    client = client_of(world.official)
    response = client.post(report_url("decision_new_document", report), form_data(world))
    assert response.status_code == 200, response.content
    document = base64.b64decode(response.content)
    assert document == to_sign(report, [world.unit])
    data = form_data(world, cms=ca.sign(ca.signer, document))
    page = client.post(report_url("decision_new", report), data, follow=True)
    decision = Decision.objects.get()
    assert latest_signature(decision).document == document
    assert f"IIN {IIN}" in page.content.decode()


def test_only_the_official_reads_the_document_of_a_decision(world, report):
    use(world, SignatureUse.REQUIRED)
    url = report_url("decision_new_document", report)
    for stranger in (world.monitor, world.planner, world.head):
        assert client_of(stranger).post(url, form_data(world)).status_code == 403


def test_a_form_that_holds_no_decision_answers_its_problems(world, report):
    use(world, SignatureUse.REQUIRED)
    url = report_url("decision_new_document", report)
    response = client_of(world.official).post(url, form_data(world, text=""))
    assert response.status_code == 400 and response["Content-Type"].startswith("text/plain")
    assert not Decision.objects.exists()


def test_the_report_page_offers_the_signing_of_a_decision(world, report):
    use(world, SignatureUse.OPTIONAL)
    page = client_of(world.official).get(report_url("report", report))
    assert b"data-document-post" in page.content
    assert "connect-src 'self' wss://127.0.0.1:13579/" in page["Content-Security-Policy"]
    page = client_of(world.monitor).get(report_url("report", report))
    assert b"data-eds-sign" not in page.content
    assert "connect-src" not in page["Content-Security-Policy"]


def test_the_edit_page_signs_the_changed_decision(ca, world, signed_decision):
    body = world.body.pk
    edit = reverse("reports:decision_edit", args=[body, signed_decision.pk])
    document_url = reverse("reports:decision_edit_document", args=[body, signed_decision.pk])
    client = client_of(world.official)
    page = client.get(edit)
    assert b"data-document-post" in page.content and f"IIN {IIN}".encode() in page.content
    assert "connect-src" in page["Content-Security-Policy"]
    changed = form_data(world, text="Replace the contractor", version=signed_decision.version)
    assert client.post(edit, changed).status_code == 400  # required: not without a signature
    document = base64.b64decode(client.post(document_url, changed).content)
    signed_decision.refresh_from_db()
    assert signed_decision.text == TEXT  # reading the document saved nothing
    response = client.post(edit, changed | {"cms": ca.sign(ca.signer, document)}, follow=True)
    assert response.status_code == 200
    signed_decision.refresh_from_db()
    assert signed_decision.text == "Replace the contractor"
    assert covers(latest_signature(signed_decision))
    assert client_of(world.monitor).post(document_url, changed).status_code == 403


def test_the_report_page_says_a_signature_no_longer_covers_a_changed_decision(
    world, signed_decision
):
    use(world, SignatureUse.OPTIONAL)
    reports.decision_update(
        actor=world.official,
        decision=Decision.objects.get(pk=signed_decision.pk),
        kind=DecisionKind.EFFECTIVENESS,
        text=TEXT,
        units=[world.unit],
        due_on=DUE,
        status=signed_decision.status,
    )
    page = client_of(world.official).get(report_url("report", signed_decision.report))
    assert f'id="decision-unsigned-{signed_decision.pk}"'.encode() in page.content


def test_the_report_page_reads_the_decisions_signatures_in_the_same_queries_for_any_number(
    ca, world, report
):
    """Each signed decision's line and whether its signature still covers it come from one
    read of the signatures; checking the coverage reads nothing per decision."""
    use(world, SignatureUse.OPTIONAL)
    client = client_of(world.official)

    def sign_one(text):
        cms = ca.sign(ca.signer, to_sign(report, [world.unit], text=text))
        reports.decision_create(
            actor=world.official,
            report=report,
            kind=DecisionKind.PROBLEMS,
            text=text,
            units=[world.unit],
            due_on=DUE,
            cms=cms,
        )

    def queries() -> int:
        client.get(report_url("report", report))  # the caches of the session and the types
        with CaptureQueriesContext(connection) as captured:
            page = client.get(report_url("report", report))
        assert page.status_code == 200
        assert page.content.count(b'class="eds-signed"') == Signature.objects.count()
        return len(captured)

    sign_one("Decision 1")
    one = queries()
    for n in range(2, 6):
        sign_one(f"Decision {n}")
    assert queries() == one
