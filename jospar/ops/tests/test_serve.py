"""`jospar serve` and the production settings, run as a deployer would: in a process of their
own, with DEBUG off and only the environment the README documents."""

import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from dotenv import dotenv_values

from jospar.ops.tests.production import ROOT, free_port, jospar, production_env, server_environ


def get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
        return response.status, response.read().decode("utf-8", "replace")


def documented_env(tmp_path: Path) -> dict[str, str]:
    """deploy/jospar.env.example as an administrator fills it in: a real secret, and the var
    dir (which exists on a server) in a temporary folder."""
    documented = dotenv_values(ROOT / "deploy" / "jospar.env.example", interpolate=False)
    assert documented["SECRET_KEY"] == ""  # shipped empty: Jospar refuses to start without it
    env = server_environ()
    return (
        env
        | documented
        | {
            "DJANGO_SETTINGS_MODULE": "jospar.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "JOSPAR_VAR_DIR": str(tmp_path),
        }
    )


def test_the_documented_production_environment_passes_check_deploy(tmp_path):
    env = documented_env(tmp_path)
    result = jospar("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert "WARNING" not in result.stderr and "Warning" not in result.stderr, result.stderr
    # Without its HTTPS lines Django names what is missing: the check above is not vacuous.
    https = {key for key in env if key.startswith("SECURE_")}
    bare = jospar(
        "check", "--deploy", "--fail-level", "WARNING",
        env={k: v for k, v in env.items() if k not in https},
    )  # fmt: skip
    assert bare.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in bare.stderr + bare.stdout
    # And the file as shipped, secret still empty, is refused in one line.
    unfilled = jospar("check", env=env | {"SECRET_KEY": ""})
    assert unfilled.returncode == 1
    assert unfilled.stderr.startswith("jospar: SECRET_KEY must be set"), unfilled.stderr
    assert "Traceback" not in unfilled.stderr


def test_serve_answers_pages_and_static_files_on_the_first_request_with_debug_off(tmp_path):
    port = free_port()
    # Hashed names as in production; the gzip and brotli copies (a minute of CPU) are left out.
    env = production_env(tmp_path, STATIC_COMPRESS="0")
    server = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "jospar", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(600):
            try:
                status, page = get(f"{base}/accounts/login/")
                break
            except urllib.error.HTTPError as error:
                pytest.fail(f"{error}: {server.stdout.read() if server.poll() else ''}")
            except OSError:
                if server.poll() is not None:
                    pytest.fail(server.stdout.read())
                time.sleep(0.1)
        else:
            pytest.fail("jospar serve did not answer within 60 s")
        assert status == 200
        assert 'name="password"' in page
        # The page names its static files by their collected (hashed) names, and they are there.
        assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
        assert assets and all(re.search(r"\.[0-9a-f]{12}\.", asset) for asset in assets), assets
        for asset in assets:
            assert get(base + asset)[0] == 200, asset
    finally:
        server.send_signal(signal.SIGTERM)
        output, _ = server.communicate(timeout=30)
    assert server.returncode == 0, output
    assert f"Serving on http://127.0.0.1:{port}/ with 2 workers" in output
    assert "GET /accounts/login/" in output  # gunicorn's access log
