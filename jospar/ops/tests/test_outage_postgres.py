"""The real outage: Jospar's production server (`jospar serve`) on a PostgreSQL cluster of this
test's own, stopped and started again in the middle of a burst of autosaves through the API.
Every save answered 2xx is in the database whole; the answers while the database was away are
503 JSON with Retry-After (never an HTML 500); and the same server answers normally afterwards,
without a restart of its own.

It needs PostgreSQL's server programs (initdb, pg_ctl); as root it runs them as the `postgres`
user (initdb refuses root). It uses no database of the test run, so it runs in both CI runs.
"""

import glob
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
THREADS = 4
SETUP = """
import json, django
django.setup()
from tests.schema import create_from_models
create_from_models()
from jospar.accounts.services import token_issue
from jospar.monitoring.selectors import unit_actions
from tests.worlds import monitoring_world
world = monitoring_world()
submission = world.open(1)
actions = [item.planned.action_id for item in unit_actions(world.plan, world.unit, 1)]
_token, key = token_issue(user=world.executor, name="burst")
print(json.dumps({"submission": submission.pk, "actions": actions, "token": key}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_programs() -> Path | None:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0,
    )
    return Path(found[-1]).parent if found else None


def unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must run this test)")
    pytest.skip(reason)


class Cluster:
    """A throw-away PostgreSQL cluster on a free port, owned by whoever may run initdb."""

    def __init__(self, programs: Path):
        self.programs = programs
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="jospar-pg-"))
        self.data = self.dir / "data"
        self.as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root: the cluster is the postgres user's
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                shutil.rmtree(self.dir)
                unavailable("running as root and there is no postgres user to run initdb as")
            os.chown(self.dir, owner.pw_uid, owner.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def run(self, program: str, *args: str) -> subprocess.CompletedProcess:
        command = [*self.as_user, str(self.programs / program), *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=60)  # noqa: S603
        assert result.returncode == 0, f"{program}: {result.stdout}{result.stderr}"
        return result

    def init(self) -> None:
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                 "--locale=C", "--no-sync")  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.data / "server.log")
        self.run("pg_ctl", "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def sql(self, database: str, query: str, *params) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as connection:
            cursor = connection.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    def remove(self) -> None:
        subprocess.run(  # noqa: S603
            [*self.as_user, str(self.programs / "pg_ctl"), "-D", str(self.data), "-m",
             "immediate", "stop"], capture_output=True, timeout=30,
        )  # fmt: skip
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def cluster():
    programs = server_programs()
    if programs is None:
        unavailable("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    cluster = Cluster(programs)
    try:
        cluster.init()
        cluster.start()
        cluster.sql("postgres", "CREATE DATABASE jospar")
        yield cluster
    finally:
        cluster.remove()


def call(url: str, method: str = "GET", payload: dict | None = None, token: str = ""):
    """(status, headers, body) of a request; never raises for an HTTP status."""
    data = json.dumps(payload).encode() if payload is not None else None
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - loopback
    request.add_header("Accept", "application/json")
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Token {token}")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_a_database_restart_during_a_burst_of_saves(cluster, tmp_path):
    started = time.monotonic()
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="jospar.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        JOSPAR_VAR_DIR=str(tmp_path),
        LANGUAGE_CODE="en",
        DATABASE_URL=cluster.url("jospar"),
        DB_CONN_MAX_AGE="60",  # persistent connections: the dead ones must be replaced
        STATIC_COMPRESS="0",
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    errors = (tmp_path / "stderr.log").open("w+")
    server = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "jospar", "serve", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--threads", "4", "--timeout", "30"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=errors,
    )  # fmt: skip
    try:
        # The server collects its static files and starts while the schema and the world are
        # made; /health/ answers 200 once both are done.
        setup = subprocess.run(  # noqa: S603 - our own code
            [sys.executable, "-c", SETUP], cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=300,  # migrating an empty database takes ~40 s on a quiet machine
        )  # fmt: skip
        assert setup.returncode == 0, setup.stderr
        world = json.loads(setup.stdout.strip().splitlines()[-1])
        actions = world["actions"]
        assert len(actions) >= 2, world
        for _ in range(600):
            try:
                status, _headers, body = call(f"{base}/health/")
                if status == 200:
                    break
                time.sleep(0.1)
            except OSError:
                assert server.poll() is None, (tmp_path / "stderr.log").read_text()
                time.sleep(0.1)
        assert status == 200, body
        checks = json.loads(body)
        # No `jospar worker` runs here: its check warns (in a 200), the others pass.
        assert checks.pop("Worker()") == "Warning: no worker has run yet"
        assert set(checks.values()) == {"OK"}, checks

        submission, token = world["submission"], world["token"]
        url = f"{base}/api/v1/submissions/{submission}/entries/"
        stop = threading.Event()
        answers: list[tuple[int, int, int, dict, str, dict]] = []  # thread, n, status, …
        lock = threading.Lock()

        def burst(number: int) -> None:
            action = actions[number % len(actions)] if number < len(actions) else None
            if action is None:
                return
            version, n = 0, 0
            while not stop.is_set():
                n += 1
                text = f"t{number}-{n}"
                payload = {"action": action, "status": "partial", "actual": text,
                           "reasons": f"{text} why", "version": version}  # fmt: skip
                status, headers, body = call(url, "POST", payload, token)
                with lock:
                    answers.append((number, n, status, headers, body, payload))
                if status == 200:
                    version = json.loads(body)["version"]
                elif status == 409:  # a save answered 503 had committed after all
                    version = json.loads(body)["current"]["version"]
                elif status == 503:
                    time.sleep(0.05)

        threads = [threading.Thread(target=burst, args=(i,)) for i in range(THREADS)]
        for thread in threads:
            thread.start()
        time.sleep(1.0)
        cluster.stop()  # the database goes away mid-burst…
        time.sleep(0.5)
        during_health = call(f"{base}/health/")
        time.sleep(1.0)
        cluster.start()  # …and comes back; the server is not restarted
        recovered_at = time.monotonic()
        time.sleep(2.0)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    statuses = [status for _t, _n, status, _h, _b, _p in answers]
    assert statuses.count(200) > 10, statuses
    assert 503 in statuses, "no save fell in the outage: the test proved nothing"
    assert set(statuses) <= {200, 409, 503}, sorted(set(statuses))

    # The outage's answers: 503 JSON with Retry-After, not an HTML 500.
    for _t, _n, status, headers, body, _p in answers:
        if status == 503:
            assert headers["Content-Type"] == "application/json", body[:200]
            assert headers["Retry-After"] == "30"
            assert json.loads(body)["detail"].startswith("The service is briefly unavailable")
            assert headers["X-Request-ID"]
    assert during_health[0] == 503
    assert "Unavailable" in json.loads(during_health[2])["Database(alias='default')"]

    # A 409 only after a 503 of the same thread (that save had committed after all).
    for thread_number in range(THREADS):
        mine = [status for t, _n, status, _h, _b, _p in answers if t == thread_number]
        for before, status in zip(mine, mine[1:], strict=False):
            assert status != 409 or before == 503, mine

    # Every save answered 200 is in the database, whole: the history holds a row with its
    # version and both of its texts; no row anywhere mixes two saves.
    rows = cluster.sql(
        "jospar",
        "SELECT action_id, version, actual, reasons FROM monitoring_historicalprogressentry "
        "WHERE submission_id = %s",
        submission,
    )
    stored = {(action, version): (actual, reasons) for action, version, actual, reasons in rows}
    for _t, _n, status, _h, body, payload in answers:
        if status == 200:
            saved = json.loads(body)
            key = (payload["action"], saved["version"])
            assert stored.get(key) == (payload["actual"], payload["reasons"]), key
            assert (saved["actual"], saved["reasons"]) == (payload["actual"], payload["reasons"])
    for (_action, _version), (actual, reasons) in stored.items():
        assert reasons == f"{actual} why", (actual, reasons)
    current = cluster.sql(
        "jospar",
        "SELECT action_id, version, actual, reasons FROM monitoring_progressentry "
        "WHERE submission_id = %s",
        submission,
    )
    for action, version, actual, reasons in current:
        last = [
            json.loads(b) for _t, _n, s, _h, b, p in answers if s == 200 and p["action"] == action
        ]
        assert (version, actual, reasons) == (last[-1]["version"], last[-1]["actual"],
                                               last[-1]["reasons"])  # fmt: skip

    # After the restart the same server answers normally.
    after = [status for t, n, status, _h, _b, _p in answers]
    assert after[-THREADS:] == [200] * THREADS, after[-20:]
    assert time.monotonic() - recovered_at < 60

    # Its log: one JSON object a line on standard error, gunicorn's own lines too.
    log = (tmp_path / "stderr.log").read_text().splitlines()
    lines = [json.loads(line) for line in log]
    assert any(line["logger"] == "gunicorn.error" for line in lines)
    requests = [line for line in lines if line["event"] == "request"]
    assert {line["status"] for line in requests} >= {200, 503}
    assert all(line["request_id"] and "duration_ms" in line for line in requests)
    assert any(line["event"] == "database_unavailable" for line in lines)
    assert time.monotonic() - started < 90
