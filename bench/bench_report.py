"""Benchmark: compiling and reading the quarterly report (R15, Appendix 2: the selectors, the
page and the API's GET reports/{id}/) for the large body (2,000 actions, 80 units, four
quarters of accepted information — 8,000 progress entries), with the number of SQL queries,
wall time and peak Python memory.

Run:  .venv/bin/python -m bench.bench_report [--actions 2000] [--repeat 3] [--bodies 20]
It builds the workload in a throw-away SQLite file (or DATABASE_URL if set). With --bodies N
the measured body is built after N - 1 other approved large bodies, so that its rows are the
last of every table; on PostgreSQL the plan of report_rows' query is printed (one body's rows
are read through indexes, not a scan of every body's).
"""

import re
import time

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


def main() -> None:
    parser = bench_parser(__doc__, repeat=3)
    parser.add_argument("--bodies", type=int, default=1, help="large bodies in the database")
    args = parser.parse_args()
    with throwaway_database():
        from django.test import Client
        from django.urls import reverse

        from bench.workload import approve, large_body
        from jospar.orgs.models import Role
        from jospar.reports import services as report_services
        from jospar.reports.models import Report
        from jospar.reports.selectors import report_layout, report_summary

        start = time.perf_counter()
        for index in range(1, args.bodies):  # the others first: the measured rows come last
            other = large_body(index, args.actions)
            approve(other, bench_user(other.body, Role.PLANNER, username=f"planner{index}"))
        plan = large_body(0, args.actions)
        user = bench_user(plan.body, Role.MONITOR, Role.PLANNER)
        revision = approve(plan, user)
        entries = accepted_quarters(plan, revision, user)
        print(
            f"built {args.bodies} large bod(ies), revision 1 and {entries} accepted entries "
            f"of the measured one in {time.perf_counter() - start:.1f} s"
        )

        def compile_q2():
            return report_services.report_compile(actor=user, plan=plan, quarter=2)

        start = time.perf_counter()
        compile_q2()
        print(f"report_compile Q2, first time: {(time.perf_counter() - start) * 1000:.0f} ms")
        measure("report_compile Q2 (again)", compile_q2, args.repeat)
        report = Report.objects.get(plan=plan, quarter=2)

        from django.db import connection

        from jospar.reports.selectors import report_rows_query

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            plan_text = report_rows_query(report).explain(analyze=True)
            scans = sorted(set(re.findall(r"(Seq Scan|Index Scan using \S+) on (\w+)", plan_text)))
            print("report_rows reads: " + "; ".join(f"{how} on {table}" for how, table in scans))
            print(plan_text.splitlines()[-1])

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
