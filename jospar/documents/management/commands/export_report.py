"""`jospar export_report` (or `jospar export-report`): a quarterly report as Appendix 2 in
XLSX, DOCX or PDF."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.documents.appendices import plan_report, report_form_file
from jospar.documents.management.base import ExportCommand


class Command(ExportCommand):
    help = gettext_lazy(
        "Write a body's report on the implementation of its operational plan for a quarter "
        "as Appendix 2 of the Rules (the legal form) in XLSX, DOCX or PDF, in Kazakh, Russian "
        "or English. The report is written as the monitor last compiled it (as submitted to "
        "the officials, once it was); a quarter whose report was never compiled is an error "
        "that names the quarters that have one."
    )
    output_help = gettext_lazy(
        "the file to write ('-' for standard output); default: a file named after "
        "the body, year, quarter and language in the current directory, e.g. "
        "report-MWR-2026-q2-ru.xlsx"
    )

    def add_export_arguments(self, parser):
        parser.add_argument(
            "quarter",
            type=int,
            choices=(1, 2, 3, 4),
            metavar="quarter",
            help=_("the reporting quarter: 1, 2, 3 or 4"),
        )

    def export(self, plan, *, quarter, file_format, lang, **options):
        report = plan_report(plan, quarter)
        return report_form_file(report, file_format=file_format, language=lang)

    def refusal(self, plan, error):
        return f"{plan.body.code}: {error}"
