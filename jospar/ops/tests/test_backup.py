"""`jospar backup` and `jospar restore`: a body with a plan, a report and evidence is backed up,
the database is emptied and a new, empty file storage configured, the archive restored; the
legal forms render the same and every evidence file downloads with the same bytes. Runs on the
local file system and on a local S3-compatible server, on SQLite and PostgreSQL alike (the
suite's DATABASE_URL). Transactional: the database is really emptied, so no shared world here."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from docx import Document
from rest_framework.test import APIClient

from conftest import use_storage
from jospar.documents.appendices import plan_form_file, report_form_file
from jospar.lib.storage import walk
from jospar.monitoring import services as monitoring
from jospar.monitoring.models import Evidence
from jospar.monitoring.selectors import unit_actions
from jospar.orgs.models import Role, User
from jospar.plans.models import OperationalPlan
from jospar.reports.models import Report
from tests import worlds
from tests.factories import member
from tests.schema import add_reference_rows

pytestmark = pytest.mark.django_db(transaction=True)

RU = {"language": "ru"}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (5, 4), "blue").save(buffer, "PNG")
    return buffer.getvalue()


def with_evidence(plan) -> dict[int, bytes]:
    """Third-quarter information with two files attached, still open; the files by row id."""
    files = {}
    with worlds.at("2026-10-05 10:00"):
        for unit in plan.body.units.order_by("pk"):
            due = [item for item in unit_actions(plan, unit, 3) if item.due]
            if not due:
                continue
            executor = member(plan.body, Role.EXECUTOR, unit=unit, username=f"q3.{unit.code}")
            submission = monitoring.submission_open(actor=executor, plan=plan, unit=unit, quarter=3)
            entry = monitoring.entry_save(
                actor=executor,
                submission=submission,
                action_id=due[0].planned.action_id,
                status="executed",
                actual="Done",
                reasons="",
                version=0,
            )
            for name, content in (("act.pdf", PDF), ("photo.png", png())):
                upload = SimpleUploadedFile(name, content)
                evidence = monitoring.evidence_add(actor=executor, entry=entry, upload=upload)
                files[evidence.pk] = content
            break
    assert files, "no unit has an action due in the third quarter"
    return files


def forms(plan_id: int, report_id: int) -> dict:
    """What Appendix 1 and Appendix 2 show, as XLSX cell values and DOCX texts, in Russian."""
    plan = OperationalPlan.objects.get(pk=plan_id)
    report = Report.objects.get(pk=report_id)
    shown = {}
    for label, render in (
        (
            "appendix1",
            lambda fmt: plan_form_file(plan, revision=None, file_format=fmt, language="ru"),
        ),
        ("appendix2", lambda fmt: report_form_file(report, file_format=fmt, language="ru")),
    ):
        book = openpyxl.load_workbook(io.BytesIO(render("xlsx").content))
        shown[label + ".xlsx"] = [
            [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book
        ]
        document = Document(io.BytesIO(render("docx").content))
        shown[label + ".docx"] = [p.text for p in document.paragraphs] + [
            cell.text for table in document.tables for row in table.rows for cell in row.cells
        ]
    return shown


def empty_database() -> None:
    """What `jospar migrate` leaves in a new database: no rows but its own."""
    call_command("flush", interactive=False, verbosity=0)
    add_reference_rows()


def downloads(evidence_ids) -> dict[int, bytes]:
    monitor = User.objects.get(username="form.monitor")
    client = APIClient()
    client.force_login(monitor)
    got = {}
    for pk in evidence_ids:
        response = client.get(f"/api/v1/evidence/{pk}/download/")
        assert response.status_code == 200, pk
        got[pk] = b"".join(response.streaming_content)
    return got


def test_a_backup_restores_the_forms_and_every_file(
    file_storage, settings, tmp_path, request, capsys
):
    report, _monitor = worlds.appendix_report_world(worlds.the_body())
    plan = report.plan
    files = with_evidence(plan)
    before = forms(plan.pk, report.pk)
    assert worlds.LINING in before["appendix1.docx"] and worlds.ADVICE in str(before)
    assert downloads(files) == files
    archive = tmp_path / "jospar.tar.gz"

    call_command("backup", output=str(archive))
    rows = Evidence.objects.count()
    out = capsys.readouterr().out
    assert re.search(rf"Backed up \d+ database rows and {len(files)} files to ", out), out

    empty_database()
    kind = request.node.callspec.params["file_storage"]
    endpoint = request.getfixturevalue("s3_server") if kind == "s3" else ""
    new_storage = use_storage(settings, kind, root=tmp_path / "new-media", endpoint=endpoint)
    assert not Evidence.objects.exists() and not User.objects.exists()
    assert list(walk(new_storage)) == []

    call_command("restore", str(archive))
    out = capsys.readouterr().out
    assert re.search(rf"Restored \d+ database rows and {len(files)} files from ", out), out
    assert Evidence.objects.count() == rows
    assert forms(plan.pk, report.pk) == before
    assert downloads(files) == files

    # New rows take new keys (PostgreSQL's sequences follow the restored rows), history too.
    entry = Evidence.objects.get(pk=min(files)).entry
    executor = User.objects.get(username__startswith="q3.")
    with worlds.at("2026-10-06 10:00"):
        added = monitoring.evidence_add(
            actor=executor, entry=entry, upload=SimpleUploadedFile("more.pdf", PDF)
        )
    assert added.pk > max(files) and added.history.count() == 1
    assert downloads([added.pk]) == {added.pk: PDF}

    # A second restore finds the database in use and says so; --force replaces it.
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(archive))
    call_command("restore", str(archive), force=True)
    assert not Evidence.objects.filter(pk=added.pk).exists()
    assert downloads(files) == files


def test_restore_refuses_a_storage_that_holds_the_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    report, _monitor = worlds.appendix_report_world(worlds.the_body())
    with_evidence(report.plan)
    archive = tmp_path / "jospar.tar.gz"
    call_command("backup", output=str(archive))
    empty_database()
    with pytest.raises(CommandError, match="The file storage already holds evidence/"):
        call_command("restore", str(archive))
    assert not Evidence.objects.exists()  # nothing was loaded
