"""The official's approval of the plan (R6) and of each adjustment (R18) with a digital
signature, as the body's setting asks (StateBody.eds_approval): the official signs the working
copy as the approval will freeze it, before the revision exists, and the signature is stored
on the new revision and still covers it; a refused signature changes nothing (the plan stays
submitted, no revision, no signature). The page's part: the document's URL, NCALayer's hole in
the policy, the buttons and the signed line."""

import base64
import json

import pytest
from django.urls import reverse

from jospar.orgs.models import SignatureUse
from jospar.plans import services as plans
from jospar.plans.models import PlanStatus, Revision
from jospar.signatures import canonical, verify
from jospar.signatures.models import Signature
from jospar.signatures.services import covers, replayed
from jospar.signatures.tests.pki import IIN
from jospar.signatures.tests.steps import client_of, cms_description
from tests.openapi import served_schema
from tests.worlds import plan_world, shared_world

PLANS = "/api/v1/operational-plans/"

world_once, world = shared_world(plan_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]


@pytest.fixture
def submitted(world, settings):
    settings.NCALAYER_URL = "wss://127.0.0.1:13579/"
    world.official.iin = IIN
    world.official.save()
    plans.plan_submit(actor=world.planner, plan=world.plan)
    world.plan.refresh_from_db()
    return world.plan


def use(world, setting):
    world.body.eds_approval = setting
    world.body.save()


def signed(ca, plan, holder=None):
    """The official's CMS of the plan's working copy, as the approval page gives it to sign."""
    return ca.sign(holder or ca.signer, canonical.document_of("revision", plan))


def approve(api, world, plan, cms=None, user=None):
    body = {"cms": cms} if cms is not None else {}
    client = api(user or world.official)
    return client.post(f"{PLANS}{plan.pk}/approve/", body, format="json")


def unchanged(plan):
    plan.refresh_from_db()
    return plan.status == PlanStatus.SUBMITTED and not Revision.objects.filter(plan=plan).exists()


def submit_adjustment(world):
    world.adjust()
    plans.plan_submit(actor=world.planner, plan=world.plan)
    world.plan.refresh_from_db()
    return world.plan


# --- the document ---------------------------------------------------------------------------


def test_the_draft_signed_before_is_the_revision_after(world, submitted):
    before = canonical.document_of("revision", submitted)
    plans.plan_approve(actor=world.official, plan=submitted)
    revision = submitted.revisions.get()
    assert canonical.document_of("revision", revision) == before
    data = json.loads(before)
    assert data["format"] == "jospar-revision/1" and data["revision"]["number"] == 1
    assert len(data["actions"]) == len(world.actions) and data["headings"]


def test_an_adjustment_s_draft_is_its_revision_too(world, submitted):
    plans.plan_approve(actor=world.official, plan=submitted)
    plan = submit_adjustment(world)
    before = canonical.document_of("revision", plan)
    assert json.loads(before)["revision"]["number"] == 2
    plans.plan_approve(actor=world.official, plan=plan)
    assert canonical.document_of("revision", plan.revisions.get(number=2)) == before


def test_a_change_of_an_action_changes_the_draft_s_document(world):
    before = canonical.document_of("revision", world.plan)
    action = world.actions["q2"]
    plans.action_update(actor=world.planner, action=action, co_executors=[])
    assert canonical.document_of("revision", world.plan) != before


# --- the step through the API ------------------------------------------------------------------


@pytest.mark.parametrize("setting", [SignatureUse.OPTIONAL, SignatureUse.REQUIRED])
def test_a_signed_approval_is_stored_on_the_revision_and_covers_it(
    api, ca, world, submitted, setting
):
    use(world, setting)
    response = approve(api, world, submitted, signed(ca, submitted))
    assert response.status_code == 200, response.content
    revision = submitted.revisions.get()
    signature = Signature.objects.get()
    assert signature.signed_object == revision and signature.kind == "revision"
    assert signature.iin == IIN and signature.signer == world.official
    assert covers(signature)
    answered = response.json()["signature"]  # the plan's answer: its approval's signature
    assert (answered["id"], answered["object_id"], answered["covers"]) == (
        signature.pk,
        revision.pk,
        True,
    )


def test_required_without_a_signature_is_refused_and_nothing_changes(api, world, submitted):
    use(world, SignatureUse.REQUIRED)
    response = approve(api, world, submitted)
    assert response.status_code == 400 and "cms" in response.json()
    assert unchanged(submitted) and not Signature.objects.exists()


@pytest.mark.parametrize("setting", [SignatureUse.OFF, SignatureUse.OPTIONAL])
def test_off_or_optional_approves_without_a_signature(api, world, submitted, setting):
    use(world, setting)
    assert approve(api, world, submitted).status_code == 200
    assert submitted.revisions.count() == 1 and not Signature.objects.exists()


def test_a_signature_where_the_body_does_not_use_them_is_refused(api, ca, world, submitted):
    response = approve(api, world, submitted, signed(ca, submitted))
    assert response.status_code == 400 and "cms" in response.json()
    assert unchanged(submitted)


@pytest.mark.parametrize(
    ("holder", "reason"),
    [("other", verify.other_person), ("auth", verify.auth_key), ("expired", verify.expired)],
)
def test_a_failing_signature_refuses_the_approval_with_its_reason(
    api, ca, world, submitted, holder, reason
):
    use(world, SignatureUse.REQUIRED)
    response = approve(api, world, submitted, signed(ca, submitted, getattr(ca, holder)))
    assert response.status_code == 400
    assert reason() in str(response.json()["cms"])
    assert unchanged(submitted) and not Signature.objects.exists()


