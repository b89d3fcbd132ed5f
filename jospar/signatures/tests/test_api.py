"""The digital signatures in the API: the head's signed sign-off answers with the signature it
recorded, the signed objects' lists give each one's latest signature at a constant number of
queries, and the read-only signatures resource (list, filters, read, downloads) shows them to
the body-wide roles only."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jospar.monitoring.selectors import seen_token
from jospar.orgs.models import Role, SignatureUse
from jospar.plans.serializers import approval_signatures
from jospar.signatures import canonical
from jospar.signatures.models import Signature
from jospar.signatures.selectors import verification_url
from jospar.signatures.tests.pki import IIN
from tests.factories import (
    DecisionFactory,
    OperationalPlanFactory,
    ReportFactory,
    SignatureFactory,
    UserFactory,
    member,
)
from tests.openapi import served_schema
from tests.worlds import monitoring_world, shared_world

SIGNATURES = "/api/v1/signatures/"
world_once, world = shared_world(monitoring_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]


@pytest.fixture
def signed(api, ca, world, clock):
    """The head's Q1 information, signed off with a digital signature through the API."""
    clock(dt.date(2026, 4, 6))
    world.head.iin = IIN
    world.head.save()
    world.body.eds_sign_off = SignatureUse.OPTIONAL
    world.body.save()
    submission = world.open(1)
    world.fill(submission)
    cms = ca.sign(ca.signer, canonical.document_of("submission", submission))
    payload = {"seen": seen_token(submission), "cms": cms}
    response = api(world.head).post(
        f"/api/v1/submissions/{submission.pk}/sign/", payload, format="json"
    )
    assert response.status_code == 200, response.content
    return response


def test_the_sign_off_answers_with_the_signature_it_recorded(signed, world):
    signature = Signature.objects.get()
    answered = signed.json()["signature"]
    args = [world.body.pk, signature.pk]
    assert answered == answered | {
        "id": signature.pk,
        "kind": "submission",
        "object_type": "monitoring.submission",
        "object_id": signed.json()["id"],
        "signer": world.head.pk,
        "iin": IIN,
        "code": signature.code,
        "document_sha256": signature.document_sha256,
        "url": reverse("signatures:signature", args=args),
        "verification_url": verification_url(signature),
        "cms_url": reverse("signatures:signature_cms", args=args),
        "document_url": reverse("signatures:signature_document", args=args),
        "package_url": reverse("signatures:signature_package", args=args),
        "covers": True,
    }


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_monitor_reads_the_signature_and_downloads_it(api, signed, world):
    signature = Signature.objects.get()
    client = api(world.monitor)
    read = client.get(f"{SIGNATURES}{signature.pk}/").json()
    assert read == signed.json()["signature"]
    cms = client.get(f"{SIGNATURES}{signature.pk}/cms/")
    assert cms.status_code == 200 and cms["Content-Type"] == "application/pkcs7-signature"
    assert body_of(cms) == bytes(signature.cms)
    document = client.get(f"{SIGNATURES}{signature.pk}/document/")
    assert document["Content-Type"].startswith("application/json")
    assert body_of(document) == bytes(signature.document)
    assert signature.code in document["Content-Disposition"]


def test_the_list_filters_by_kind_object_plan_and_report(api, signed, world):
    signature = Signature.objects.get()
    client = api(world.monitor)

    def listed(**query):
        response = client.get(SIGNATURES, query)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    submission = signed.json()["id"]
    assert listed() == [signature.pk]
    assert listed(kind="submission") == [signature.pk]
    assert listed(kind="report") == []
    assert listed(object_type="submission", object=submission) == [signature.pk]
    assert listed(object_type="submission", object=submission + 1000) == []
    assert listed(plan=world.plan.pk) == [signature.pk]
    assert listed(plan=world.plan.pk + 1000) == []
    assert listed(body=world.body.pk) == [signature.pk]
    assert client.get(SIGNATURES, {"kind": "nonsense"}).status_code == 400
    row = client.get(SIGNATURES).json()["results"][0]
    assert row["covers"] is None  # a list does not rebuild each signed document


@pytest.mark.parametrize("who", ["executor", "head", "outsider"])
def test_who_may_not_see_the_body_s_signatures_gets_none(api, signed, world, who):
    """The rule of `signatures.signature` (orgs.visibility): the body-wide roles only; the
    unit's own people see their signature in their information's answer, not here."""
    signature = Signature.objects.get()
    user = UserFactory() if who == "outsider" else getattr(world, who)
    client = api(user)
    assert client.get(SIGNATURES).json()["results"] == []
    for path in ("", "cms/", "document/"):
        assert client.get(f"{SIGNATURES}{signature.pk}/{path}").status_code == 404
    if who != "outsider":
        own = client.get(f"/api/v1/submissions/{signed.json()['id']}/").json()
        assert own["signature"]["id"] == signature.pk


