"""`jospar export_plan`: an operational plan as Appendix 1 in XLSX, DOCX or PDF."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.documents.appendices import ExportError, plan_form_file
from jospar.documents.management.base import PlanCommand, add_file_arguments, plan_for, write


class Command(PlanCommand):
    help = gettext_lazy(
        "Write a body's operational plan for a year as Appendix 1 of the Rules (the legal "
        "form) in XLSX, DOCX or PDF, in Kazakh, Russian or English. By default the revision "
        "in force is written (the working draft while the plan was never approved)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--revision",
            default="",
            help=_(
                "an approved revision's number (1, 2, …) or 'draft' for the working draft "
                "of an open adjustment; default: the revision in force"
            ),
        )
        add_file_arguments(
            parser,
            output_help=_(
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
