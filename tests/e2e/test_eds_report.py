"""The monitor submits the quarterly report signed with the digital signature through NCALayer,
and the official signs a decision on it (issue 19), against the fake NCALayer
(tests/e2e/ncalayer.py), each confirming the signer's certificate the page shows first (an
AUTH key is said there, before the decision is posted); the monitor cancelling in NCALayer's
window is said and submits nothing. The body's administrator chooses on the body's page which
steps are signed."""

import datetime as dt
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from jospar.orgs.models import Role, SignatureUse, StateBody
from jospar.reports import services as reports
from jospar.reports.models import Decision, Report, ReportStatus
from jospar.signatures import canonical
from jospar.signatures.models import Signature
from jospar.signatures.services import covers
from jospar.signatures.tests.pki import IIN
from tests.e2e.ncalayer import ANOTHER, certificate_panel, confirm
from tests.e2e.test_accessibility import serious_violations
from tests.worlds import member, monitoring_world, q2_report

SIGN = "Sign with EDS"
DECISION = "Hold the contractor of the lining to a weekly schedule"
SEPTEMBER = dt.date(2026, 9, 1)


@pytest.fixture
def world(transactional_db, clock):
    """The monitor's report on the 2nd quarter, compiled on 13 July 2026; the body signs the
    report and the decisions with the digital signature; the monitor's and the official's IIN
    is the one in the test certificates."""
    clock("2026-07-13 10:00", tick=True)
    world = monitoring_world()
    world.report = q2_report(world)
    world.body.eds_report = SignatureUse.REQUIRED
    world.body.eds_decisions = SignatureUse.REQUIRED
    world.body.save()
    for person in (world.monitor, world.official):
        person.iin = IIN
        person.save()
    return world


def report_of(world) -> Report:
    return Report.objects.get(pk=world.report.pk)


def signed_line(signature) -> re.Pattern:
    return re.compile(
        rf"^Signed with EDS: {re.escape(signature.signer_name)}, IIN {IIN}, "
        rf"\d\d\.\d\d\.2026 \d\d:\d\d, certificate {signature.certificate_serial}$"
    )


def test_the_monitor_submits_the_report_signed(page, login, world, ncalayer):
    login(world.monitor)
    page.goto(world.report.get_absolute_url())
    page.locator("#submit-form").get_by_role("button", name=SIGN).click()
    confirm(page, "ТЕСТОВ ТЕСТ ТЕСТОВИЧ", IIN)

    expect(page.get_by_text("The report has been submitted to the officials.")).to_be_visible()
    signature = Signature.objects.get()
    assert signature.signed_object == report_of(world) and covers(signature)
    expect(page.locator("#eds-signed")).to_have_text(signed_line(signature))
    assert report_of(world).status == ReportStatus.SUBMITTED
    (request,) = ncalayer.requests
    assert request["args"]["signingParams"]["encapsulate"] is False


def test_the_monitor_cancels_in_ncalayer(page, login, world, ncalayer):
    ncalayer.key = None
    login(world.monitor)
    page.goto(world.report.get_absolute_url())
    page.locator("#submit-form").get_by_role("button", name=SIGN).click()

    expect(page.locator("#eds-status")).to_have_text("Signing was cancelled: nothing was signed.")
    expect(page.get_by_role("button", name=SIGN)).to_be_enabled()
    assert report_of(world).status == ReportStatus.DRAFT
    assert not Signature.objects.exists()
    assert serious_violations(page, Axe(), "the report's page with EDS signing") == []


def submitted(world, eds_ca) -> None:
    """The monitor's signed submission of the report (the body requires it)."""
    cms = eds_ca.sign(eds_ca.signer, canonical.document_of("report", world.report))
    reports.report_submit(actor=world.monitor, report=world.report, cms=cms)


