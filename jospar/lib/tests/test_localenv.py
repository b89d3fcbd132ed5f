"""The development settings file `make run` writes (var/jospar.env) and the `jospar` command
reads: written once, secret to its owner, and never above the environment."""

import os
import stat
import subprocess
import sys
from pathlib import Path

from dotenv import dotenv_values

from jospar.lib import localenv

ROOT = Path(__file__).resolve().parents[3]


def jospar_env(var_dir: Path, **extra: str) -> dict[str, str]:
    unset = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    return env | {"JOSPAR_VAR_DIR": str(var_dir), "PYTHONPATH": str(ROOT)} | extra


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and modules
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_file_is_written_once_with_debug_and_a_private_secret(tmp_path):
    env = jospar_env(tmp_path)
    first = run("-m", "jospar.lib.localenv", env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("wrote ")
    path = tmp_path / "jospar.env"
    values = dotenv_values(path)
    assert values["DEBUG"] == "1"
    assert len(values["SECRET_KEY"]) >= 50
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = run("-m", "jospar.lib.localenv", env=env)
    assert again.stdout.startswith("kept ")
    assert dotenv_values(path) == values  # the same secret: sessions survive `make run` again


SHOW = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY)"


def test_the_jospar_command_reads_it_and_the_environment_wins(tmp_path):
    (tmp_path / "jospar.env").write_text("DEBUG=1\nSECRET_KEY=from-the-file\n", encoding="utf-8")
    read = run("-m", "jospar", "shell", "-v", "0", "-c", SHOW, env=jospar_env(tmp_path))
    assert read.returncode == 0, read.stderr
    assert read.stdout.split() == ["True", "from-the-file"]
    env = jospar_env(tmp_path, DEBUG="0", SECRET_KEY="from-the-environment-" + "x" * 40)
    env["ALLOWED_HOSTS"] = "localhost"
    wins = run("-m", "jospar", "shell", "-v", "0", "-c", SHOW, env=env)
    assert wins.returncode == 0, wins.stderr
    assert wins.stdout.split() == ["False", "from-the-environment-" + "x" * 40]


def test_without_the_file_nothing_is_read(tmp_path, monkeypatch):
    monkeypatch.setenv("JOSPAR_VAR_DIR", str(tmp_path))
    assert localenv.path() == tmp_path / "jospar.env"
    assert localenv.load() is False
