"""Benchmark: importing the large body's plan (2,000 actions) from the Appendix 1 workbook
Jospar exports of it, end to end through `jospar import_plan` (read the file, check it, write
every action with its history), with the number of SQL statements; and the reading of the file
alone against its floor, openpyxl's `load_workbook(read_only=True)` iterating every row of the
same file, the two alternating in one process.

Run:  .venv/bin/python -m bench.bench_import [--actions 2000] [--repeat 5]
It builds the workload in a throw-away SQLite file (or DATABASE_URL if set). The timed runs
record no queries (as in production, DEBUG off); the statements are counted in a run of their
own. Before each import into the empty plan the previous run's actions are deleted, untimed.
"""

import statistics
import tempfile
import time
from contextlib import contextmanager
from io import BytesIO, StringIO
from pathlib import Path

from bench.bench_plan import bench_parser, bench_user, throwaway_database


@contextmanager
def counted():
    """Count the SQL statements the block executes (every one, however many)."""
    from django.db import connection

    count = [0]

    def wrapper(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield count


def floor_read(data: bytes) -> int:
    """openpyxl's read-only reading of the workbook: every row of every sheet, values only."""
    from openpyxl import load_workbook

    book = load_workbook(BytesIO(data), read_only=True, data_only=True)
    rows = 0
    for sheet in book.worksheets:
        for _row in sheet.iter_rows(values_only=True):
            rows += 1
    book.close()
    return rows


def clear(plan) -> None:
    """Delete the plan's actions directly (no history, untimed): an empty plan again."""
    from jospar.plans.models import Action

    for through in (Action.budget_programs.through, Action.co_executors.through):
        through.objects.filter(action__plan=plan).delete()
    actions = Action.objects.filter(plan=plan)
    actions._raw_delete(actions.db)


def seconds(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def spread(times: list[float]) -> str:
    return (
        f"median {statistics.median(times):.3f} s "
        f"(min {min(times):.3f}, max {max(times):.3f}, {len(times)} runs)"
    )


def main() -> None:
    parser = bench_parser(__doc__, repeat=5)
    parser.add_argument("--lang", default="ru", help="the language of the exported workbook")
    args = parser.parse_args()
    with throwaway_database(), tempfile.TemporaryDirectory() as tmp:
        from django.conf import settings
        from django.core.management import call_command

        from bench.workload import large_body
        from jospar.documents.appendices import plan_form_file
        from jospar.documents.importer import parse_plan_xlsx
        from jospar.orgs.models import Role

        start = time.perf_counter()
        plan = large_body(0, args.actions)
        bench_user(plan.body, Role.PLANNER)
        data = plan_form_file(plan, revision=None, file_format="xlsx", language=args.lang).content
        path = Path(tmp) / "plan.xlsx"
        path.write_bytes(data)
        print(
            f"built the large body and exported its plan ({len(data) / 1024:.0f} KiB, "
            f"{args.lang}) in {time.perf_counter() - start:.1f} s"
        )
        settings.DEBUG = False  # the timed runs record no queries
        command = ("import_plan", plan.body.code, str(plan.year), str(path), "--user", "bench")

        def import_into_empty() -> None:
            call_command(*command, stdout=StringIO())

        def import_replacing() -> None:
            call_command(*command, "--replace", stdout=StringIO())

        def dry_run() -> None:
            call_command(*command, "--dry-run", "--replace", stdout=StringIO())

        clear(plan)
        with counted() as statements:
            import_into_empty()
        imported = plan.actions.count()
        print(f"import into the empty plan: {imported} actions, {statements[0]} SQL statements")
        with counted() as statements:
            import_replacing()
        print(f"import with --replace of {imported} actions: {statements[0]} SQL statements")
        with counted() as statements:
            parse_plan_xlsx(BytesIO(data), plan=plan)
        print(f"reading the file (parse_plan_xlsx): {statements[0]} SQL statements")

        empty, replacing, dry = [], [], []
        for _ in range(args.repeat):
            clear(plan)
            empty.append(seconds(import_into_empty))
            replacing.append(seconds(import_replacing))
            dry.append(seconds(dry_run))
        print(f"import_plan into the empty plan:   {spread(empty)}")
        print(f"import_plan --replace:             {spread(replacing)}")
        print(f"import_plan --dry-run:             {spread(dry)}")

        parse, floor = [], []
        for _ in range(max(args.repeat, 5)):  # alternating, so both see the same machine
            parse.append(seconds(lambda: parse_plan_xlsx(BytesIO(data), plan=plan)))
            floor.append(seconds(lambda: floor_read(data)))
        print(f"parse_plan_xlsx:                   {spread(parse)}")
        print(f"floor, read-only load_workbook:    {spread(floor)}")
        print(
            f"reading vs its floor: {statistics.median(parse) / statistics.median(floor):.2f}× "
            f"(medians; {floor_read(data)} rows in the file)"
        )


if __name__ == "__main__":
    main()
