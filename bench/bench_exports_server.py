"""Benchmark: simultaneous large PDF exports through the production server (`jospar serve`,
gunicorn) and `jospar worker`, while a monitor keeps opening the board page.

Run (PostgreSQL, as a server would; the database is emptied first, as bench_burst does):
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/jospar_bench \\
      .venv/bin/python -m bench.bench_exports_server [--actions 2000] [--exports 3] [--workers 1]
Without DATABASE_URL it uses a throw-away SQLite file. A smoke run: --actions 20 --exports 2.

It builds the large body (revision 1 approved, four quarters of accepted information, the Q2
report compiled) with DEBUG on in this process, then starts `jospar serve` and `--workers`
`jospar worker` processes with a production environment (DEBUG off, a SECRET_KEY,
ALLOWED_HOSTS, a temporary JOSPAR_VAR_DIR, STATIC_COMPRESS=0). Everything goes over HTTP: the
exports with an API token (GET plan-forms/{id}/?format=pdf, or report-forms/{id}/ with
--appendix 2: 202 and a job to poll), the board page as a logged-in monitor every
--board-interval seconds. First the board alone (the baseline), then, --rounds times and
alternating their order, one export alone and --exports exports at once. For each: how long
the export request held the web worker, the time until each file was downloaded, the board's
latency meanwhile, and the peak resident memory of the web processes and of the worker
(VmHWM in /proc, reset before each phase where the kernel allows). The checks at the end
(every export finished; the board's p95 under --board-limit ms) print OK or FAIL, and a FAIL
makes the exit status 1.
"""

