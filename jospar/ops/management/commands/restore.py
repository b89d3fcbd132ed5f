"""`jospar restore`: the database and the stored files back from a `jospar backup` archive."""

from pathlib import Path

from django.core.management import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.lib import commands
from jospar.ops.backup import BackupError, restore


class Command(commands.Command):
    help = gettext_lazy(
        "Restore a `jospar backup` archive into the configured database (migrated, empty) and "
        "file storage: the whole archive is checked first, the database is loaded in one "
        "transaction."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help=_("The archive `jospar backup` wrote."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_(
                "Replace the contents of a database that is not empty and overwrite stored "
                "files of the same name."
            ),
        )

    def handle(self, *args, archive, force, **options):
        try:
            outcome = restore(Path(archive), force=force)
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = outcome.manifest
        self.stdout.write(
            _(
                "Restored %(rows)s database rows and %(files)s files from %(path)s (made by "
                "Jospar %(version)s on %(created)s from %(vendor)s)."
            )
            % {
                "rows": outcome.rows,
                "files": outcome.files,
                "path": archive,
                "version": manifest.get("jospar", "?"),
                "created": manifest.get("created", "?"),
                "vendor": manifest.get("vendor", "?"),
            }
        )
