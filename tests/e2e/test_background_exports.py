"""A large export made by the worker: the planner asks for the plan as PDF, the job page shows
it waiting, then (a worker running in a thread of this process, django-tasks-db's own loop)
follows its progress by itself and offers the file, which downloads."""

import threading

import pytest
from django.db import connection
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import expect

from jospar.documents.models import ExportJob
from tests import serial
from tests.worlds import appendix_plan_world


@pytest.fixture
def worker(transactional_db):
    """Start the worker in a thread; it stops when the test ends.

    On SQLite the thread's connection and the live server's share one in-memory database in
    shared-cache mode, where a read meeting another connection's write fails at once ("database
    table is locked") instead of waiting. So the thread runs django-tasks-db's own loop in batch
    mode (every waiting task, then back) while it holds the lock the test settings' middleware
    takes for each request, and sleeps without it."""
    loop = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="e2e-worker",
        excluded_queue_names=[],
    )
    stop = threading.Event()

    def run():
        try:
            while not stop.is_set():
                with serial.LOCK:
                    loop.run()
                stop.wait(0.2)
        finally:
            connection.close()

    thread = threading.Thread(target=run, daemon=True)
    yield thread.start
    stop.set()
    thread.join(timeout=60)


def test_the_planner_gets_a_large_plan_as_pdf_from_the_worker(
    page, login, transactional_db, body, settings, worker
):
    settings.EXPORT_BACKGROUND_ACTIONS = 3  # the plan has four actions
    plan, planner = appendix_plan_world(body)
    login(planner)
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="Download the form (XLSX, DOCX, PDF)").click()
    expect(page.get_by_text("prepared in the background")).to_be_visible()
    page.get_by_label("English").check()
    page.get_by_label("PDF").check()
    page.get_by_role("button", name="Prepare the file").click()

    status = page.locator("#export-job")
    expect(status).to_have_attribute("data-status", "queued")
    expect(status).to_contain_text("Waiting for the worker")
    job = ExportJob.objects.get()
    assert page.url.endswith(f"/bodies/{body.pk}/exports/{job.pk}/")

    worker()  # the page asks again by itself until the file is ready
    expect(status).to_have_attribute("data-status", "done", timeout=60_000)
    expect(status).to_contain_text("The file is ready.")
    link = page.get_by_role("link", name="Download operational-plan-MWR-2026-draft-en.pdf")
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "operational-plan-MWR-2026-draft-en.pdf"
    assert download.path().read_bytes().startswith(b"%PDF")
