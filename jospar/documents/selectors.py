"""Reading export jobs: only the person who asked for one sees it, and only while they may
still export what it is of (the export pages' own checks)."""

from django.http import Http404

from jospar.documents.models import ExportJob, ExportKind
from jospar.orgs.policy import Perm, can
from jospar.orgs.visibility import sees_all
from jospar.reports.models import Report


def may_export(user, job: ExportJob) -> bool:
    """As the export pages decide: the plan for whoever may view it, the report for the
    body-wide roles."""
    if not can(user, Perm.VIEW, job.body):
        return False
    if job.kind == ExportKind.REPORT:
        return sees_all(user, Report, job.body_id) and can(user, Perm.VIEW, job.report)
    return can(user, Perm.VIEW, job.plan)


def export_job_for(user, job_id, *, body_id: int | None = None) -> ExportJob:
    """The user's own job (of `body_id` when given), else Http404."""
    job = (
        ExportJob.objects.select_related("body", "plan__body", "report__plan__body")
        .filter(pk=job_id, requester_id=user.pk)
        .first()
    )
    if job is None or (body_id is not None and job.body_id != body_id):
        raise Http404
    if not may_export(user, job):
        raise Http404
    return job
