"""The unit head's sign-off of a proposal (R5) with a digital signature, as the body's setting
asks (StateBody.eds_sign_off): the head signs the proposal's canonical document
(`jospar-proposal/1`), the signature is stored on the proposal and still covers it after the
planner accepts it; a refused signature changes nothing. The page's part: the document's URL,
NCALayer's hole in the policy, the buttons and the signed line."""

import base64
import json
from dataclasses import dataclass

import pytest
from django.urls import reverse

from jospar.orgs.models import Role, SignatureUse, User
from jospar.plans import services as plans
from jospar.plans.models import Proposal, ProposalStatus
from jospar.plans.terms import TermKind
from jospar.signatures import canonical, verify
from jospar.signatures.models import Signature
from jospar.signatures.services import covers
from jospar.signatures.tests.pki import IIN
from jospar.signatures.tests.steps import client_of, cms_description
from tests.factories import member
from tests.openapi import served_schema
from tests.worlds import PlanWorld, plan_world, shared_world

PROPOSALS = "/api/v1/proposals/"


@dataclass
class ProposalWorld:
    plan: PlanWorld
    executor: User
    head: User
    proposal: Proposal


def proposal_world() -> ProposalWorld:
    world = plan_world()
    body, unit = world.body, world.unit
    executor = member(body, Role.EXECUTOR, unit=unit, username="executor")
    head = member(body, Role.UNIT_HEAD, unit=unit, username="head")
    proposal = plans.proposal_create(
        actor=executor,
        plan=world.plan,
        unit=unit,
        indicator=world.indicator,
        name="Inventory of the canals",
        term_kind=TermKind.QUARTER,
        term_quarter=3,
        completion_form=world.form,
        co_executors=[world.partner],
        budget_programs=[world.program],
    )
    return ProposalWorld(world, executor, head, proposal)


world_once, world = shared_world(proposal_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]


@pytest.fixture
def draft(world, settings):
    settings.NCALAYER_URL = "wss://127.0.0.1:13579/"
    world.head.iin = IIN
    world.head.save()
    return world.proposal


def use(world, setting):
    body = world.plan.body
    body.eds_sign_off = setting
    body.save()


def signed(ca, proposal, holder=None):
    return ca.sign(holder or ca.signer, canonical.document_of("proposal", proposal))


def sign(api, world, proposal, cms=None, user=None):
    body = {"cms": cms} if cms is not None else {}
    client = api(user or world.head)
    return client.post(f"{PROPOSALS}{proposal.pk}/sign/", body, format="json")


def status_of(proposal):
    proposal.refresh_from_db()
    return proposal.status


def unchanged(proposal):
    return status_of(proposal) == ProposalStatus.DRAFT and not Signature.objects.exists()


# --- the document ---------------------------------------------------------------------------


def test_the_document_is_the_proposal_as_the_head_sees_it(world, draft):
    data = json.loads(canonical.document_of("proposal", draft))
    assert data["format"] == "jospar-proposal/1" and data["proposal"] == draft.pk
    assert data["plan"] == {"id": world.plan.plan.pk, "year": 2026}
    assert data["unit"]["code"] == world.plan.unit.code
    names = {key: value for key, value in data["content"].items() if key.startswith("name")}
    assert "name" not in names and "Inventory of the canals" in names.values()  # by language
    assert data["content"]["term_quarter"] == 3
    assert data["budget_codes"] == ["001"] and data["co_executor_ids"] == [world.plan.partner.pk]


def test_an_edit_changes_the_document_and_the_steps_after_it_do_not(world, draft):
    before = canonical.document_of("proposal", draft)
    plans.proposal_update(actor=world.executor, proposal=draft, co_executors=[])
    edited = canonical.document_of("proposal", draft)
    assert edited != before
    plans.proposal_sign(actor=world.head, proposal=draft)
    plans.proposal_accept(actor=world.plan.planner, proposal=draft)
    draft.refresh_from_db()
    assert canonical.document_of("proposal", draft) == edited


# --- the step through the API ------------------------------------------------------------------


@pytest.mark.parametrize("setting", [SignatureUse.OPTIONAL, SignatureUse.REQUIRED])
def test_a_signed_sign_off_is_stored_on_the_proposal(api, ca, world, draft, setting):
    use(world, setting)
    response = sign(api, world, draft, signed(ca, draft))
    assert response.status_code == 200, response.content
    assert status_of(draft) == ProposalStatus.SIGNED
    signature = Signature.objects.get()
    assert signature.signed_object == draft and signature.kind == "proposal"
    assert signature.iin == IIN and covers(signature)
    answered = response.json()["signature"]  # the answer gives the signature it recorded
    assert (answered["id"], answered["kind"], answered["covers"]) == (
        signature.pk,
        "proposal",
        True,
    )
    plans.proposal_accept(actor=world.plan.planner, proposal=draft)
    assert covers(signature)  # accepting it changes nothing the head signed


def test_required_without_a_signature_is_refused(api, world, draft):
    use(world, SignatureUse.REQUIRED)
    response = sign(api, world, draft)
    assert response.status_code == 400 and "cms" in response.json()
    assert unchanged(draft)


