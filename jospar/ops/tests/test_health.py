"""/health/ for a load balancer: 200 when the database answers, every migration is applied
and the file storage takes a file; 503 naming the failed check otherwise; no login, any Host.
A worker's heartbeat that is missing or old is a warning in a 200."""

import datetime as dt
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client, override_settings

CHECKS = {
    "Database(alias='default')",
    "Migrations(alias='default')",
    "Storage(alias='default')",
    "Worker()",
}


@pytest.fixture(autouse=True)
def worker_beat():
    """The last heartbeat the Worker check reads (a worker beat a second ago unless a test
    sets it). The check reads it in a thread of its own, which would not see a row written in
    the test's transaction, so the read is replaced here."""
    beats = {"last": dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)}
    with mock.patch("jospar.ops.heartbeat.last_beat", side_effect=lambda: beats["last"]):
        yield beats


def health(**headers):
    return Client().get("/health/", HTTP_ACCEPT="application/json", **headers)


@pytest.mark.django_db
def test_healthy_it_answers_200_with_every_check_without_a_login_by_any_host():
    # A load balancer asks by the server's address, which ALLOWED_HOSTS need not list.
    with override_settings(ALLOWED_HOSTS=["jospar.example.kz"], SECURE_SSL_REDIRECT=True):
        response = health(HTTP_HOST="10.0.0.7:8000")
    assert response.status_code == 200, response.content
    assert response.json() == dict.fromkeys(CHECKS, "OK")
    assert "no-cache" in response["Cache-Control"]
    # Any other page still checks the host.
    with override_settings(ALLOWED_HOSTS=["jospar.example.kz"]):
        assert Client().get("/accounts/login/", HTTP_HOST="10.0.0.7").status_code == 400


@pytest.mark.django_db
def test_the_page_form_has_no_inline_style_and_text_is_plain():
    page = Client().get("/health/", HTTP_ACCEPT="text/html")
    assert page.status_code == 200
    assert "<style" not in page.content.decode() and " style=" not in page.content.decode()
    text = Client().get("/health/", HTTP_ACCEPT="text/plain")
    assert text.status_code == 200
    assert "Storage(alias='default'): OK" in text.content.decode()


@pytest.mark.django_db
def test_an_unreachable_database_is_a_503_that_leaks_no_detail():
    error = OperationalError(
        'connection failed: connection to server at "db.internal", port 5432 failed: '
        'password authentication failed for user "jospar"'
    )
    target = "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection"
    with mock.patch(target, side_effect=error):
        response = health()
    assert response.status_code == 503
    data = response.json()
    assert data["Database(alias='default')"] == "Unavailable: connection failed"
    assert data["Migrations(alias='default')"] == "Unavailable: Database unreachable"
    assert data["Storage(alias='default')"] == "OK"
    assert "db.internal" not in response.content.decode()
    assert "jospar" not in response.content.decode()


@pytest.mark.django_db
def test_a_storage_that_takes_no_file_is_a_503(tmp_path):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    storages = {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(not_a_folder)},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        response = health()
    assert response.status_code == 503
    assert response.json()["Storage(alias='default')"] != "OK"
    assert str(tmp_path) not in response.content.decode()


@pytest.mark.django_db(transaction=True)  # the check reads the migrations from another thread
def test_an_unapplied_migration_is_a_503():
    recorder = MigrationRecorder(connection)
    app, name = (
        recorder.migration_qs.filter(app="orgs").order_by("-id").values_list("app", "name")[0]
    )
    recorder.record_unapplied(app, name)
    try:
        response = health()
    finally:
        recorder.record_applied(app, name)
    assert response.status_code == 503
    assert (
        response.json()["Migrations(alias='default')"] == "Unavailable: migrations not applied: 1"
    )
    assert health().status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("last", "warning"),
    [
        (None, "Warning: no worker has run yet"),
        (dt.timedelta(seconds=300), "Warning: the last heartbeat of a worker was 300 s ago"),
    ],
)
def test_a_silent_worker_is_a_warning_that_keeps_the_answer_200(worker_beat, last, warning):
    worker_beat["last"] = last and dt.datetime.now(dt.UTC) - last
    with override_settings(WORKER_HEALTH_SECONDS=60):
        response = health()
    assert response.status_code == 200
    assert response.json()["Worker()"] == warning
    assert response.json()["Database(alias='default')"] == "OK"


@pytest.mark.django_db
def test_a_worker_warning_beside_a_failure_is_still_a_503(worker_beat, tmp_path):
    worker_beat["last"] = None
    target = "django.db.backends.base.base.BaseDatabaseWrapper.ensure_connection"
    with mock.patch(target, side_effect=OperationalError("down")):
        response = health()
    assert response.status_code == 503
    assert response.json()["Worker()"] == "Unavailable: Database unreachable"
