"""The README's console examples, run as typed in a new shell after `make run`.

Every fenced block right after a `<!-- example -->` line is run line by line, in a fresh
working folder, against a var dir of its own that holds what `make run` leaves: the
development settings file (`python -m jospar.lib.localenv`), the migrated SQLite database and
the demo (a copy of the run's one fresh installation, `tests.installed`). The environment has
no DEBUG, SECRET_KEY or DATABASE_URL, as a new shell has not. `.venv/bin/jospar` and
`.venv/bin/python` stand for this interpreter with this checkout on its path. A line must exit
with 0, and a file it names with `-o` must be there afterwards.
"""

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.installed import new_shell

ROOT = Path(__file__).resolve().parents[1]
MARKER = "<!-- example -->"
COMMANDS = {
    ".venv/bin/jospar": [sys.executable, "-m", "jospar"],
    ".venv/bin/python": [sys.executable],
}


def readme_examples() -> list[tuple[str, list[str]]]:
    """(the section's heading, the block's command lines) for every marked block."""
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    examples, heading = [], ""
    for number, line in enumerate(lines):
        if line.startswith("## "):
            heading = line[3:].strip()
        if line.strip() != MARKER:
            continue
        assert lines[number + 1].startswith("```sh"), f"README line {number + 2}: not a block"
        block = []
        for text in lines[number + 2 :]:
            if text.startswith("```"):
                break
            if text.strip():
                block.append(text)
        examples.append((heading, block))
    return examples


EXAMPLES = readme_examples()


def argv(line: str) -> list[str]:
    words = shlex.split(line, comments=True)
    assert words[0] in COMMANDS, f"an example runs what `make run` installed: {line}"
    return [*COMMANDS[words[0]], *words[1:]]


def run(command: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and commands
        command, env=env, cwd=cwd, capture_output=True, text=True, timeout=180
    )


@pytest.fixture(scope="module")
def demo_var_dir(installed_demo, tmp_path_factory):
    """What `make run` leaves before its server starts (`tests.installed`), copied into a var
    dir of the test's own."""
    var_dir = tmp_path_factory.mktemp("var") / "var"
    shutil.copytree(installed_demo, var_dir)
    return var_dir


def test_the_readme_marks_its_console_examples():
    sections = {heading for heading, _ in EXAMPLES}
    assert {
        "The `jospar` command",
        "Importing a plan from a workbook",
        "The legal forms",
    } <= sections
    commands = " ".join(line for _, block in EXAMPLES for line in block)
    assert "MWRI-DEMO" in commands and "export-report" in commands
    assert "DEBUG=" not in commands  # they work without it, which is the point


@pytest.mark.parametrize(
    "block", [block for _, block in EXAMPLES], ids=[f"{h}-{n}" for n, (h, _) in enumerate(EXAMPLES)]
)
def test_a_readme_example_works_as_typed(block, demo_var_dir, tmp_path):
    env = new_shell(demo_var_dir)
    for line in block:
        done = run(argv(line), env, tmp_path)
        assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr, line
        output = re.search(r"(?:-o|--output)\s+(\S+)", line)
        if output:
            written = tmp_path / output.group(1)
            assert written.is_file() and written.stat().st_size > 0, line
