"""The development machine's settings file, `var/jospar.env`.

`make run` writes it once (DEBUG on, a generated SECRET_KEY) so that the `jospar` command typed
in a new shell works as the README shows. The `jospar` command reads it before the settings,
for the variables the environment does not already hold: the environment always wins. A server
never has one: systemd or the container gives its environment (deploy/), and its
JOSPAR_VAR_DIR holds no such file.

    python -m jospar.lib.localenv    # writes var/jospar.env unless it exists; prints its path
"""

import os
import secrets
import sys
from pathlib import Path

from dotenv import load_dotenv

FILE_NAME = "jospar.env"


def var_dir() -> Path:
    """JOSPAR_VAR_DIR, or `var/` beside the package (the settings' default too)."""
    default = Path(__file__).resolve().parents[2] / "var"
    return Path(os.environ.get("JOSPAR_VAR_DIR") or default)


def path() -> Path:
    return var_dir() / FILE_NAME


def load() -> bool:
    """Reads the file into os.environ where a variable is not already set; False if absent."""
    # No ${...} expansion: the same lines mean the same as in a systemd EnvironmentFile.
    return load_dotenv(path(), override=False, interpolate=False)


def write() -> tuple[Path, bool]:
    """Writes the file with DEBUG on and a fresh SECRET_KEY unless it exists; (path, written)."""
    target = path()
    if target.exists():
        return target, False
    target.parent.mkdir(parents=True, exist_ok=True)
    text = (
        "# Local development settings, written once by `make run` and read by the `jospar`\n"
        "# command for what the environment does not set. Never used on a server; not in git.\n"
        "DEBUG=1\n"
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
    )
    # Readable by its owner only: it holds a secret.
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    return target, True


if __name__ == "__main__":
    written_path, written = write()
    sys.stdout.write(f"{'wrote' if written else 'kept'} {written_path}\n")
