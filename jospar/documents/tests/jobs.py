"""Running the background tasks in a test: django-tasks-db's own worker loop, in this process
and on this test's database connection, until no task waits."""

from unittest import mock

from django_tasks_db.management.commands import db_worker


def run_tasks() -> None:
    worker = db_worker.Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    # The loop drops connections outside autocommit between tasks, as after a request; the
    # test's transaction is one of those, and it must stay.
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        worker.run()
