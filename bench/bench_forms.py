"""Benchmark: the legal forms for the large body (2,000 actions) in each format, with the
number of SQL queries, wall time and peak Python memory (tracemalloc). Each format is
compared with its own floor: XLSX with the same cells and styles written by openpyxl's
write-only mode (`floor_xlsx_styled`; the unstyled loop `floor_xlsx` is printed beside it),
DOCX with the same table written as WordprocessingML into a minimal package (`floor_docx`, no
python-docx). The PDF is compared with its own floor, the bare typst render of the same
table: the same rows and cells in the same font, heading rows repeated, "n / N", A4 landscape,
the markup built by the few lines of `floor_typst` (no Django, no styles, title or
signature). Floor and form alternate in this one process, `--pdf-rounds` times; the peak RSS
of the whole process (Django, the workload's database connection and the render, as a worker
has them) is measured for each in a process forked for it, its high-water mark reset first.
Appendix 1 is the plan (its draft and its first revision); Appendix 2 the report on the 2nd
quarter, compiled from four quarters of accepted information as bench/bench_report.py builds
them, with a recommendation on every tenth action.

XLSX and DOCX alternate with their floors in this one process, `--repeat` rounds.

Run:  .venv/bin/python -m bench.bench_forms [--actions 2000] [--repeat 5] [--appendix 2]
      [--formats pdf] [--pdf-rounds 5]
It builds the workload in a throw-away SQLite file (or DATABASE_URL if set).
"""

import json
import os
import re
import statistics
import time
from io import BytesIO
from pathlib import Path

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


def floor_xlsx_styled(document) -> bytes:
    """The form's cells with the form's styles (box borders, wrapped and aligned text, bold or
    italic headings, column widths, the two heading rows repeated on print) as openpyxl's
    write-only mode writes them: no merges or page set-up beyond that."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    top = Alignment(vertical="top", wrap_text=True)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    bold, italic = Font(bold=True), Font(bold=True, italic=True)
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    for col, width in enumerate(document.widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.print_title_rows = "1:2"

    def cell(value, font=None, alignment=top):
        written = WriteOnlyCell(sheet, value=value)
        written.border, written.alignment = box, alignment
        if font is not None:
            written.font = font
        return written

    sheet.append([cell(text, bold, center) for text in document.headings])
    sheet.append([cell(n, None, center) for n in range(1, document.columns + 1)])
    for row in document.rows:
        if row.is_action:
            sheet.append([cell(value) for value in row.cells])
        else:
            sheet.append([cell(None), cell(row.text, italic if row.kind != "goal" else bold)])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def floor_docx(document) -> bytes:
    """The form's table as WordprocessingML written straight into a minimal DOCX package:
    the same rows and cells, each cell's width and span, its paragraph and run, the two
    heading rows repeated, bold and italic as the form sets them; no python-docx."""
    import zipfile
    from html import escape

    namespace = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    total = sum(document.widths)
    widths = [round(15307 * w / total) for w in document.widths]  # A4 landscape's text width

    def row(cells, header=False, style=""):
        parts = ["<w:tr>", "<w:trPr><w:tblHeader/></w:trPr>" if header else ""]
        col = 0
        for value, span in cells:
            width = sum(widths[col : col + span])
            col += span
            text = "" if value is None else escape(str(value), quote=False)
            run = f'<w:r>{style}<w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""
            spanned = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
            parts.append(
                f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{spanned}</w:tcPr>'
                f"<w:p>{run}</w:p></w:tc>"
            )
        parts.append("</w:tr>")
        return "".join(parts)

    bold = "<w:rPr><w:b/></w:rPr>"
    rows = [row([(h, 1) for h in document.headings], True, bold)]
    rows.append(row([(n, 1) for n in range(1, document.columns + 1)], True, bold))
    for item in document.rows:
        if item.is_action:
            rows.append(row([(value, 1) for value in item.cells]))
        else:
            rows.append(row([("", 1), (item.text, document.columns - 1)], style=bold))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    body = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{namespace}">'
        f'<w:body><w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/></w:tblPr><w:tblGrid>{grid}'
        f'</w:tblGrid>{"".join(rows)}</w:tbl><w:sectPr><w:pgSz w:w="16838" w:h="11906"'
        ' w:orient="landscape"/></w:sectPr></w:body></w:document>'
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
        '"application/xml"/><Override PartName="/word/document.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats'
        '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/'
        'document.xml"/></Relationships>'
    )
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", types)
        package.writestr("_rels/.rels", rels)
        package.writestr("word/document.xml", body)
    return buffer.getvalue()


def floor_typst(document) -> str:
    """The form's table as bare typst markup: the form's page, font, line and cell spacing, the two
    heading rows repeated, "n / N", every action's cells and every heading row's text across
    the row."""

    def text(value) -> str:
        value = "" if value is None else str(value)
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    columns = len(document.headings)
    lines = [
        '#set page(paper: "a4", flipped: true, margin: (top: 14mm, bottom: 16mm, x: 12mm),',
        '  footer: context align(center, counter(page).display("1 / 1", both: true)))',
        '#set text(font: "DejaVu Sans", size: 8.5pt)',
        "#set par(leading: 0.45em)",
        f"#table(columns: ({', '.join(f'{w}fr' for w in document.widths)}),"
        " inset: (x: 3pt, y: 2pt), stroke: 0.5pt,",
        "table.header("
        + ", ".join([text(h) for h in document.headings] + [text(n) for n in range(1, columns + 1)])
        + "),",
    ]
    for row in document.rows:
        if row.is_action:
            lines.append(", ".join(text(cell) for cell in row.cells) + ",")
        else:
            lines.append(f"table.cell(colspan: {columns}, {text(row.text)}),")
    lines.append(")")
    return "\n".join(lines)


def floor_pdf(document) -> bytes:
    """The bare render: typst.compile in this process, on the vendored fonts."""
    import typst

    from jospar.documents.render_pdf import FONTS

    return typst.compile(
        floor_typst(document).encode(), font_paths=[str(FONTS)], ignore_system_fonts=True
    )


def forget_floor() -> None:
    """Drop what the floor's compilation left in this process: typst keeps each compilation's
    memoised layout for the next ten, so ten empty ones evict it. Not timed: the floor stays
    bare, and the alternating runs and the forked ones start from the same process size."""
    import ctypes

    import typst

    for _ in range(11):
        typst.compile(b"", ignore_system_fonts=True)
    ctypes.CDLL("libc.so.6").malloc_trim(0)


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def forked_peak(fn) -> dict:
    """`fn()` in a forked copy of this process: its wall time, the process's peak RSS
    (VmHWM, reset to the RSS at the start where the kernel allows) and the file's size."""
    from django.db import connections

    connections.close_all()  # the child opens its own; a shared socket would be corrupted
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: measure, report through the pipe, leave at once
        try:
            os.close(read)
            try:
                Path("/proc/self/clear_refs").write_text("5")
                reset = True
            except OSError:
                reset = False
            start_rss = _status_kib("VmRSS")
            start = time.perf_counter()
            content = fn()
            result = {
                "seconds": time.perf_counter() - start,
                "peak_mib": _status_kib("VmHWM") / 1024,
                "start_mib": start_rss / 1024,
                "reset": reset,
                "size": len(content),
            }
            os.write(write, json.dumps(result).encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(data)


def typst_process_peak(document) -> float:
    """The peak RSS (MiB) of the process in which render_pdf compiles the form: the same
    program, which then reports its own VmHWM (the rusage of a child counts the parent's
    memory at the fork)."""
    import subprocess
    import sys

    from jospar.documents.render_pdf import _COMPILE, FONTS, typst_source

    report = "\nsys.stderr.write(open('/proc/self/status').read())\n"
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-I", "-c", _COMPILE + report, str(FONTS)],
        input=typst_source(document).encode(),
        capture_output=True,
        check=True,
    )
    for line in done.stderr.decode().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pdf_variants(make_document):
    """The form's document, and the three PDF runs: the floor, the export (document +
    render) and the render of the document alone."""
    from jospar.documents.appendices import render

    document = make_document()
    return document, {
        "floor": lambda: floor_pdf(document),
        "form": lambda: render(make_document(), "pdf").content,
        "render": lambda: render(document, "pdf").content,
    }


