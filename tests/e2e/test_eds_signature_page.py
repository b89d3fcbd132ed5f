"""A stored digital signature seen in the browser (issue 19): the unit head opens the signature
of their signed-off information from the "Signed with EDS" line, reads who signed with which
certificate, and downloads the ZIP a verifier needs; a reader of the printed form, not logged
in, opens the verification URL and learns that the signature exists and still covers the
document. Both pages pass the axe check and the content security policy."""

import io
import zipfile

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from jospar.signatures.selectors import verification_path
from jospar.signatures.tests.pki import IIN, recorded
from tests.e2e.test_accessibility import serious_violations
from tests.worlds import monitoring_world


@pytest.fixture
def signed(transactional_db, clock, settings, eds_ca, tmp_path):
    """The unit's information for the 1st quarter, filled in and signed by the head with the
    test CA's signing key."""
    clock("2026-02-16 10:00", tick=True)
    roots = tmp_path / "roots.pem"
    roots.write_bytes(eds_ca.roots_pem())
    settings.SIGNATURE_BACKEND = "builtin"
    settings.SIGNATURE_TRUSTED_ROOTS = str(roots)
    world = monitoring_world()
    submission = world.open(1)
    world.fill(submission)
    return world, submission, recorded(eds_ca, world.head, submission, "submission")


def test_the_head_opens_the_signature_and_downloads_it(page, login, signed):
    world, submission, signature = signed
    login(world.head)
    page.goto(submission.get_absolute_url())
    page.locator("#eds-signed").get_by_role("link").click()

    expect(page.get_by_role("heading", name="Digital signature", exact=True)).to_be_visible()
    expect(page.locator("#eds-signer")).to_contain_text(IIN)
    expect(page.locator("#eds-certificate")).to_contain_text(signature.certificate_serial)
    expect(page.locator("#eds-document")).to_contain_text(signature.document_sha256)
    expect(page.locator("#eds-covers")).to_have_text(
        "The signature covers the document as it is now."
    )
    assert serious_violations(page, Axe(), "a digital signature's page") == []

    with page.expect_download() as download:
        page.get_by_role(
            "link", name="The signature with the document and how to check them"
        ).click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    assert sorted(archive.namelist()) == ["README.txt", "document.json", "signature.cms"]
    assert archive.read("signature.cms") == bytes(signature.cms)
    assert archive.read("document.json") == bytes(signature.document)


def test_an_anonymous_reader_checks_the_verification_code(chromium, live_server, signed):
    _world, _submission, signature = signed
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    try:
        page = context.new_page()
        page.goto(verification_path(signature))
        expect(page).not_to_have_url("**/accounts/login/**")
        expect(page.locator("#eds-verify-result")).to_contain_text(signature.code)
        expect(page.locator("#eds-verify")).to_contain_text(signature.signer_name)
        expect(page.locator("#eds-verify")).not_to_contain_text(IIN)
        expect(page.locator("#eds-covers")).to_have_text(
            "The signature covers the document as it is now."
        )
        expect(page.get_by_role("link", name="signature", exact=False)).to_have_count(0)
        assert serious_violations(page, Axe(), "the signature's verification page") == []

        page.goto("/verify/AAAAAAAAAAAA/")
        expect(page.locator("#eds-verify-result")).to_contain_text(
            "There is no digital signature with the code AAAAAAAAAAAA"
        )
    finally:
        context.close()
