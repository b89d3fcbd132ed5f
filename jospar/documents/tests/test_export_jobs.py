"""Large exports in the background: the job is queued by the page or the service, the database
backend's worker loop makes the file into the default storage, only the requester downloads
it, and it expires."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jospar.documents import services
from jospar.documents.models import ExportJob, ExportStage, ExportStatus
from jospar.documents.selectors import export_job_for
from jospar.documents.tests.jobs import run_tasks
from jospar.orgs.models import Role, User
from tests.factories import member
from tests.worlds import appendix_plan_world, appendix_report_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_threshold(settings):
    """Three actions make a large export here (the plan of the tests has four)."""
    settings.EXPORT_BACKGROUND_ACTIONS = 3
    settings.EXPORT_KEEP_HOURS = 2


@pytest.fixture
def world(body):
    return appendix_plan_world(body)


def start(plan, planner, **options):
    return services.export_job_start(
        actor=planner, plan=plan, **({"file_format": "pdf", "language": "en"} | options)
    )


def test_a_job_is_queued_run_by_the_worker_and_stored(world):
    plan, planner = world
    job = start(plan, planner, revision="draft")
    assert (job.status, job.stage, job.actions) == (ExportStatus.QUEUED, ExportStage.WAITING, 4)
    task = DBTaskResult.objects.get()
    assert task.task_path == "jospar.documents.tasks.run_export"
    assert task.args_kwargs["args"] == [str(job.pk)]

    run_tasks()

    job.refresh_from_db()
    assert (job.status, job.stage, job.progress) == (ExportStatus.DONE, ExportStage.FINISHED, 100)
    assert job.filename == "operational-plan-MWR-2026-draft-en.pdf"
    assert job.file.name.startswith(f"exports/{plan.body_id}/{job.pk}/")
    with default_storage.open(job.file.name) as stored:
        content = stored.read()
    assert content.startswith(b"%PDF") and len(content) == job.size
    assert job.expires_at - job.finished_at == dt.timedelta(hours=2)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_the_same_request_still_waiting_is_not_queued_twice(world):
    plan, planner = world
    first = start(plan, planner)
    assert start(plan, planner) == first
    assert start(plan, planner, file_format="docx") != first
    assert DBTaskResult.objects.count() == 2


def test_a_failed_job_says_so_and_the_task_records_the_error(world, monkeypatch):
    plan, planner = world
    job = start(plan, planner, file_format="docx")

    def broken(document):
        raise RuntimeError("the renderer broke")

    monkeypatch.setattr("jospar.documents.render_docx.render_docx", broken)
    run_tasks()
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert job.error == "RuntimeError: the renderer broke"
    assert not job.file
    assert DBTaskResult.objects.get().status == "FAILED"


def test_a_revision_gone_before_the_worker_came_fails_the_job_only(world):
    plan, planner = world
    job = start(plan, planner)
    ExportJob.objects.filter(pk=job.pk).update(revision="7")
    run_tasks()
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert "no revision 7" in job.error
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"  # an expected refusal


def test_finished_files_expire_and_their_download_answers_410(world, client):
    plan, planner = world
    job = start(plan, planner)
    run_tasks()
    job.refresh_from_db()
    name = job.file.name
    assert default_storage.exists(name)
    client.force_login(planner)
    url = reverse("documents:export_job_file", args=[plan.body_id, job.pk])
    assert client.get(url).status_code == 200

    assert services.export_jobs_expire(job.expires_at - dt.timedelta(seconds=1)) == 0
    # Past its time the download is gone at once, before the worker deletes the file...
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())
    response = client.get(url)
    assert response.status_code == 410
    assert "has been deleted" in response.content.decode()
    # ...which it does at its next round.
    assert services.export_jobs_expire() == 1
    job.refresh_from_db()
    assert job.status == ExportStatus.EXPIRED and not job.file
    assert not default_storage.exists(name)
    assert client.get(url).status_code == 410


def test_a_job_whose_worker_stopped_is_failed_after_the_set_time(world, client, settings):
    plan, planner = world
    settings.EXPORT_RUNNING_MINUTES = 30
    job = start(plan, planner)
    started = timezone.now() - dt.timedelta(minutes=29)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, started_at=started)
    services.export_jobs_expire()
    job.refresh_from_db()
    assert job.status == ExportStatus.RUNNING  # still within its time
    services.export_jobs_expire(started + dt.timedelta(minutes=30))
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "worker stopped" in job.error
    client.force_login(planner)
    page = client.get(reverse("documents:export_job", args=[plan.body_id, job.pk]))
    assert "could not be prepared" in page.content.decode()


def test_only_the_requester_sees_the_job(world, client, outsider):
    plan, planner = world
    job = start(plan, planner)
    run_tasks()
    colleague = member(plan.body, Role.PLANNER, username="colleague")
    for stranger in (colleague, outsider):
        client.force_login(stranger)
        for name in ("export_job", "export_job_file"):
            url = reverse(f"documents:{name}", args=[plan.body_id, job.pk])
            assert client.get(url).status_code == 404, (stranger, name)
    # A requester who lost the right to export from the body loses the job too.
    assert export_job_for(planner, job.pk) == job
    planner.roles.all().delete()
    with pytest.raises(Http404):
        export_job_for(User.objects.get(pk=planner.pk), job.pk)


def test_the_report_job_is_for_the_body_wide_roles(body, client):
    report, monitor = appendix_report_world(body)
    job = services.export_job_start(actor=monitor, report=report, file_format="pdf", language="en")
    assert job.actions == report.rows.count() > 3
    run_tasks()
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert job.filename == "report-MWR-2026-q2-en.pdf"
    client.force_login(monitor)
    response = client.get(reverse("documents:export_job_file", args=[body.pk, job.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# --- the pages -------------------------------------------------------------------------------


def test_the_page_posts_a_large_pdf_to_the_worker_and_shows_the_job(world, client):
    plan, planner = world
    client.force_login(planner)
    page = client.get(reverse("documents:plan_export", args=[plan.body_id, plan.pk]))
    html = page.content.decode()
    assert 'method="post"' in html and "prepared in the background" in html

    url = reverse("documents:plan_export_file", args=[plan.body_id, plan.pk])
    response = client.post(url, {"revision": "draft", "format": "pdf", "lang": "en"})
    job = ExportJob.objects.get()
    job_url = reverse("documents:export_job", args=[plan.body_id, job.pk])
    assert (response.status_code, response["Location"]) == (303, job_url)
    assert job.requester == planner

    waiting = client.get(job_url).content.decode()
    assert 'hx-trigger="every 2s"' in waiting and "Waiting for the worker" in waiting
    run_tasks()
    fragment = client.get(job_url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-get" not in fragment and "<html" not in fragment
    assert "operational-plan-MWR-2026-draft-en.pdf" in fragment
    download = client.get(reverse("documents:export_job_file", args=[plan.body_id, job.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_large_xlsx_and_a_link_to_a_large_pdf_stay_immediate_or_ask(world, client):
    plan, planner = world
    client.force_login(planner)
    url = reverse("documents:plan_export_file", args=[plan.body_id, plan.pk])
    xlsx = client.post(url, {"revision": "draft", "format": "xlsx", "lang": "en"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].endswith("sheet")
    link = client.get(url, {"format": "pdf", "lang": "en"})
    assert link.status_code == 200 and "prepared in the background" in link.content.decode()
    assert not ExportJob.objects.exists()


def test_a_failed_job_page_says_so_in_the_users_language(world, client):
    plan, planner = world
    job = start(plan, planner)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, error="x")
    client.force_login(planner)
    url = reverse("documents:export_job", args=[plan.body_id, job.pk])
    html = client.get(url, headers={"Accept-Language": "en"}).content.decode()
    assert "could not be prepared" in html


def test_the_job_page_costs_a_fixed_number_of_queries(world, client):
    plan, planner = world
    job = start(plan, planner)
    client.force_login(planner)
    url = reverse("documents:export_job", args=[plan.body_id, job.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as waiting:
        client.get(url)
    run_tasks()
    with CaptureQueriesContext(connection) as done:
        client.get(url)
    assert len(waiting) == len(done) <= 12, [q["sql"] for q in done]


def test_small_exports_stay_immediate(world, client, settings):
    settings.EXPORT_BACKGROUND_ACTIONS = 300
    plan, planner = world
    client.force_login(planner)
    url = reverse("documents:plan_export_file", args=[plan.body_id, plan.pk])
    response = client.get(url, {"format": "pdf", "lang": "en"})
    assert response["Content-Type"] == "application/pdf"
    assert not ExportJob.objects.exists() and not DBTaskResult.objects.exists()


# --- the API ---------------------------------------------------------------------------------


def test_the_api_answers_202_with_the_job_to_poll_then_the_file(world, api, outsider):
    plan, planner = world
    client = api(planner)
    response = client.get(f"/api/v1/plan-forms/{plan.pk}/", {"format": "pdf", "lang": "en"})
    assert response.status_code == 202
    job = ExportJob.objects.get()
    assert response["Location"] == f"http://testserver/api/v1/export-jobs/{job.pk}/"
    assert response.json()["status"] == "queued"
    assert response.json()["download_url"] is None
    early = client.get(f"/api/v1/export-jobs/{job.pk}/file/")
    assert early.status_code == 409 and early.json()["status"] == "queued"

    run_tasks()
    polled = client.get(response["Location"]).json()
    assert (polled["status"], polled["progress"], polled["stage"]) == ("done", 100, "finished")
    assert polled["download_url"] == f"http://testserver/api/v1/export-jobs/{job.pk}/file/"
    download = client.get(polled["download_url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")

    assert api(outsider).get(response["Location"]).status_code == 404
    assert api(outsider).get(polled["download_url"]).status_code == 404
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())
    gone = client.get(polled["download_url"])
    assert gone.status_code == 410 and "expired" in gone.json()["message"]


def test_the_api_gives_a_small_or_xlsx_form_at_once(world, api):
    plan, planner = world
    client = api(planner)
    xlsx = client.get(f"/api/v1/plan-forms/{plan.pk}/", {"format": "xlsx", "lang": "en"})
    assert xlsx.status_code == 200 and xlsx["Content-Type"].endswith("sheet")
    wrong = client.get(f"/api/v1/plan-forms/{plan.pk}/", {"format": "pdf", "revision": "9"})
    assert wrong.status_code == 400 and "revision" in wrong.json()
    assert not ExportJob.objects.exists()


def test_the_api_queues_a_large_report(body, api):
    report, monitor = appendix_report_world(body)
    response = api(monitor).get(f"/api/v1/report-forms/{report.pk}/", {"format": "docx"})
    assert response.status_code == 202
    assert response.json()["kind"] == "report" and response.json()["file_format"] == "docx"
