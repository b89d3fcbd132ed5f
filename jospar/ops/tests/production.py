"""Helpers of the tests that run Jospar's commands as a deployer would: in processes of their
own, with DEBUG off and only the environment the README documents."""

import os
import secrets
import signal
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# The test run's own switches, which a server does not have (the browser tests set the last
# one in the process, and `check --deploy` then fails on it).
TEST_RUN_ONLY = {"DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def server_environ() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in TEST_RUN_ONLY}


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = server_environ()
    env.update(
        DJANGO_SETTINGS_MODULE="jospar.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,jospar.example.kz",
        JOSPAR_VAR_DIR=str(tmp_path),
        LANGUAGE_CODE="en",
        DATABASE_URL=f"sqlite:///{tmp_path / 'jospar.sqlite3'}",
    )
    env.update(extra)
    return env


def jospar(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "jospar", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Service:
    """A long-running `jospar` command (serve, worker) as its systemd unit runs it: its own
    process group, its output in a file (a pipe nobody reads would fill and block it), stopped
    with SIGTERM — and, should it not end within `grace` seconds, killed with its children."""

    def __init__(self, *args: str, env: dict[str, str], log: Path):
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own command
                [sys.executable, "-m", "jospar", *args],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def output(self) -> str:
        return self.log.read_text("utf-8", "replace")

    def stop(self, grace: float = 30) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                # Not reaped yet, so the group is still this process's own.
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        return self.process.returncode
