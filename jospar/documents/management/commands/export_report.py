"""`jospar export_report` (or `jospar export-report`): a quarterly report as Appendix 2 in
XLSX, DOCX or PDF."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.documents.forms import (
    FORMATS,
    LANGUAGES,
    ExportError,
    plan_report,
    report_form_file,
)
from jospar.documents.management.commands.export_plan import plan_for, write


class Command(BaseCommand):
    help = gettext_lazy(
        "Write a body's report on the implementation of its operational plan for a quarter "
        "as Appendix 2 of the Rules (the legal form) in XLSX, DOCX or PDF, in Kazakh, Russian "
        "or English. The report is written as the monitor last compiled it (as submitted to "
        "the officials, once it was); a quarter whose report was never compiled is an error "
        "that names the quarters that have one."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = str(self.help)  # argparse needs text, not a lazy translation
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("body", help=_("the state body's code, e.g. MWR"))
        parser.add_argument("year", type=int, help=_("the plan year, e.g. 2026"))
        parser.add_argument(
            "quarter",
            type=int,
            choices=(1, 2, 3, 4),
            metavar="quarter",
            help=_("the reporting quarter: 1, 2, 3 or 4"),
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
                "the body, year, quarter and language in the current directory, e.g. "
                "report-MWR-2026-q2-ru.xlsx"
            ),
        )

    def handle(self, *args, body, year, quarter, file_format, lang, output, **options):
        plan = plan_for(body, year)
        try:
            report = plan_report(plan, quarter)
            file = report_form_file(report, file_format=file_format, language=lang)
        except ExportError as error:
            raise CommandError(f"{plan.body.code}: {error}") from None
        write(self, file, output)
