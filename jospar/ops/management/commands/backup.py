"""`jospar backup`: one archive of the database and the stored files."""

from pathlib import Path

from django.core.management import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jospar.lib import commands
from jospar.ops.backup import BackupError, backup, default_archive_name


class Command(commands.Command):
    help = gettext_lazy(
        "Write one archive (.tar.gz) of the database and every stored file (evidence, "
        "exports), whichever database and file storage are configured; `jospar restore` "
        "brings it back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o",
            "--output",
            help=_("The archive to write (default: jospar-backup-DATE-TIME.tar.gz here)."),
        )

    def handle(self, *args, output, **options):
        path = Path(output or default_archive_name())
        try:
            outcome = backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Backed up %(rows)s database rows and %(files)s files to %(path)s.")
            % {"rows": outcome.rows, "files": outcome.files, "path": path}
        )