def test_the_official_signs_a_decision(page, login, world, ncalayer, eds_ca):
    submitted(world, eds_ca)
    login(world.official)
    page.goto(world.report.get_absolute_url())
    form = page.locator("#decision-new")
    form.get_by_label("Aimed at").select_option(
        label="take measures on identified problematic issues"
    )
    form.get_by_label(re.compile(r"^Decision")).fill(DECISION)
    form.get_by_label("Assigned units").select_option(label=str(world.unit))
    form.get_by_label("Due date").fill("2026-09-01")
    assert serious_violations(page, Axe(), "the report's page signing a decision") == []
    ncalayer.key = eds_ca.auth
    form.get_by_role("button", name=SIGN).click()
    panel = certificate_panel(page)
    expect(panel).to_contain_text("This is an authentication (AUTH) key")
    assert serious_violations(page, Axe(), "the report's page, AUTH key said") == []
    assert not Decision.objects.exists()

    ncalayer.key = eds_ca.signer
    panel.get_by_role("button", name=ANOTHER).click()
    confirm(page, format(eds_ca.signer.certificate.serial_number, "X"))

    expect(page.get_by_text("The decision has been recorded.")).to_be_visible()
    decision = Decision.objects.get()
    signature = Signature.objects.get(object_id=decision.pk, kind="decision")
    assert decision.text == DECISION and signature.signed_object == decision
    expect(page.locator(f"#decision-signed-{decision.pk}")).to_have_text(signed_line(signature))


def test_a_decision_not_filled_in_is_not_signed(page, login, world, ncalayer, eds_ca):
    """The form's problems are said before NCALayer is asked to sign anything."""
    submitted(world, eds_ca)
    login(world.official)
    page.goto(world.report.get_absolute_url())
    page.locator("#decision-new").get_by_role("button", name=SIGN).click()

    expect(page.locator("#eds-status")).to_contain_text("This field is required.")
    assert ncalayer.requests == [] and not Decision.objects.exists()


def test_the_administrator_chooses_the_digital_signature_of_the_report(page, login, world):
    admin = member(world.body, Role.ADMINISTRATOR, username="admin")
    login(admin)
    page.goto(world.body.get_absolute_url())
    section = page.locator("#signatures")
    section.get_by_label("Digital signature of the quarterly report").select_option(
        label="optional"
    )
    section.get_by_label("Digital signature of the plan's approval").select_option(label="required")
    expect(section.get_by_text("Whether the monitor signs the quarterly report")).to_be_visible()
    section.get_by_role("button", name="Save").click()

    expect(page.get_by_text("The use of the digital signature has been saved.")).to_be_visible()
    body = StateBody.objects.get(pk=world.body.pk)
    assert (body.eds_report, body.eds_approval) == (SignatureUse.OPTIONAL, SignatureUse.REQUIRED)
    expect(
        page.locator("#signatures").get_by_label("Digital signature of the quarterly report")
    ).to_have_value("optional")
    assert serious_violations(page, Axe(), "the body's page with its EDS settings") == []


def test_the_official_signs_a_change_of_a_decision(page, login, world, ncalayer, eds_ca):
    submitted(world, eds_ca)
    document = canonical.encode(
        canonical.decision_document(
            Decision(report=world.report, kind="problems", text=DECISION, due_on=SEPTEMBER),
            units=[world.unit],
        )
    )
    decision = reports.decision_create(
        actor=world.official,
        report=world.report,
        kind="problems",
        text=DECISION,
        units=[world.unit],
        due_on=SEPTEMBER,
        cms=eds_ca.sign(eds_ca.signer, document),
    )
    first = Signature.objects.get(object_id=decision.pk, kind="decision")
    login(world.official)
    page.goto(world.report.get_absolute_url())
    page.locator(f"#decision-{decision.pk}").get_by_role("link", name="Edit").click()
    page.get_by_label(re.compile(r"^Decision")).fill("Replace the contractor of the lining")
    assert serious_violations(page, Axe(), "the decision's form with EDS signing") == []
    page.get_by_role("button", name=SIGN).click()
    confirm(page, IIN)

    expect(page.get_by_text("Saved.")).to_be_visible()
    decision.refresh_from_db()
    assert decision.text == "Replace the contractor of the lining"
    latest = Signature.objects.filter(object_id=decision.pk, kind="decision").latest("pk")
    assert latest != first and covers(latest) and not covers(first)
    expect(page.locator(f"#decision-signed-{decision.pk}")).to_have_text(signed_line(latest))
