"""Benchmark: compiling and reading the quarterly report (R15, Appendix 2: the selectors, the
page and the API's GET reports/{id}/) for the large body (2,000 actions, 80 units, four
quarters of accepted information — 8,000 progress entries), with the number of SQL queries,
wall time and peak Python memory.

Run:  .venv/bin/python -m bench.bench_report [--actions 2000] [--repeat 3] [--bodies 50]
It builds the workload in a throw-away SQLite file (or DATABASE_URL if set).

With --bodies N it measures the same report with one body and with N in one run: two
databases, one holding the measured body alone, the other N - 1 other large bodies (each
approved, with four quarters of accepted information and its Q2 report compiled) and then the
measured body, so that its rows are the last of every table. This process keeps a connection
to each and the timed steps alternate between them, round by round; the ratio of the two is
taken per round. On PostgreSQL the second database is DATABASE_URL's, the first one the bench
creates beside it (named after it, `_onebody` appended) and drops at the end; the plan of
report_rows' query is printed for each (one body's rows are read through indexes, not a scan
of every body's).
"""

import gc
import os
import re
import statistics
import time
from contextlib import contextmanager

from bench.bench_plan import bench_parser, bench_user, measure, throwaway_database


def accepted_quarters(plan, revision, user) -> int:
    """Every unit's information for each quarter, accepted: one entry per action it leads."""
    from jospar.monitoring.models import EntryStatus, ProgressEntry, Submission

    statuses = [EntryStatus.EXECUTED, EntryStatus.PARTIAL, EntryStatus.NOT_EXECUTED]
    entries = list(revision.actions.only("action_id", "lead_unit_id"))
    count = 0
    for quarter in (1, 2, 3, 4):
        submissions = {
            s.unit_id: s
            for s in Submission.objects.bulk_create(
                Submission(plan=plan, unit=unit, quarter=quarter, status="accepted")
                for unit in plan.body.units.all()
            )
        }
        rows = [
            ProgressEntry(
                submission=submissions[entry.lead_unit_id],
                action_id=entry.action_id,
                status=statuses[(entry.action_id + quarter) % 3],
                actual=f"Done in quarter {quarter}: act {entry.action_id}",
                reasons="" if (entry.action_id + quarter) % 3 == 0 else "Funding came late",
                updated_by=user,
            )
            for entry in entries
            if entry.lead_unit_id in submissions
        ]
        ProgressEntry.objects.bulk_create(rows, batch_size=1000)
        count += len(rows)
    return count


def build_measured(actions: int):
    """The measured body: approved, four quarters of accepted information, its Q2 report
    compiled by its monitor; returns the plan, the monitor and the report."""
    from bench.workload import approve, large_body
    from jospar.orgs.models import Role
    from jospar.reports import services as report_services

    plan = large_body(0, actions)
    user = bench_user(plan.body, Role.MONITOR, Role.PLANNER)
    revision = approve(plan, user)
    accepted_quarters(plan, revision, user)
    report = report_services.report_compile(actor=user, plan=plan, quarter=2)
    return plan, user, report


def build_other(index: int, actions: int) -> None:
    """Another large body as the measured one is: approved, four quarters of accepted
    information and its Q2 report compiled."""
    from bench.workload import approve, large_body
    from jospar.orgs.models import Role
    from jospar.reports import services as report_services

    plan = large_body(index, actions)
    user = bench_user(plan.body, Role.MONITOR, Role.PLANNER, username=f"monitor{index}")
    revision = approve(plan, user)
    accepted_quarters(plan, revision, user)
    report_services.report_compile(actor=user, plan=plan, quarter=2)


def report_rows_plan(report) -> str:
    """How PostgreSQL reads report_rows' query (EXPLAIN ANALYZE): the scans, the time."""
    from django.db import connection

    from jospar.reports.selectors import report_rows_query

    if connection.vendor != "postgresql":
        return "(EXPLAIN printed on PostgreSQL only)"
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    plan_text = report_rows_query(report).explain(analyze=True)
    scans = sorted(
        set(
            re.findall(
                r"(Seq Scan|Index Scan using \S+|Index Only Scan using \S+|"
                r"Bitmap Heap Scan) on (\w+)",
                plan_text,
            )
        )
    )
    reads = "; ".join(f"{how} on {table}" for how, table in scans)
    return f"{reads}; {plan_text.splitlines()[-1].strip()}"


