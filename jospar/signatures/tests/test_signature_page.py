"""A stored signature shown: its page for the people who see the object it signed (a 404 for
anyone else), its downloads (the CMS verifies against the document, the ZIP holds both and how
to check them), and the public page of its verification code."""

import base64
import datetime as dt
import io
import shutil
import subprocess
import zipfile

import pytest
from django.core.cache import cache
from django.urls import reverse

from jospar.orgs.models import Role
from jospar.signatures import canonical, selectors, verify
from jospar.signatures.models import CODE_LENGTH, Signature, verification_code
from jospar.signatures.tests.pki import IIN, recorded
from jospar.signatures.tests.steps import client_of
from jospar.signatures.views import LOOKUP_MISSES
from tests.factories import StateBodyFactory, member
from tests.worlds import monitoring_world, shared_world

Q1 = dt.date(2026, 2, 16)

world_once, world = shared_world(monitoring_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]


@pytest.fixture
def submission(world, clock):
    clock(Q1)
    submission = world.open(1)
    world.fill(submission)
    return submission


@pytest.fixture
def signed(world, ca, submission):
    return recorded(ca, world.head, submission, "submission")


@pytest.fixture
def revision_signed(world, ca):
    return recorded(ca, world.official, world.plan.revisions.get(), "revision")


def url(name, signature):
    return reverse(f"signatures:{name}", args=[signature.body_id, signature.pk])


def test_the_page_says_who_signed_what_with_which_certificate(world, signed, submission):
    page = client_of(world.executor).get(url("signature", signed)).content.decode()
    for shown in (
        signed.signer_name,
        IIN,
        signed.bin,
        signed.certificate_serial,
        signed.certificate_issuer,
        signed.document_sha256,
        signed.document_format,
        signed.code,
        "builtin",
        "The signature covers the document as it is now.",
        f'href="{submission.get_absolute_url()}"',
    ):
        assert shown in page


def test_a_changed_object_is_no_longer_covered(world, signed, submission):
    entry = submission.entries.first()
    type(entry).objects.filter(pk=entry.pk).update(actual="Changed after signing")
    page = client_of(world.head).get(url("signature", signed)).content.decode()
    assert "does not cover it as it is now" in page
    assert "does not cover" in client_of().get(selectors.verification_path(signed)).content.decode()


def test_only_who_sees_the_object_sees_its_signature(world, signed):
    # the unit's information: the unit's own people and the body-wide roles
    for reader in (world.head, world.executor, world.planner, world.monitor):
        assert client_of(reader).get(url("signature", signed)).status_code == 200
    # another unit's head, and a member of another body: as if there were none
    stranger = member(StateBodyFactory(), Role.PLANNER, username="stranger")
    for outsider in (world.partner_head, stranger):
        for name in ("signature", "signature_cms", "signature_document", "signature_package"):
            assert client_of(outsider).get(url(name, signed)).status_code == 404
    anonymous = client_of().get(url("signature", signed))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]


def test_a_revision_signature_is_seen_by_every_member(world, revision_signed):
    page = client_of(world.partner_head).get(url("signature", revision_signed))
    assert page.status_code == 200
    plans_url = reverse("plans:revisions", args=[world.body.pk, world.plan.pk])
    assert f'href="{plans_url}"' in page.content.decode()


def test_the_cms_download_verifies_against_the_document_download(world, signed):
    client = client_of(world.head)
    cms = client.get(url("signature_cms", signed))
    document = client.get(url("signature_document", signed))
    assert cms["Content-Type"] == "application/pkcs7-signature"
    assert cms["Content-Disposition"].endswith('.cms"')
    assert document["Content-Type"] == "application/json"
    assert document.content == canonical.document_of("submission", signed.signed_object)
    assert canonical.sha256(document.content) == signed.document_sha256
    checked = verify.verify(base64.b64encode(cms.content).decode(), document.content, world.head)
    assert checked.ok and checked.serial == signed.certificate_serial
    tampered = document.content.replace(b'"quarter":1', b'"quarter":2')
    assert tampered != document.content
    assert not verify.verify(base64.b64encode(cms.content).decode(), tampered, world.head).ok