@pytest.mark.parametrize("setting", [SignatureUse.OFF, SignatureUse.OPTIONAL])
def test_off_or_optional_signs_off_without_a_signature(api, world, draft, setting):
    use(world, setting)
    response = sign(api, world, draft)
    assert response.status_code == 200 and response.json()["signature"] is None
    assert status_of(draft) == ProposalStatus.SIGNED and not Signature.objects.exists()


def test_a_signature_where_the_body_does_not_use_them_is_refused(api, ca, world, draft):
    response = sign(api, world, draft, signed(ca, draft))
    assert response.status_code == 400 and "cms" in response.json()
    assert unchanged(draft)


@pytest.mark.parametrize(
    ("holder", "reason"), [("other", verify.other_person), ("auth", verify.auth_key)]
)
def test_a_failing_signature_refuses_the_sign_off_with_its_reason(
    api, ca, world, draft, holder, reason
):
    use(world, SignatureUse.REQUIRED)
    response = sign(api, world, draft, signed(ca, draft, getattr(ca, holder)))
    assert response.status_code == 400
    assert reason() in str(response.json()["cms"])
    assert unchanged(draft)


def test_who_may_not_sign_off_cannot_with_a_signature_either(api, ca, world, draft):
    use(world, SignatureUse.OPTIONAL)
    world.executor.iin = IIN
    world.executor.save()
    response = sign(api, world, draft, signed(ca, draft), user=world.executor)
    assert response.status_code == 403
    assert unchanged(draft)


def test_a_signature_of_an_earlier_version_is_refused(api, ca, world, draft):
    use(world, SignatureUse.REQUIRED)
    old = signed(ca, draft)
    plans.proposal_update(actor=world.executor, proposal=draft, name="Inventory of the dams")
    response = sign(api, world, draft, old)
    assert response.status_code == 400
    assert verify.not_the_document() in str(response.json()["cms"])
    assert unchanged(draft)


def test_the_schema_describes_the_sign_off_s_signature(api, world):
    schema = served_schema(api(world.head))
    assert "NCALayer" in cms_description(schema, "/api/v1/proposals/{id}/sign/")


# --- the page ----------------------------------------------------------------------------------


def url(name, proposal):
    return reverse(f"plans:{name}", args=[proposal.plan.body_id, proposal.plan_id, proposal.pk])


def proposals_url(proposal):
    return reverse("plans:proposals", args=[proposal.plan.body_id, proposal.plan_id])


def test_the_document_to_sign_is_the_canonical_one(world, draft):
    response = client_of(world.head).get(url("proposal_sign_document", draft))
    assert response.status_code == 200
    assert base64.b64decode(response.content) == canonical.document_of("proposal", draft)


def test_only_who_may_sign_off_now_reads_the_document(world, draft):
    assert client_of(world.executor).get(url("proposal_sign_document", draft)).status_code == 403
    plans.proposal_sign(actor=world.head, proposal=draft)
    assert client_of(world.head).get(url("proposal_sign_document", draft)).status_code == 403


@pytest.mark.parametrize(
    ("setting", "plain"), [(SignatureUse.OPTIONAL, True), (SignatureUse.REQUIRED, False)]
)
def test_the_page_offers_the_signature_where_the_body_signs(world, draft, setting, plain):
    use(world, setting)
    page = client_of(world.head).get(proposals_url(draft))
    html = page.content.decode()
    assert f'id="eds-sign-{draft.pk}"' in html and url("proposal_sign_document", draft) in html
    assert ("Sign off</button>" in html) is plain  # required: only the signed step
    assert "connect-src 'self' wss://127.0.0.1:13579/" in page["Content-Security-Policy"]
    executor_page = client_of(world.executor).get(proposals_url(draft))
    assert b"data-eds-sign" not in executor_page.content
    assert "connect-src" not in executor_page["Content-Security-Policy"]


def test_the_page_has_no_signature_where_the_body_does_not_sign(world, draft):
    page = client_of(world.head).get(proposals_url(draft))
    assert b"data-eds-sign" not in page.content and b"Sign off</button>" in page.content
    assert "connect-src" not in page["Content-Security-Policy"]


def test_a_plain_sign_off_where_it_is_required_says_why(world, draft):
    use(world, SignatureUse.REQUIRED)
    response = client_of(world.head).post(url("proposal_sign", draft), follow=True)
    texts = [str(message) for message in response.context["messages"]]
    assert any("signs the proposals" in text for text in texts), texts
    assert unchanged(draft)


def test_a_signed_sign_off_through_the_form_is_shown_on_its_row(world, draft, ca):
    use(world, SignatureUse.REQUIRED)
    data = {"cms": signed(ca, draft)}
    response = client_of(world.head).post(url("proposal_sign", draft), data, follow=True)
    assert status_of(draft) == ProposalStatus.SIGNED
    signature = Signature.objects.get()
    html = response.content.decode()
    assert f'id="eds-signed-{draft.pk}"' in html and f"IIN {IIN}" in html
    assert signature.certificate_serial in html
