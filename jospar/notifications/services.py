"""Telling people: `notify` writes the notifications of a state change (and the e-mail of those
who want it at once) in the transaction of the change; the worker sends the outbox
(`outbox_send_due`) and the daily digests (`digests_queue`)."""

import datetime as dt
import logging
import smtplib
from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jospar.notifications.models import (
    EmailMode,
    EmailStatus,
    Notification,
    OutgoingEmail,
    Preference,
)
from jospar.orgs.models import User

logger = logging.getLogger("jospar.notifications")

# A message the SMTP server did not take is tried again after 1, 2, 4, … minutes (at most
# BACKOFF_MAX apart); after MAX_ATTEMPTS it is left failed with the last reason.
BACKOFF_MAX = dt.timedelta(hours=6)
MAX_ATTEMPTS = 12
BATCH = 100
DIGEST_ITEMS = 20  # the notifications a digest lists; the page has them all


def holders(body_id: int, roles, units=None):
    """The active people who hold one of `roles` in the body (for one of `units`, when given):
    one query."""
    users = User.objects.filter(is_active=True, roles__body_id=body_id, roles__role__in=list(roles))
    if units is not None:
        users = users.filter(roles__unit__in=list(units))
    return users.distinct()


def preferences_of(users) -> dict[int, Preference]:
    """Each user's preference (the defaults for those without a row), one query."""
    ids = [user.pk for user in users]
    found = {p.user_id: p for p in Preference.objects.filter(user_id__in=ids)}
    return {pk: found.get(pk) or Preference(user_id=pk) for pk in ids}


def site_link(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def notify(*, kind: str, recipients, about=None, link: str, params: dict, actor=None) -> int:
    """Notify `recipients` (a queryset or list of users; the actor is left out) that `kind`
    happened to `about`, and queue the e-mail of those who want it at once. A constant number
    of queries whatever the number of recipients. Call it inside the service's transaction."""
    people = [user for user in recipients if actor is None or user.pk != actor.pk]
    if not people:
        return 0
    about_type = ContentType.objects.get_for_model(about) if about is not None else None
    notifications = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                kind=kind,
                params=params,
                link=link,
                content_type=about_type,
                object_id=about.pk if about is not None else None,
            )
            for user in people
        ]
    )
    prefs = preferences_of(people)
    emails = [
        _notification_email(notification, prefs[notification.recipient_id])
        for notification in notifications
        if prefs[notification.recipient_id].email_mode == EmailMode.IMMEDIATE
    ]
    outbox_add(emails)
    return len(notifications)


def _notification_email(notification: Notification, pref: Preference) -> OutgoingEmail:
    user = notification.recipient
    with translation.override(pref.email_language):
        text = notification.text
        context = {
            "user": user,
            "items": [{"text": text, "url": site_link(notification.link)}],
            "page": site_link("/notifications/"),
        }
        return OutgoingEmail(
            recipient=user,
            address=user.email,
            language=pref.email_language,
            subject=_("Jospar: %(text)s") % {"text": _shorten(text)},
            text=render_to_string("notifications/email.txt", context),
            html=render_to_string("notifications/email.html", context),
        )


def _shorten(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def outbox_add(emails: list[OutgoingEmail]) -> None:
    """Queue `emails`; once the transaction commits, the worker is asked to send them."""
    if not emails:
        return
    now = timezone.now()
    for email in emails:
        email.next_attempt_at = now
    OutgoingEmail.objects.bulk_create(emails)
    transaction.on_commit(_enqueue_delivery)


def _enqueue_delivery() -> None:
    from jospar.notifications.tasks import deliver_outbox

    try:
        deliver_outbox.enqueue()
    except Exception:  # the housekeeping pass sends them within a minute anyway
        logger.exception("Could not enqueue the delivery of the outbox")


def _backoff(attempts: int) -> dt.timedelta:
    return min(dt.timedelta(minutes=2 ** max(attempts - 1, 0)), BACKOFF_MAX)


def _refused(email: OutgoingEmail) -> str:
    """Why the message cannot go to its address at all, or ''."""
    if not email.address:
        return _("The recipient has no e-mail address.")
    try:
        validate_email(email.address)
    except ValidationError:
        return _("The e-mail address %(address)s is not valid.") % {"address": email.address}
    return ""


def outbox_send_due(limit: int = BATCH) -> dict[str, int]:
    """Send the queued messages that are due, each taken under a row lock that other workers
    skip (SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL), so none is sent twice. A refused
    address fails that message alone; a server that is down or refuses leaves it queued with
    the reason, tried again later. Returns the count of each outcome."""
    counts = {"sent": 0, "failed": 0, "retry": 0}
    with transaction.atomic():
        due = list(
            OutgoingEmail.objects.select_for_update(skip_locked=True)
            .filter(status=EmailStatus.QUEUED, next_attempt_at__lte=timezone.now())
            .order_by("next_attempt_at", "pk")[:limit]
        )
        if not due:
            return counts
        connection = get_connection(fail_silently=False)
        down = ""
        try:
            for email in due:
                if down:  # the server is away: the rest wait for the next pass untouched
                    break
                outcome, error = _send(connection, email)
                now = timezone.now()
                if outcome == "sent":
                    email.status, email.sent_at, email.last_error = EmailStatus.SENT, now, ""
                    email.attempts += 1
                elif outcome == "failed":
                    email.status, email.last_error = EmailStatus.FAILED, error
                else:
                    email.attempts += 1
                    email.last_error = error
                    if email.attempts >= MAX_ATTEMPTS:
                        email.status = EmailStatus.FAILED
                    email.next_attempt_at = now + _backoff(email.attempts)
                    down = error if outcome == "down" else ""
                counts["retry" if outcome == "down" else outcome] += 1
                email.save(
                    update_fields=["status", "sent_at", "attempts", "last_error", "next_attempt_at"]
                )
        finally:
            try:
                connection.close()
            except Exception:  # noqa: S110 - a connection that broke has nothing to close
                pass
    return counts


def _send(connection, email: OutgoingEmail) -> tuple[str, str]:
    """("sent", ""), ("failed", why) for a message no retry can send, ("down", why) when the
    server did not take it."""
    refused = _refused(email)
    if refused:
        return "failed", refused
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.address],
        connection=connection,
        headers={"Content-Language": email.language},
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        return "failed", _("The server refused the address: %(error)s") % {"error": error}
    except Exception as error:  # noqa: BLE001 - any failure leaves the message queued
        try:
            connection.close()
        except Exception:  # noqa: S110
            pass
        return "down", f"{type(error).__name__}: {error}"[:2000]
    return "sent", ""


