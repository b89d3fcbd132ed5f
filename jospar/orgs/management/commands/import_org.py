"""`jospar import-org`: import a body's units and people from the template's workbook, or with
--dry-run only say what would change and what is wrong."""

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.lib.commands import Command as BaseCommand
from jospar.orgs.models import StateBody, User
from jospar.orgs.orgsheet import MAX_MB, read_org_sheet
from jospar.orgs.services import org_import


class Command(BaseCommand):
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
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("only read the file: print what would change and every problem"),
        )
        parser.add_argument(
            "--user",
            help=_(
                "the username the import is made as (an administrator of the body, or a "
                "superuser); the history records them. Required unless --dry-run"
            ),
        )
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help=_("print the report as JSON")
        )

    def handle(self, *args, body, file, dry_run, user, as_json, **options):
        state_body = StateBody.objects.filter(code=body).first()
        if state_body is None:
            raise CommandError(_("No state body has the code %(code)s.") % {"code": body})
        actor = None
        if not dry_run:
            if not user:
                raise CommandError(_("Give --user: the administrator the import is made as."))
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user is called “%(name)s”.") % {"name": user})
        path = Path(file)
        try:
            with path.open("rb") as handle:
                sheet = read_org_sheet(handle, body=state_body, actor=actor)
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        if as_json:
            self.stdout.write(json.dumps(sheet.as_dict(), ensure_ascii=False, indent=2))
        else:
            self._report(sheet)
        if not sheet.ok:
            raise CommandError(
                _("Nothing was imported: %(count)s problem(s) in the file.")
                % {"count": len(sheet.problems)}
            )
        if dry_run:
            (self.stderr if as_json else self.stdout).write(_("Dry run: nothing was written."))
            return
        try:
            org_import(actor=actor, body=state_body, sheet=sheet)
        except PermissionDenied:
            raise CommandError(
                _("%(user)s may not manage the units and people of %(body)s.")
                % {"user": user, "body": body}
            ) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
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
