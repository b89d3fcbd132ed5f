"""The production smoke test: Jospar started as the README's "Serving in production" says —
`jospar serve --migrate` (gunicorn, two workers) and `jospar worker`, DEBUG off, on a database
of their own with the demo loaded (on PostgreSQL when the test run's DATABASE_URL is
PostgreSQL, as in CI's second run: created empty, migrated by `serve --migrate`, the demo
loaded by `load_demo`; else a copy of the run's fresh SQLite installation, `tests.installed`,
migrated from empty by `jospar migrate`) — and driven over HTTP as a person would: log in,
open the plan, autosave a quarter's entry, have the plan's PDF made in the background and
download it. Both processes are stopped, and the database dropped, whatever happens."""

import contextlib
import http.cookiejar
import json
import os
import re
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from psycopg import sql

from jospar.demo.orgs import DEMO_PASSWORD
from jospar.ops.tests.production import Service, free_port, jospar, production_env
from tests.installed import DEMO_OUTPUT

POSTGRES = ("postgres://", "postgresql://", "pgsql://")


@contextlib.contextmanager
def smoke_database(tmp_path: Path, installed: Path):
    """A DATABASE_URL for the servers, outside the test database, and whether the demo is to be
    loaded into it: `<name>_smoke` on the test run's PostgreSQL server (created afresh and
    empty, dropped at the end), or on SQLite a copy of the run's fresh installation
    (`tests.installed`: migrated from empty by `jospar migrate`, the demo loaded)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(POSTGRES):
        database = tmp_path / "smoke.sqlite3"
        shutil.copyfile(installed / "jospar.sqlite3", database)
        yield f"sqlite:///{database}", False
        return
    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_smoke"
    server = {
        "host": config["HOST"] or None,
        "port": config["PORT"] or None,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
    }

    def run(statement: str) -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(sql.SQL(statement).format(sql.Identifier(name)))

    run("DROP DATABASE IF EXISTS {} WITH (FORCE)")  # what a killed run may have left
    run("CREATE DATABASE {}")
    try:
        yield urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl(), True
    finally:
        run("DROP DATABASE IF EXISTS {} WITH (FORCE)")


@dataclass
class Response:
    status: int
    headers: object
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the test follows (and checks) each redirect itself


class Browser:
    """What a browser does that the test needs: cookies, forms, no JavaScript."""

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects()
        )

    def request(self, method: str, path: str, data=None, headers=None) -> Response:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310 - loopback
            urllib.parse.urljoin(self.base, path), data=body, method=method, headers=headers or {}
        )
        try:
            with self.opener.open(request, timeout=30) as response:
                return Response(response.status, response.headers, response.read())
        except urllib.error.HTTPError as error:  # 3xx (not followed), 4xx, 5xx
            with error:
                return Response(error.code, error.headers, error.read())

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> Response:
        return self.request("POST", path, data=data, **kwargs)

    def log_in(self, username: str, password: str, **fields: str) -> Response:
        """The login page's form, filled in and posted."""
        token = form_token(self.get("/accounts/login/").text)
        login = {"username": username, "password": password} | fields
        return self.post("/accounts/login/", {"csrfmiddlewaretoken": token} | login)


def form_token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def htmx_token(page: str) -> str:
    """The token base.html gives HTMX's requests as the X-CSRFToken header."""
    return re.search(r'"X-CSRFToken": "([^"]+)"', unescape(page)).group(1)


def redirected(response: Response, status: int = 302) -> str:
    assert response.status == status, (response.status, response.text[:2000])
    return response.headers["Location"]


def wait_until_it_answers(server: Service, url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert server.running, "jospar serve ended before it answered"
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - loopback
                return
        except urllib.error.HTTPError as error:
            pytest.fail(f"jospar serve answered {error.code} to {url}")
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"jospar serve did not answer within {seconds} s")


def demo_login(output: str, login: str) -> tuple[str, str]:
    """A login load_demo prints (a line of its own, in whichever language it printed), and the
    demo's password, which it prints too."""
    assert re.search(rf"^\s+{login}\s", output, re.MULTILINE), output
    assert DEMO_PASSWORD in output, output
    return login, DEMO_PASSWORD


def demo_plan_url(output: str) -> str:
    """The path of the 2026 plan, the first plan load_demo prints (its address ends the line)."""
    found = re.search(r"^\D*2026\D.*: (\S+/operational-plans/\d+/)$", output, re.MULTILINE)
    assert found, output
    return urllib.parse.urlsplit(found.group(1)).path


