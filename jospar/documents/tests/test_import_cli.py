"""`jospar import-plan`: the same import from the command line."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jospar.__main__ import command_alias
from jospar.documents.tests.import_world import english_rows, workbook
from jospar.plans.models import Action, PlanStatus

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def sheet(tmp_path):
    def write(rows=None):
        path = tmp_path / "plan.xlsx"
        path.write_bytes(workbook(rows or english_rows()).getvalue())
        return str(path)

    return write


def run(*args):
    from io import StringIO

    out, err = StringIO(), StringIO()
    call_command("import_plan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_dry_run_prints_what_would_be_created_and_writes_nothing(world, body, sheet):
    out, _err = run("MWR", "2026", sheet(), "--dry-run")
    assert "Strategic direction 1. Water security" in out
    assert "Line 12 km of canals | 001, 254 | DWR dept, DDG" not in out  # short names
    assert "Line 12 km of canals | 001, 254 | DWR dept, Department of Digitalisation" in out
    assert "3 actions to create." in out and "Dry run: nothing was written." in out
    assert not Action.objects.exists()


def test_the_import_is_made_as_a_planner(world, planner, sheet):
    out, _err = run("MWR", "2026", sheet(), "--user", "planner")
    assert "Imported 3 actions into Operational plan for 2026 of MWR." in out
    assert Action.objects.count() == 3
    assert {a.history.get().history_user for a in Action.objects.all()} == {planner}


def test_problems_are_printed_with_row_and_column_and_nothing_is_written(world, planner, sheet):
    rows = english_rows()
    rows[9][3] = "Department of Magic"
    with pytest.raises(CommandError, match="Nothing was imported: 1 problem"):
        run("MWR", "2026", sheet(rows), "--user", "planner")
    assert not Action.objects.exists()


def test_the_report_as_json(world, sheet, capsys):
    out, _err = run("MWR", "2026", sheet(), "--dry-run", "--json")
    report = json.loads(out)
    assert report["ok"] is True and report["actions"] == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["XXX", "2026"], "No state body has the code “XXX”."),
        (["MWR", "2031"], "MWR has no operational plan for 2031"),
        (["MWR", "2026"], "Give --user"),
    ],
)
def test_it_says_what_is_wrong_with_the_arguments(world, sheet, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args, sheet())


def test_a_viewer_cannot_import(world, viewer, sheet):
    with pytest.raises(CommandError, match="may not edit the plans of MWR"):
        run("MWR", "2026", sheet(), "--user", "viewer")


def test_a_missing_file_is_named(world, planner):
    with pytest.raises(CommandError, match="nowhere.xlsx"):
        run("MWR", "2026", "nowhere.xlsx", "--dry-run")


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["jospar", "import-plan", "MWR"], ["jospar", "import_plan", "MWR"]),
        (["jospar", "export-plan"], ["jospar", "export_plan"]),
        (["jospar", "help", "load-demo"], ["jospar", "help", "load_demo"]),
        (["jospar", "--version"], ["jospar", "--version"]),
        (["jospar", "no-such-command"], ["jospar", "no-such-command"]),
        (["jospar"], ["jospar"]),
    ],
)
def test_a_command_is_reachable_with_hyphens(argv, expected, settings):
    # export_plan is another helper's command; while it is missing its name stays as written.
    from django.core.management import get_commands

    if "export_plan" in expected and "export_plan" not in get_commands():
        expected = argv
    assert command_alias(argv) == expected


def test_jospar_import_plan_help_explains_the_options():
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "jospar", "import-plan", "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    for option in ("--dry-run", "--user", "--replace", "--json", "body", "year", "file"):
        assert option in done.stdout
    assert "at most 10 MB" in done.stdout


def test_a_dry_run_refuses_up_front_what_the_import_would(world, planner, sheet):
    """A plan with actions (without --replace) or an approved one: the dry run says so, as the
    import would, and the JSON report has it first among the problems."""
    run("MWR", "2026", sheet(), "--user", "planner")
    with pytest.raises(CommandError, match="The plan already has 3 actions"):
        run("MWR", "2026", sheet(), "--dry-run")
    out, _err = run("MWR", "2026", sheet(), "--dry-run", "--replace")
    assert "Dry run: nothing was written." in out
    world["plan"].status = PlanStatus.APPROVED
    world["plan"].save(update_fields=["status"])
    with pytest.raises(CommandError, match="The plan is approved and cannot be changed."):
        run("MWR", "2026", sheet(), "--dry-run", "--replace", "--json")
    with pytest.raises(CommandError, match="The plan is approved and cannot be changed."):
        run("MWR", "2026", sheet(), "--replace", "--user", "planner")
    assert Action.objects.count() == 3


def test_the_json_report_of_a_refused_dry_run_names_the_refusal(world, planner, sheet):
    run("MWR", "2026", sheet(), "--user", "planner")
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_plan", "MWR", "2026", sheet(), "--dry-run", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["ok"] is False
    assert report["problems"][0]["message"].startswith("The plan already has 3 actions.")


def test_jospar_without_a_secret_key_says_so_in_one_line(tmp_path):
    """A server whose environment lacks SECRET_KEY (and whose var dir holds no development
    settings file): a sentence, no traceback."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "jospar.settings",
        "PYTHONPATH": str(ROOT),
        "JOSPAR_VAR_DIR": str(tmp_path),
    }
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "jospar", "export-plan", "MWRI-DEMO", "2026"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 1
    assert "SECRET_KEY must be set when DEBUG is off" in done.stderr
    assert "deploy/jospar.env.example" in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
