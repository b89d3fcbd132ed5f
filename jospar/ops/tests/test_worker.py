"""`jospar worker` as a deployer runs it: a process of its own on the test database (a copy
in a file for SQLite, whose test database lives in memory), taking a queued export, beating,
and stopping cleanly on SIGTERM. Transactional: the worker sees only what is committed."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from jospar.documents import services
from jospar.documents.models import ExportJob
from jospar.ops.heartbeat import beat, last_beat
from jospar.ops.models import WorkerHeartbeat
from tests.worlds import appendix_plan_world

ROOT = Path(__file__).resolve().parents[3]


class WorkerDatabase:
    """The database the worker process uses: the test database itself on PostgreSQL; on
    SQLite a file that the in-memory test database is copied into, and back afterwards."""

    def __init__(self, tmp_path: Path):
        self.sqlite = connection.vendor == "sqlite"
        self.file = tmp_path / "worker.sqlite3"

    def url(self) -> str:
        if self.sqlite:
            connection.ensure_connection()
            with sqlite3.connect(self.file) as copy:
                connection.connection.backup(copy)
            return f"sqlite:///{self.file}"
        db = connection.settings_dict
        return (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )

    def status(self, job: ExportJob) -> str:
        if not self.sqlite:
            return ExportJob.objects.values_list("status", flat=True).get(pk=job.pk)
        with sqlite3.connect(self.file, timeout=20) as copy:
            query = "SELECT status FROM documents_exportjob WHERE id = ?"
            return copy.execute(query, [job.pk.hex]).fetchone()[0]

    def back(self) -> None:
        if self.sqlite:
            with sqlite3.connect(self.file) as copy:
                copy.backup(connection.connection)


@pytest.mark.django_db(transaction=True)
def test_the_worker_makes_a_queued_export_beats_and_stops_on_sigterm(body, tmp_path, settings):
    settings.EXPORT_BACKGROUND_ACTIONS = 3
    plan, planner = appendix_plan_world(body)
    job = services.export_job_start(actor=planner, plan=plan, file_format="docx", language="en")
    assert last_beat() is None
    database = WorkerDatabase(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="jospar.settings",
        DEBUG="1",
        SECRET_KEY="worker-test",
        DATABASE_URL=database.url(),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        JOSPAR_VAR_DIR=str(tmp_path),
        WORKER_HEARTBEAT_SECONDS="1",
        WORKER_INTERVAL="0.2",
        LANGUAGE_CODE="en",  # its output is read below (the default, ru, is translated)
    )
    worker = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "jospar", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while database.status(job) in ("queued", "running"):
            if worker.poll() is not None:
                pytest.fail(worker.stdout.read())
            assert time.monotonic() < deadline, "the worker did not finish the export in 120 s"
            time.sleep(0.2)
        time.sleep(1.5)  # a beat or two more
    finally:
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    assert worker.returncode == 0, output
    assert "stopped" in output
    database.back()

    job.refresh_from_db()
    assert job.status == "done", job.error
    assert job.filename == "operational-plan-MWR-2026-draft-en.docx"
    assert default_storage.exists(job.file.name)
    heartbeat = WorkerHeartbeat.objects.get()
    assert heartbeat.pid == worker.pid
    assert heartbeat.beat_at > heartbeat.started_at  # it beat again while it ran
    assert timezone.now() - last_beat() < timezone.timedelta(minutes=1)


@pytest.mark.django_db
def test_a_beat_updates_the_workers_row_and_last_beat_is_the_latest(clock):
    first = clock("2026-07-10 10:00")
    beat("host-a:1")
    beat("host-b:2", now=first + timezone.timedelta(seconds=3))
    assert last_beat() == first + timezone.timedelta(seconds=3)
    later = clock("2026-07-10 10:00:30")
    beat("host-a:1")
    row = WorkerHeartbeat.objects.get(worker="host-a:1")
    assert (row.started_at, row.beat_at, last_beat()) == (first, later, later)
    # A worker silent for a week is forgotten at the next beat of any.
    clock("2026-07-18 10:00")
    beat("host-a:1")
    assert list(WorkerHeartbeat.objects.values_list("worker", flat=True)) == ["host-a:1"]


def test_settings_name_the_database_backend():
    assert settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