def test_the_production_server_and_worker_serve_a_person_over_http(tmp_path, installed_demo):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    services: list[Service] = []
    with contextlib.ExitStack() as stack:
        database_url, empty = stack.enter_context(smoke_database(tmp_path, installed_demo))

        @stack.callback
        def stop_and_show_output() -> None:
            for service in services:
                service.stop()
            for service in services:  # shown by pytest when the test fails
                print(f"--- {service.log.name} (exit {service.process.returncode})")
                print(service.output())

        env = production_env(
            tmp_path,
            DATABASE_URL=database_url,
            # Hashed names as in production; the gzip and brotli copies (a minute) left out.
            STATIC_COMPRESS="0",
            # The demo plan has a few dozen actions: its PDF goes to the worker.
            EXPORT_BACKGROUND_ACTIONS="10",
        )
        server = Service(
            *("serve", "--migrate", "--bind", f"127.0.0.1:{port}", "--workers", "2"),
            env=env,
            log=tmp_path / "serve.log",
        )
        services.append(server)
        wait_until_it_answers(server, f"{base}/accounts/login/", seconds=150)
        if empty:
            demo = jospar("load_demo", "--i-know-this-is-not-production", env=env)
            assert demo.returncode == 0, demo.stdout + demo.stderr
            demo_output = demo.stdout
        else:
            demo_output = (installed_demo / DEMO_OUTPUT).read_text(encoding="utf-8")
        # After the demo, which is one long transaction: on SQLite it would hold back the
        # worker's first writes, perhaps beyond the database's lock timeout.
        worker = Service("worker", env=env, log=tmp_path / "worker.log")
        services.append(worker)
        plan_url = demo_plan_url(demo_output)
        username, password = demo_login(demo_output, "executor")

        # The login page and its static files, served by the app itself with DEBUG off.
        browser = Browser(base)
        page = browser.get("/accounts/login/")
        assert page.status == 200 and 'name="password"' in page.text
        assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text)
        assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
        for asset in assets:
            response = browser.get(asset)
            assert response.status == 200 and response.body, asset

        # Log in as the executor of the Department of Water Resources Management.
        wrong = browser.log_in(username, "not-the-password")
        assert wrong.status == 200 and "/accounts/logout/" not in wrong.text
        assert redirected(browser.log_in(username, password, next=plan_url)) == plan_url

        # The plan.
        page = browser.get(plan_url)
        assert page.status == 200, page.text[:2000]
        assert "Operational plan for 2026" in page.text
        assert username in page.text  # the header names who is logged in

        # The unit's information for quarter 4 (the demo leaves it a draft, open since
        # 1 October 2026 and due 10 January 2027): the quarter's page leads the executor to it.
        submission_url = redirected(browser.get(f"{plan_url}quarters/4/"))
        page = browser.get(submission_url)
        assert page.status == 200, page.text[:2000]
        entry = re.search(
            r'<form class="entry" hx-post="(?P<url>[^"]+)".*?'
            r'name="version" id="version-(?P<action>\d+)" value="(?P<version>\d+)"',
            page.text,
            re.DOTALL,
        )
        assert entry, "no entry form for the executor on the quarter 4 page"
        actual = f"Checked over HTTP by the production smoke test ({time.time_ns()})."
        # As the page's HTMX autosave sends it: the form's fields, the token as a header.
        response = browser.post(
            entry["url"],
            {"version": entry["version"], "status": "executed", "actual": actual, "reasons": ""},
            headers={"HX-Request": "true", "X-CSRFToken": htmx_token(page.text)},
        )
        assert response.status == 200, response.text[:2000]
        version = int(entry["version"]) + 1
        assert f'id="version-{entry["action"]}" value="{version}"' in response.text, response.text
        assert "saved at" in response.text and "conflict errors" not in response.text
        again = browser.get(submission_url)
        assert actual in again.text
        assert f'id="version-{entry["action"]}" value="{version}"' in again.text

        # The plan's PDF: the export page posts it to the worker and shows the job's page.
        page = browser.get(f"{plan_url}export/")
        assert page.status == 200 and "prepared in the background" in page.text
        response = browser.post(
            f"{plan_url}export/appendix-1/",
            {"csrfmiddlewaretoken": form_token(page.text), "format": "pdf", "lang": "en"},
        )
        job_url = redirected(response, status=303)
        assert re.fullmatch(r"/bodies/\d+/exports/[0-9a-f-]{36}/", job_url), job_url
        deadline = time.monotonic() + 90
        while True:
            page = browser.get(job_url)
            assert page.status == 200, page.text[:2000]
            status = re.search(r'data-status="(\w+)"', page.text).group(1)
            if status not in ("queued", "running"):
                break
            assert worker.running, "jospar worker ended"
            assert time.monotonic() < deadline, f"the export is still {status} after 90 s"
            time.sleep(0.5)
        assert status == "done", page.text
        file_url = re.search(r'href="([^"]+/file/)"', page.text).group(1)
        response = browser.get(file_url)
        assert response.status == 200, response.text[:2000]
        assert response.headers["Content-Type"] == "application/pdf"
        assert ".pdf" in response.headers["Content-Disposition"]
        assert response.body.startswith(b"%PDF-")
        assert 20_000 < len(response.body) < 20_000_000, len(response.body)
        # /health/ as a load balancer asks it: every check passes, the worker's heartbeat too.
        health = Browser(base).get("/health/", headers={"Accept": "application/json"})
        assert health.status == 200, health.text
        assert set(json.loads(health.text).values()) == {"OK"}, health.text
        assert "Worker()" in json.loads(health.text)
        # Only the person who asked sees the job: not a stranger, not the body's planner.
        assert redirected(Browser(base).get(file_url)).startswith("/accounts/login/")
        planner = Browser(base)
        redirected(planner.log_in(demo_login(demo_output, "planner")[0], password))
        assert planner.get(plan_url).status == 200
        assert planner.get(job_url).status == 404 and planner.get(file_url).status == 404

        # Both stop cleanly on SIGTERM, as systemd stops them.
        assert server.stop() == 0
        assert worker.stop() == 0

    log = server.output()
    assert f"Serving on http://127.0.0.1:{port}/ with 2 workers" in log
    # gunicorn's access log: one line a request, with its status.
    for line in (
        '"GET /accounts/login/ HTTP/1.1" 200',
        '"POST /accounts/login/ HTTP/1.1" 302',
        f'"POST {plan_url}export/appendix-1/ HTTP/1.1" 303',
        f'"GET {file_url} HTTP/1.1" 200',
    ):
        assert line in log, line
    assert "stopped" in worker.output()
