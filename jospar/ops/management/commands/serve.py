"""`jospar serve`: the production web server (gunicorn) for Jospar's WSGI application."""

import os

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from gunicorn.app.base import BaseApplication

from jospar.lib import commands
from jospar.lib.env import envint, envstr
from jospar.ops.logs import gunicorn_logging


class Server(BaseApplication):
    """gunicorn run from inside this process, with its settings given as a dict."""

    def __init__(self, application, options: dict):
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


class Command(commands.Command):
    help = gettext_lazy(
        "Serve Jospar in production with gunicorn: collects the static files first (so the "
        "first request with DEBUG off finds them), optionally migrates, then starts the "
        "workers. Defaults come from WEB_BIND, WEB_WORKERS, WEB_THREADS and WEB_TIMEOUT."
    )

    def add_arguments(self, parser):
        workers = str(2 * (os.cpu_count() or 1) + 1)
        commands.add_options(
            parser,
            (
                "--bind",
                envstr("WEB_BIND", "127.0.0.1:8000"),
                _("Address and port to listen on (WEB_BIND)."),
            ),
            (
                "--workers",
                envint("WEB_WORKERS", workers),
                _("Worker processes (WEB_WORKERS; two per core and one more by default)."),
            ),
            ("--threads", envint("WEB_THREADS", "4"), _("Threads per worker (WEB_THREADS).")),
            (
                "--timeout",
                envint("WEB_TIMEOUT", "60"),
                _("Seconds a request may take before its worker is restarted (WEB_TIMEOUT)."),
            ),
        )
        parser.add_argument(
            "--migrate",
            action="store_true",
            help=_("Apply the database migrations before serving."),
        )

    def handle(self, *args, bind, workers, threads, timeout, migrate, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        if migrate:
            call_command("migrate", interactive=False, verbosity=1)
        connections.close_all()  # the workers are forked: none may inherit a connection
        from jospar.wsgi import application

        self.stdout.write(
            _("Serving on http://%(bind)s/ with %(workers)s workers of %(threads)s threads.")
            % {"bind": bind, "workers": workers, "threads": threads}
        )
        self.stdout.flush()
        Server(
            application,
            {
                "bind": bind,
                "workers": workers,
                "threads": threads,
                "timeout": timeout,
                "accesslog": "-",
                "errorlog": "-",
                # gunicorn's own lines in the format of Jospar's (JSON in production).
                "logconfig_dict": gunicorn_logging(settings.LOGGING),
                "forwarded_allow_ips": envstr("WEB_FORWARDED_ALLOW_IPS", "127.0.0.1"),
            },
        ).run()
