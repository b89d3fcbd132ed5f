"""`jospar worker`: runs the background tasks (django-tasks' database backend, its own
`db_worker` loop) and, beside them in a thread, records the worker's heartbeat every few seconds
and runs the housekeeping (e.g. deleting expired export files) every minute. SIGTERM or SIGINT
stop it cleanly: at once when idle, else after the running task."""

import logging
import threading

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.lib import commands
from jospar.lib.env import envint, envstr
from jospar.ops.heartbeat import beat, worker_name

logger = logging.getLogger("jospar.worker")

HOUSEKEEPING_SECONDS = 60


class Housekeeper(threading.Thread):
    """Beats every `every` seconds and runs settings.WORKER_HOUSEKEEPING every minute, until
    stopped. A failure (the database away) is logged and tried again at the next beat."""

    def __init__(self, worker: str, every: float):
        super().__init__(name="jospar-heartbeat", daemon=True)
        self.worker = worker
        self.every = every
        self.stopped = threading.Event()
        self.tasks = [import_string(path) for path in settings.WORKER_HOUSEKEEPING]

    def run(self) -> None:
        since_housekeeping = HOUSEKEEPING_SECONDS  # at start, then every minute
        while not self.stopped.is_set():
            try:
                beat(self.worker)
                if since_housekeeping >= HOUSEKEEPING_SECONDS:
                    since_housekeeping = 0
                    for task in self.tasks:
                        task()
            except Exception:
                logger.exception("The worker's heartbeat or housekeeping failed")
            finally:
                connection.close()  # this thread's own connection; a fresh one next time
            self.stopped.wait(self.every)
            since_housekeeping += self.every

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=self.every + 30)


class Command(commands.Command):
    help = gettext_lazy(
        "Run the background tasks (large exports) until stopped with SIGTERM or Ctrl+C, "
        "recording a heartbeat every few seconds. Defaults come from WORKER_QUEUES, "
        "WORKER_INTERVAL, WORKER_MAX_TASKS and WORKER_HEARTBEAT_SECONDS."
    )

    def add_arguments(self, parser):
        commands.add_options(
            parser,
            (
                "--queues",
                envstr("WORKER_QUEUES", "default"),
                _("The queues to take tasks from, separated by commas (WORKER_QUEUES)."),
            ),
            (
                "--interval",
                float(envstr("WORKER_INTERVAL", "1")),
                _("Seconds to wait for a new task when the queue is empty (WORKER_INTERVAL)."),
            ),
            (
                "--max-tasks",
                envint("WORKER_MAX_TASKS", "0"),
                _(
                    "Exit after this many tasks, so that a supervisor starts a fresh process "
                    "(WORKER_MAX_TASKS; 0: never)."
                ),
            ),
            (
                "--heartbeat",
                float(settings.WORKER_HEARTBEAT_SECONDS),
                _("Seconds between heartbeats (WORKER_HEARTBEAT_SECONDS)."),
            ),
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help=_("Run the tasks waiting now, then exit."),
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help=_(
                "Run the housekeeping (e-mail due, digests, expired exports) and the tasks "
                "waiting now, then exit: for cron and tests."
            ),
        )

    def handle(self, *args, queues, interval, max_tasks, heartbeat, batch, once, **options):
        if interval < 0 or heartbeat <= 0 or max_tasks < 0:
            raise CommandError(
                _("The interval, the heartbeat and the number of tasks cannot be negative.")
            )
        name = worker_name()
        beat(name)  # alive before the first task is taken
        if once:
            self.run_once(name, queues, options["verbosity"])
            return
        connection.close()
        housekeeper = Housekeeper(name, heartbeat)
        housekeeper.start()
        self.stdout.write(
            _("Worker %(name)s: taking tasks from %(queues)s.") % {"name": name, "queues": queues}
        )
        self.stdout.flush()
        try:
            call_command(
                "db_worker",
                queue_name=queues,
                interval=interval,
                batch=batch,
                reload=False,
                startup_delay=not batch,
                max_tasks=max_tasks or None,
                worker_id=name[:64],
                verbosity=options["verbosity"],
                stdout=self.stdout._out,
                stderr=self.stderr._out,
            )
        finally:
            housekeeper.stop()
            self.stdout.write(_("Worker %(name)s stopped.") % {"name": name})

    def run_once(self, name: str, queues: str, verbosity: int) -> None:
        """The housekeeping, the tasks waiting now (the e-mail the housekeeping queued among
        them), then the housekeeping again for what the tasks queued; in this thread."""
        self.housekeeping_once()
        call_command(
            "db_worker",
            queue_name=queues,
            batch=True,
            reload=False,
            startup_delay=False,
            worker_id=name[:64],
            verbosity=verbosity,
            stdout=self.stdout._out,
            stderr=self.stderr._out,
        )
        self.housekeeping_once()
        self.stdout.write(_("Worker %(name)s: done.") % {"name": name})

    def housekeeping_once(self) -> None:
        """Each housekeeping function once; one that fails is logged and the others run."""
        for path in settings.WORKER_HOUSEKEEPING:
            try:
                import_string(path)()
            except Exception:
                logger.exception("The worker's housekeeping %s failed", path)