def test_who_may_not_approve_cannot_with_a_signature_either(api, ca, world, submitted):
    use(world, SignatureUse.OPTIONAL)
    world.planner.iin = IIN
    world.planner.save()
    response = approve(api, world, submitted, signed(ca, submitted), user=world.planner)
    assert response.status_code == 403
    assert unchanged(submitted) and not Signature.objects.exists()


def test_a_signature_of_the_plan_before_its_return_is_refused(api, ca, world, submitted):
    use(world, SignatureUse.REQUIRED)
    old = signed(ca, submitted)
    plans.plan_return(actor=world.official, plan=submitted, comment="Fix the canals")
    plans.action_update(actor=world.planner, action=world.actions["q2"], name="Dredge the canals")
    plans.plan_submit(actor=world.planner, plan=submitted)
    response = approve(api, world, submitted, old)
    assert response.status_code == 400
    assert verify.not_the_document() in str(response.json()["cms"])
    assert unchanged(submitted)


def test_the_first_approval_s_signature_cannot_approve_an_adjustment(api, ca, world, submitted):
    use(world, SignatureUse.REQUIRED)
    first = signed(ca, submitted)
    assert approve(api, world, submitted, first).status_code == 200
    plan = submit_adjustment(world)  # nothing changed in the actions: only the number differs
    response = approve(api, world, plan, first)
    assert response.status_code == 400
    refusal = str(response.json()["cms"])
    assert verify.not_the_document() in refusal or replayed() in refusal
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED and plan.revisions.count() == 1
    assert Signature.objects.count() == 1


def test_a_signed_adjustment_is_stored_on_its_revision(api, ca, world, submitted):
    use(world, SignatureUse.OPTIONAL)
    assert approve(api, world, submitted).status_code == 200
    plan = submit_adjustment(world)
    response = approve(api, world, plan, signed(ca, plan))
    assert response.status_code == 200
    signature = Signature.objects.get()
    assert response.json()["signature"]["id"] == signature.pk
    assert signature.signed_object == plan.revisions.get(number=2) and covers(signature)


def test_the_schema_describes_the_approval_s_signature(api, world):
    schema = served_schema(api(world.official))
    assert "NCALayer" in cms_description(schema, "/api/v1/operational-plans/{id}/approve/")


# --- the page ----------------------------------------------------------------------------------


def document_url(plan):
    return reverse("plans:approval_document", args=[plan.body_id, plan.pk])


def test_the_document_to_sign_is_the_working_copy_s(world, submitted):
    use(world, SignatureUse.REQUIRED)
    response = client_of(world.official).get(document_url(submitted))
    assert response.status_code == 200
    assert base64.b64decode(response.content) == canonical.document_of("revision", submitted)


def test_only_who_may_approve_now_reads_the_document(world, submitted):
    assert client_of(world.planner).get(document_url(submitted)).status_code == 403
    plans.plan_approve(actor=world.official, plan=submitted)
    assert client_of(world.official).get(document_url(submitted)).status_code == 403


@pytest.mark.parametrize(
    ("setting", "plain"), [(SignatureUse.OPTIONAL, True), (SignatureUse.REQUIRED, False)]
)
def test_the_page_offers_the_signature_where_the_body_signs(world, submitted, setting, plain):
    use(world, setting)
    page = client_of(world.official).get(submitted.get_absolute_url())
    html = page.content.decode()
    assert "data-eds-sign" in html and document_url(submitted) in html
    assert ("Approve the plan</button>" in html) is plain  # required: only the signed step
    assert "connect-src 'self' wss://127.0.0.1:13579/" in page["Content-Security-Policy"]
    planner_page = client_of(world.planner).get(submitted.get_absolute_url())
    assert b"data-eds-sign" not in planner_page.content
    assert "connect-src" not in planner_page["Content-Security-Policy"]


def test_the_page_has_no_signature_where_the_body_does_not_sign(world, submitted):
    page = client_of(world.official).get(submitted.get_absolute_url())
    assert b"data-eds-sign" not in page.content and b"Approve the plan</button>" in page.content
    assert "connect-src" not in page["Content-Security-Policy"]


def test_a_plain_approval_where_it_is_required_says_why(world, submitted):
    use(world, SignatureUse.REQUIRED)
    url = reverse("plans:transition", args=[submitted.body_id, submitted.pk, "approve"])
    response = client_of(world.official).post(url, follow=True)
    texts = [str(message) for message in response.context["messages"]]
    assert any("signs the approval of the plan" in text for text in texts), texts
    assert unchanged(submitted)


def test_a_signed_approval_through_the_form_is_shown_on_the_plan_and_revisions(
    world, submitted, ca
):
    use(world, SignatureUse.REQUIRED)
    client = client_of(world.official)
    url = reverse("plans:transition", args=[submitted.body_id, submitted.pk, "approve"])
    response = client.post(url, {"cms": signed(ca, submitted)}, follow=True)
    submitted.refresh_from_db()
    assert submitted.status == PlanStatus.APPROVED
    signature = Signature.objects.get()
    html = response.content.decode()
    assert 'id="eds-signed"' in html and f"IIN {IIN}" in html
    assert signature.certificate_serial in html
    revisions = client.get(reverse("plans:revisions", args=[submitted.body_id, submitted.pk]))
    assert 'id="eds-signed-1"' in revisions.content.decode()
