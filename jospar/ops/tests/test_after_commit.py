"""A save that committed is answered as saved even if the database goes away right after the
commit: the answer is built inside the save's transaction (jospar.api.base.AtomicWrites, the
autosave views), so no read after the commit can turn it into an error."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from jospar.accounts.services import token_issue
from jospar.monitoring import services as monitoring
from jospar.monitoring.models import Evidence, ProgressEntry
from jospar.ops.tests.faults import down_after_commit
from jospar.orgs.models import Role, Unit
from tests.factories import member
from tests.worlds import monitoring_world

pytestmark = pytest.mark.django_db(transaction=True)  # real commits

Q1 = dt.date(2026, 2, 16)


@pytest.fixture
def world(reference_rows, clock):
    world = monitoring_world()
    clock(Q1)
    return world


def token_client(user) -> APIClient:
    """An API client as a program uses it: a token, no session."""
    _token, key = token_issue(user=user, name="test")
    return APIClient(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")


def test_the_simulated_fault_does_fail_a_read_after_the_commit(world):
    """Without the fix a save and a later read fail so: the fault is real."""
    submission = world.open(1)
    action = world.actions["q1"]
    with down_after_commit() as state, pytest.raises(OperationalError):
        monitoring.entry_save(
            actor=world.executor,
            submission=submission,
            action_id=action.pk,
            status="executed",
            actual="Saved, then read",
            reasons="",
            version=0,
        )
        assert state["commits"] == 1
        ProgressEntry.objects.get(submission=submission, action=action)
    assert ProgressEntry.objects.get(submission=submission, action=action).actual == (
        "Saved, then read"
    )


def test_an_entry_saved_through_the_api_is_answered_as_saved(world):
    submission = world.open(1)
    client = token_client(world.executor)
    action = world.actions["q1"]
    payload = {"action": action.pk, "status": "executed", "actual": "Lined 12 km", "version": 0}
    with down_after_commit() as state:
        response = client.post(
            f"/api/v1/submissions/{submission.pk}/entries/", payload, format="json"
        )
    assert state["commits"] == 1
    assert response.status_code == 200, response.content
    assert response.json()["actual"] == "Lined 12 km"
    assert response.json()["version"] == 1
    assert ProgressEntry.objects.get(submission=submission, action=action).actual == "Lined 12 km"


def test_a_create_and_a_change_through_a_service_viewset_are_answered_as_saved(world):
    admin = member(world.body, Role.ADMINISTRATOR, username="unitadmin")
    client = token_client(admin)
    with down_after_commit() as state:
        created = client.post(
            "/api/v1/units/",
            {
                "body": world.body.pk,
                "code": "D9",
                "name": "Department of dams",
                "head_name": "Abenov B.",
            },
            format="json",
        )
    assert state["commits"] == 1
    assert created.status_code == 201, created.content
    assert created.json()["name"] == "Department of dams"
    unit = Unit.objects.get(pk=created.json()["id"])
    with down_after_commit() as state:
        changed = client.patch(
            f"/api/v1/units/{unit.pk}/", {"name": "Department of reservoirs"}, format="json"
        )
    assert state["commits"] == 1
    assert changed.status_code == 200, changed.content
    assert changed.json()["name"] == "Department of reservoirs"
    unit.refresh_from_db()
    assert unit.name == "Department of reservoirs"


def test_a_refused_write_commits_nothing(world):
    """An answer of 400 or more rolls its transaction back: what the view did is undone."""
    admin = member(world.body, Role.ADMINISTRATOR, username="unitadmin")
    response = token_client(admin).post(
        "/api/v1/units/", {"body": world.body.pk, "code": "", "name": ""}, format="json"
    )
    assert response.status_code == 400
    assert not Unit.objects.filter(body=world.body, name="").exists()


def test_the_pages_autosave_of_an_entry_is_answered_as_saved(world):
    submission = world.open(1)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.executor)
    client.get(
        reverse("monitoring:submission", args=[world.body.pk, world.plan.pk, 1, world.unit.pk])
    )
    url = reverse(
        "monitoring:entry_save",
        args=[world.body.pk, world.plan.pk, 1, world.unit.pk, world.actions["q1"].pk],
    )
    with down_after_commit() as state:
        response = client.post(
            url,
            {"version": "0", "status": "executed", "actual": "Typed on the page"},
            HTTP_HX_REQUEST="true",
        )
    assert state["commits"] == 1
    assert response.status_code == 200, response.content
    page = response.content.decode()
    assert 'value="1"' in page and "saved at" in page
    entry = ProgressEntry.objects.get(submission=submission, action=world.actions["q1"])
    assert entry.actual == "Typed on the page"


def test_the_pages_evidence_upload_lists_the_files_from_its_transaction(world):
    """The answer lists the entry's files: a read that, after the commit, would fail."""
    submission = world.open(1)
    world.fill(submission)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world.executor)
    args = [world.body.pk, world.plan.pk, 1, world.unit.pk]
    client.get(reverse("monitoring:submission", args=args))
    url = reverse("monitoring:evidence_upload", args=[*args, world.actions["q1"].pk])
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    upload = SimpleUploadedFile("act.pdf", pdf, content_type="application/pdf")
    with down_after_commit() as state:
        response = client.post(url, {"file": upload}, HTTP_HX_REQUEST="true")
    assert state["commits"] == 1
    assert response.status_code == 200, response.content
    assert "act.pdf" in response.content.decode()
    assert Evidence.objects.filter(entry__submission=submission).count() == 1
