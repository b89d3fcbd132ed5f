"""Benchmark: importing a body's units and people from the template's workbook — 300 units
(departments under five committees) and 1,000 people — through `read_org_sheet` and the
`org_import` service (read, check, write every unit, person and role with its history); the
re-import of the same file (nothing changes); and the reading against its floor, openpyxl's
`load_workbook(read_only=True)` iterating every row of the same file. Time and peak memory
(tracemalloc), the import and the floor alternating in one process.

Run:  .venv/bin/python -m bench.bench_org_import [--units 300] [--people 1000] [--repeat 5]
It works in a throw-away SQLite file (or DATABASE_URL if set). Before each import the previous
run's units, people and roles are deleted (untimed), so that every run creates them all.
"""

import argparse
import statistics
import time
import tracemalloc
from io import BytesIO

from bench.bench_import import counted, floor_read, spread
from bench.bench_plan import bench_user, throwaway_database


def peak_of(fn) -> int:
    """The peak of memory Python allocates while `fn` runs (bytes)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with throwaway_database():
        from django.conf import settings

        from jospar.orgs.models import Role, RoleAssignment, StateBody, Unit, User
        from jospar.orgs.orgsheet import read_org_sheet
        from jospar.orgs.services import org_import
        from jospar.orgs.tests.org_sheets import big_org, org_workbook

        settings.DEBUG = False  # the timed runs record no queries
        body = StateBody.objects.create(code="BENCH", name_ru="Министерство", name_kk="Министрлік")
        admin = bench_user(body, Role.ADMINISTRATOR)
        units, people = big_org(args.units, args.people)
        data = org_workbook(units, people, language="ru").getvalue()
        print(
            f"workbook: {args.units} units, {args.people} people ({len(data) / 1024:.0f} KiB, "
            f"headings in Russian; {floor_read(data)} rows)"
        )

        def clear() -> None:
            RoleAssignment.objects.filter(body=body).exclude(user=admin).delete()
            User.objects.filter(email__endswith="@ministry.gov.kz").delete()
            Unit.objects.filter(body=body).update(parent=None)
            Unit.objects.filter(body=body).delete()

        def import_file() -> None:
            sheet = read_org_sheet(BytesIO(data), body=body, actor=admin)
            assert sheet.ok, sheet.problems[:3]
            org_import(actor=admin, body=body, sheet=sheet)

        def reread() -> None:
            assert read_org_sheet(BytesIO(data), body=body, actor=admin).changes == 0

        clear()
        with counted() as statements:
            import_file()
        written = (Unit.objects.filter(body=body).count(), body.roles.count() - 1)
        print(f"import: {written[0]} units, {written[1]} roles, {statements[0]} SQL statements")
        with counted() as statements:
            reread()
        print(f"re-import of the same file (nothing changes): {statements[0]} SQL statements")

        imports, floors, rereads = [], [], []
        import_peaks, floor_peaks = [], []
        for _ in range(args.repeat):  # alternating, so both see the same machine
            clear()
            start = time.perf_counter()
            import_file()
            imports.append(time.perf_counter() - start)
            start = time.perf_counter()
            floor_read(data)
            floors.append(time.perf_counter() - start)
            start = time.perf_counter()
            reread()
            rereads.append(time.perf_counter() - start)
        for _ in range(max(2, args.repeat // 2)):
            clear()
            import_peaks.append(peak_of(import_file))
            floor_peaks.append(peak_of(lambda: floor_read(data)))
        print(f"import (read, check, write):       {spread(imports)}")
        print(f"re-import, nothing changes:        {spread(rereads)}")
        print(f"floor, read-only load_workbook:    {spread(floors)}")
        ratio = statistics.median(imports) / statistics.median(floors)
        print(f"import vs its floor: {ratio:.2f}× (medians)")
        print(
            f"peak memory: import {statistics.median(import_peaks) / 2**20:.1f} MiB, floor "
            f"{statistics.median(floor_peaks) / 2**20:.1f} MiB "
            f"({statistics.median(import_peaks) / statistics.median(floor_peaks):.2f}×)"
        )


if __name__ == "__main__":
    main()
