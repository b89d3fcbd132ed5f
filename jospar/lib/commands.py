"""What Jospar's console commands share."""

import json
from collections.abc import Callable
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    """A command whose help is a lazy translation, worded in the console's language."""

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = str(self.help)  # argparse formats plain strings only
        return super().create_parser(prog_name, subcommand, **kwargs)


def add_options(parser, *options: tuple[str, object, str]) -> None:
    """Options given as (flag, default, help), each of its default's type (a default from the
    environment, jospar.lib.env, is read when the parser is made)."""
    for flag, default, help_text in options:
        parser.add_argument(flag, type=type(default), default=default, help=help_text)


# --- what the spreadsheet imports' commands share (import-plan, import-development-plan,
# import-org): the file, --dry-run and --user, the file read, the import's refusals -----------


def add_import_arguments(parser, *, dry_run_help: str = "", user_help: str = "") -> None:
    """--dry-run and --user (required unless --dry-run) of an import; the help by default
    that of a plan's import, made by a planner."""
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help=dry_run_help or _("only read the file: print what would be created and every problem"),
    )
    parser.add_argument(
        "--user",
        help=user_help
        or _(
            "the username the import is made as (a planner of the body, or a superuser); "
            "the plan's history records them. Required unless --dry-run"
        ),
    )


def add_json_argument(parser) -> None:
    parser.add_argument(
        "--json", dest="as_json", action="store_true", help=_("print the report as JSON")
    )


def import_actor(user: str | None, *, dry_run: bool, missing: str):
    """The active user the import is made as (None for a dry run); `missing` is said when
    --user is not given."""
    from jospar.orgs.models import User

    if dry_run:
        return None
    if not user:
        raise CommandError(missing)
    actor = User.objects.filter(username=user, is_active=True).first()
    if actor is None:
        raise CommandError(_("No active user is called “%(name)s”.") % {"name": user})
    return actor


def read_file(file: str, read: Callable):
    """What `read` makes of the file at `file`; a file that cannot be opened is the command's
    error."""
    path = Path(file)
    try:
        with path.open("rb") as handle:
            return read(handle)
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from None


def run_import(call: Callable, *, forbidden: str):
    """What the import `call` returns; its refusals are the command's errors: `forbidden`
    when the user may not, else the service's messages."""
    try:
        return call()
    except PermissionDenied:
        raise CommandError(forbidden) from None
    except ValidationError as error:
        raise CommandError(" ".join(error.messages)) from None


def write_json(command: BaseCommand, report: dict) -> None:
    command.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))


def nothing_imported(problems: list) -> CommandError:
    return CommandError(
        _("Nothing was imported: %(count)s problem(s) in the file.") % {"count": len(problems)}
    )
