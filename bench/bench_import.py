"""Benchmark: importing the large body's plan (2,000 actions) from the Appendix 1 workbook
Jospar exports of it, end to end through `jospar import_plan` (read the file, check it, write
every action with its history), with the number of SQL statements; and the reading of the file
alone against its floor, openpyxl's `load_workbook(read_only=True)` iterating every row of the
same file, the two alternating in one process.

Then the same for a planners' sheet of the same 2,000 actions typed as ministries type them
(section II's actions right under its heading with no task rows, every fourth term "по мере
поступления", a "1.1.1" number column, an empty column, notes and a signature under the table),
as .xlsx against the same floor and as .ods against calamine reading every row of it; each
reading's time and peak memory: the Python heap's peak (tracemalloc) and the process's resident
peak above where it started (Linux's VmHWM, reset before each run — it counts calamine's Rust
allocations too).

Run:  .venv/bin/python -m bench.bench_import [--actions 2000] [--repeat 5]
It builds the workload in a throw-away SQLite file (or DATABASE_URL if set). The timed runs
record no queries (as in production, DEBUG off); the statements are counted in a run of their
own. Before each import into the empty plan the previous run's actions are deleted, untimed.
"""

import os
import statistics
import tempfile
import time
import tracemalloc
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


def calamine_floor(data: bytes) -> int:
    """calamine's reading of an .ods or .xls: every row of every sheet, values only."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(BytesIO(data))
    rows = 0
    for name in book.sheet_names:
        for _row in book.get_sheet_by_name(name).to_python(skip_empty_area=False):
            rows += 1
    book.close()
    return rows


def _resident_kib(key: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key):
                return int(line.split()[1])
    return 0


def heap_peak(fn) -> float:
    """The Python heap's peak during one run of `fn`, in MiB (tracemalloc: what Python
    allocates; calamine's Rust allocations are not in it — see resident_peak)."""
    tracemalloc.start()
    fn()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def resident_peak(reader: str, path: str, plan_pk: int) -> float:
    """The resident set's growth, in MiB, while a fresh process reads the file at `path` once
    (`reader`: "parse", "openpyxl" or "calamine"): every allocation, Rust's included. In a
    fresh process, so that no memory an earlier run freed is reused unseen."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(_resident_child, (reader, path, plan_pk))


def _resident_child(reader: str, path: str, plan_pk: int) -> float:
    from bench.bench_plan import setup_django

    setup_django(Path(os.environ["JOSPAR_VAR_DIR"]))
    from jospar.documents.importer import parse_plan_xlsx
    from jospar.plans.models import OperationalPlan

    plan = OperationalPlan.objects.get(pk=plan_pk)
    data = Path(path).read_bytes()
    run = {
        "parse": lambda d: parse_plan_xlsx(BytesIO(d), plan=plan),
        "openpyxl": floor_read,
        "calamine": calamine_floor,
    }[reader]
    warm = Path(path).with_suffix(".warm" + Path(path).suffix)
    if warm.exists():  # a few rows of the same kind: modules, caches and queries warmed
        run(warm.read_bytes())
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")  # VmHWM := the resident set now
    start = _resident_kib("VmRSS")
    run(data)
    return (_resident_kib("VmHWM") - start) / 1024


def planners_sheet(plan) -> list[list]:
    """The plan's 2,000 actions as a ministry types them (see the module's docstring), in
    Russian: headings as the form words them, matched by number; no task rows."""
    from django.utils import translation

    from jospar.documents.appendices import heading_text
    from jospar.plans.selectors import attached, plan_layout

    rows = [
        ["", "Операционный план"],
        ["", str(plan.body)],
        [
            "№\nп/п",
            "Наименование\nмероприятия",
            None,
            "Код бюджетной\nпрограммы",
            "Ответственные\nисполнители",
            "Срок\nисполнения",
            "Форма\nзавершения",
        ],
    ]
    with translation.override("ru"):
        section, number = 1, 0
        for row in plan_layout(plan):
            if row.kind == "section":
                section, number = row.obj, 0
                rows.append([heading_text(row)])
            elif row.kind == "task":
                continue  # section II's actions stand right under its heading
            elif row.kind != "action":
                rows.append(["", heading_text(row)])
            else:
                action = row.obj
                number += 1
                term = "по мере поступления" if row.number % 4 == 0 else action.term_display
                rows.append(
                    [
                        f"{section}.{number}",
                        action.name,
                        None,
                        ", ".join(p.code for p in attached(action, "budget_programs")),
                        "\n".join(
                            [action.lead_unit.code]
                            + [u.code for u in attached(action, "co_executors")]
                        ),
                        term,
                        action.completion_display,
                    ]
                )
    rows += [
        [],
        ["Примечание: расшифровка аббревиатур прилагается."],
        ["* соисполнители — по согласованию"],
        [
            "",
            "Руководитель Департамента стратегического планирования",
            None,
            "",
            "",
            "",
            "А. Сейтказиев",
        ],
    ]
    return rows


def planners_sheet_head() -> list[list]:
    """A few rows of a planners' sheet (its header and a heading), to warm a fresh process."""
    return [
        [
            "№",
            "Наименование",
            "Код бюджетной программы",
            "Ответственный исполнитель",
            "Срок исполнения",
            "Форма завершения",
        ],
        ["I. Мероприятия"],
    ]


