"""A backup of Jospar is one archive (a gzipped tar) holding the database and the stored files
together, so that a restore gives back forms and the evidence behind them alike:

- `manifest.json`: the archive's format, Jospar's version, when and from which database vendor
  it was made, the migrations applied, the number of rows and every file with its size and
  SHA-256;
- `database.json`: every table in Django's JSON serialisation (`dumpdata`), primary keys kept.
  It is vendor-neutral: an archive made on SQLite restores into PostgreSQL and back. The
  content types and permissions are kept too, with their keys, and replace the target's on
  restore, so that every reference to them stays valid without natural keys (a history row may
  name a user that no longer exists, which natural keys could not serialise). Sessions and
  the lockout counters (django-axes' attempts) are transient and left out;
- `files/<name>`: every file under the storage's root (evidence, finished exports, import
  files waiting for their confirmation), read through the configured storage, whichever it is.

A restore checks the whole archive first (its manifest, its migrations against the database's,
every file's checksum), then, in one transaction, empties the tables, loads the rows, resets
the primary key sequences and writes the files into the configured storage; a failure at any
step leaves the database as it was."""

import hashlib
import io
import json
import os
import posixpath
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.management.commands.loaddata import Command as LoadData
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from jospar.lib.storage import walk

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "database.json"
FILES = "files/"
# Transient rows that a restore need not bring back: sessions (everyone logs in again) and
# django-axes' counters of failed logins (the audit logs of logins are kept).
TRANSIENT = ("sessions.session", "axes.accessattempt", "axes.accessattemptexpiration")
# Rows `migrate` itself writes into an empty database; they do not make it "not empty".
MIGRATE_WRITES = {
    "contenttypes.contenttype": None,
    "auth.permission": None,
    "plans.completionform": {"body__isnull": True},
    "plans.historicalcompletionform": {"body__isnull": True},  # were they written with history
}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is one line for the console."""


@dataclass
class Outcome:
    rows: int
    files: int
    manifest: dict


def _version() -> str:
    try:
        return metadata.version("jospar")
    except metadata.PackageNotFoundError:
        return "unknown"


def _applied(using: str) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _kept_models() -> list:
    return [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in TRANSIENT and model._meta.managed
    ]


class _Hashing(io.RawIOBase):
    """Reads a file through, counting its bytes into a SHA-256."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size=-1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def backup(path: Path, *, storage=None, using: str = DEFAULT_DB_ALIAS) -> Outcome:
    """Write the archive of the database and the stored files to `path`, through a temporary
    file beside it so that a failed backup leaves no half archive under that name."""
    storage = storage or default_storage
    path = Path(path)
    if not path.parent.is_dir():
        raise BackupError(_("No such folder: %(path)s") % {"path": path.parent})
    connection = connections[using]
    created = timezone.now()
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DATABASE
        # One snapshot of every table: a write during the dump cannot leave a row that names
        # one the dump lacks (PostgreSQL: repeatable read; SQLite: the transaction's lock).
        outermost = not connection.in_atomic_block  # inside a caller's, its snapshot holds
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            call_command(
                "dumpdata",
                exclude=list(TRANSIENT),
                use_base_manager=True,
                output=str(dump),
                database=using,
                verbosity=0,
            )
        with dump.open(encoding="utf-8") as handle:
            rows = len(json.load(handle))
        handle, partial = tempfile.mkstemp(dir=path.parent, prefix=".jospar-backup-")
        os.close(handle)
        try:
            files = []
            with tarfile.open(partial, "w:gz", compresslevel=6) as archive:
                archive.add(dump, arcname=DATABASE)
                for name in walk(storage):
                    info = tarfile.TarInfo(FILES + name)
                    info.size = storage.size(name)
                    info.mtime = int(created.timestamp())
                    with storage.open(name, "rb") as stored:
                        reader = _Hashing(stored)
                        archive.addfile(info, reader)
                    files.append(
                        {"name": name, "size": info.size, "sha256": reader.digest.hexdigest()}
                    )
                manifest = {
                    "format": FORMAT,
                    "jospar": _version(),
                    "created": created.isoformat(),
                    "vendor": connection.vendor,
                    "migrations": _applied(using),
                    "rows": rows,
                    "files": files,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(created.timestamp())
                archive.addfile(info, io.BytesIO(data))
            os.replace(partial, path)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    return Outcome(rows=rows, files=len(files), manifest=manifest)


# --- restore ---------------------------------------------------------------------------------


def _damaged(path: Path, reason: str) -> BackupError:
    return BackupError(
        _("%(path)s is not a readable Jospar backup: %(reason)s") % {"path": path, "reason": reason}
    )


def _reason(error: Exception) -> str:
    if isinstance(error, tarfile.ReadError):
        return _("it is not a tar archive, or a damaged one")
    if isinstance(error, EOFError | zlib.error | tarfile.TarError):
        return _("it is cut short or damaged")
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _open(path: Path) -> tarfile.TarFile:
    if not path.is_file():
        raise BackupError(_("No such backup archive: %(path)s") % {"path": path})
    try:
        return tarfile.open(path, "r:*")
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise _damaged(path, _reason(error)) from None


def _safe_name(name: str) -> bool:
    normal = posixpath.normpath(name)
    return bool(name) and normal == name and not name.startswith(("/", "../")) and name != ".."


def _check(path: Path) -> dict:
    """The archive's manifest, once every member has been read and every file matches its
    size and checksum; a BackupError names what is wrong."""
    try:
        with _open(path) as archive:
            manifest, database, seen = None, False, {}
            for member in archive:
                if member.name == MANIFEST:
                    try:
                        manifest = json.loads(archive.extractfile(member).read())
                    except ValueError:
                        raise _damaged(path, _("its manifest is not JSON")) from None
                elif member.name == DATABASE:
                    handle = archive.extractfile(member)
                    while handle.read(CHUNK):
                        pass
                    database = True
                elif member.name.startswith(FILES) and member.isfile():
                    digest = hashlib.sha256()
                    handle = archive.extractfile(member)
                    while chunk := handle.read(CHUNK):
                        digest.update(chunk)
                    seen[member.name[len(FILES) :]] = (member.size, digest.hexdigest())
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise _damaged(path, _reason(error)) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(path, _("it has no manifest of a Jospar backup"))
    if not database:
        raise _damaged(path, _("it holds no database"))
    for entry in manifest.get("files", []):
        name = entry.get("name", "")
        if not _safe_name(name):
            raise _damaged(path, _("a file name leaves the storage: %(name)s") % {"name": name})
        if seen.get(name) != (entry.get("size"), entry.get("sha256")):
            raise _damaged(
                path, _("the file %(name)s is missing or does not match") % {"name": name}
            )
    return manifest


def _data_rows(using: str) -> int:
    """Rows the database holds beyond those `migrate` writes into an empty one."""
    count = 0
    for model in _kept_models():
        queryset = model._base_manager.using(using).all()
        label = model._meta.label_lower
        if label in MIGRATE_WRITES:
            if MIGRATE_WRITES[label] is None:
                continue
            queryset = queryset.exclude(**MIGRATE_WRITES[label])
        count += queryset.count()
    return count


def _tables(using: str) -> list[str]:
    connection = connections[using]
    transient = {apps.get_model(label)._meta.db_table for label in TRANSIENT}
    with connection.cursor() as cursor:
        existing = set(connection.introspection.table_names(cursor))
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        table = model._meta.db_table
        if model._meta.managed and table in existing and table not in transient:
            tables.add(table)
    return sorted(tables)


def restore(path: Path, *, force: bool = False, storage=None, using: str = DEFAULT_DB_ALIAS):
    """Restore the archive into the database (one transaction) and the configured storage.
    Refuses a database that holds data, or a storage that already holds one of the archive's
    files, unless `force`: then the database's rows are replaced and those files overwritten
    (other stored files are left alone)."""
    storage = storage or default_storage
    path = Path(path)
    manifest = _check(path)
    applied = _applied(using)
    if not applied:
        raise BackupError(_("The database has no tables yet: run `jospar migrate` first."))
    archived = manifest.get("migrations", [])
    if archived != applied:
        missing = sorted(set(archived) - set(applied))
        extra = sorted(set(applied) - set(archived))
        raise BackupError(
            _(
                "The archive was made by Jospar %(version)s, whose database schema differs from "
                "this one (%(detail)s): restore it with that version, then upgrade."
            )
            % {
                "version": manifest.get("jospar", "?"),
                "detail": ", ".join(
                    [_("not applied here: %(names)s") % {"names": ", ".join(missing[:3])}]
                    * bool(missing)
                    + [_("applied only here: %(names)s") % {"names": ", ".join(extra[:3])}]
                    * bool(extra)
                ),
            }
        )
    names = [entry["name"] for entry in manifest["files"]]
    if not force:
        rows = _data_rows(using)
        if rows:
            raise BackupError(
                _(
                    "The database is not empty (%(rows)s rows): restore into a new, migrated "
                    "database, or add --force to replace its contents."
                )
                % {"rows": rows}
            )
        taken = [name for name in names if storage.exists(name)]
        if taken:
            raise BackupError(
                _(
                    "The file storage already holds %(name)s: restore into an empty storage, "
                    "or add --force to overwrite."
                )
                % {"name": taken[0]}
            )
    connection = connections[using]
    with tempfile.TemporaryDirectory() as work, transaction.atomic(using=using):
        statements = connection.ops.sql_flush(no_style(), _tables(using), allow_cascade=False)
        connection.ops.execute_sql_flush(statements)
        with _open(path) as archive:
            archive.extract(DATABASE, path=work, filter="data")
        loader = LoadData()
        call_command(loader, str(Path(work) / DATABASE), database=using, verbosity=0)
        # loaddata resets the sequences of the models it loaded, not of the tables of their
        # many-to-many fields: every table's next key follows its largest.
        models = apps.get_models(include_auto_created=True)
        reset = connection.ops.sequence_reset_sql(no_style(), models)
        if reset:
            with connection.cursor() as cursor:
                for statement in reset:
                    cursor.execute(statement)
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
        written = 0
        with _open(path) as archive:
            for member in archive:
                if not member.name.startswith(FILES) or not member.isfile():
                    continue
                name = member.name[len(FILES) :]
                if name not in names:
                    continue
                if storage.exists(name):
                    storage.delete(name)
                saved = storage.save(name, File(archive.extractfile(member), name=name))
                if saved != name:
                    raise BackupError(
                        _("The storage kept %(name)s as %(saved)s.")
                        % {"name": name, "saved": saved}
                    )
                written += 1
    return Outcome(rows=loader.loaded_object_count, files=written, manifest=manifest)


def default_archive_name() -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return f"jospar-backup-{stamp}.tar.gz"
