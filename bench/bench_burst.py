"""Benchmark: the deadline burst of DESIGN.md — 200 executors of one body saving progress
entries at once — and the monitor's board of the large body with a quarter of entries.

Run against PostgreSQL (SQLite serialises every write, so a burst mostly measures its lock):
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/jospar_bench \\
      DEBUG=1 .venv/bin/python -m bench.bench_burst [--executors 200] [--workers 16]
Each executor saves its unit's entries through the same view a browser calls (the autosave
endpoint, in-process WSGI), so the figures include the view, the service and the database.
"""

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def setup() -> None:
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("JOSPAR_VAR_DIR", tempfile.mkdtemp())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jospar.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--executors", type=int, default=200)
    parser.add_argument("--workers", type=int, default=16, help="requests in flight at once")
    parser.add_argument("--saves", type=int, default=5, help="autosaves per executor")
    args = parser.parse_args()
    setup()
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from bench.workload import approve, large_body
    from jospar.monitoring import services
    from jospar.monitoring.selectors import board, unit_actions
    from jospar.orgs.models import Role, RoleAssignment, User

    moment = dt.datetime(2026, 7, 8, 10, 0, tzinfo=ZoneInfo("Asia/Almaty"))
    traveller = time_machine.travel(moment, tick=True)
    traveller.start()
    plan = large_body(0)
    approve(plan, User.objects.create(username="official"), on=dt.date(2026, 1, 5))
    units = list(plan.body.units.all())
    executors = []
    for n in range(args.executors):
        user = User.objects.create(username=f"executor{n}")
        unit = units[n % len(units)]
        RoleAssignment.objects.create(user=user, body=plan.body, role=Role.EXECUTOR, unit=unit)
        executors.append((user, unit))
    submissions = {
        unit.pk: services.submission_open(actor=user, plan=plan, unit=unit, quarter=2)
        for user, unit in executors
    }
    work = []
    for n, (user, unit) in enumerate(executors):
        items = unit_actions(plan, unit, 2)
        mine = [i.planned.action_id for i in items][n // len(units) :: 3] or [
            i.planned.action_id for i in items
        ]
        work.append((user, unit, mine[: args.saves]))
    print(f"{args.executors} executors, {len(units)} units, {connection.vendor}")

    latencies: list[float] = []
    outcomes = {"saved": 0, "conflict": 0, "error": 0}
    lock = threading.Lock()

    def executor_burst(user, unit, action_ids):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        versions: dict[int, int] = {}
        for action_id in action_ids:
            url = reverse(
                "monitoring:entry_save", args=[plan.body_id, plan.pk, 2, unit.pk, action_id]
            )
            start = time.perf_counter()
            response = client.post(
                url,
                {
                    "version": versions.get(action_id, 0),
                    "status": "executed",
                    "actual": f"Done by {user.username}",
                    "reasons": "",
                },
                HTTP_HX_REQUEST="true",
            )
            elapsed = time.perf_counter() - start
            body = response.content.decode()
            with lock:
                latencies.append(elapsed)
                if response.status_code != 200:
                    outcomes["error"] += 1
                elif "was not saved" in body:
                    outcomes["conflict"] += 1
                else:
                    outcomes["saved"] += 1
        connection.close()

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        for user, unit, action_ids in work:
            pool.submit(executor_burst, user, unit, action_ids)
    wall = time.perf_counter() - start
    total = len(latencies)
    ordered = sorted(latencies)
    print(
        f"burst: {total} autosaves in {wall:.1f} s = {total / wall:.0f}/s; "
        f"latency p50 {statistics.median(ordered) * 1000:.0f} ms, "
        f"p95 {ordered[int(total * 0.95) - 1] * 1000:.0f} ms; {outcomes}"
    )
    del submissions
    start = time.perf_counter()
    rows, _clock = board(plan, 2)
    print(f"board of {len(rows)} units: {(time.perf_counter() - start) * 1000:.0f} ms")
    traveller.stop()


if __name__ == "__main__":
    main()