def test_the_resource_is_read_only(api, signed, world):
    signature = Signature.objects.get()
    client = api(world.monitor)
    assert client.post(SIGNATURES, {}, format="json").status_code == 405
    assert client.delete(f"{SIGNATURES}{signature.pk}/").status_code == 405
    assert Signature.objects.count() == 1


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


# The list → how many of its rows have a signature once all are signed (the plan: one).
LISTS = {SIGNATURES: 7, "/api/v1/submissions/": 5, "/api/v1/operational-plans/": 1}


@pytest.mark.parametrize("url", list(LISTS))
def test_a_list_costs_the_same_queries_for_one_signed_object_as_for_many(
    api, world, django_assert_max_num_queries, url
):
    """Each listed object's latest signature is read with all the others' in one query."""
    viewer = member(world.body, Role.VIEWER, username="reader")
    client = api(viewer)
    first = world.open(1)
    SignatureFactory(signed_object=first, signer=world.head)
    revision = world.plan.revisions.get()
    SignatureFactory(signed_object=revision, signer=world.official)
    few = count_queries(client, url)
    for quarter in (2, 3, 4):
        SignatureFactory(signed_object=world.open(quarter), signer=world.head)
    SignatureFactory(signed_object=world.open(1, world.partner), signer=world.partner_head)
    SignatureFactory(signed_object=revision, signer=world.official)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    rows = response.json()["results"]
    signatures = [row if url == SIGNATURES else row["signature"] for row in rows]
    assert len([signature for signature in signatures if signature]) == LISTS[url]


def test_the_schema_describes_the_signature_of_each_signed_object(api, world):
    schema = served_schema(api(world.monitor))
    components = schema["components"]["schemas"]
    for name in ("SubmissionDetail", "Proposal", "OperationalPlan", "Report", "Decision"):
        field = components[name]["properties"]["signature"]
        assert field["allOf"] == [{"$ref": "#/components/schemas/Signature"}], name
        assert field["nullable"] and field["readOnly"] and field["description"], name
    for name, field in components["Signature"]["properties"].items():
        assert field.get("description"), name
    cms = schema["paths"]["/api/v1/signatures/{id}/cms/"]["get"]["responses"]["200"]
    assert "application/pkcs7-signature" in cms["content"]
    filters = {p["name"] for p in schema["paths"][SIGNATURES]["get"]["parameters"]}
    assert {"kind", "object_type", "object", "plan", "report", "body"} <= filters


def test_a_report_s_filter_takes_its_decisions_and_the_plan_s_takes_everything_in_it(api, world):
    report = ReportFactory(plan=world.plan)
    decision = DecisionFactory(report=report, units=[world.unit])
    other = DecisionFactory(report=ReportFactory(plan=world.plan, quarter=3), units=[world.unit])
    on_report = SignatureFactory(signed_object=report, signer=world.monitor)
    on_decision = SignatureFactory(signed_object=decision, body=world.body, signer=world.official)
    elsewhere = SignatureFactory(signed_object=other, body=world.body, signer=world.official)
    on_information = SignatureFactory(signed_object=world.open(1), signer=world.head)
    client = api(world.monitor)

    def listed(**query):
        return {row["id"] for row in client.get(SIGNATURES, query).json()["results"]}

    assert listed(report=report.pk) == {on_report.pk, on_decision.pk}
    assert listed(plan=world.plan.pk) == {
        on_report.pk,
        on_decision.pk,
        elsewhere.pk,
        on_information.pk,
    }
    assert listed(object_type="decision") == {on_decision.pk, elsewhere.pk}


def test_each_plan_s_latest_approval_signature_is_read_in_one_query(
    world, django_assert_num_queries
):
    other = OperationalPlanFactory()  # of another body
    theirs = SignatureFactory(signed_object=ReportFactory(plan=other).revision)
    revision = world.plan.revisions.get()
    SignatureFactory(signed_object=revision, signer=world.official)
    latest = SignatureFactory(signed_object=revision, signer=world.official)
    approval_signatures([world.plan])  # (the content types, read once per process)
    with django_assert_num_queries(1):
        found = approval_signatures([world.plan, other])
    assert found == {world.plan.pk: latest, other.pk: theirs}
