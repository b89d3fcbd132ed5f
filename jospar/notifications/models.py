"""What a person is told (a notification in the app), how they want to be told (their
preferences) and the e-mail waiting to be sent (the outbox)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from jospar.lib import fields


class Kind(models.TextChoices):
    PROPOSAL_SIGNED = "proposal_signed", _("proposal signed off")
    PROPOSAL_RETURNED = "proposal_returned", _("proposal returned")
    PLAN_SUBMITTED = "plan_submitted", _("plan submitted for approval")
    PLAN_RETURNED = "plan_returned", _("plan returned")
    PLAN_APPROVED = "plan_approved", _("plan approved")
    SUBMISSION_SIGNED = "submission_signed", _("information signed off")
    SUBMISSION_RETURNED = "submission_returned", _("information returned")
    REPORT_SUBMITTED = "report_submitted", _("report submitted")
    DECISION_RECORDED = "decision_recorded", _("decision recorded")
    DECISION_OVERDUE = "decision_overdue", _("decision overdue")
    UNIT_REMINDED = "unit_reminded", _("reminder from the monitor")


# The text of each kind, filled from the notification's params in the reader's language when it
# is shown (never stored in one language).
TEXTS = {
    Kind.PROPOSAL_SIGNED: _("%(unit)s signed off a proposal for the %(year)s plan: %(name)s"),
    Kind.PROPOSAL_RETURNED: _(
        "Your proposal for the %(year)s plan was returned: %(comment)s (%(name)s)"
    ),
    Kind.PLAN_SUBMITTED: _("The operational plan for %(year)s awaits your approval"),
    Kind.PLAN_RETURNED: _("The operational plan for %(year)s was returned: %(comment)s"),
    Kind.PLAN_APPROVED: _("The operational plan for %(year)s is approved"),
    Kind.SUBMISSION_SIGNED: _(
        "%(unit)s signed off its information for quarter %(quarter)s of %(year)s"
    ),
    Kind.SUBMISSION_RETURNED: _(
        "Your information for quarter %(quarter)s of %(year)s was returned: %(comment)s"
    ),
    Kind.REPORT_SUBMITTED: _("The report on quarter %(quarter)s of %(year)s awaits your decisions"),
    Kind.DECISION_RECORDED: _(
        "A decision on the report on quarter %(quarter)s of %(year)s for %(units)s: %(text)s"
    ),
    Kind.DECISION_OVERDUE: _(
        "Your decision on the report on quarter %(quarter)s of %(year)s was due on %(due)s and "
        "is not carried out: %(text)s"
    ),
    Kind.UNIT_REMINDED: _(
        "%(monitor)s reminds you: the information of %(unit)s for quarter %(quarter)s of "
        "%(year)s is awaited (due on %(date)s)"
    ),
}


class Notification(models.Model):
    recipient = fields.link(
        settings.AUTH_USER_MODEL,
        _("recipient"),
        related_name="notifications",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=500)
    content_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.text

    @property
    def text(self) -> str:
        """The notification's sentence in the active language."""
        template = TEXTS.get(self.kind)
        if template is None:
            return self.kind
        try:
            return str(template) % self.params
        except (KeyError, TypeError, ValueError):
            return self.get_kind_display()

    @property
    def unread(self) -> bool:
        return self.read_at is None


class EmailMode(models.TextChoices):
    IMMEDIATE = "immediate", _("at once")
    DAILY = "daily", _("a daily digest")
    OFF = "off", _("no e-mail")


class Preference(models.Model):
    """How a person wants to be told; a person without a row gets the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        related_name="notification_preference",
        on_delete=models.CASCADE,
    )
    email_mode = models.CharField(
        _("e-mail"), max_length=20, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )
    language = models.CharField(
        _("language of e-mail"), max_length=8, choices=settings.LANGUAGES, blank=True
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return f"{self.user}: {self.email_mode}"

    @property
    def email_language(self) -> str:
        return self.language or settings.LANGUAGE_CODE


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class OutgoingEmail(models.Model):
    """One e-mail of the outbox, written in the transaction of what it tells; the worker sends
    it. `key`, when set, names what the message is for (a user's digest of a day, a reminder of
    an item on a day) so that the database refuses a second one."""

    recipient = fields.link(
        settings.AUTH_USER_MODEL,
        _("recipient"),
        related_name="outgoing_emails",
        null=True,
        on_delete=models.SET_NULL,
    )
    address = models.CharField(_("address"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=8)
    key = models.CharField(_("key"), max_length=200, null=True, blank=True, unique=True)
    subject = models.CharField(_("subject"), max_length=300)
    text = fields.long_text(_("text"))
    html = fields.long_text(_("HTML"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = fields.long_text(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mail")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.address}: {self.subject}"