def pdf_peaks(make_document) -> dict:
    """One forked run of each PDF variant for the peak RSS of the process, and the peak of
    the form's typst process. Before this process compiles anything with typst: a fork after
    that copies the compiler's thread pool without its threads, and the child's compilation
    waits on them for ever."""
    document, variants = pdf_variants(make_document)
    peaks = {name: forked_peak(fn) for name, fn in variants.items()}
    peaks["typst"] = typst_process_peak(document)
    return peaks


def pdf_against_floor(label: str, make_document, rounds: int, peaks: dict) -> dict:
    """The PDF form (document + render, as an export makes it) and the bare typst floor of
    the same table, `rounds` alternating runs in this process; `peaks` from pdf_peaks."""
    _document, variants = pdf_variants(make_document)
    after = {"floor": forget_floor}
    for name, fn in variants.items():
        fn()  # warm: imports, fonts read once
        after.get(name, lambda: None)()
    times = {name: [] for name in variants}
    for _ in range(rounds):
        for name, fn in variants.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
            after.get(name, lambda: None)()
    median = {name: statistics.median(values) for name, values in times.items()}
    pages = len(re.findall(rb"/Type\s*/Page\b", variants["render"]()))
    print(f"{label}: PDF against the bare typst render of the same table ({rounds} rounds):")
    for name, what in (
        ("floor", "floor: bare typst table"),
        ("render", "form: typst render of the document"),
        ("form", "form: document + render (the export)"),
    ):
        peak = peaks[name]
        spread = f"{min(times[name]):.2f}–{max(times[name]):.2f} s"
        print(
            f"  {what:<38} median {median[name]:6.2f} s ({spread})"
            f"  {median[name] / median['floor']:5.2f}× the floor"
            f"  peak RSS {peak['peak_mib']:4.0f} MiB (from {peak['start_mib']:.0f})"
            f"  {peak['size'] / 1024:6.0f} KiB"
        )
    print(f"  the form's typst process: peak RSS {peaks['typst']:.0f} MiB")
    if not all(peaks[name]["reset"] for name in variants):
        print("  (the kernel refused to reset VmHWM: peaks include the parent's)")
    if pages:
        print(f"  the form has {pages} pages")
    return {"median": median, "peaks": peaks}


