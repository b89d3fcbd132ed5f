"""Appendix 1 of a signed revision and Appendix 2 of a signed report carry, under the signature
block, the line "Signed with EDS: name, IIN, date, certificate serial", the verification code
with its public URL and a QR code of that URL, in XLSX, DOCX and PDF and in each language of the
forms; an unsigned form (or one whose signature no longer covers it) has none of them."""

import io
import zipfile

import openpyxl
import pytest
from django.utils import translation
from docx import Document

from jospar.documents.appendices import (
    plan_form,
    plan_form_file,
    report_form,
    report_form_file,
)
from jospar.documents.render_pdf import typst_source
from jospar.documents.tests.test_export import poppler
from jospar.signatures import selectors
from jospar.signatures.tests.pki import IIN, make_ca, recorded
from tests.worlds import appendix_report_world, shared_world, the_body

world_once, world = shared_world(lambda: appendix_report_world(the_body()))
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

LANGUAGES = ("en", "ru", "kk")
FORMATS = ("xlsx", "docx", "pdf")
SIGNED_WITH = {"en": "Signed with EDS:", "ru": "Подписано ЭЦП:", "kk": "ЭЦҚ-мен қол қойылған:"}


@pytest.fixture
def report(world):
    return world[0]


@pytest.fixture(scope="module")
def ca():
    return make_ca()


@pytest.fixture(autouse=True)
def _trusted_roots(ca, settings, tmp_path):
    """The built-in verification trusts the test CA (as jospar/signatures/tests/conftest.py)."""
    roots = tmp_path / "roots.pem"
    roots.write_bytes(ca.roots_pem())
    settings.SIGNATURE_BACKEND = "builtin"
    settings.SIGNATURE_TRUSTED_ROOTS = str(roots)


@pytest.fixture
def signed_revision(ca, report):
    revision = report.revision
    return recorded(ca, revision.approved_by, revision, "revision")


@pytest.fixture
def signed_report(ca, world, report):
    return recorded(ca, world[1], report, "report")


def form_file(obj, file_format, language):
    if obj.__class__.__name__ == "Revision":
        return plan_form_file(
            obj.plan, revision=obj.number, file_format=file_format, language=language
        )
    return report_form_file(obj, file_format=file_format, language=language)


def texts_and_qr(file_format: str, content: bytes, tmp_path) -> tuple[str, int]:
    """The file's text, and how many QR images (XLSX, DOCX) or vector QR codes (PDF) it has."""
    if file_format == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        text = "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c)
        return text, len(sheet._images)
    if file_format == "docx":
        document = Document(io.BytesIO(content))
        text = "\n".join(p.text for p in document.paragraphs)
        return text, len(document.inline_shapes)
    path = tmp_path / "form.pdf"
    path.write_bytes(content)
    return poppler("pdftotext", "-raw", str(path), "-"), -1


def expected(signature) -> list[str]:
    return [
        signature.signer_name,
        f"IIN {IIN}" if translation.get_language() == "en" else IIN,
        selectors.signed_on(signature).strftime("%d.%m.%Y"),
        signature.certificate_serial,
        signature.code,
        selectors.verification_url(signature),
    ]


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", ["revision", "report"])
def test_a_signed_form_carries_the_eds_line_code_and_qr(
    request, kind, language, file_format, tmp_path
):
    signature = request.getfixturevalue(f"signed_{kind}")
    file = form_file(signature.signed_object, file_format, language)
    text, images = texts_and_qr(file_format, file.content, tmp_path)
    flat = " ".join(text.split())
    with translation.override(language):
        for shown in expected(signature):
            assert shown in flat, (shown, flat[-800:])
    assert SIGNED_WITH[language] in flat
    if file_format != "pdf":
        assert images == 1
    if file_format == "docx":
        package = zipfile.ZipFile(io.BytesIO(file.content))
        qr = selectors.qr_png(selectors.verification_url(signature))
        assert package.read("word/media/eds-qr.png") == qr


def test_the_pdf_draws_the_qr_code_of_the_url(signed_report, report):
    url = selectors.verification_url(signed_report)
    source = typst_source(report_form(report, "en"))
    svg = selectors.qr_svg(url)
    assert "image(bytes(" in source and svg.split(">", 1)[0].replace('"', '\\"') in source
    unsigned = typst_source(plan_form(report.plan, None, "en"))
    assert "image(bytes(" not in unsigned


@pytest.mark.parametrize("file_format", FORMATS)
def test_an_unsigned_form_has_no_eds_lines(report, file_format, tmp_path):
    for obj in (report, report.revision):
        text, images = texts_and_qr(
            file_format, form_file(obj, file_format, "en").content, tmp_path
        )
        assert "EDS" not in text and "/verify/" not in text
        assert images in (0, -1)


def test_a_signature_that_no_longer_covers_is_not_printed(signed_report, report):
    assert report_form(report, "en").eds_line
    # (a submitted report is frozen: only a change around the services can do this)
    type(report).objects.filter(pk=report.pk).update(general_recommendations="Written later")
    document = report_form(report, "en")
    assert document.eds_line == document.eds_code_line == document.eds_url == ""
