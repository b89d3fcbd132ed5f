"""Benchmark: the CPU one autosave costs, against one request of the burst's floor, without
HTTP or concurrency — where bench_burst's throughput goes on a machine that other work shares.

Each side runs in a process of its own on the servers' settings (DEBUG off, production
middleware, the request log written to /dev/null): Jospar's saves go through Django's WSGI
handler as bench_burst sends them (an executor's session cookie, the CSRF header, the version
the previous answer gave), the floor's POSTs to its one-INSERT view (bench/floor_settings.py).
It reports the CPU time of the process and of its PostgreSQL backend (read from /proc: the
server must run on this machine) per request, and with --profile the functions a save spends
its time in (cProfile). The database is emptied first:
  DATABASE_URL=postgres://postgres@127.0.0.1:5432/jospar_bench \\
      .venv/bin/python -m bench.bench_autosave_cpu [--saves 1000] [--profile 40]
"""

import argparse
import io
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSRF = "c" * 32  # an unmasked CSRF secret: the cookie and the header


class Backend:
    """The CPU time of this connection's PostgreSQL backend process."""

    def __init__(self):
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self.pid = cursor.fetchone()[0]

    def cpu(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def post(app, path: str, form: dict, cookie: str) -> tuple[str, str]:
    body = urllib.parse.urlencode(form).encode()
    environ = {
        "REQUEST_METHOD": "POST", "PATH_INFO": path, "SCRIPT_NAME": "", "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1",
        "CONTENT_TYPE": "application/x-www-form-urlencoded", "CONTENT_LENGTH": str(len(body)),
        "HTTP_COOKIE": f"csrftoken={CSRF}; {cookie}", "HTTP_X_CSRFTOKEN": CSRF,
        "HTTP_HX_REQUEST": "true", "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }  # fmt: skip
    answer = {}
    text = b"".join(app(environ, lambda status, headers: answer.update(status=status)))
    return answer["status"], text.decode()


def measured(call, count: int) -> dict:
    """Process and PostgreSQL backend CPU per call, in ms, after 50 calls unmeasured."""
    for n in range(50):
        call(n)
    backend = Backend()
    process, database = time.process_time(), backend.cpu()
    for n in range(50, 50 + count):
        call(n)
    return {
        "process": (time.process_time() - process) / count * 1000,
        "database": (backend.cpu() - database) / count * 1000,
    }


def floor(count: int) -> dict:
    """The floor's requests (in a process of its own: bench.floor_settings)."""
    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    logging.getLogger().handlers[0].stream = open(os.devnull, "w")  # noqa: SIM115
    app = WSGIHandler()

    def call(n):
        form = {"actor": "executor1", "actual": f"executor1 r0 s{n}"}
        status, text = post(app, "/floor/", form, "")
        assert status.startswith("200") and text == "saved", (status, text)

    return measured(call, count)


def jospar(count: int, executors: int, profile: int) -> dict:
    from bench.bench_burst import VERSION, setup, workload

    setup(Path(tempfile.mkdtemp(prefix="jospar-cpu-")))
    _plan, people = workload(executors)
    from django.core.handlers.wsgi import WSGIHandler

    logging.getLogger().handlers[0].stream = open(os.devnull, "w")  # noqa: SIM115
    app = WSGIHandler()
    saves = [(url, f"sessionid={p['session']}") for p in people for url in p["urls"].values()]
    versions: dict[str, int] = {}

    def call(n):
        url, cookie = saves[n % len(saves)]
        form = {"version": versions.get(url, 0), "status": "partial", "actual": f"text {n}"}
        status, text = post(app, url, form | {"reasons": "Funding came late"}, cookie)
        found = VERSION.search(text)
        assert status.startswith("200") and found and "was not saved" not in text, text
        versions[url] = int(found.group(2))

    result = measured(call, count)
    if profile:
        import cProfile
        import pstats

        profiler = cProfile.Profile(time.process_time)
        start = 50 + count
        profiler.runcall(lambda: [call(n) for n in range(start, start + count)])
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(profile)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--saves", type=int, default=1000, help="requests measured, each side")
    parser.add_argument("--executors", type=int, default=40)
    parser.add_argument("--profile", type=int, default=0, help="print this many functions")
    parser.add_argument("--floor", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.floor:
        print(json.dumps(floor(args.saves)))
        return
    mine = jospar(args.saves, args.executors, args.profile)
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "bench.floor_settings"}
    command = [sys.executable, "-m", "bench.bench_autosave_cpu", "--floor"]
    command += ["--saves", str(args.saves)]
    out = subprocess.run(  # noqa: S603 - our own command
        command, cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    theirs = json.loads(out.strip().splitlines()[-1])
    for name, result in (("floor (one INSERT)", theirs), ("Jospar autosave", mine)):
        total = result["process"] + result["database"]
        print(
            f"{name}: {total:.2f} ms of CPU a request ({result['process']:.2f} in the "
            f"process, {result['database']:.2f} in PostgreSQL)"
        )
    ratio = (theirs["process"] + theirs["database"]) / (mine["process"] + mine["database"])
    print(f"floor / Jospar, CPU a request: {ratio:.2f}")


if __name__ == "__main__":
    main()