@contextmanager
def on(wrapper):
    """The block's queries, Django's included, go to `wrapper`'s database."""
    from django.db import connections

    previous = connections["default"]
    connections["default"] = wrapper
    try:
        yield
    finally:
        connections["default"] = previous


def second_database():
    """A connection (DatabaseWrapper) to a new empty database beside the default one,
    migrated, and a function that drops that database."""
    from django.core.management import call_command
    from django.db import connections

    default = connections["default"]
    settings = dict(default.settings_dict)
    if default.vendor == "postgresql":
        settings["NAME"] = f"{settings['NAME']}_onebody"
        with default.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{settings["NAME"]}"')
    else:
        settings["NAME"] = str(settings["NAME"]).replace(".sqlite3", "-onebody.sqlite3")
    wrapper = default.__class__(settings, "default")
    with on(wrapper):
        call_command("migrate", verbosity=0)

    def drop() -> None:
        wrapper.close()
        if default.vendor == "postgresql":
            with default.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}"')

    return wrapper, drop


def large_scans(fn, least: int = 5000) -> list[str]:
    """The SELECTs `fn` makes that PostgreSQL would answer with a sequential scan of a table
    of more than `least` rows (EXPLAIN of each query as it was sent): a read of every body's
    rows where one body's would do."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()  # a full log (9,000 queries: the workload's) would capture nothing
    with CaptureQueriesContext(connection) as captured:
        fn()
    found = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'")
        sizes = dict(cursor.fetchall())
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN {sql}")
            for table in re.findall(r"Seq Scan on (\w+)", "\n".join(r[0] for r in cursor)):
                if sizes.get(table, 0) > least:
                    found.append(f"{table} ({sizes[table]:.0f} rows): {sql[:120]}")
    return found


def one_against_many(args) -> None:
    """The same report measured in a database of one body and in one of `args.bodies`,
    alternating (see the module's description)."""
    from django.db import connections
    from django.test import Client
    from django.urls import reverse

    from jospar.reports import services as report_services
    from jospar.reports.selectors import report_layout, report_summary

    many = connections["default"]
    one, drop = second_database()
    try:
        start = time.perf_counter()
        sides = {}
        with on(one):
            sides["one"] = build_measured(args.actions)
        print(f"built the measured body alone in {time.perf_counter() - start:.1f} s")
        start = time.perf_counter()
        for index in range(1, args.bodies):  # the others first: the measured rows come last
            build_other(index, args.actions)
        sides["many"] = build_measured(args.actions)
        print(
            f"built {args.bodies - 1} other large bodies and then the measured one "
            f"in {time.perf_counter() - start:.1f} s"
        )
        wrappers = {"one": one, "many": many}
        steps = {}
        for name, (plan, user, report) in sides.items():
            with on(wrappers[name]):
                print(f"report_rows with {name}: {report_rows_plan(report)}")
                client = Client(HTTP_HOST="127.0.0.1")
                client.force_login(user)
                page = reverse("reports:report", args=[plan.body_id, plan.pk, 2])
                api = reverse("api-report-detail", args=[report.pk])

                def read(report=report):
                    report_summary(report, report_layout(report))

                steps[name] = {
                    "report layout + summary (selectors)": read,
                    "report page GET (HTML)": lambda client=client, url=page: client.get(url),
                    "report API GET (JSON)": lambda client=client, url=api: client.get(url),
                    "report_compile Q2 (again)": lambda user=user, plan=plan: (
                        report_services.report_compile(actor=user, plan=plan, quarter=2)
                    ),
                }
        if many.vendor == "postgresql":
            with on(many):
                for what, fn in steps["many"].items():
                    scans = large_scans(fn)
                    print(f"{what}, sequential scans of large tables: {scans or 'none'}")
        for what in steps["one"]:
            compare(what, steps, wrappers, args)
    finally:
        drop()


def compare(what: str, steps: dict, wrappers: dict, args) -> None:
    """One step, alternating between the two databases for `args.repeat` rounds: its wall
    time, this process's CPU time (Django's work, not the database's) and the time of its SQL
    queries (as DEBUG records them, to the millisecond; psycopg's reading of the rows included),
    the ratio N ÷ 1 taken round by round;
    then the queries whose time differs most between the two."""
    from django.db import connection, reset_queries

    sides = ("one", "many")
    wall, cpu, sql = ({name: [] for name in sides} for _ in range(3))
    queries = {name: [] for name in sides}  # per round, each query's (sql, seconds)
    for name in sides:  # warm each side once
        with on(wrappers[name]):
            steps[name][what]()
    loads = [os.getloadavg()[0]]
    for round_number in range(args.repeat):
        # The first side changes every round, and each call starts after a full collection:
        # a collection that came every other call would otherwise fall on the same side.
        for name in sides if round_number % 2 == 0 else sides[::-1]:
            with on(wrappers[name]):
                reset_queries()
                gc.collect()
                begin, begin_cpu = time.perf_counter(), time.process_time()
                steps[name][what]()
                wall[name].append(time.perf_counter() - begin)
                cpu[name].append(time.process_time() - begin_cpu)
                done = [(q["sql"], float(q["time"])) for q in connection.queries]
                queries[name].append(done)
                sql[name].append(sum(seconds for _, seconds in done))
    loads.append(os.getloadavg()[0])
    print(f"{what}, {args.repeat} rounds, load average {min(loads):.1f}–{max(loads):.1f}:")
    for label, values in (("wall", wall), ("CPU of this process", cpu), ("SQL", sql)):
        ratios = [m / o for m, o in zip(values["many"], values["one"], strict=True) if o]
        spread = (
            f"median {statistics.median(ratios):.3f} ({min(ratios):.3f}–{max(ratios):.3f})"
            if ratios
            else "—"
        )
        print(
            f"  {label:<20} 1 body {statistics.median(values['one']) * 1000:6.0f} ms"
            f" ({min(values['one']) * 1000:.0f}–{max(values['one']) * 1000:.0f}),"
            f" {args.bodies} bodies {statistics.median(values['many']) * 1000:6.0f} ms"
            f" ({min(values['many']) * 1000:.0f}–{max(values['many']) * 1000:.0f});"
            f" {args.bodies} ÷ 1 round by round: {spread}"
        )
    counts = {len(done) for name in sides for done in queries[name]}
    if len(counts) != 1:
        print(f"  (the number of queries differs between rounds: {sorted(counts)})")
        return
    gaps = []
    for index in range(counts.pop()):
        medians = {
            name: statistics.median(done[index][1] for done in queries[name]) for name in sides
        }
        gaps.append((medians["many"] - medians["one"], medians, queries["many"][0][index][0]))
    for _gap, medians, text in sorted(gaps, key=lambda g: -abs(g[0]))[:3]:
        print(
            f"  query {medians['one'] * 1000:.0f} → {medians['many'] * 1000:.0f} ms: {text[:160]}"
        )


def main() -> None:
    parser = bench_parser(__doc__, repeat=3)
    parser.add_argument(
        "--bodies", type=int, default=1, help="measure with 1 body against N in one run"
    )
    args = parser.parse_args()
    if args.bodies > 1:  # both connections kept for the whole run, neither side reconnects
        os.environ.setdefault("DB_CONN_MAX_AGE", "86400")
    with throwaway_database():
        if args.bodies > 1:
            one_against_many(args)
            return
        from django.test import Client
        from django.urls import reverse

        from bench.workload import approve, large_body
        from jospar.orgs.models import Role
        from jospar.reports import services as report_services
        from jospar.reports.models import Report
        from jospar.reports.selectors import report_layout, report_summary

        start = time.perf_counter()
        plan = large_body(0, args.actions)
        user = bench_user(plan.body, Role.MONITOR, Role.PLANNER)
        revision = approve(plan, user)
        entries = accepted_quarters(plan, revision, user)
        print(
            f"built the large body, revision 1 and {entries} accepted entries "
            f"in {time.perf_counter() - start:.1f} s"
        )

        def compile_q2():
            return report_services.report_compile(actor=user, plan=plan, quarter=2)

        start = time.perf_counter()
        compile_q2()
        print(f"report_compile Q2, first time: {(time.perf_counter() - start) * 1000:.0f} ms")
        measure("report_compile Q2 (again)", compile_q2, args.repeat)
        report = Report.objects.get(plan=plan, quarter=2)

        print(f"report_rows: {report_rows_plan(report)}")

        def read():
            layout = report_layout(report)
            report_summary(report, layout)

        measure("report layout + summary (selectors)", read, args.repeat)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        url = reverse("reports:report", args=[plan.body_id, plan.pk, 2])
        measure("report page GET (HTML)", lambda: client.get(url), args.repeat)
        print(f"report page size: {len(client.get(url).content) / 1024:.0f} KiB")
        api = reverse("api-report-detail", args=[report.pk])
        measure("report API GET (JSON)", lambda: client.get(api), args.repeat)
        print(f"report API answer size: {len(client.get(api).content) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
