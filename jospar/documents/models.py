"""A legal form made in the background: what was asked, by whom, how far the worker has got,
and the finished file in the default storage until it expires."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jospar.lib.fields import body_link, link, long_text, optional_link


class ExportKind(models.TextChoices):
    PLAN = "plan", _("operational plan (Appendix 1)")
    REPORT = "report", _("report on the implementation (Appendix 2)")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("waiting for the worker")
    RUNNING = "running", _("being prepared")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")
    EXPIRED = "expired", _("expired")


class ExportStage(models.TextChoices):
    WAITING = "waiting", _("Waiting for the worker")
    READING = "reading", _("Reading the plan")
    LAYOUT = "layout", _("Laying out the file")
    SAVING = "saving", _("Saving the file")
    FINISHED = "finished", _("Finished")


# The share of the work done when a stage begins (typst reports nothing finer).
STAGE_PROGRESS = {
    ExportStage.WAITING: 0,
    ExportStage.READING: 5,
    ExportStage.LAYOUT: 30,
    ExportStage.SAVING: 90,
    ExportStage.FINISHED: 100,
}


def export_path(job: "ExportJob", filename: str) -> str:
    return f"exports/{job.body_id}/{job.pk}/{filename}"


class ExportJob(models.Model):
    BODY_LOOKUP = "body"
    PENDING = (ExportStatus.QUEUED, ExportStatus.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    body = body_link("+")
    requester = link(
        settings.AUTH_USER_MODEL, _("requested by"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("form"), max_length=10, choices=ExportKind.choices)
    plan = link("plans.OperationalPlan", _("plan"), on_delete=models.CASCADE)
    report = optional_link("reports.Report", _("report"), on_delete=models.CASCADE)
    # An approved revision's number, "draft", or empty for the revision in force.
    revision = models.CharField(_("revision"), max_length=10, blank=True)
    file_format = models.CharField(_("format"), max_length=4)
    language = models.CharField(_("language"), max_length=2)
    actions = models.PositiveIntegerField(_("actions"))
    status = models.CharField(
        _("status"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    stage = models.CharField(
        _("stage"), max_length=10, choices=ExportStage.choices, default=ExportStage.WAITING
    )
    progress = models.PositiveSmallIntegerField(_("progress, %"), default=0)
    file = models.FileField(_("file"), upload_to=export_path, max_length=500, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), null=True, blank=True)
    # What went wrong, for the administrator (the requester sees a translated sentence).
    error = long_text(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export job")
        verbose_name_plural = _("export jobs")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.file_format.upper()} · {self.language}"

    @property
    def pending(self) -> bool:
        return self.status in self.PENDING

    @property
    def expired(self) -> bool:
        """Expired, or past its time though the worker has not deleted the file yet."""
        if self.status == ExportStatus.EXPIRED:
            return True
        return (
            self.status == ExportStatus.DONE
            and self.expires_at is not None
            and self.expires_at <= timezone.now()
        )

    @property
    def ready(self) -> bool:
        return self.status == ExportStatus.DONE and not self.expired
