"""The outbox's task (django-tasks; `jospar worker` runs it): enqueued when a transaction that
queued e-mail commits, so messages leave within seconds, not at the next housekeeping minute."""

from django_tasks import task


@task()
def deliver_outbox() -> dict:
    from jospar.notifications.services import outbox_send_due

    return outbox_send_due()
