"""`jospar export_plan`: an operational plan as Appendix 1 in XLSX, DOCX or PDF."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.documents.appendices import plan_form_file
from jospar.documents.management.base import ExportCommand


class Command(ExportCommand):
    help = gettext_lazy(
        "Write a body's operational plan for a year as Appendix 1 of the Rules (the legal "
        "form) in XLSX, DOCX or PDF, in Kazakh, Russian or English. By default the revision "
        "in force is written (the working draft while the plan was never approved)."
    )
    output_help = gettext_lazy(
        "the file to write ('-' for standard output); default: a file named after "
        "the body, year, revision and language in the current directory"
    )

    def add_export_arguments(self, parser):
        parser.add_argument(
            "--revision",
            default="",
            help=_(
                "an approved revision's number (1, 2, …) or 'draft' for the working draft "
                "of an open adjustment; default: the revision in force"
            ),
        )

    def export(self, plan, *, revision, file_format, lang, **options):
        return plan_form_file(plan, revision=revision, file_format=file_format, language=lang)
