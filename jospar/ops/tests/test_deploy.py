"""deploy/: what it names exists. The systemd units pass `systemd-analyze verify`, the nginx
site passes `nginx -t` (where those tools are installed; under CI=true they must be), and
the compose file, the Dockerfile and the units run `jospar` commands that exist with
variables that Jospar reads. Images cannot be built here (no Docker daemon, no network)."""

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands
from dotenv import dotenv_values

from jospar.documents.importer import MAX_MB as IMPORT_MAX_MB

ROOT = Path(__file__).resolve().parents[3]
DEPLOY = ROOT / "deploy"
# Variables that are not Jospar's settings: Python's own and the PostgreSQL image's.
NOT_SETTINGS = {"PYTHONUNBUFFERED", "POSTGRES_USER", "POSTGRES_DB", "POSTGRES_PASSWORD"}


def read_by_jospar() -> set[str]:
    """Every quoted upper-case name the package reads through jospar.lib.env or os.environ."""
    names = set()
    pattern = re.compile(
        r"""(?:env(?:str|int|bool|list)|environ\.get|getenv)\(\s*["']([A-Z0-9_]+)"""
    )
    for path in (ROOT / "jospar").rglob("*.py"):
        if "tests" not in path.parts:
            names.update(pattern.findall(path.read_text(encoding="utf-8")))
    return names


def documented() -> dict[str, str]:
    return dotenv_values(DEPLOY / "jospar.env.example", interpolate=False)


def commented_names() -> set[str]:
    text = (DEPLOY / "jospar.env.example").read_text(encoding="utf-8")
    return set(re.findall(r"^#([A-Z][A-Z0-9_]+)=", text, flags=re.MULTILINE))


def jospar_commands(argvs: list[list[str]]) -> set[str]:
    names = set()
    for argv in argvs:
        assert Path(argv[0]).name == "jospar", argv
        names.add(argv[1])
    return names


def assert_commands_exist(names: set[str]) -> None:
    commands = set(get_commands())
    assert names <= commands, names - commands


def unit(name: str) -> str:
    return (DEPLOY / "systemd" / name).read_text(encoding="utf-8")


def unit_values(text: str, key: str) -> list[str]:
    return re.findall(rf"^{key}=(.*)$", text, flags=re.MULTILINE)


def require(tool: str) -> str:
    found = shutil.which(tool)
    if not found:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} is missing: .ci/run installs it")
        pytest.skip(f"{tool} is not installed here")
    return found


def test_the_environment_file_names_only_settings_jospar_reads():
    names = set(documented()) | commented_names()
    assert {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "JOSPAR_VAR_DIR", "WEB_BIND"} <= names
    pending_storage = {name for name in commented_names() if name.startswith(("S3_", "STORAGE_"))}
    unknown = names - read_by_jospar() - NOT_SETTINGS - pending_storage
    assert not unknown, f"deploy/jospar.env.example names what Jospar never reads: {unknown}"


@pytest.mark.parametrize("name", ["jospar-web.service", "jospar-worker.service"])
def test_the_units_run_jospar_as_its_own_user_writing_only_its_var_dir(name):
    text = unit(name)
    assert unit_values(text, "User") == ["jospar"]
    assert unit_values(text, "EnvironmentFile") == ["/etc/jospar/jospar.env"]
    var_dir = documented()["JOSPAR_VAR_DIR"]
    assert unit_values(text, "WorkingDirectory") == [var_dir]
    assert unit_values(text, "ReadWritePaths") == [var_dir]
    assert unit_values(text, "StateDirectory") == [Path(var_dir).name]
    for setting in ("NoNewPrivileges=yes", "ProtectSystem=strict", "PrivateTmp=yes"):
        assert setting in text.splitlines(), setting
    # The worker may end on purpose (WORKER_MAX_TASKS) and must come back then too.
    assert unit_values(text, "Restart") == ["always" if "worker" in name else "on-failure"]
    assert_commands_exist(jospar_commands([shlex.split(unit_values(text, "ExecStart")[0])]))


def test_the_units_run_the_web_server_and_the_worker():
    web = shlex.split(unit_values(unit("jospar-web.service"), "ExecStart")[0])
    worker = shlex.split(unit_values(unit("jospar-worker.service"), "ExecStart")[0])
    assert web[1:] == ["serve"] and worker[1:] == ["worker"]


