"""Benchmark: the deadline burst of DESIGN.md — 200 executors of the large body saving their
progress entries at once — over real HTTP against the production server, beside its floor.

Two `jospar serve` servers (gunicorn, production settings, DEBUG off) run side by side on the
same database: Jospar, and the floor — the same settings and middleware with one view that
makes one INSERT (bench/floor_settings.py). One client keeps `--in-flight` requests going (a
thread each, keep-alive connections) and the rounds alternate, floor then Jospar, each round
the same number of POSTs. Jospar's saves go to the page's autosave endpoint as HTMX sends them
(a session cookie, the CSRF header), each executor on its own actions, with the version the
previous answer gave. At the end every save answered "saved" is looked up in the entries'
history (a lost save is one that was answered but is not there) and every entry must hold its
last saved text.

Run against PostgreSQL (SQLite serialises every write, so a burst mostly measures its lock);
the database is emptied first:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/jospar_bench \\
      .venv/bin/python -m bench.bench_burst [--executors 200] [--in-flight 16] [--rounds 3]
"""

import argparse
import http.client
import os
import queue
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
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SECRET = secrets.token_urlsafe(50)
CSRF = secrets.token_hex(16)  # an unmasked CSRF secret: 32 characters, the cookie and the header
VERSION = re.compile(r'id="version-(\d+)" value="(\d+)"')