import argparse
import contextlib
import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-exports-" + secrets.token_hex(8)  # noqa: S105 - a throw-away database
QUARTER = 2


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--actions", type=int, default=2000, help="actions of the large body's plan")
    p.add_argument("--exports", type=int, default=3, help="exports asked for at once")
    p.add_argument("--appendix", type=int, choices=(1, 2), default=1, help="1: plan, 2: report")
    p.add_argument("--workers", type=int, default=1, help="`jospar worker` processes")
    p.add_argument("--worker-nice", type=int, default=0, help="the workers' nice increment")
    p.add_argument("--web-workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    p.add_argument("--web-threads", type=int, default=4)
    p.add_argument("--rounds", type=int, default=1, help="pairs of (one alone, N at once)")
    p.add_argument("--board-interval", type=float, default=0.2, help="seconds between looks")
    p.add_argument("--board-limit", type=float, default=200, help="the board's p95 limit, ms")
    p.add_argument("--baseline", type=float, default=10, help="seconds of board alone first")
    p.add_argument("--timeout", type=float, default=600, help="seconds an export may take")
    return p


# --- the workload, built in this process ------------------------------------------------------


def build(args) -> dict:
    """The large body in a fresh database; what the clients need to know about it."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    from bench.bench_report import accepted_quarters
    from bench.workload import approve, large_body
    from jospar.orgs.models import Role, RoleAssignment, User
    from jospar.reports import services as report_services
    from jospar.reports.models import Report

    start = time.perf_counter()
    plan = large_body(0, args.actions)
    # The monitor who watches the board, and one person per simultaneous export (a person's
    # second request for the same file while it is made is given the same job).
    for name in ["bench"] + [f"exporter{n}" for n in range(args.exports)]:
        person = User.objects.create_user(username=name, password=PASSWORD)
        for role in (Role.MONITOR, Role.PLANNER):
            RoleAssignment.objects.create(user=person, body=plan.body, role=role)
    user = User.objects.get(username="bench")
    revision = approve(plan, user)
    entries = accepted_quarters(plan, revision, user)
    report_services.report_compile(actor=user, plan=plan, quarter=QUARTER)
    report = Report.objects.get(plan=plan, quarter=QUARTER)
    print(
        f"built {args.actions} actions, revision 1, {entries} accepted entries and the "
        f"Q{QUARTER} report in {time.perf_counter() - start:.1f} s "
        f"({connections['default'].vendor})"
    )
    info = {"body": plan.body_id, "plan": plan.pk, "report": report.pk}
    connections.close_all()
    return info


# --- the servers ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(var_dir: Path, database_url: str, background: int | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="jospar.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        JOSPAR_VAR_DIR=str(var_dir),
        DATABASE_URL=database_url,
        STATIC_COMPRESS="0",
        LANGUAGE_CODE="ru",
        LOG_LEVEL="WARNING",
    )
    if background is not None:
        env["EXPORT_BACKGROUND_ACTIONS"] = str(background)
    return env


def start(args: list[str], env: dict[str, str], log: Path, nice: int = 0) -> subprocess.Popen:
    with log.open("w") as out:  # the child keeps its own descriptor
        return subprocess.Popen(  # noqa: S603 - our own command
            # nice(1) runs the command in the same process, at a lower priority.
            [*(["nice", "-n", str(nice)] if nice else []), sys.executable, "-m", "jospar", *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- memory, from /proc -------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def vm(pid: int, field: str) -> int:
    """A /proc/<pid>/status field in KiB (0 if the process is gone)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_peak(pids: list[int]) -> bool:
    """Reset each process's VmHWM to its current RSS (Linux 4.0+, our own processes)."""
    ok = True
    for pid in pids:
        try:
            Path(f"/proc/{pid}/clear_refs").write_text("5")
        except OSError:
            ok = False
    return ok


# --- the clients --------------------------------------------------------------------------------


class Client:
    """HTTP with a cookie jar (a logged-in person) or an API token."""

    def __init__(self, base: str, token: str | None = None):
        self.base = base
        self.token = token
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def request(self, path: str, data: dict | None = None) -> tuple[int, dict, bytes]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        url = self.base + path if path.startswith("/") else path  # only the server's own URLs
        request = urllib.request.Request(url, body)  # noqa: S310 - http to the loopback
        if self.token:
            request.add_header("Authorization", f"Token {self.token}")
        try:
            with self.opener.open(request, timeout=120) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def login(self, username: str, password: str) -> None:
        status, _headers, page = self.request("/accounts/login/")
        csrf = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not csrf:
            raise SystemExit(f"the login page answered {status}")
        form = {"csrfmiddlewaretoken": csrf.group(1).decode(), "username": username}
        status, _headers, page = self.request("/accounts/login/", form | {"password": password})
        if b'name="password"' in page:
            raise SystemExit("the monitor could not log in")


def token_of(base: str, username: str) -> str:
    """An API token for `username`, from the token endpoint."""
    form = {"username": username, "password": PASSWORD}
    status, _headers, body = Client(base).request("/api/v1/auth/token/", form)
    if status != 200:
        raise SystemExit(f"the token endpoint answered {status}: {body[:300]!r}")
    return json.loads(body)["token"]


def wait_until_up(base: str, processes: list[subprocess.Popen], logs: list[Path]) -> None:
    for _ in range(1200):
        try:
            with urllib.request.urlopen(base + "/accounts/login/", timeout=5):  # noqa: S310
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            ended = [
                log
                for process, log in zip(processes, logs, strict=True)
                if process.poll() is not None
            ]
            if ended:
                raise SystemExit(
                    f"a server process ended:\n{ended[0].read_text()[-3000:]}"
                ) from None
            time.sleep(0.1)
    raise SystemExit("jospar serve did not answer within 120 s")


class BoardWatch(threading.Thread):
    """The board page, opened every `interval` seconds until stopped; each latency kept."""

    def __init__(self, client: Client, path: str, interval: float):
        super().__init__(daemon=True)
        self.client, self.path, self.interval = client, path, interval
        self.latencies: list[float] = []
        self.errors = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            began = time.perf_counter()
            status, _headers, page = self.client.request(self.path)
            elapsed = time.perf_counter() - began
            if status == 200 and b"<table" in page:
                self.latencies.append(elapsed)
            else:
                self.errors += 1
            self.stopped.wait(max(0.0, self.interval - elapsed))

    def stop(self) -> dict:
        self.stopped.set()
        self.join()
        return distribution(self.latencies) | {"errors": self.errors}


def distribution(values: list[float]) -> dict:
    if not values:
        return {"n": 0, "p50": None, "p95": None, "max": None}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, max(0, round(0.95 * len(ordered)) - 1))]
    return {
        "n": len(ordered),
        "p50": statistics.median(ordered) * 1000,
        "p95": p95 * 1000,
        "max": ordered[-1] * 1000,
    }


