"""The monitor's submission of the quarterly report (R15) signed with the digital signature, as
the body's setting (eds_report) asks: off (a signature sent is refused), optional (recorded
when sent), required (refused without one); a signature of another person, of an AUTH key or
of an earlier version of the report refuses the submission and changes nothing. The report's
page offers the signing where the body signs and the monitor may submit, and only there."""

import base64

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from jospar.orgs.models import SignatureUse
from jospar.reports import services as reports
from jospar.reports.models import ReportStatus
from jospar.signatures import canonical, verify
from jospar.signatures.models import Signature
from jospar.signatures.services import covers, replayed, signature_record
from jospar.signatures.tests.pki import IIN
from jospar.signatures.tests.steps import client_of
from tests.openapi import served_schema
from tests.worlds import AFTER_Q2, monitoring_world, q2_report, shared_world

world_once, world = shared_world(monitoring_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]
REPORTS = "/api/v1/reports/"


@pytest.fixture
def report(world, clock, settings):
    compiled = q2_report(world)
    clock(AFTER_Q2)
    settings.NCALAYER_URL = "wss://127.0.0.1:13579/"
    world.monitor.iin = IIN
    world.monitor.save()
    return compiled


def use(world, setting):
    world.body.eds_report = setting
    world.body.save()


def submit(api, world, report, cms=None):
    body = {} if cms is None else {"cms": cms}
    return api(world.monitor).post(f"{REPORTS}{report.pk}/submit/", body, format="json")


def status_of(report):
    report.refresh_from_db()
    return report.status


def signed(ca, holder, report) -> str:
    return ca.sign(holder, canonical.document_of("report", report))


@pytest.mark.parametrize("setting", [SignatureUse.OPTIONAL, SignatureUse.REQUIRED])
def test_a_signed_submission_records_the_signature(api, ca, world, report, setting):
    use(world, setting)
    response = submit(api, world, report, signed(ca, ca.signer, report))
    assert response.status_code == 200, response.content
    assert status_of(report) == ReportStatus.SUBMITTED
    signature = Signature.objects.get()
    assert (signature.signed_object, signature.kind, signature.iin) == (report, "report", IIN)
    assert signature.signer == world.monitor
    assert covers(signature)  # submitting froze the report: its document is the one signed
    assert response.json()["signature"]["id"] == signature.pk


def test_required_without_a_signature_is_refused(api, world, report):
    use(world, SignatureUse.REQUIRED)
    response = submit(api, world, report)
    assert response.status_code == 400
    assert "quarterly report with a digital signature" in str(response.json()["cms"])
    assert status_of(report) == ReportStatus.DRAFT


def test_optional_or_off_submits_without_a_signature(world, report):
    use(world, SignatureUse.OPTIONAL)
    reports.report_submit(actor=world.monitor, report=report)
    assert status_of(report) == ReportStatus.SUBMITTED
    assert not Signature.objects.exists()


def test_a_signature_where_the_body_does_not_use_them_is_refused(api, ca, world, report):
    response = submit(api, world, report, signed(ca, ca.signer, report))
    assert response.status_code == 400 and "does not use" in str(response.json()["cms"])
    assert status_of(report) == ReportStatus.DRAFT


@pytest.mark.parametrize(
    "holder, reason",
    [("other", verify.other_person()), ("auth", "authentication (AUTH) key")],
)
def test_a_signature_of_another_person_or_an_auth_key_is_refused(
    api, ca, world, report, holder, reason
):
    use(world, SignatureUse.OPTIONAL)
    response = submit(api, world, report, signed(ca, getattr(ca, holder), report))
    assert response.status_code == 400
    assert reason in str(response.json()["cms"])
    assert status_of(report) == ReportStatus.DRAFT and not Signature.objects.exists()


def test_a_signature_of_an_earlier_version_of_the_report_is_refused(api, ca, world, report):
    use(world, SignatureUse.REQUIRED)
    earlier = signed(ca, ca.signer, report)
    reports.report_update(
        actor=world.monitor, report=report, general_recommendations="Speed up the tender"
    )
    response = submit(api, world, report, earlier)
    assert response.status_code == 400 and "cms" in response.json()
    assert status_of(report) == ReportStatus.DRAFT and not Signature.objects.exists()


def test_a_signature_used_once_is_not_taken_again(ca, world, report, clock):
    """The CMS of a submission, sent again for the same document, is a replay."""
    use(world, SignatureUse.OPTIONAL)
    cms = signed(ca, ca.signer, report)
    reports.report_submit(actor=world.monitor, report=report, cms=cms)
    with pytest.raises(ValidationError, match=replayed()):
        signature_record(actor=world.monitor, obj=report, kind="report", cms=cms)
    assert Signature.objects.count() == 1


def test_the_submit_step_describes_the_signature_in_the_schema(api, world):
    schema = served_schema(api(world.monitor))
    operation = schema["paths"]["/api/v1/reports/{id}/submit/"]["post"]
    reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    payload = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert "digital signature" in payload["properties"]["cms"]["description"]


# The report's page


def url(name, report):
    return reverse(f"reports:{name}", args=[report.plan.body_id, report.plan_id, report.quarter])


def test_the_document_to_sign_is_the_canonical_one_for_the_monitor_only(world, report):
    use(world, SignatureUse.REQUIRED)
    response = client_of(world.monitor).get(url("report_document", report))
    assert response.status_code == 200
    assert base64.b64decode(response.content) == canonical.document_of("report", report)
    for stranger in (world.official, world.planner):
        assert client_of(stranger).get(url("report_document", report)).status_code == 403


def test_the_page_may_reach_ncalayer_only_where_the_body_signs(world, report):
    use(world, SignatureUse.OPTIONAL)
    page = client_of(world.monitor).get(url("report", report))
    assert b"data-eds-sign" in page.content
    assert "connect-src 'self' wss://127.0.0.1:13579/" in page["Content-Security-Policy"]
    # the official may not submit: no signing for them
    page = client_of(world.official).get(url("report", report))
    assert b"data-eds-sign" not in page.content
    assert "connect-src" not in page["Content-Security-Policy"]
    use(world, SignatureUse.OFF)
    page = client_of(world.monitor).get(url("report", report))
    assert b"data-eds-sign" not in page.content
    assert "connect-src" not in page["Content-Security-Policy"]


def test_a_signed_submission_through_the_page_is_recorded_and_shown(ca, world, report):
    use(world, SignatureUse.REQUIRED)
    data = {"cms": signed(ca, ca.signer, report)}
    response = client_of(world.monitor).post(url("report_submit", report), data, follow=True)
    assert status_of(report) == ReportStatus.SUBMITTED
    signature = Signature.objects.get()
    html = response.content.decode()
    assert f"IIN {IIN}" in html and signature.certificate_serial in html


def test_a_refused_signature_is_said_on_the_page_and_changes_nothing(ca, world, report):
    use(world, SignatureUse.REQUIRED)
    data = {"cms": signed(ca, ca.auth, report)}
    response = client_of(world.monitor).post(url("report_submit", report), data, follow=True)
    assert status_of(report) == ReportStatus.DRAFT
    assert "authentication (AUTH) key" in response.content.decode()
    assert not Signature.objects.exists()