def test_systemd_analyze_verifies_the_units(tmp_path):
    tool = require("systemd-analyze")
    # The units as installed, with a stand-in for the virtualenv's `jospar` (verify checks that
    # the program exists and is executable).
    stand_in = tmp_path / "jospar"
    stand_in.write_text("#!/bin/sh\n", encoding="utf-8")
    stand_in.chmod(0o755)
    units = []
    for name in ("jospar-web.service", "jospar-worker.service"):
        copy = tmp_path / name
        copy.write_text(unit(name).replace("/opt/jospar/venv/bin/jospar", str(stand_in)))
        units.append(str(copy))
    done = subprocess.run(  # noqa: S603 - the system's tool on our files
        [tool, "verify", *units], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and not (done.stdout + done.stderr).strip(), done.stderr


def nginx_value(text: str, directive: str) -> str:
    (value,) = re.findall(rf"^\s*{directive}\s+([^;{{]+);", text, flags=re.MULTILINE)
    return value


def test_the_nginx_site_matches_the_settings():
    text = (DEPLOY / "nginx" / "jospar.conf").read_text(encoding="utf-8")
    env = documented()
    body_mb = int(nginx_value(text, "client_max_body_size").rstrip("m"))
    assert body_mb > max(int(env["EVIDENCE_MAX_MB"]), IMPORT_MAX_MB)
    assert int(nginx_value(text, "proxy_read_timeout").rstrip("s")) > int(env["WEB_TIMEOUT"])
    assert nginx_value(text, "server") == env["WEB_BIND"]  # the upstream
    header = env["SECURE_PROXY_SSL_HEADER"]
    assert f"proxy_set_header {header} $scheme;" in text
    assert "proxy_set_header X-Request-ID $jospar_request_id;" in text
    assert "return 301 https://$host$request_uri;" in text
    assert "location /media" not in text  # uploads only through the app's permission checks


def test_nginx_accepts_the_site(tmp_path):
    tool = require("nginx")
    require("openssl")
    # A throw-away certificate for the syntax check.
    subprocess.run(  # noqa: S603
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",  # noqa: S607
         "-subj", "/CN=jospar.example.kz", "-keyout", str(tmp_path / "key"),
         "-out", str(tmp_path / "crt")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    site = (DEPLOY / "nginx" / "jospar.conf").read_text(encoding="utf-8")
    site = site.replace("/etc/jospar/tls/jospar.crt", str(tmp_path / "crt"))
    site = site.replace("/etc/jospar/tls/jospar.key", str(tmp_path / "key"))
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "jospar.conf").write_text(site, encoding="utf-8")
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n    include {tmp_path}/jospar.conf;\n}}\n",
        encoding="utf-8",
    )
    done = subprocess.run(  # noqa: S603 - the system's nginx on our file
        [tool, "-t", "-c", str(tmp_path / "nginx.conf"), "-p", f"{tmp_path}/"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "[warn]" not in done.stderr and "[emerg]" not in done.stderr, done.stderr


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def test_the_compose_file_runs_postgres_the_app_and_the_worker():
    services = compose()["services"]
    assert set(services) == {"db", "app", "worker"}
    assert services["db"]["image"].startswith("postgres:")
    app, worker = services["app"], services["worker"]
    assert jospar_commands([app["command"]]) == {"serve"}
    assert app["command"][2:] == ["--migrate"]  # the worker starts after the app is healthy
    assert jospar_commands([worker["command"]]) == {"worker"}
    assert_commands_exist({"serve", "worker"})
    assert worker["depends_on"] == {"app": {"condition": "service_healthy"}}
    assert app["depends_on"] == {"db": {"condition": "service_healthy"}}
    for service in (app, worker):
        assert service["env_file"] == ["jospar.env"]
        assert "media:/var/lib/jospar/media" in service["volumes"]
        assert service["environment"]["MEDIA_ROOT"] == "/var/lib/jospar/media"
    assert "/health/" in " ".join(app["healthcheck"]["test"])
    assert "pg_isready" in services["db"]["healthcheck"]["test"]
    # The health check is a Python program that compiles.
    test = app["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    compile(test[3], "healthcheck", "exec")


def test_the_compose_file_and_the_dockerfile_name_only_settings_jospar_reads():
    services = compose()["services"]
    names = set()
    for service in services.values():
        names |= set(service.get("environment", {}))
    text = (DEPLOY / "compose.yaml").read_text(encoding="utf-8")
    interpolated = set(re.findall(r"\$\{([A-Z0-9_]+)", text))
    assert interpolated <= set(documented()) | commented_names(), interpolated
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    env_block = re.search(r"^ENV (.*?)(?:\n(?!\s)|\Z)", dockerfile, re.MULTILINE | re.DOTALL)
    names |= set(re.findall(r"([A-Z][A-Z0-9_]+)=", env_block.group(1)))
    unknown = names - read_by_jospar() - NOT_SETTINGS
    assert not unknown, unknown


def test_the_dockerfile_serves_as_a_user_with_static_files_collected():
    lines = (DEPLOY / "Dockerfile").read_text(encoding="utf-8").splitlines()
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users == ["jospar"]
    assert lines[[n for n, line in enumerate(lines) if line.startswith("FROM ")][-1]].startswith(
        "FROM python:3.11-slim"
    )
    (cmd,) = [line for line in lines if line.startswith("CMD ")]
    assert jospar_commands([yaml.safe_load(cmd[4:])]) == {"serve"}
    assert any("jospar collectstatic --no-input" in line for line in lines)
    assert any("--no-index --find-links" in line for line in lines)


def test_jospar_admin_runs_a_command_as_the_units_do():
    script = (DEPLOY / "jospar-admin").read_text(encoding="utf-8")
    assert os.access(DEPLOY / "jospar-admin", os.X_OK)
    subprocess.run(["sh", "-n", str(DEPLOY / "jospar-admin")], check=True)  # noqa: S603, S607
    web = unit("jospar-web.service")
    assert f"--property=EnvironmentFile={unit_values(web, 'EnvironmentFile')[0]}" in script
    assert f"--property=WorkingDirectory={unit_values(web, 'WorkingDirectory')[0]}" in script
    assert f"--uid={unit_values(web, 'User')[0]}" in script
    assert unit_values(web, "ExecStart")[0].split()[0] + ' "$@"' in script


def test_the_python_of_the_image_is_the_one_of_the_project():
    required = re.search(r'requires-python = ">=(\d+\.\d+)"', (ROOT / "pyproject.toml").read_text())
    assert f"python:{required.group(1)}-slim" in (DEPLOY / "Dockerfile").read_text()
