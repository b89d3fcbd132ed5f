"""The outbox sent through a real SMTP server (aiosmtpd) on a free loopback port: the messages
read back, a server that is down or refuses, an address that cannot work, the daily digest."""

import datetime as dt
import io
import threading

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from jospar.notifications.models import (
    EmailMode,
    EmailStatus,
    Kind,
    Notification,
    OutgoingEmail,
    Preference,
)
from jospar.notifications.services import (
    digests_queue,
    holders,
    notify,
    outbox_send_due,
)
from jospar.orgs.models import Role
from tests.factories import member
from tests.smtp import body_of, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(body):
    ru = member(body, Role.MONITOR, username="ru", email="ru@example.kz")
    kk = member(body, Role.MONITOR, username="kk", email="kk@example.kz")
    en = member(body, Role.MONITOR, username="en", email="en@example.kz")
    Preference.objects.create(user=ru, language="ru")
    Preference.objects.create(user=kk, language="kk")
    Preference.objects.create(user=en, language="en")
    return ru, kk, en


def tell_monitors(body, link="/bodies/1/somewhere/"):
    notify(
        kind=Kind.PLAN_APPROVED,
        recipients=holders(body.pk, [Role.MONITOR]),
        link=link,
        params={"year": 2027, "comment": ""},
    )


def test_each_message_reaches_the_server_in_its_readers_language(smtp, body, people):
    tell_monitors(body, "/bodies/1/operational-plans/7/")
    assert outbox_send_due() == {"sent": 3, "failed": 0, "retry": 0}
    got = {tuple(rcpt)[0]: message for rcpt, message in smtp.messages}
    assert set(got) == {"ru@example.kz", "kk@example.kz", "en@example.kz"}
    assert got["en@example.kz"]["Subject"] == "Jospar: The operational plan for 2027 is approved"
    assert (
        got["ru@example.kz"]["Subject"].strip() == "Jospar: Операционный план на 2027 год утверждён"
    )
    assert got["ru@example.kz"]["Content-Language"] == "ru"
    assert got["kk@example.kz"]["Content-Language"] == "kk"
    for message in got.values():
        text, html = body_of(message)
        link = "https://jospar.example.kz/bodies/1/operational-plans/7/"
        assert link in text and f'href="{link}"' in html
        assert message["To"] in got and message["From"] == "jospar@example.kz"
    assert set(OutgoingEmail.objects.values_list("status", "attempts")) == {("sent", 1)}
    assert outbox_send_due() == {"sent": 0, "failed": 0, "retry": 0}  # nothing twice
    assert len(smtp.messages) == 3


def test_a_server_that_is_down_keeps_the_messages_queued_and_they_go_later(
    smtp, settings, body, people, clock
):
    clock("2026-12-07 10:00", tick=False)
    tell_monitors(body)
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nobody listens there
    assert outbox_send_due() == {"sent": 0, "failed": 0, "retry": 1}
    first = OutgoingEmail.objects.filter(attempts=1).get()
    assert first.status == EmailStatus.QUEUED and "Connection" in first.last_error
    assert first.next_attempt_at > timezone.now()  # backed off
    settings.EMAIL_PORT = port
    assert outbox_send_due()["sent"] == 2  # the others; the first waits for its turn
    clock("2026-12-07 10:05")
    assert outbox_send_due()["sent"] == 1
    assert len(smtp.messages) == 3
    assert not OutgoingEmail.objects.exclude(status=EmailStatus.SENT).exists()


def test_a_server_that_refuses_keeps_the_message_and_retries_with_backoff(
    smtp, body, people, clock
):
    clock("2026-12-07 10:00")
    tell_monitors(body)
    smtp.refuse = True
    counts = outbox_send_due()
    assert counts["sent"] == 0 and counts["retry"] >= 1
    waiting = OutgoingEmail.objects.filter(attempts__gte=1)
    assert all("451" in e.last_error and e.status == EmailStatus.QUEUED for e in waiting)
    smtp.refuse = False
    clock("2026-12-07 11:00")
    outbox_send_due()
    assert {tuple(r)[0] for r, _m in smtp.messages} == {
        "ru@example.kz",
        "kk@example.kz",
        "en@example.kz",
    }


