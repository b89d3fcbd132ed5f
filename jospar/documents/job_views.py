"""The page of an export job (a large form the worker makes): its status, polled with HTMX
while it waits or runs, the download when it is ready, a message when it failed or expired.
Only the person who asked for it sees it (jospar.documents.selectors)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _

from jospar.documents.export_views import see_other
from jospar.documents.models import ExportJob, ExportKind
from jospar.documents.selectors import export_job_for
from jospar.lib.views import body_for

# How often the page asks again while the job waits or runs.
POLL_SECONDS = 2


def urlpatterns(prefix: str) -> list:
    return [
        path(prefix + "exports/<uuid:job_id>/", export_job, name="export_job"),
        path(prefix + "exports/<uuid:job_id>/file/", export_job_file, name="export_job_file"),
    ]


def export_page_url(job: ExportJob) -> str:
    """The export page the job was asked from, to ask again."""
    if job.kind == ExportKind.REPORT:
        return reverse(
            "documents:report_export", args=[job.body_id, job.plan_id, job.report.quarter]
        )
    return reverse("documents:plan_export", args=[job.body_id, job.plan_id])


def _context(job: ExportJob) -> dict:
    return {
        "job": job,
        "body": job.body,
        "subject": job.report if job.kind == ExportKind.REPORT else job.plan,
        "again_url": export_page_url(job),
        "poll_seconds": POLL_SECONDS,
    }


@login_required
def export_job(request: HttpRequest, body_id: int, job_id) -> HttpResponse:
    body_for(request, body_id)
    job = export_job_for(request.user, job_id, body_id=body_id)
    template = "documents/export_job_status.html"
    if not request.headers.get("HX-Request"):
        template = "documents/export_job.html"
    return render(request, template, _context(job))


@login_required
def export_job_file(request: HttpRequest, body_id: int, job_id) -> HttpResponse:
    """The finished file from the storage, streamed; an expired one is gone (410)."""
    body_for(request, body_id)
    job = export_job_for(request.user, job_id, body_id=body_id)
    if job.expired:
        context = _context(job) | {"title": _("The file has expired")}
        return render(request, "documents/export_job.html", context, status=410)
    if not job.ready:
        return see_other(reverse("documents:export_job", args=[body_id, job.pk]))
    return job_file_response(job)


def job_file_response(job: ExportJob) -> FileResponse:
    response = FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=job.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
