"""`jospar import-org`: import a body's units and people from the template's workbook, or with
--dry-run only say what would change and what is wrong."""

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.lib import commands
from jospar.orgs.models import StateBody
from jospar.orgs.orgsheet import MAX_MB, read_org_sheet
from jospar.orgs.services import org_import


class Command(commands.Command):
    help = gettext_lazy(
        "Import a body's units and people from an XLSX workbook laid out as the template (a "
        "sheet of units, a sheet of people). Units are matched by code, people by e-mail; "
        "nothing is written unless the whole file can be imported, and every problem is "
        "printed with its sheet, row and column."
    )

    def add_arguments(self, parser):
        parser.add_argument("--body", required=True, help=_("the body's code"))
        parser.add_argument(
            "file", help=_("the .xlsx workbook (at most %(mb)s MB)") % {"mb": MAX_MB}
        )
        commands.add_import_arguments(
            parser,
            dry_run_help=_("only read the file: print what would change and every problem"),
            user_help=_(
                "the username the import is made as (an administrator of the body, or a "
                "superuser); the history records them. Required unless --dry-run"
            ),
        )
        commands.add_json_argument(parser)

    def handle(self, *args, body, file, dry_run, user, as_json, **options):
        state_body = StateBody.objects.filter(code=body).first()
        if state_body is None:
            raise CommandError(_("No state body has the code %(code)s.") % {"code": body})
        actor = commands.import_actor(
            user,
            dry_run=dry_run,
            missing=_("Give --user: the administrator the import is made as."),
        )
        sheet = commands.read_file(
            file, lambda handle: read_org_sheet(handle, body=state_body, actor=actor)
        )
        if as_json:
            commands.write_json(self, sheet.as_dict())
        else:
            self._report(sheet)
        if not sheet.ok:
            raise commands.nothing_imported(sheet.problems)
        if dry_run:
            (self.stderr if as_json else self.stdout).write(_("Dry run: nothing was written."))
            return
        commands.run_import(
            lambda: org_import(actor=actor, body=state_body, sheet=sheet),
            forbidden=_("%(user)s may not manage the units and people of %(body)s.")
            % {"user": user, "body": body},
        )
        (self.stderr if as_json else self.stdout).write(self.style.SUCCESS(sheet.summary()))

    def _report(self, sheet) -> None:
        for change in [*sheet.units, *sheet.people, *sheet.roles]:
            if change.action == "unchanged":
                continue
            what = _("creates") if change.action == "create" else _("changes")
            fields = f" ({', '.join(change.field_labels)})" if change.fields else ""
            self.stdout.write(f"  {what}: {change.key} — {change.label}{fields}")
        for warning in sheet.warnings:
            self.stdout.write(self.style.WARNING(str(warning)))
        for problem in sheet.problems:
            self.stderr.write(self.style.ERROR(str(problem)))
        if sheet.ok:
            self.stdout.write(sheet.summary())
