"""Sending reminders: the worker's daily pass over every body (`reminders_send`), a monitor's
reminder of one unit from the board (`unit_remind`) and the body's schedule
(`schedule_update`).

Each (recipient, item, day) is reminded of at most once: the pass writes the Reminder rows and
the e-mail in one transaction, the rows' unique constraint refuses a second, and on PostgreSQL
a second worker skips a body that another is reminding (SELECT … FOR NO KEY UPDATE SKIP
LOCKED on the body's row)."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from jospar.deadlines.calendar import information_deadline
from jospar.lib.records import next_version, save_record
from jospar.monitoring.models import Submission
from jospar.monitoring.selectors import UNSIGNED, board
from jospar.notifications.models import EmailMode, Kind, OutgoingEmail
from jospar.notifications.services import notify, outbox_add, preferences_of, site_link
from jospar.orgs.models import StateBody
from jospar.orgs.policy import Perm, require
from jospar.reminders.models import Reminder, Schedule, UnitReminder
from jospar.reminders.selectors import (
    UNIT_PEOPLE,
    Due,
    People,
    due_reminders,
    open_decisions,
    schedule_of,
)

logger = logging.getLogger("jospar.reminders")


# --- the schedule ---------------------------------------------------------------------------


@transaction.atomic
def schedule_update(
    *,
    actor,
    body: StateBody,
    enabled: bool,
    days_before: str,
    on_the_day: bool,
    every_after: int,
    version: int | None = None,
) -> Schedule:
    """Set the body's schedule; `version` is the one the administrator started from (0: the
    defaults, before any save): if another administrator saved it in between, nothing is
    written and Conflict carries the schedule as it is now."""
    require(actor, Perm.MANAGE_ORG, body)
    schedule = schedule_of(body)
    if schedule.pk is not None:
        next_version(schedule, version)
    else:  # the first save; two at once: the row's uniqueness keeps one (save_record)
        schedule.version = 1
    schedule.enabled = enabled
    schedule.days_before = days_before
    schedule.on_the_day = on_the_day
    schedule.every_after = every_after
    schedule.full_clean()
    schedule.days_before = ", ".join(str(n) for n in schedule.before)
    return save_record(schedule, actor=actor)


# --- the daily pass -------------------------------------------------------------------------


def reminders_send(now: dt.datetime | None = None) -> dict[str, int]:
    """From settings.REMINDER_HOUR (Almaty time) on, remind every body's people of what is
    due on the day, and tell officials of their decisions that became overdue. Safe to run
    every minute and on several workers: what was sent today is not sent again."""
    now = timezone.localtime(now or timezone.now())
    counts = {"bodies": 0, "reminders": 0, "emails": 0, "overdue": 0}
    if now.hour < settings.REMINDER_HOUR:
        return counts
    bodies = StateBody.objects.select_related("reminder_schedule").order_by("pk")
    for body in bodies:
        try:
            done = body_remind(body, now.date())
        except Exception:  # one body's failure must not stop the others' reminders
            logger.exception("Reminders of body %s failed", body.pk)
            continue
        if done is not None:
            counts["bodies"] += 1
            for name, value in done.items():
                counts[name] += value
    return counts


def body_remind(body: StateBody, on: dt.date) -> dict[str, int] | None:
    """Remind one body's people of what is due on `on`; None if another worker holds the body.
    A second run on the same day finds nothing new."""
    due = due_reminders(body, on, schedule_of(body))
    decisions = [d for d in open_decisions(body) if d.due_on < on]
    if not due and not decisions:
        return {"reminders": 0, "emails": 0, "overdue": 0}
    for attempt in (1, 2):
        try:
            with transaction.atomic():
                taken = (
                    StateBody.objects.select_for_update(no_key=True, skip_locked=True)
                    .filter(pk=body.pk)
                    .exists()
                )
                if not taken:
                    return None
                return {
                    **_remind(body, on, due),
                    "overdue": _overdue_decisions(body, decisions),
                }
        except IntegrityError:
            # Another worker wrote some of the same reminders first (SQLite has no row lock to
            # skip): read what it wrote and send only the rest.
            if attempt == 2:
                raise
    return None


def _remind(body: StateBody, on: dt.date, due: list[Due]) -> dict[str, int]:
    keys = {due_item.key for due_item in due}
    sent = set(
        Reminder.objects.filter(body=body, day=on, item__in=keys).values_list(
            "recipient_id", "item"
        )
    )
    by_user: dict[int, list[Due]] = defaultdict(list)
    users = {}
    rows = []
    for due_item in due:
        for user in due_item.recipients:
            if (user.pk, due_item.key) in sent:
                continue
            users[user.pk] = user
            by_user[user.pk].append(due_item)
            rows.append(
                Reminder(
                    body=body,
                    recipient=user,
                    item=due_item.key,
                    day=on,
                    deadline=due_item.deadline,
                )
            )
    if not rows:
        return {"reminders": 0, "emails": 0}
    Reminder.objects.bulk_create(rows)
    prefs = preferences_of(users.values())
    emails = [
        _reminder_email(users[pk], items, prefs[pk].email_language)
        for pk, items in by_user.items()
        if prefs[pk].email_mode != EmailMode.OFF
    ]
    outbox_add(emails)
    return {"reminders": len(rows), "emails": len(emails)}


def _reminder_email(user, items: list[Due], language: str) -> OutgoingEmail:
    with translation.override(language):
        lines = [{"text": item.text(), "url": site_link(item.link)} for item in items]
        if len(lines) == 1:
            subject = _("Jospar reminder: %(text)s") % {"text": lines[0]["text"]}
        else:
            subject = ngettext(
                "Jospar reminder: %(count)s item is due",
                "Jospar reminder: %(count)s items are due",
                len(lines),
            ) % {"count": len(lines)}
        context = {"user": user, "items": lines, "page": site_link("/"), "reminder": True}
        return OutgoingEmail(
            recipient=user,
            address=user.email,
            language=language,
            subject=subject[:300],
            text=render_to_string("notifications/email.txt", context),
            html=render_to_string("notifications/email.html", context),
        )


def _overdue_decisions(body: StateBody, decisions) -> int:
    """Tell the official who took each decision, once, that it is past its due date and not
    carried out (a notification, and e-mail as they chose)."""
    keys = {f"decision-overdue:{d.pk}": d for d in decisions if d.decided_by.is_active}
    told = set(Reminder.objects.filter(body=body, item__in=keys).values_list("item", flat=True))
    count = 0
    for key, decision in keys.items():
        if key in told:
            continue
        Reminder.objects.create(
            body=body,
            recipient=decision.decided_by,
            item=key,
            day=decision.due_on,
            deadline=decision.due_on,
        )
        plan = decision.report.plan
        count += notify(
            kind=Kind.DECISION_OVERDUE,
            recipients=[decision.decided_by],
            about=decision,
            link=reverse("reports:decisions", args=[body.pk]) + f"#decision-{decision.pk}",
            params={
                "text": " ".join(decision.text.split())[:120],
                "due": decision.due_on.strftime("%d.%m.%Y"),
                "quarter": decision.report.quarter,
                "year": plan.year,
            },
        )
    return count


def housekeeping() -> None:
    """The worker's minute: the day's reminders once they are due (a pass that finds them
    sent does nothing)."""
    reminders_send()


# --- a monitor reminds one unit from the board ---------------------------------------------


@transaction.atomic
def unit_remind(*, actor, plan, quarter: int, unit) -> UnitReminder:
    """The monitor reminds a unit that has not signed its information for the quarter: the
    unit's executors and head are notified (and e-mailed as they chose); at most once a day."""
    require(actor, Perm.MONITOR, plan)
    rows, clock = board(plan, quarter)
    row = next((r for r in rows if r.unit.pk == unit.pk), None)
    if row is None or row.state not in UNSIGNED or not row.due:
        raise ValidationError(
            _("%(unit)s has nothing to remind of: its information is signed or nothing is due.")
            % {"unit": unit}
        )
    on = timezone.localdate()
    try:
        with transaction.atomic():
            reminder = UnitReminder.objects.create(
                body=plan.body, plan=plan, quarter=quarter, unit=unit, day=on, sent_by=actor
            )
    except IntegrityError:
        raise ValidationError(
            _("%(unit)s was already reminded today; one reminder a day is enough.") % {"unit": unit}
        ) from None
    people = People(plan.body).holding(UNIT_PEOPLE, [unit.pk])
    submission = row.submission
    reminder.recipients = notify(
        kind=Kind.UNIT_REMINDED,
        recipients=people,
        about=submission if isinstance(submission, Submission) else plan,
        link=reverse("monitoring:submission", args=[plan.body_id, plan.pk, quarter, unit.pk]),
        params={
            "monitor": actor.get_full_name() or actor.get_username(),
            "unit": str(unit),
            "quarter": quarter,
            "year": plan.year,
            "date": information_deadline(plan.year, quarter).strftime("%d.%m.%Y"),
        },
        actor=actor,
    )
    reminder.save(update_fields=["recipients"])
    return reminder
