"""The background tasks of the legal forms (django-tasks; `jospar worker` runs them)."""

from django_tasks import task


@task()
def run_export(job_id: str) -> str:
    """Make an ExportJob's file; the job's status as the task's result."""
    from jospar.documents.services import export_job_run

    job = export_job_run(job_id)
    return job.status if job is not None else "gone"