def export(client: Client, path: str, timeout: float, gate: threading.Barrier) -> dict:
    """One export as a program would: ask, poll the job, download the file."""
    gate.wait()
    began = time.perf_counter()
    status, headers, body = client.request(path)
    held = time.perf_counter() - began
    result = {"held": held, "status": status, "ok": False}
    if status == 200:  # made at once (a small form)
        result.update(ok=body.startswith(b"%PDF"), size=len(body), seconds=held)
        return result
    if status != 202:
        result["error"] = body[:300].decode(errors="replace")
        return result
    location = headers.get("Location")
    job = json.loads(body)
    while job["status"] in ("queued", "running") and time.perf_counter() - began < timeout:
        time.sleep(0.5)
        _status, _headers, body = client.request(location)
        job = json.loads(body)
    if job["status"] != "done":
        result["error"] = f"the job ended {job['status']}"
        return result
    status, _headers, file = client.request(job["download_url"])
    result.update(
        ok=status == 200 and file.startswith(b"%PDF"),
        size=len(file),
        seconds=time.perf_counter() - began,
    )
    return result


def phase(name, count, args, base, tokens, board_path, monitor, web_pids, worker_pids, path):
    pids = web_pids() + worker_pids()
    reset = reset_peak(pids)
    watch = BoardWatch(monitor, board_path, args.board_interval)
    watch.start()
    time.sleep(1)  # a few looks at the board before the exports
    gate = threading.Barrier(count)
    results: list[dict] = [{}] * count

    def run(n: int) -> None:
        results[n] = export(Client(base, tokens[n]), path, args.timeout, gate)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    board = watch.stop()
    row = {
        "name": name,
        "exports": count,
        "finished": sum(r["ok"] for r in results),
        "held_max": max(r["held"] for r in results),
        "statuses": sorted({r["status"] for r in results}),
        "seconds": [r.get("seconds") for r in results],
        "wall": wall,
        "size": max(r.get("size", 0) for r in results),
        "board": board,
        "web_peak": max((vm(p, "VmHWM") for p in web_pids()), default=0) / 1024,
        "web_rss": sum(vm(p, "VmRSS") for p in web_pids()) / 1024,
        "worker_peak": max((vm(p, "VmHWM") for p in worker_pids()), default=0) / 1024,
        "peak_reset": reset,
        "errors": [r["error"] for r in results if "error" in r],
    }
    print(
        f"  {name}: {row['finished']}/{count} files, request held ≤ {row['held_max']:.2f} s "
        f"({', '.join(map(str, row['statuses']))}), all done in {wall:.1f} s; board p95 "
        f"{fmt(board['p95'])} ms; web peak {row['web_peak']:.0f} MiB, worker peak "
        f"{row['worker_peak']:.0f} MiB" + (f"; {row['errors']}" if row["errors"] else "")
    )
    return row