def xlsx_of(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("План")
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


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
        from jospar.documents.tests.ods import ods
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

        warm_rows = [r for r in planners_sheet_head()]
        (Path(tmp) / "compare.warm.xlsx").write_bytes(xlsx_of(warm_rows))
        (Path(tmp) / "compare.warm.ods").write_bytes(ods([("План", warm_rows, ())]).getvalue())
        compare("Jospar's export (.xlsx)", data, plan, floor_read, args.repeat, ".xlsx", tmp)

        sheet = planners_sheet(plan)
        typed = xlsx_of(sheet)
        typed_ods = ods([("План", sheet, ())]).getvalue()
        result = parse_plan_xlsx(BytesIO(typed), plan=plan)
        assert result.ok, [str(p) for p in result.problems[:5]]
        no_task = sum(1 for a in result.actions if a.section == 2 and a.task is None)
        ongoing = sum(1 for a in result.actions if a.term and a.term.kind == "ongoing")
        print(
            f"\nthe planners' sheet: {len(result.actions)} actions ({no_task} in section II "
            f"without a task, {ongoing} ongoing terms), signatory {result.signatory_name!r}, "
            f"{len(result.notes)} notes; .xlsx {len(typed) / 1024:.0f} KiB, "
            f".ods {len(typed_ods) / 1024:.0f} KiB"
        )
        path.write_bytes(typed)
        clear(plan)
        typed_import = []
        for _ in range(args.repeat):
            clear(plan)
            typed_import.append(seconds(import_into_empty))
        print(f"import_plan of the planners' .xlsx: {spread(typed_import)}")
        compare("planners' sheet (.xlsx)", typed, plan, floor_read, args.repeat, ".xlsx", tmp)
        compare("planners' sheet (.ods)", typed_ods, plan, calamine_floor, args.repeat, ".ods", tmp)


def compare(label: str, data: bytes, plan, floor, repeat: int, suffix: str, tmp: str) -> None:
    """The reading of `data` (parse_plan_xlsx) against its floor, alternating: the time and
    the Python heap's peak of each in this process, and the resident set's growth of each in
    a fresh process (medians of three)."""
    from jospar.documents.importer import parse_plan_xlsx

    def parse() -> None:
        parse_plan_xlsx(BytesIO(data), plan=plan)

    path = Path(tmp) / f"compare{suffix}"
    path.write_bytes(data)
    floor_name = "openpyxl" if floor is floor_read else "calamine"
    names = {"parse": parse, floor_name: lambda: floor(data)}
    times: dict[str, list[float]] = {name: [] for name in names}
    heap: dict[str, list[float]] = {name: [] for name in names}
    resident: dict[str, list[float]] = {name: [] for name in names}
    for run in range(max(repeat, 5)):  # alternating, so both see the same machine
        for name, fn in names.items():
            times[name].append(seconds(fn))
            heap[name].append(heap_peak(fn))
            if run < 3:
                resident[name].append(resident_peak(name, str(path), plan.pk))
    median = statistics.median
    print(f"\n{label}, {floor(data)} rows, {len(data) / 1024:.0f} KiB:")
    for name in names:
        what = "parse_plan_xlsx" if name == "parse" else f"floor ({floor.__name__})"
        print(
            f"  {what:<26} {spread(times[name])}; peak heap {median(heap[name]):.1f} MiB, "
            f"resident +{median(resident[name]):.1f} MiB"
        )
    print(
        f"  parse / floor: time {median(times['parse']) / median(times[floor_name]):.2f}×, "
        f"peak heap {median(heap['parse']) / median(heap[floor_name]):.2f}×, "
        f"resident {median(resident['parse']) / median(resident[floor_name]):.2f}×"
    )


if __name__ == "__main__":
    main()