def file_against_floor(label: str, make_document, file_format: str, rounds: int) -> dict:
    """An XLSX or DOCX form against its floor, alternating in this process: each round times
    the form document alone, the floor (the same document's table), the render of the
    document alone and the export (document + render, as a download makes it). The render ÷
    the floor is taken round by round; the export less the document ÷ the floor of the
    medians (the document takes many times the floor: a difference per round is noise)."""
    from jospar.documents.appendices import render

    what, write = FLOORS[file_format]
    document = make_document()
    variants = {
        "document": make_document,
        "floor": lambda: write(document),
        "render": lambda: render(document, file_format),
        "export": lambda: render(make_document(), file_format),
    }
    for fn in variants.values():
        fn()  # warm: imports, the DOCX template made once per process
    times = {name: [] for name in variants}
    for _ in range(rounds):
        for name, fn in variants.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    render_ratio = [r / f for r, f in zip(times["render"], times["floor"], strict=True)]
    median = {name: statistics.median(values) for name, values in times.items()}
    export_ratio = (median["export"] - median["document"]) / median["floor"]
    size = len(render(document, file_format).content)
    print(f"{label}: {file_format.upper()} against {what} ({rounds} alternating rounds):")
    for name in variants:
        print(
            f"  {name:<9} median {median[name] * 1000:7.1f} ms"
            f" ({min(times[name]) * 1000:.1f}–{max(times[name]) * 1000:.1f})"
        )
    print(
        f"  render ÷ floor, round by round: median {statistics.median(render_ratio):.2f}×"
        f" ({min(render_ratio):.2f}–{max(render_ratio):.2f});"
        f" (export − document) ÷ floor, of the medians: {export_ratio:.2f}×;"
        f" {size / 1024:.0f} KiB file;"
        f" load average {os.getloadavg()[0]:.1f}"
    )
    return {"median": median, "render_ratio": render_ratio, "export_ratio": export_ratio}


FLOORS = {
    "xlsx": ("a styled write-only openpyxl writer", floor_xlsx_styled),
    "docx": ("the table as WordprocessingML", floor_docx),
}


def forms(label: str, make_document, repeat: int, formats, rounds: int, peaks) -> list[dict]:
    results = [measure(f"{label}: form document (queries + texts)", make_document, repeat)]
    if "pdf" in formats:
        pdf_against_floor(label, make_document, rounds, peaks)
    formats = [f for f in formats if f != "pdf"]
    if "xlsx" in formats:
        document = make_document()
        measure(f"{label}: bare write-only openpyxl (no styles)", lambda: floor_xlsx(document), 1)
    for file_format in formats:
        results.append(file_against_floor(label, make_document, file_format, repeat))
    return results


def main() -> None:
    parser = bench_parser(__doc__, repeat=5)
    parser.add_argument(
        "--appendix", choices=("1", "2", "all"), default="all", help="which forms to measure"
    )
    parser.add_argument(
        "--formats", default="xlsx,docx,pdf", help="comma-separated: xlsx, docx, pdf"
    )
    parser.add_argument(
        "--pdf-rounds", type=int, default=5, help="alternating runs of the PDF and its floor"
    )
    args = parser.parse_args()
    formats = args.formats.split(",")
    with throwaway_database():
        from bench.workload import approve, large_body
        from jospar.documents.appendices import plan_form, report_form

        start = time.perf_counter()
        plan = large_body(0, args.actions)
        user = bench_user(plan.body)
        print(f"built the large body in {time.perf_counter() - start:.1f} s")
        wanted = []
        if args.appendix in ("1", "all"):
            # The working copy, worded as the draft (the same rows after the approval).
            wanted.append(("Appendix 1, draft", lambda: plan_form(plan, None, "ru")))
        revision = approve(plan, user)
        if args.appendix in ("1", "all"):
            wanted.append(("Appendix 1, revision 1", lambda: plan_form(plan, revision, "kk")))
        if args.appendix in ("2", "all"):
            report = compiled_report(plan, revision, user)
            wanted.append(("Appendix 2, quarter 2", lambda: report_form(report, "ru")))
        # Every fork before the first compilation in this process (pdf_peaks).
        peaks = {label: pdf_peaks(make) for label, make in wanted} if "pdf" in formats else {}
        for label, make in wanted:
            forms(label, make, args.repeat, formats, args.pdf_rounds, peaks.get(label))


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
