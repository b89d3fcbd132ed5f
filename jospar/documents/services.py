"""Exports in the background: a large PDF or DOCX form becomes an ExportJob that the worker
(`jospar worker`) runs; the file goes to the default storage and is deleted after
EXPORT_KEEP_HOURS. Small exports, XLSX and the console commands stay immediate
(jospar.documents.appendices)."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from jospar.documents.appendices import (
    ExportError,
    plan_form,
    plan_revision,
    render,
    report_form,
)
from jospar.documents.models import (
    STAGE_PROGRESS,
    ExportJob,
    ExportKind,
    ExportStage,
    ExportStatus,
)
from jospar.lib.fields import TEXT_LIMIT
from jospar.lib.languages import OFFICIAL, lacking_counts
from jospar.plans.checks import missing_texts
from jospar.plans.models import OperationalPlan, RevisionAction, RevisionHeading
from jospar.plans.selectors import plan_layout
from jospar.reports.models import Report

logger = logging.getLogger(__name__)

BACKGROUND_FORMATS = ("pdf", "docx")


def export_size(
    *, plan: OperationalPlan | None = None, revision=None, report: Report | None = None
) -> int:
    """How many actions the form lists: the report's rows, or the actions of the plan's
    revision (`revision` as plan_revision takes it; the working draft's actions for "draft"
    before approval). An unknown revision is an ExportError."""
    if report is not None:
        return report.rows.count()
    frozen = plan_revision(plan, revision)
    return frozen.actions.count() if frozen is not None else plan.actions.count()


def fallbacks(*, plan: OperationalPlan | None = None, report: Report | None = None) -> dict:
    """For each official language, how many texts of the form (the actions' names and the
    headings) it prints in another language because they lack that one: for a revision (the
    one in force, or the report's) its frozen rows, for a working copy its layout."""
    counts = dict.fromkeys(OFFICIAL, 0)
    if report is not None:
        revision = report.revision
        actions = RevisionAction.objects.filter(
            revision=revision, action__in=report.rows.values("action")
        )
    else:
        revision = plan_revision(plan, None)
        actions = revision.actions.all() if revision is not None else None
    if revision is None:
        for problem in missing_texts(plan_layout(plan, live=True)):
            counts[problem.language] += problem.count
        return counts
    for queryset in (actions, RevisionHeading.objects.filter(revision=revision)):
        for language, n in lacking_counts(queryset).items():
            counts[language] += n
    return counts


def in_background(file_format: str, actions: int) -> bool:
    """Whether a form of `actions` actions in `file_format` is made by the worker."""
    return file_format in BACKGROUND_FORMATS and actions > settings.EXPORT_BACKGROUND_ACTIONS


def export_job_start(
    *,
    actor,
    plan: OperationalPlan | None = None,
    report: Report | None = None,
    revision: str | int | None = None,
    file_format: str,
    language: str,
) -> ExportJob:
    """Queue the form of `plan` (Appendix 1, at `revision`) or of `report` (Appendix 2) for the
    worker; the caller has checked that `actor` may export it. The same request of the same
    person still waiting or running is returned instead of a second job."""
    from jospar.documents.tasks import run_export

    plan = report.plan if report is not None else plan
    revision = "" if report is not None or revision in (None, "") else str(revision)
    actions = export_size(plan=plan, revision=revision or None, report=report)
    wanted = {
        "body_id": plan.body_id,
        "requester": actor,
        "kind": ExportKind.REPORT if report is not None else ExportKind.PLAN,
        "plan": plan,
        "report": report,
        "revision": revision,
        "file_format": file_format,
        "language": language,
    }
    with transaction.atomic():
        waiting = ExportJob.objects.filter(status__in=ExportJob.PENDING, **wanted).first()
        if waiting is not None:
            return waiting
        job = ExportJob.objects.create(actions=actions, **wanted)
        # In the same transaction: the worker sees the task only with its job.
        run_export.enqueue(str(job.pk))
    return job


def _stage(job: ExportJob, stage: ExportStage, **fields) -> None:
    job.stage, job.progress = stage, STAGE_PROGRESS[stage]
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["stage", "progress", *fields])


def export_job_run(job_id: str) -> ExportJob:
    """Make the job's file (the worker's task). An ExportError (the revision gone since) or
    any other failure marks the job failed; the latter is raised again for the task's log."""
    export_jobs_expire()
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update(of=("self",))
            .select_related("plan", "report")
            .filter(pk=job_id)
            .first()
        )
        if job is None or job.status != ExportStatus.QUEUED:
            return job  # deleted with its plan, or run already
        job.status = ExportStatus.RUNNING
        _stage(job, ExportStage.READING, status=job.status, started_at=timezone.now())
    try:
        if job.kind == ExportKind.REPORT:
            document = report_form(job.report, job.language)
        else:
            document = plan_form(job.plan, plan_revision(job.plan, job.revision), job.language)
        _stage(job, ExportStage.LAYOUT)
        file = render(document, job.file_format)
        _stage(job, ExportStage.SAVING)
        job.file.save(file.filename, ContentFile(file.content), save=False)
        now = timezone.now()
        _stage(
            job,
            ExportStage.FINISHED,
            file=job.file.name,
            filename=file.filename,
            content_type=file.content_type,
            size=len(file.content),
            status=ExportStatus.DONE,
            finished_at=now,
            expires_at=now + dt.timedelta(hours=settings.EXPORT_KEEP_HOURS),
        )
    except Exception as error:
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:TEXT_LIMIT].replace("\x00", ""),
            finished_at=timezone.now(),
        )
        job.refresh_from_db()
        if not isinstance(error, ExportError):
            raise
    return job


def export_jobs_expire(now: dt.datetime | None = None) -> int:
    """Delete the files of the finished jobs past their time and mark them expired; how many.
    The worker runs it every minute and before each export. A job still "running"
    EXPORT_RUNNING_MINUTES after it started lost its worker (killed, or its machine gone): it is
    marked failed, so that its page says so instead of waiting for ever."""
    now = now or timezone.now()
    abandoned = ExportJob.objects.filter(
        status=ExportStatus.RUNNING,
        started_at__lte=now - dt.timedelta(minutes=settings.EXPORT_RUNNING_MINUTES),
    ).update(
        status=ExportStatus.FAILED,
        error="The worker stopped before the file was made.",
        finished_at=now,
    )
    if abandoned:
        logger.warning("Marked %s exports failed: their worker stopped", abandoned)
    expired = 0
    for job in ExportJob.objects.filter(status=ExportStatus.DONE, expires_at__lte=now):
        if job.file:
            job.file.delete(save=False)  # the storage's delete: missing is not an error
        job.status = ExportStatus.EXPIRED
        job.save(update_fields=["status", "file"])
        expired += 1
    if expired:
        logger.info("Deleted the files of %s expired exports", expired)
    return expired