def setup(var: Path) -> dict[str, str]:
    """Django set up for this process on DATABASE_URL, and the servers' environment."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env.update(
        DEBUG="0",
        SECRET_KEY=SECRET,  # the servers check the sessions this process makes
        ALLOWED_HOSTS="127.0.0.1",
        LANGUAGE_CODE="en",
        STATIC_COMPRESS="0",
        JOSPAR_VAR_DIR=str(var),
    )
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jospar.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("bench_burst: set DATABASE_URL to a PostgreSQL database (it is emptied)")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_floor "
            "(id bigserial PRIMARY KEY, actor text NOT NULL, actual text NOT NULL)"
        )
        cursor.execute("TRUNCATE bench_floor")
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`jospar serve` in a process group of its own, its output in a file."""

    def __init__(self, name: str, env: dict, args, var: Path):
        self.port = free_port()
        self.log = var / f"{name}.log"
        var = var / name
        var.mkdir()
        env = env | {"JOSPAR_VAR_DIR": str(var)}
        command = [sys.executable, "-m", "jospar", "serve", "--bind", f"127.0.0.1:{self.port}"]
        command += ["--workers", str(args.workers), "--threads", str(args.threads)]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own command
                command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip

    def wait(self) -> None:
        for _ in range(1200):
            if self.process.poll() is not None:
                sys.exit(f"the server stopped: {self.log.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        sys.exit("the server did not start")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def workload(executors: int):
    """The large body, approved, `executors` executors spread over its units, each with the
    unit's quarter-2 submission open and its own share of the unit's actions, and a session."""
    import datetime as dt

    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from bench.workload import approve, large_body
    from jospar.monitoring import services
    from jospar.monitoring.selectors import unit_actions
    from jospar.orgs.models import Role, RoleAssignment, User

    plan = large_body(0)
    approve(plan, User.objects.create(username="official"), on=dt.date(2026, 1, 5))
    units = list(plan.body.units.all())
    people = []
    for n in range(executors):
        user = User.objects.create(username=f"executor{n}")
        unit = units[n % len(units)]
        RoleAssignment.objects.create(user=user, body=plan.body, role=Role.EXECUTOR, unit=unit)
        people.append((user, unit))
    per_unit: dict[int, int] = {}
    for _user, unit in people:
        per_unit[unit.pk] = per_unit.get(unit.pk, 0) + 1
    actions = {}
    for unit in units:
        if unit.pk in per_unit:
            user = next(u for u, of in people if of == unit)
            services.submission_open(actor=user, plan=plan, unit=unit, quarter=2)
            actions[unit.pk] = [item.planned.action_id for item in unit_actions(plan, unit, 2)]
    result, seen = [], {}
    for user, unit in people:
        k = seen[unit.pk] = seen.get(unit.pk, -1) + 1
        mine = actions[unit.pk][k :: per_unit[unit.pk]]  # the unit's actions shared out
        if not mine:
            continue
        client = Client()
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        urls = {
            action: reverse(
                "monitoring:entry_save", args=[plan.body_id, plan.pk, 2, unit.pk, action]
            )
            for action in mine
        }
        result.append({"name": user.username, "session": session, "urls": urls})
    return plan, result


class Burst:
    """One round's requests from `in_flight` threads, each with its keep-alive connection."""

    def __init__(self, port: int, in_flight: int):
        self.port, self.in_flight = port, in_flight

    def run(self, jobs: list) -> tuple[float, list[float], list]:
        """Each job is a list of requests made one after another (an executor's saves):
        (path, form, cookie, check). Returns the wall time, the latencies and the results."""
        work: queue.Queue = queue.Queue()
        for job in jobs:
            work.put(job)
        latencies: list[float] = []
        results: list = []
        lock = threading.Lock()

        def worker():
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            mine_latencies, mine_results = [], []
            while True:
                try:
                    job = work.get_nowait()
                except queue.Empty:
                    break
                for make in job:
                    path, form, cookie, check = make()
                    body = urllib.parse.urlencode(form)
                    headers = {
                        "Content-Type": "application/x-www-form-urlencoded",
                        "Cookie": f"csrftoken={CSRF}; {cookie}",
                        "X-CSRFToken": CSRF,
                        "HX-Request": "true",
                    }
                    start = time.perf_counter()
                    try:
                        connection.request("POST", path, body, headers)
                        response = connection.getresponse()
                        text = response.read().decode()
                        status = response.status
                    except (OSError, http.client.HTTPException) as error:
                        connection.close()
                        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                        status, text = 0, str(error)
                    mine_latencies.append(time.perf_counter() - start)
                    mine_results.append(check(status, text))
            connection.close()
            with lock:
                latencies.extend(mine_latencies)
                results.extend(mine_results)

        threads = [threading.Thread(target=worker) for _ in range(self.in_flight)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return time.perf_counter() - start, latencies, results


def percentile(ordered: list[float], p: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def summary(name: str, walls: list[float], latencies: list[float], count: int) -> dict:
    ordered = sorted(latencies)
    rates = [count / wall for wall in walls]
    return {
        "name": name,
        "rates": rates,
        "rate": statistics.median(rates),
        "p50": statistics.median(ordered) * 1000,
        "p95": percentile(ordered, 0.95) * 1000,
        "p99": percentile(ordered, 0.99) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--executors", type=int, default=200)
    parser.add_argument("--saves", type=int, default=5, help="saves per executor a round")
    parser.add_argument("--in-flight", type=int, default=16, help="requests in flight at once")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each, alternating")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    args = parser.parse_args()
    var = Path(tempfile.mkdtemp(prefix="jospar-burst-"))
    env = setup(var)
    from django.db import connection

    from jospar.monitoring.models import ProgressEntry

    start = time.perf_counter()
    plan, executors = workload(args.executors)
    print(
        f"{len(executors)} executors of the large body, {connection.vendor}, built in "
        f"{time.perf_counter() - start:.0f} s; gunicorn {args.workers} workers × "
        f"{args.threads} threads, {args.in_flight} requests in flight, "
        f"{args.saves} saves per executor a round, {args.rounds} rounds each, alternating"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the statistics autovacuum would have gathered by then
    connection.close()  # the servers' connections only, while they run
    jospar = Server("jospar", env, args, var)
    floor = Server("floor", env | {"DJANGO_SETTINGS_MODULE": "bench.floor_settings"}, args, var)
    versions: dict[str, int] = {}  # entry url → the version its last save answered
    saved: list[tuple[str, int, str]] = []  # (url, version, text) of every save answered
    outcomes = {"saved": 0, "conflict": 0, "error": 0}
    try:
        jospar.wait()
        floor.wait()

        def jospar_jobs(round_: int) -> list:
            jobs = []
            for person in executors:
                urls = list(person["urls"].values())

                def make(url, text, cookie):
                    def request():
                        form = {"version": versions.get(url, 0), "status": "partial"}
                        form |= {"actual": text, "reasons": "Funding came late"}

                        def check(status, answer):
                            found = VERSION.search(answer) if status == 200 else None
                            if found and "was not saved" not in answer:
                                versions[url] = int(found.group(2))
                                saved.append((url, versions[url], text))
                                return "saved"
                            return "conflict" if "was not saved" in answer else "error"

                        return url, form, cookie, check

                    return request

                cookie = f"sessionid={person['session']}"
                jobs.append(
                    [
                        make(urls[i % len(urls)], f"{person['name']} r{round_} s{i}", cookie)
                        for i in range(args.saves)
                    ]
                )
            return jobs

        def floor_jobs(round_: int) -> list:
            def make(name, text):
                def check(status, answer):
                    return "saved" if status == 200 and answer == "saved" else "error"

                return lambda: ("/floor/", {"actor": name, "actual": text}, "", check)

            return [
                [make(p["name"], f"{p['name']} r{round_} s{i}") for i in range(args.saves)]
                for p in executors
            ]

        count = len(executors) * args.saves
        # One short round of each first, so that no worker meets its first request measured.
        Burst(floor.port, args.in_flight).run(floor_jobs(-1)[: args.in_flight])
        Burst(jospar.port, args.in_flight).run(jospar_jobs(-1)[: args.in_flight])
        measured = {"floor": ([], []), "jospar": ([], [])}
        floor_errors = 0
        for round_ in range(args.rounds):
            for name, server, jobs in (
                ("floor", floor, floor_jobs(round_)),
                ("jospar", jospar, jospar_jobs(round_)),
            ):
                wall, latencies, results = Burst(server.port, args.in_flight).run(jobs)
                measured[name][0].append(wall)
                measured[name][1].extend(latencies)
                if name == "jospar":
                    for result in results:
                        outcomes[result] += 1
                else:
                    floor_errors += sum(result != "saved" for result in results)
                print(f"  round {round_ + 1} {name}: {count / wall:.0f}/s", flush=True)
    finally:
        jospar.stop()
        floor.stop()

    # Every save answered "saved" is in the entries' history; every entry holds its last.
    entry_of = {}  # url → (unit, action)
    for person in executors:
        for action, url in person["urls"].items():
            entry_of[url] = (int(url.split("/units/")[1].split("/")[0]), action)
    history = set(
        ProgressEntry.history.filter(submission__plan=plan).values_list(
            "submission__unit_id", "action_id", "version", "actual"
        )
    )
    lost = sum((*entry_of[url], version, text) not in history for url, version, text in saved)
    last = {}
    for url, version, text in saved:
        if version >= last.get(url, (0, ""))[0]:
            last[url] = (version, text)
    entries = {
        (e.submission.unit_id, e.action_id): (e.version, e.actual)
        for e in ProgressEntry.objects.filter(submission__plan=plan).select_related("submission")
    }
    stale = sum(entries.get(entry_of[url]) != value for url, value in last.items())
    floor_result = summary("floor (one INSERT)", *measured["floor"], count)
    jospar_result = summary("Jospar autosave", *measured["jospar"], count)
    for result in (floor_result, jospar_result):
        rounds = ", ".join(f"{rate:.0f}" for rate in result["rates"])
        print(
            f"{result['name']}: {result['rate']:.0f} requests/s (median of rounds: {rounds}); "
            f"latency p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms, "
            f"p99 {result['p99']:.0f} ms"
        )
    paired = [j / f for f, j in zip(floor_result["rates"], jospar_result["rates"], strict=True)]
    print("Jospar / floor, round by round: " + ", ".join(f"{ratio:.2f}" for ratio in paired))
    print(
        f"Jospar / floor: {jospar_result['rate'] / floor_result['rate']:.2f} of the throughput "
        f"(median of the rounds' ratios {statistics.median(paired):.2f}); "
        f"saves {outcomes}, floor errors {floor_errors}, lost saves {lost}, "
        f"entries not holding their last saved text {stale}"
    )


if __name__ == "__main__":
    main()
