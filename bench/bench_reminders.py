"""Benchmark: the reminders of a deadline day (DESIGN.md's deadline, R13) — 20 bodies of 80
units each, an executor and a head per unit, every unit's 2nd-quarter information due on
Friday 10 July 2026 and none signed. Measures the worker's reminder pass (time and SQL
queries, then again with twice the people per unit: the queries must not grow with the
recipients) and the outbox sent through a local SMTP server (aiosmtpd on a loopback port).

  .venv/bin/python -m bench.bench_reminders [--bodies 20] [--actions 2000]
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/jospar_bench .venv/bin/python -m ...
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_plan import setup_django


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bodies", type=int, default=20)
    parser.add_argument("--actions", type=int, default=2000, help="actions per body's plan")
    args = parser.parse_args()
    setup_django(Path(tempfile.mkdtemp()))
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)  # a database of its own, emptied
    import datetime as dt
    import socket
    import subprocess
    from zoneinfo import ZoneInfo

    import time_machine
    from django.conf import settings
    from django.db import connection, reset_queries

    from bench.workload import approve, large_body
    from jospar.notifications.models import OutgoingEmail
    from jospar.notifications.services import outbox_send_due
    from jospar.orgs.models import Role, RoleAssignment, User
    from jospar.reminders.models import Reminder
    from jospar.reminders.services import reminders_send

    almaty = ZoneInfo("Asia/Almaty")
    build = time.perf_counter()
    official = User.objects.create(username="official")
    plans = []
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, tzinfo=almaty), tick=False):
        for index in range(args.bodies):
            plan = large_body(index, actions=args.actions)
            approve(plan, official, on=dt.date(2026, 1, 5))
            plans.append(plan)

    def add_people(suffix: str) -> int:
        users, roles = [], []
        for plan in plans:
            body = plan.body
            for unit in body.units.all():
                for role in (Role.EXECUTOR, Role.UNIT_HEAD):
                    name = f"{role}-{body.code}-{unit.code}{suffix}".lower()
                    users.append(User(username=name, email=f"{name}@example.kz"))
                    roles.append((len(users) - 1, role, body, unit))
            for role in (Role.MONITOR, Role.OFFICIAL):
                name = f"{role}-{body.code}{suffix}".lower()
                users.append(User(username=name, email=f"{name}@example.kz"))
                roles.append((len(users) - 1, role, body, None))
        created = User.objects.bulk_create(users)
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=created[i], role=role, body=body, unit=unit)
            for i, role, body, unit in roles
        )
        return len(created)

    people = add_people("")
    print(
        f"{args.bodies} bodies × 80 units, {args.actions} actions each, {people} people, "
        f"{connection.vendor}; built in {time.perf_counter() - build:.0f} s"
    )

    def reminder_pass() -> tuple[float, int, dict]:
        Reminder.objects.all().delete()
        OutgoingEmail.objects.all().delete()
        settings.DEBUG = True
        reset_queries()
        start = time.perf_counter()
        counts = reminders_send()
        elapsed = time.perf_counter() - start
        return elapsed, len(connection.queries), counts

    deadline_day = dt.datetime(2026, 7, 10, 10, tzinfo=almaty)
    with time_machine.travel(deadline_day, tick=True):
        elapsed, queries, counts = reminder_pass()
        print(
            f"reminder pass: {elapsed:.2f} s, {queries} SQL queries "
            f"({queries / args.bodies:.0f} per body), {counts['reminders']} reminders, "
            f"{counts['emails']} e-mails queued"
        )
        again = reminders_send()
        print(f"second pass the same day: {again['reminders']} reminders (none twice)")
        people += add_people("-b")
        elapsed2, queries2, counts2 = reminder_pass()
        print(
            f"with twice the people ({people}): {elapsed2:.2f} s, {queries2} SQL queries, "
            f"{counts2['reminders']} reminders"
        )

        # The SMTP server runs in a process of its own (aiosmtpd's Sink handler), so that the
        # figure is the sender's, not the two sharing one interpreter.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        server = subprocess.Popen(  # noqa: S603 - aiosmtpd's own command
            [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}"]
            + ["-c", "aiosmtpd.handlers.Sink"]
        )
        try:
            for _attempt in range(50):
                with socket.socket() as probe:
                    if probe.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.1)
            settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
            settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
            settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
            settings.DEBUG = False
            queued = OutgoingEmail.objects.filter(status="queued").count()
            start = time.perf_counter()
            while outbox_send_due()["sent"]:
                pass
            elapsed = time.perf_counter() - start
        finally:
            server.terminate()
            server.wait()
        sent = OutgoingEmail.objects.filter(status="sent").count()
        print(
            f"outbox: {sent} of {queued} messages sent through local SMTP in {elapsed:.1f} s "
            f"= {sent / elapsed:.0f} messages/s"
        )


if __name__ == "__main__":
    main()