def test_an_empty_or_invalid_address_fails_alone_with_the_reason(smtp, body, people):
    member(body, Role.MONITOR, username="noaddress", email="")
    member(body, Role.MONITOR, username="bad", email="not an address")
    tell_monitors(body)
    assert outbox_send_due() == {"sent": 3, "failed": 2, "retry": 0}
    failed = dict(
        OutgoingEmail.objects.filter(status=EmailStatus.FAILED).values_list(
            "recipient__username", "last_error"
        )
    )
    assert failed == {
        "noaddress": "The recipient has no e-mail address.",
        "bad": "The e-mail address not an address is not valid.",
    }
    assert len(smtp.messages) == 3


def test_the_daily_digest_goes_once_a_day_with_the_days_unread(smtp, body, people, clock):
    ru, kk, en = people
    Preference.objects.filter(user__in=[ru, en]).update(email_mode=EmailMode.DAILY)
    clock("2026-12-07 09:00")
    tell_monitors(body, "/first/")
    tell_monitors(body, "/second/")
    Notification.objects.filter(recipient=en).update(read_at=timezone.now())  # en read them
    assert OutgoingEmail.objects.count() == 2  # kk's, at once
    assert digests_queue() == 0  # before the digest hour
    clock("2026-12-07 18:30")
    assert digests_queue() == 1  # ru only: en has nothing unread
    assert digests_queue() == 0  # never twice
    digest = OutgoingEmail.objects.get(key__startswith="digest:")
    assert digest.recipient == ru and digest.key == f"digest:{ru.pk}:2026-12-07"
    assert "/first/" in digest.text and "/second/" in digest.text
    outbox_send_due()
    subjects = {tuple(r)[0]: m["Subject"].strip() for r, m in smtp.messages}
    assert subjects["ru@example.kz"] == "Jospar: новых уведомлений за сегодня — 2"
    clock("2026-12-08 18:30")
    assert digests_queue() == 0  # nothing new on the next day


@pytest.mark.django_db(transaction=True)
def test_the_worker_once_sends_what_is_due_and_exits(smtp, body, people):
    with transaction.atomic():
        tell_monitors(body)  # on commit, the delivery task is enqueued
    out = io.StringIO()
    call_command("worker", "--once", stdout=out)
    assert len(smtp.messages) == 3 and "done" in out.getvalue()
    assert not OutgoingEmail.objects.exclude(status=EmailStatus.SENT).exists()


def test_the_digest_is_unique_per_user_and_day_in_the_database(body, people):
    ru = people[0]
    key = f"digest:{ru.pk}:2026-12-07"
    now = timezone.now()
    OutgoingEmail.objects.create(key=key, subject="s", text="t", language="ru", next_attempt_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutgoingEmail.objects.create(
            key=key, subject="s", text="t", language="ru", next_attempt_at=now + dt.timedelta(1)
        )


@pytest.mark.django_db(transaction=True)
def test_rows_another_worker_holds_are_skipped_not_sent_twice(smtp, body, people):
    """PostgreSQL: while one worker holds the queued rows, another's pass skips them (SKIP
    LOCKED) instead of waiting or sending them too."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite runs one writer at a time")
    with transaction.atomic():
        tell_monitors(body)
    held, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                list(OutgoingEmail.objects.select_for_update().filter(status="queued")[:2])
                held.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert held.wait(10)
        assert outbox_send_due() == {"sent": 1, "failed": 0, "retry": 0}
    finally:
        release.set()
        thread.join()
    assert outbox_send_due() == {"sent": 2, "failed": 0, "retry": 0}
    assert sorted(tuple(r)[0] for r, _m in smtp.messages) == [
        "en@example.kz",
        "kk@example.kz",
        "ru@example.kz",
    ]
