"""Benchmark: the operational plan page, its layout and its completeness check for the large
body (2,000 actions), with the number of SQL queries, wall time and peak Python memory.

Run:  .venv/bin/python -m bench.bench_plan [--bodies 20] [--repeat 5]
It builds the workload in a throw-away SQLite file (or DATABASE_URL if set).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path


def setup_django(tmp: Path) -> None:
    os.environ.setdefault("DEBUG", "1")
    os.environ["JOSPAR_VAR_DIR"] = str(tmp)  # never the real var dir: the workload is large
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jospar.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def bench_parser(description: str, repeat: int) -> argparse.ArgumentParser:
    """A benchmark's command line: the large body's --actions, and --repeat for each timing."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--actions", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=repeat)
    return parser


@contextmanager
def throwaway_database():
    """Django set up on a throw-away SQLite file (or DATABASE_URL) for the block."""
    with tempfile.TemporaryDirectory() as tmp:
        setup_django(Path(tmp))
        yield


def bench_user(body, *roles, username: str = "bench"):
    """The user `username`, holding `roles` in the body."""
    from jospar.orgs.models import RoleAssignment, User

    user = User.objects.create(username=username)
    for role in roles:
        RoleAssignment.objects.create(user=user, body=body, role=role)
    return user


def measure(label: str, fn, repeat: int) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    times = []
    with CaptureQueriesContext(connection) as queries:
        fn()
    count = len(queries)
    for _ in range(repeat):
        reset_queries()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    result = {
        "what": label,
        "queries": count,
        "median_ms": round(statistics.median(times) * 1000),
        "peak_mib": round(peak / 2**20, 1),
    }
    print(
        f"{label:<42} {count:>4} queries  {result['median_ms']:>6} ms  {result['peak_mib']:>6} MiB"
    )
    return result


def main() -> None:
    parser = bench_parser(__doc__, repeat=5)
    parser.add_argument("--bodies", type=int, default=1, help="large bodies in the database")
    parser.add_argument(
        "--collector",
        choices=["server", "default"],
        default="server",
        help="the garbage collector as jospar.wsgi sets it for the server, or Python's default",
    )
    args = parser.parse_args()
    with throwaway_database():
        from django.test import Client
        from django.urls import reverse

        from bench.workload import large_body, mark_approved
        from jospar.orgs.models import Role
        from jospar.plans.checks import check_plan
        from jospar.plans.selectors import plan_layout

        start = time.perf_counter()
        plans = [large_body(i, args.actions) for i in range(args.bodies)]
        print(f"built {args.bodies} large bod(ies) in {time.perf_counter() - start:.1f} s")
        if args.collector == "server":
            from jospar.ops import collector

            collector.tune()
        print(f"garbage collector: {args.collector}")
        plan = plans[0]
        user = bench_user(plan.body, Role.PLANNER)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        url = plan.get_absolute_url()
        measure("plan_layout (selector)", lambda: plan_layout(plan), args.repeat)
        measure("completeness check", lambda: check_plan(plan), args.repeat)
        measure("plan page GET (HTML)", lambda: client.get(url), args.repeat)
        size = len(client.get(url).content)
        print(f"plan page size: {size / 1024:.0f} KiB for {args.actions} actions")

        from jospar.plans import services
        from jospar.plans.diff import actions_of_draft, actions_of_revision, compare, diff_xlsx
        from jospar.plans.models import PlanStatus

        mark_approved(plan, user)
        start = time.perf_counter()
        revision = services.freeze_revision(plan)
        print(f"freeze_revision: {(time.perf_counter() - start) * 1000:.0f} ms")
        plan.status = PlanStatus.DRAFT  # an adjustment open, set directly as mark_approved does
        plan.save()
        first = plan.actions.order_by("pk").first()
        first.term_kind, first.term_quarter = "quarter", 4
        first.save()
        measure(
            "diff revision 1 → draft",
            lambda: compare(actions_of_revision(revision), actions_of_draft(plan)),
            args.repeat,
        )
        diff = compare(actions_of_revision(revision), actions_of_draft(plan))
        measure("diff as XLSX", lambda: diff_xlsx(diff, "bench"), args.repeat)
        compare_url = reverse("plans:compare", args=[plan.body_id, plan.pk])
        measure(
            "comparison page GET (HTML)",
            lambda: client.get(compare_url, {"a": revision.number, "b": "draft"}),
            args.repeat,
        )


if __name__ == "__main__":
    main()
