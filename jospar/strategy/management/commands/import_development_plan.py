"""`jospar import-development-plan`: a body's development plan from a workbook laid out as
Jospar's template (strategy.workbook), or with --dry-run only what the import would do and
every problem by sheet, row and column."""

import datetime as dt

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.lib import commands
from jospar.orgs.models import StateBody
from jospar.strategy import services
from jospar.strategy.workbook import plan_changes, read_workbook


def _date(text: str) -> dt.date:
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar day
        except ValueError:
            continue
    raise CommandError(_("“%(text)s” is not a date: write 12.01.2028.") % {"text": text})


class Command(commands.Command):
    help = gettext_lazy(
        "Import a body's development plan (directions, goals, macro and target indicators, "
        "their units of measure, baselines and yearly values) from a workbook laid out as "
        "Jospar's template. Nothing is written unless the whole file can be imported. A file "
        "that changes a stored plan is recorded as an amendment: give --amendment-date."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("the .xlsx workbook"))
        parser.add_argument("--body", required=True, help=_("the state body's code, e.g. MWR"))
        commands.add_import_arguments(parser)
        parser.add_argument(
            "--amendment-date",
            help=_("the signing date of the amendment the file carries (e.g. 12.01.2028)"),
        )
        parser.add_argument(
            "--amendment-document", default="", help=_("the amending document (its number)")
        )

    def handle(self, *args, file, body, dry_run, user, amendment_date, amendment_document, **kw):
        state_body = StateBody.objects.filter(code=body).first()
        if state_body is None:
            raise CommandError(_("No state body has the code “%(code)s”.") % {"code": body})
        actor = commands.import_actor(
            user, dry_run=dry_run, missing=_("Give --user: the planner the import is made as.")
        )
        signed_on = _date(amendment_date) if amendment_date else None
        reading = commands.read_file(file, read_workbook)
        if not reading.ok:
            raise CommandError("\n".join(str(problem) for problem in reading.problems))
        changes = plan_changes(reading, state_body)
        if changes.problems:
            raise CommandError("\n".join(str(problem) for problem in changes.problems))
        for item in reading.items:
            self.stdout.write(f"{item.row:>5}  {item.status:<10} {item.label()[:90]}")
        self.stdout.write(changes.summary())
        if dry_run:
            if changes.amends:
                self.stdout.write(_("The import would be recorded as an amendment of the plan."))
            self.stdout.write(_("Dry run: nothing was written."))
            return
        changes = commands.run_import(
            lambda: services.development_plan_import(
                actor=actor,
                body=state_body,
                reading=reading,
                amendment_signed_on=signed_on,
                amendment_document=amendment_document,
            ),
            forbidden=_("%(user)s may not edit the development plans of %(body)s.")
            % {"user": user, "body": body},
        )
        if not changes.changed:
            self.stdout.write(_("The plan already says what the file says: nothing changed."))
        elif changes.amendment is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    _("Recorded as the amendment of %(date)s: %(summary)s.")
                    % {"date": f"{signed_on:%d.%m.%Y}", "summary": changes.summary()}
                )
            )
        else:
            self.stdout.write(self.style.SUCCESS(_("Imported: %(s)s.") % {"s": changes.summary()}))