def test_the_zip_holds_what_a_verifier_needs(world, signed, tmp_path):
    response = client_of(world.head).get(url("signature_package", signed))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["README.txt", "document.json", "signature.cms"]
    assert archive.read("signature.cms") == bytes(signed.cms)
    assert archive.read("document.json") == bytes(signed.document)
    readme = archive.read("README.txt").decode()
    assert "openssl cms -verify -inform DER -in signature.cms -content document.json" in readme
    assert signed.code in readme and signed.document_sha256 in readme
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    archive.extractall(tmp_path)
    command = "openssl cms -verify -inform DER -in signature.cms -content document.json"
    done = subprocess.run(  # noqa: S603 - a fixed program, no shell
        [*command.split(), "-binary", "-noverify", "-out", "/dev/null"],
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    (tmp_path / "document.json").write_bytes(bytes(signed.document) + b" ")
    done = subprocess.run(  # noqa: S603
        [*command.split(), "-binary", "-noverify", "-out", "/dev/null"],
        cwd=tmp_path,
        capture_output=True,
        check=False,
    )
    assert done.returncode != 0


def test_each_signature_has_its_own_stable_code(world, ca, signed, revision_signed):
    assert len(signed.code) == CODE_LENGTH and signed.code.isalnum() and signed.code.isupper()
    assert signed.code == verification_code(signed.cms)
    assert signed.code != revision_signed.code
    signed.refresh_from_db()
    assert signed.code == verification_code(bytes(signed.cms))
    assert Signature.objects.filter(code=signed.code).get() == signed


def test_the_verification_page_needs_no_login_and_shows_no_iin(world, signed):
    response = client_of().get(selectors.verification_path(signed))
    assert response.status_code == 200
    page = response.content.decode()
    for shown in (
        signed.signer_name,
        str(world.body),
        signed.document_sha256,
        signed.get_kind_display(),
        "The signature covers the document as it is now.",
    ):
        assert shown in page
    assert IIN not in page and IIN[-4:] in page
    assert "signature.cms" not in page and "signature.zip" not in page
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_a_code_is_read_as_typed(signed):
    typed = signed.code.lower()[:4] + "-" + signed.code.lower()[4:]
    assert client_of().get(reverse("signatures:verify", args=[typed])).status_code == 200


def test_an_unknown_code_is_said_and_guessing_is_stopped(signed):
    cache.clear()
    client = client_of()
    for attempt in range(LOOKUP_MISSES):
        response = client.get(reverse("signatures:verify", args=[f"NOSUCHCODE{attempt:02d}"]))
        assert response.status_code == 404
        assert "no digital signature with the code" in response.content.decode()
    response = client.get(reverse("signatures:verify", args=["NOSUCHCODE99"]))
    assert response.status_code == 429
    # a real code too, until the window ends: the count is the address's, not the code's
    assert client.get(selectors.verification_path(signed)).status_code == 429
    cache.clear()
    assert client.get(selectors.verification_path(signed)).status_code == 200


def test_the_signed_line_links_to_the_signature_page(world, signed, submission):
    page = client_of(world.head).get(submission.get_absolute_url()).content.decode()
    assert f'href="{url("signature", signed)}"' in page


def test_the_plans_history_lists_its_revisions_signature(world, revision_signed):
    history = reverse("orgs:history", args=[world.body.pk, "plans.operationalplan", world.plan.pk])
    page = client_of(world.planner).get(history).content.decode()
    assert "signed with EDS" in page
    assert f'href="{url("signature", revision_signed)}"' in page
    assert revision_signed.certificate_serial in page


def test_a_signatures_own_history_is_the_body_wide_roles(world, signed):
    history = reverse("orgs:history", args=[world.body.pk, "signatures.signature", signed.pk])
    assert client_of(world.planner).get(history).status_code == 200
    assert client_of(world.executor).get(history).status_code == 404
