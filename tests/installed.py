"""One fresh installation per test run, as `make run` leaves it before its server starts: the
development settings file (`python -m jospar.lib.localenv`), an empty SQLite database migrated
by `jospar migrate` and the demo loaded by `jospar load_demo`, each a process of its own in a
new shell's environment.

Migrating an empty database replays every migration (most of a minute on the development
machine) and the demo takes a quarter of one, so the tests that start from a fresh
installation — the README's console examples and, on SQLite, the production smoke test —
share one, each working on a copy. The first test process to need it builds it under a file
lock; the others of the run wait for it and reuse it.
"""

import fcntl
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# What load_demo printed (its logins, the plan's address): written last, so its presence says
# the installation is complete.
DEMO_OUTPUT = "load_demo.txt"


def new_shell(var_dir: Path) -> dict[str, str]:
    """A new shell's environment: none of the test run's settings, `var_dir` as Jospar's."""
    unset = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in unset and not key.endswith("_FILE")
    }
    return env | {"JOSPAR_VAR_DIR": str(var_dir), "PYTHONPATH": str(ROOT)}


def run(command: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and commands
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=300
    )


def install(var_dir: Path) -> None:
    var_dir.mkdir(exist_ok=True)
    env = new_shell(var_dir)
    for command in (
        [sys.executable, "-m", "jospar.lib.localenv"],
        [sys.executable, "-m", "jospar", "migrate", "--no-input"],
        [sys.executable, "-m", "jospar", "load_demo"],
    ):
        done = run(command, env, ROOT)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    (var_dir / DEMO_OUTPUT).write_text(done.stdout, encoding="utf-8")


@pytest.fixture(scope="session")
def installed_demo(tmp_path_factory, worker_id) -> Path:
    """The var dir of the run's fresh installation (jospar.env, jospar.sqlite3, and
    load_demo.txt with what load_demo printed). Copy it; do not change it."""
    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":  # the test processes of one run share the parent folder
        root = root.parent
    var_dir = root / "installed-demo"
    with (root / "installed-demo.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (var_dir / DEMO_OUTPUT).exists():
            install(var_dir)
    return var_dir
