"""A damaged, foreign or mismatched archive is refused with one line saying why, before the
database or the storage is touched."""

import io
import json
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from jospar.orgs.models import StateBody

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    default_storage.save("evidence/1/note.pdf", ContentFile(b"%PDF-1.4 a note"))
    path = tmp_path / "backup.tar.gz"
    call_command("backup", output=str(path), stdout=io.StringIO())
    return path


def rewritten(path, tmp_path, change) -> str:
    """A copy of the archive whose manifest `change` edited."""
    copy = tmp_path / "changed.tar.gz"
    with tarfile.open(path) as source, tarfile.open(copy, "w:gz") as target:
        for member in source:
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))
    return str(copy)


def refusal(path) -> str:
    with pytest.raises(CommandError) as error:
        call_command("restore", str(path), force=True)
    message = str(error.value)
    assert "\n" not in message
    return message


def test_the_archive_holds_the_manifest_the_database_and_the_files(archive):
    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.loads(opened.extractfile("manifest.json").read())
    assert set(names) == {"manifest.json", "database.json", "files/evidence/1/note.pdf"}
    assert manifest["format"] == 1 and manifest["vendor"] in {"sqlite", "postgresql"}
    assert "plans.0002_completion_forms" in manifest["migrations"]
    assert manifest["files"][0]["name"] == "evidence/1/note.pdf"
    assert manifest["files"][0]["size"] == len(b"%PDF-1.4 a note")


def test_a_missing_or_damaged_archive_is_refused(archive, tmp_path):
    assert refusal(tmp_path / "nowhere.tar.gz").startswith("No such backup archive: ")
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"this is not an archive at all")
    assert "not a tar archive" in refusal(garbage)
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[:-200])
    assert "cut short or damaged" in refusal(cut)


def test_a_changed_file_or_a_foreign_archive_is_refused(archive, tmp_path):
    def tamper(manifest):
        manifest["files"][0]["sha256"] = "0" * 64

    assert "evidence/1/note.pdf is missing or does not match" in refusal(
        rewritten(archive, tmp_path, tamper)
    )

    def escape(manifest):
        manifest["files"][0]["name"] = "../outside.pdf"

    assert "leaves the storage" in refusal(rewritten(archive, tmp_path, escape))
    assert "no manifest of a Jospar backup" in refusal(
        rewritten(archive, tmp_path, lambda manifest: manifest.update(format=99))
    )


def test_an_archive_of_another_schema_is_refused(archive, tmp_path, body):
    def newer(manifest):
        manifest["migrations"].append("plans.9999_future")
        manifest["jospar"] = "9.9"

    message = refusal(rewritten(archive, tmp_path, newer))
    assert "made by Jospar 9.9" in message and "plans.9999_future" in message
    assert StateBody.objects.filter(pk=body.pk).exists()  # untouched
