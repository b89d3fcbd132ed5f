"""`jospar export_report` (or `jospar export-report`): a quarterly report as Appendix 2 in
XLSX, DOCX or PDF."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.documents.appendices import ExportError, plan_report, report_form_file
from jospar.documents.management.base import PlanCommand, add_file_arguments, plan_for, write


class Command(PlanCommand):
    help = gettext_lazy(
        "Write a body's report on the implementation of its operational plan for a quarter "
        "as Appendix 2 of the Rules (the legal form) in XLSX, DOCX or PDF, in Kazakh, Russian "
        "or English. The report is written as the monitor last compiled it (as submitted to "
        "the officials, once it was); a quarter whose report was never compiled is an error "
        "that names the quarters that have one."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "quarter",
            type=int,
            choices=(1, 2, 3, 4),
            metavar="quarter",
            help=_("the reporting quarter: 1, 2, 3 or 4"),
        )
        add_file_arguments(
            parser,
            output_help=_(
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
