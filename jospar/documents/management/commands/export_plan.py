"""`jospar export_plan`: an operational plan as Appendix 1 in XLSX, DOCX or PDF."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.documents.forms import FORMATS, LANGUAGES, ExportError, plan_form_file
from jospar.orgs.models import StateBody
from jospar.plans.models import OperationalPlan


class Command(BaseCommand):
    help = gettext_lazy(
        "Write a body's operational plan for a year as Appendix 1 of the Rules (the legal "
        "form) in XLSX, DOCX or PDF, in Kazakh, Russian or English. By default the revision "
        "in force is written (the working draft while the plan was never approved)."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = str(self.help)  # argparse needs text, not a lazy translation
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("body", help=_("the state body's code, e.g. MWR"))
        parser.add_argument("year", type=int, help=_("the plan year, e.g. 2026"))
        parser.add_argument(
            "--revision",
            default="",
            help=_(
                "an approved revision's number (1, 2, …) or 'draft' for the working draft "
                "of an open adjustment; default: the revision in force"
            ),
        )
        parser.add_argument(
            "--format", dest="file_format", choices=FORMATS, default="xlsx", help=_("default: xlsx")
        )
        parser.add_argument(
            "--lang",
            choices=LANGUAGES,
            default="ru",
            help=_("the language of the form: kk, ru or en (default: ru)"),
        )
        parser.add_argument(
            "-o",
            "--output",
            help=_(
                "the file to write ('-' for standard output); default: a file named after "
                "the body, year, revision and language in the current directory"
            ),
        )

    def handle(self, *args, body, year, revision, file_format, lang, output, **options):
        plan = plan_for(body, year)
        try:
            file = plan_form_file(plan, revision=revision, file_format=file_format, language=lang)
        except ExportError as error:
            raise CommandError(str(error)) from None
        write(self, file, output)


def plan_for(code: str, year: int) -> OperationalPlan:
    body = StateBody.objects.filter(code=code).first()
    if body is None:
        raise CommandError(_("No state body has the code “%(code)s”.") % {"code": code})
    plan = body.operational_plans.filter(year=year).first()
    if plan is None:
        years = ", ".join(str(y) for y in body.operational_plans.values_list("year", flat=True))
        if years:
            message = _("%(body)s has no operational plan for %(year)s (it has: %(years)s).")
        else:
            message = _("%(body)s has no operational plan for %(year)s.")
        raise CommandError(message % {"body": body.code, "year": year, "years": years})
    return plan


def write(command: BaseCommand, file, output: str | None) -> None:
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
