"""What the documents' commands (export_plan, export_report, import_plan) share: help worded
in the session's language, the body and year arguments and the plan they name, and the
export's format, language and output file."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from jospar.documents.appendices import FORMATS, LANGUAGES, ExportError, ExportFile
from jospar.lib import commands
from jospar.orgs.models import StateBody
from jospar.plans.models import OperationalPlan


class PlanCommand(commands.Command):
    """A command on a body's operational plan for a year (its first two arguments)."""

    def add_arguments(self, parser):
        parser.add_argument("body", help=_("the state body's code, e.g. MWR"))
        parser.add_argument("year", type=int, help=_("the plan year, e.g. 2026"))


class ExportCommand(PlanCommand):
    """An export of the plan: its own arguments, then the file's; `export` makes the file."""

    output_help = ""  # what -o/--output writes by default

    def add_arguments(self, parser):
        super().add_arguments(parser)
        self.add_export_arguments(parser)
        add_file_arguments(parser, output_help=str(self.output_help))

    def add_export_arguments(self, parser):
        """The arguments between the year and the file's."""

    def export(self, plan: OperationalPlan, **options) -> ExportFile:
        """The file, from the plan and the command's options; ExportError if it cannot be."""
        raise NotImplementedError

    def refusal(self, plan: OperationalPlan, error: ExportError) -> str:
        """What the command says when the export cannot be made."""
        return str(error)

    def handle(self, *args, body, year, output, **options):
        plan = plan_for(body, year)
        try:
            file = self.export(plan, **options)
        except ExportError as error:
            raise CommandError(self.refusal(plan, error)) from None
        write(self, file, output)


def add_file_arguments(parser, *, output_help: str) -> None:
    """--format, --lang and -o/--output of an export."""
    parser.add_argument(
        "--format", dest="file_format", choices=FORMATS, default="xlsx", help=_("default: xlsx")
    )
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default="ru",
        help=_("the language of the form: kk, ru or en (default: ru)"),
    )
    parser.add_argument("-o", "--output", help=output_help)


def plan_for(code: str, year: int) -> OperationalPlan:
    """The body's plan for the year; a CommandError names the body's years if it has none."""
    body = StateBody.objects.filter(code=code).first()
    if body is None:
        raise CommandError(_("No state body has the code “%(code)s”.") % {"code": code})
    plan = (
        body.operational_plans.select_related("body", "development_plan").filter(year=year).first()
    )
    if plan is None:
        years = ", ".join(str(y) for y in body.operational_plans.values_list("year", flat=True))
        if years:
            message = _("%(body)s has no operational plan for %(year)s (it has: %(years)s).")
        else:
            message = _("%(body)s has no operational plan for %(year)s.")
        raise CommandError(message % {"body": body.code, "year": year, "years": years})
    return plan


def write(command: BaseCommand, file: ExportFile, output: str | None) -> None:
    """The file to `output` ('-' for standard output; by default its own name here)."""
    if output == "-":
        sys.stdout.buffer.write(file.content)
        sys.stdout.buffer.flush()
        return
    path = Path(output or file.filename)
    try:
        path.write_bytes(file.content)
    except OSError as error:
        raise CommandError(
            _("Cannot write %(path)s: %(error)s") % {"path": path, "error": error.strerror}
        ) from None
    command.stdout.write(
        _("%(path)s (%(size)s bytes)") % {"path": path, "size": f"{len(file.content):,}"}
    )