def fmt(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def loadavg() -> str:
    with contextlib.suppress(OSError):
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    return "?"


def main() -> int:
    args = parser().parse_args()
    if args.exports < 1 or args.workers < 1 or args.actions < 1:
        raise SystemExit("--actions, --exports and --workers must be at least 1")
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="jospar-bench-") as tmp:
        tmp = Path(tmp)
        bench_var, server_var = tmp / "bench", tmp / "server"
        bench_var.mkdir()
        server_var.mkdir()
        database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite3'}"
        os.environ.update(
            DEBUG="1",
            JOSPAR_VAR_DIR=str(bench_var),  # never the real var dir
            DATABASE_URL=database_url,
            DJANGO_SETTINGS_MODULE="jospar.settings",
        )
        info = build(args)
        # A smoke-sized plan is below the background threshold: lower it so that the worker
        # makes the files all the same.
        background = 0 if args.actions <= 300 else None
        env = server_env(server_var, database_url, background)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        logs = [tmp / "serve.log"] + [tmp / f"worker{n}.log" for n in range(args.workers)]
        serve = start(
            [
                "serve",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.web_workers),
                "--threads",
                str(args.web_threads),
            ],
            env,
            logs[0],
        )
        workers = [start(["worker"], env, log, args.worker_nice) for log in logs[1:]]
        processes = [serve, *workers]
        try:
            wait_until_up(base, processes, logs)
            monitor = Client(base)
            monitor.login("bench", PASSWORD)
            tokens = [token_of(base, f"exporter{n}") for n in range(args.exports)]
            board_path = (
                f"/bodies/{info['body']}/operational-plans/{info['plan']}/quarters/{QUARTER}/board/"
            )
            status, _headers, _page = monitor.request(board_path)
            if status != 200:
                raise SystemExit(f"the board answered {status} at {board_path}")
            if args.appendix == 1:
                path = f"/api/v1/plan-forms/{info['plan']}/?format=pdf&lang=ru"
                what = f"Appendix 1 PDF of the {args.actions}-action plan (revision 1, ru)"
            else:
                path = f"/api/v1/report-forms/{info['report']}/?format=pdf&lang=ru"
                what = f"Appendix 2 PDF of the Q{QUARTER} report ({args.actions} rows, ru)"

            def web_pids() -> list[int]:
                return [serve.pid, *children(serve.pid)]

            def worker_pids() -> list[int]:
                return [p for w in workers for p in [w.pid, *children(w.pid)]]

            print(
                f"jospar serve: {args.web_workers} workers × {args.web_threads} threads; "
                f"{args.workers} jospar worker(s) at nice {args.worker_nice}; {what}; "
                f"{os.cpu_count()} cores, load average {loadavg()}"
            )
            watch = BoardWatch(monitor, board_path, args.board_interval)
            watch.start()
            time.sleep(args.baseline)
            baseline = watch.stop()
            print(
                f"  board alone: p50 {fmt(baseline['p50'])} ms, p95 {fmt(baseline['p95'])} ms, "
                f"max {fmt(baseline['max'])} ms ({baseline['n']} looks)"
            )
            rows = []
            for n in range(args.rounds):
                order = [("1 export alone", 1), (f"{args.exports} exports at once", args.exports)]
                for name, count in order if n % 2 == 0 else order[::-1]:
                    rows.append(
                        phase(
                            name,
                            count,
                            args,
                            base,
                            tokens,
                            board_path,
                            monitor,
                            web_pids,
                            worker_pids,
                            path,
                        )
                    )
            print(f"load average after: {loadavg()}")
        finally:
            for process in processes:
                stop(process)
    return report(args, baseline, rows)


def report(args, baseline: dict, rows: list[dict]) -> int:
    print()
    print(
        "| what | files | request held (max) | time to file (each) | board p50 / p95 / max "
        "| web peak RSS (one process) | worker peak RSS |"
    )
    print("|---|---|---|---|---|---|---|")
    print(
        f"| board alone | — | — | — | {fmt(baseline['p50'])} / {fmt(baseline['p95'])} / "
        f"{fmt(baseline['max'])} ms | — | — |"
    )
    for row in rows:
        board = row["board"]
        times = ", ".join(fmt(s, 1) for s in row["seconds"])
        print(
            f"| {row['name']} | {row['finished']}/{row['exports']} | {row['held_max']:.2f} s "
            f"| {times} s | {fmt(board['p50'])} / {fmt(board['p95'])} / {fmt(board['max'])} ms "
            f"| {row['web_peak']:.0f} MiB | {row['worker_peak']:.0f} MiB |"
        )
    if rows and not all(row["peak_reset"] for row in rows):
        print("(the kernel refused to reset VmHWM: peaks are since each process started)")
    print()
    checks = [
        (
            f"every export finished ({sum(r['finished'] for r in rows)}/"
            f"{sum(r['exports'] for r in rows)})",
            all(r["finished"] == r["exports"] for r in rows),
        ),
        (
            "no export request held a web worker over 1 s "
            f"(max {max(r['held_max'] for r in rows):.2f} s)",
            all(r["held_max"] < 1 for r in rows),
        ),
    ]
    for row in rows:
        board = row["board"]
        checks.append(
            (
                f"board p95 under {args.board_limit:.0f} ms during {row['name']} "
                f"({fmt(board['p95'])} ms, {board['errors']} errors)",
                board["p95"] is not None
                and board["p95"] < args.board_limit
                and board["errors"] == 0,
            )
        )
    for label, ok in checks:
        print(f"{'OK  ' if ok else 'FAIL'} {label}")
    return 0 if all(ok for _label, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
