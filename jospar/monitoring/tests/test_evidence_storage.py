"""Evidence files go through Django's storage API, whichever storage is configured: each test
runs on the local file system and on a local S3-compatible server (moto) that the suite starts
on a loopback port (`file_storage` in conftest.py). Upload, download and deletion go through the
real pages and API."""

import datetime as dt

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from jospar.monitoring import services
from jospar.monitoring.models import Evidence
from tests.worlds import monitoring_world, shared_world

world_once, world = shared_world(monitoring_world)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("world")]

Q1 = dt.date(2026, 2, 16)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
# larger than one read of the response, so that the download really streams
BIG_PDF = PDF.replace(b"trailer", b"% padding\n" * 20000 + b"trailer")


@pytest.fixture
def submission(world, clock):
    clock(Q1)
    submission = world.open(1)
    services.entry_save(
        actor=world.executor,
        submission=submission,
        action_id=world.actions["q1"].pk,
        status="executed",
        actual="Done",
        reasons="",
        version=0,
    )
    return submission


def login(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def urls(submission, **ids) -> dict:
    where = {
        "body_id": submission.plan.body_id,
        "plan_id": submission.plan_id,
        "quarter": submission.quarter,
        "unit_id": submission.unit_id,
    }
    return {name: reverse(f"monitoring:{name}", kwargs=where | ids) for name in ids.pop("names")}


def objects_in(storage) -> list[str]:
    """The keys of the bucket behind an S3 storage, read with boto3 directly."""
    client = boto3.client(
        "s3",
        endpoint_url=storage.endpoint_url,
        aws_access_key_id=storage.access_key,
        aws_secret_access_key=storage.secret_key,
        region_name=storage.region_name,
    )
    listing = client.list_objects_v2(Bucket=storage.bucket_name)
    return [item["Key"] for item in listing.get("Contents", [])]


def test_evidence_is_uploaded_downloaded_and_deleted_in_the_configured_storage(
    world, submission, file_storage, tmp_path, api, django_capture_on_commit_callbacks
):
    executor = login(world.executor)
    action = world.actions["q1"]
    upload_url = urls(submission, action_id=action.pk, names=["evidence_upload"])
    response = executor.post(
        upload_url["evidence_upload"], {"file": SimpleUploadedFile("act.pdf", BIG_PDF)}
    )
    assert response.status_code == 200, response.content
    evidence = Evidence.objects.get(entry__submission=submission)
    name = evidence.file.name
    assert file_storage.exists(name) and file_storage.size(name) == len(BIG_PDF)
    if hasattr(file_storage, "bucket_name"):
        # in the bucket under the media prefix, and nothing on the local disk
        assert objects_in(file_storage) == [f"media/{name}"]
        assert not (tmp_path / "media").exists()
    else:
        assert (tmp_path / "media" / name).read_bytes() == BIG_PDF

    page = urls(submission, evidence_id=evidence.pk, names=["evidence", "evidence_delete"])
    download = executor.get(page["evidence"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == BIG_PDF
    assert download["Content-Disposition"] == 'attachment; filename="act.pdf"'
    through_api = api(world.monitor).get(f"/api/v1/evidence/{evidence.pk}/download/")
    assert through_api.status_code == 200
    assert b"".join(through_api.streaming_content) == BIG_PDF

    with django_capture_on_commit_callbacks(execute=True):
        deleted = executor.post(page["evidence_delete"])
    assert deleted.status_code == 200
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert not file_storage.exists(name)
    if hasattr(file_storage, "bucket_name"):
        assert objects_in(file_storage) == []
    assert executor.get(page["evidence"]).status_code == 404


def test_a_row_whose_file_the_storage_lacks_answers_not_found(world, submission, file_storage, api):
    """A database restored without its files: the download says so, it is no server error."""
    entry = submission.entries.get()
    evidence = services.evidence_add(
        actor=world.executor, entry=entry, upload=SimpleUploadedFile("act.pdf", PDF)
    )
    file_storage.delete(evidence.file.name)
    page = urls(submission, evidence_id=evidence.pk, names=["evidence"])
    assert login(world.executor).get(page["evidence"]).status_code == 404
    response = api(world.monitor).get(f"/api/v1/evidence/{evidence.pk}/download/")
    assert response.status_code == 404
    assert "missing from the file storage" in response.json()["detail"]