def digest_key(user_id: int, day: dt.date) -> str:
    return f"digest:{user_id}:{day.isoformat()}"


def digests_queue(now: dt.datetime | None = None) -> int:
    """From settings.DIGEST_HOUR on, queue for each person who chose the daily digest one
    message with their unread notifications of the day; the key's unique constraint keeps it
    to one a day even when several workers run this at once. Returns the number queued."""
    now = timezone.localtime(now or timezone.now())
    if now.hour < settings.DIGEST_HOUR:
        return 0
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    pending = (
        Notification.objects.filter(
            read_at__isnull=True,
            created_at__gte=start,
            created_at__lt=start + dt.timedelta(days=1),
            recipient__notification_preference__email_mode=EmailMode.DAILY,
        )
        .select_related("recipient", "recipient__notification_preference")
        .order_by("recipient_id", "created_at", "pk")
    )
    by_user = defaultdict(list)
    for notification in pending:
        by_user[notification.recipient].append(notification)
    if not by_user:
        return 0
    keys = {user.pk: digest_key(user.pk, now.date()) for user in by_user}
    done = set(OutgoingEmail.objects.filter(key__in=keys.values()).values_list("key", flat=True))
    queued = 0
    for user, items in by_user.items():
        if keys[user.pk] in done:
            continue
        email = _digest_email(user, items, keys[user.pk])
        try:
            with transaction.atomic():
                outbox_add([email])
        except IntegrityError:  # another worker queued it first
            continue
        queued += 1
    return queued


def _digest_email(user, items: list[Notification], key: str) -> OutgoingEmail:
    language = user.notification_preference.email_language
    with translation.override(language):
        context = {
            "user": user,
            "items": [{"text": n.text, "url": site_link(n.link)} for n in items[:DIGEST_ITEMS]],
            "page": site_link("/notifications/"),
            "digest": True,
        }
        return OutgoingEmail(
            recipient=user,
            address=user.email,
            language=language,
            key=key,
            subject=ngettext(
                "Jospar: %(count)s new notification today",
                "Jospar: %(count)s new notifications today",
                len(items),
            )
            % {"count": len(items)},
            text=render_to_string("notifications/email.txt", context),
            html=render_to_string("notifications/email.html", context),
        )


def housekeeping() -> None:
    """The worker's minute: queue the day's digests when due, send what is due."""
    digests_queue()
    outbox_send_due()


# --- the reader's side ---------------------------------------------------------------------


def notification_read(*, actor, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise ValidationError(_("This notification is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_read_all(*, actor) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def preference_update(*, actor, email_mode: str, language: str) -> Preference:
    pref, _created = Preference.objects.get_or_create(user=actor)
    pref.email_mode = email_mode
    pref.language = language
    pref.full_clean()
    pref.save()
    return pref


def email_configured() -> bool:
    """Whether e-mail leaves the machine: not when Django prints it (the console backend of a
    development machine), writes it to files or drops it."""
    backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2] if "." in settings.EMAIL_BACKEND else ""
    return backend not in {"console", "filebased", "dummy"}


def password_link_send(*, user: User, link: str, body) -> bool:
    """Queue the e-mail that gives a new administrator of `body` the link to set their
    password (in the transaction that created them); False when e-mail is not configured, and
    the link must be handed over otherwise."""
    if not email_configured() or not user.email:
        return False
    language = translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        params = {"body": body, "name": user.full_name or user.username, "login": user.username}
        subject = _("Jospar: you administer %(body)s") % params
        text = (
            _(
                "%(name)s, you are the administrator of %(body)s in Jospar. Your login is "
                "%(login)s. Set your password at this link (it works once, for a few days):"
            )
            % params
            + f"\n\n{link}\n"
        )
    outbox_add(
        [
            OutgoingEmail(
                recipient=user,
                address=user.email,
                language=language,
                subject=subject,
                text=text,
            )
        ]
    )
    return True
