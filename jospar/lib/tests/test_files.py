"""Uploaded files are judged by their content; archives are judged by their directory before
anything in them is decompressed."""

import io
import zipfile

import pytest
from PIL import Image

from jospar.lib import files
from jospar.lib.files import ArchiveLimits, archive_problem, download_name, sniff_evidence
from tests.bombs import archive, forbid_unpacking, overlapping


@pytest.fixture
def nothing_is_unpacked(monkeypatch):
    forbid_unpacking(monkeypatch)


def test_a_workbook_sized_archive_passes():
    parts = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>" * 50}
    assert archive_problem(archive(parts)) is None


@pytest.mark.usefixtures("nothing_is_unpacked")
def test_a_bomb_of_declared_size_is_refused_from_its_directory():
    bomb = archive({"xl/worksheets/sheet1.xml": b"\0" * (60 * 1024 * 1024)})
    assert len(bomb.getvalue()) < 100 * 1024  # 60 MB of zeros in under 100 KB
    assert archive_problem(bomb) == "The file unpacks to more than 50 MB; it is not read."


@pytest.mark.usefixtures("nothing_is_unpacked")
def test_a_part_that_unpacks_to_hundreds_of_times_its_size_is_refused():
    bomb = archive({"xl/sharedStrings.xml": b"\0" * (5 * 1024 * 1024)})
    problem = archive_problem(bomb)
    assert problem.startswith("The part “xl/sharedStrings.xml” unpacks to ")
    assert problem.endswith("times its packed size; the file is refused as a compression bomb.")


@pytest.mark.usefixtures("nothing_is_unpacked")
def test_an_archive_of_too_many_parts_is_refused():
    parts = {f"xl/part{n}.xml": b"<x/>" for n in range(30)}
    problem = archive_problem(archive(parts), ArchiveLimits(entries=20))
    assert problem == "The file holds 30 parts; no workbook or document holds so many."


@pytest.mark.usefixtures("nothing_is_unpacked")
def test_parts_that_overlap_one_stream_are_refused():
    bomb = overlapping(30, bytes(range(256)) * 16)
    assert len(zipfile.ZipFile(bomb).infolist()) == 30  # zipfile itself lists them happily
    assert archive_problem(bomb) == (
        "The file's parts overlap one another; the file is refused as a compression bomb."
    )


def test_one_part_alone_is_not_an_overlap():
    assert archive_problem(overlapping(1, b"<Types/>")) is None


@pytest.mark.parametrize(
    "damaged",
    [b"PK\x03\x04 broken", archive({"a.xml": b"<a/>" * 100}).getvalue()[:60]],
    # Named ids: the archive holds the time it was made, and pytest-xdist's workers must
    # collect the same test names (two workers a second apart did not).
    ids=["broken-header", "cut-archive"],
)
def test_a_damaged_archive_is_named_so(damaged):
    assert archive_problem(io.BytesIO(damaged)).startswith("The file is damaged")


def image(kind: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(buffer, files.IMAGE_FORMATS[kind])
    return buffer.getvalue()


@pytest.mark.parametrize("kind", ["png", "jpeg", "gif"])
def test_a_real_image_is_recognised(kind):
    assert sniff_evidence(io.BytesIO(image(kind))) == kind


@pytest.mark.parametrize(
    "content",
    [
        b"GIF89a<html><script>alert(document.cookie)</script></html>",
        b"\x89PNG\r\n\x1a\n" + b"<script>alert(1)</script>",
        b"\xff\xd8\xff\xe0<html></html>",
        image("gif")[:20] + b"<html><script>alert(1)</script></html>",
        b"%PDF-1.4 <html><script>alert(1)</script></html>",
    ],
)
def test_a_page_behind_a_file_signature_is_not_evidence(content):
    assert sniff_evidence(io.BytesIO(content)) is None


def test_a_bomb_named_docx_is_not_evidence(monkeypatch):
    monkeypatch.setattr(
        zipfile.ZipFile, "testzip", lambda *a, **k: pytest.fail("a part was decompressed")
    )
    bomb = archive({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * 2**26})
    assert sniff_evidence(bomb) is None


def test_files_are_stored_under_a_neutral_name_and_downloaded_with_their_kinds_extension():
    name = files.stored_name("jpeg")
    assert name.endswith(".jpg") and len(name) == 36 and "/" not in name
    assert files.stored_name("jpeg") != name
    assert download_name("poly.html", "gif") == "poly.html.gif"
    assert download_name("Act 12.PDF", "pdf") == "Act 12.PDF"
    assert download_name("photo.jpeg", "jpeg") == "photo.jpeg"
