"""Benchmark: the legal forms for the large body (2,000 actions) in each format, with the
number of SQL queries, wall time and peak Python memory (tracemalloc), against a floor: the
same rows written by a bare openpyxl write-only loop (no styles, merges or page set-up).
Appendix 1 is the plan (its draft and its first revision); Appendix 2 the report on the 2nd
quarter, compiled from four quarters of accepted information as bench/bench_report.py builds
them, with a recommendation on every tenth action.

Run:  DEBUG=1 .venv/bin/python -m bench.bench_forms [--actions 2000] [--repeat 3] [--appendix 2]
It builds the workload in a throw-away SQLite file (or DATABASE_URL if set). Peak memory of
the PDF is Python's only: WeasyPrint's Pango and Cairo allocate outside tracemalloc's view.
"""

import time
from io import BytesIO

from bench.bench_plan import bench_parser, bench_user, measure, throwaway_database


def floor_xlsx(document) -> bytes:
    """The rows of the form and nothing else, as fast as openpyxl writes a sheet."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([document.title])
    sheet.append(document.headings)
    for row in document.rows:
        sheet.append(row.cells if row.is_action else [None, row.text])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def forms(label: str, make_document, repeat: int) -> list[dict]:
    from jospar.documents.appendices import render

    results = [measure(f"{label}: form document (queries + texts)", make_document, repeat)]
    document = make_document()
    floor = measure(
        f"{label}: floor, bare write-only openpyxl", lambda: floor_xlsx(document), repeat
    )
    for file_format in ("xlsx", "docx", "pdf"):
        result = measure(
            f"{label}: {file_format.upper()} (document + render)",
            lambda file_format=file_format: render(make_document(), file_format),
            repeat,
        )
        size = len(render(document, file_format).content)
        result |= {"format": file_format, "kib": round(size / 1024)}
        results.append(result)
    base = results[0]["median_ms"]
    print(f"{label}: ratio to the floor ({floor['median_ms']} ms, {floor['peak_mib']} MiB):")
    for result in results[1:]:
        whole = result["median_ms"] / max(floor["median_ms"], 1)
        rendering = (result["median_ms"] - base) / max(floor["median_ms"], 1)
        print(
            f"  {result['format']:<5} {whole:6.1f}× time ({rendering:.1f}× rendering alone)"
            f"  {result['peak_mib'] / max(floor['peak_mib'], 0.1):6.1f}× memory"
            f"  {result['kib']:>5} KiB file"
        )
    return results


def main() -> None:
    parser = bench_parser(__doc__, repeat=3)
    parser.add_argument(
        "--appendix", choices=("1", "2", "all"), default="all", help="which forms to measure"
    )
    args = parser.parse_args()
    with throwaway_database():
        from bench.workload import approve, large_body
        from jospar.documents.appendices import plan_form, report_form

        start = time.perf_counter()
        plan = large_body(0, args.actions)
        user = bench_user(plan.body)
        print(f"built the large body in {time.perf_counter() - start:.1f} s")
        if args.appendix in ("1", "all"):
            forms("Appendix 1, draft", lambda: plan_form(plan, None, "ru"), args.repeat)

        revision = approve(plan, user)
        if args.appendix in ("1", "all"):
            forms("Appendix 1, revision 1", lambda: plan_form(plan, revision, "kk"), args.repeat)
        if args.appendix in ("2", "all"):
            report = compiled_report(plan, revision, user)
            forms("Appendix 2, quarter 2", lambda: report_form(report, "ru"), args.repeat)


def compiled_report(plan, revision, user):
    """The report on the 2nd quarter of the approved plan, compiled by a monitor from four
    quarters of accepted information, with the monitor's recommendation on every tenth
    action and a recommendation to move one action."""
    from bench.bench_report import accepted_quarters
    from jospar.orgs.models import Role, RoleAssignment
    from jospar.reports import services as report_services
    from jospar.reports.models import ReportRow

    start = time.perf_counter()
    RoleAssignment.objects.create(user=user, body=plan.body, role=Role.MONITOR)
    entries = accepted_quarters(plan, revision, user)
    report = report_services.report_compile(actor=user, plan=plan, quarter=2)
    rows = list(report.rows.order_by("planned__number")[::10])
    for row in rows:
        row.recommendation = f"Report on action {row.planned.number} monthly until it is done"
    ReportRow.objects.bulk_update(rows, ["recommendation"], batch_size=500)
    report_services.report_update(
        actor=user, report=report, general_recommendations="", monitoring_unit=plan.planning_unit
    )
    print(
        f"compiled the Q2 report from {entries} accepted entries "
        f"in {time.perf_counter() - start:.1f} s"
    )
    return report


if __name__ == "__main__":
    main()
