"""What every spreadsheet import shares when it reads an upload: the checks a file passes
before anything is unpacked (its size, what its first bytes say it is, what its archive would
unpack to) and a problem named by sheet, row and column.

The imports (documents.importer, strategy.workbook, orgs.orgsheet) word their own messages;
these helpers only say which check failed, through the `problem` callback they are given."""

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO

from django.utils.translation import gettext as _

from jospar.lib.files import ArchiveLimits, archive_problem

ZIP_SIGNATURE = b"PK\x03\x04"  # .xlsx, .ods (and .docx)
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or a password-protected workbook
MB = 1024 * 1024


def size_of(fileobj) -> int:
    """The file's size in bytes, from Django's upload or by seeking to its end."""
    size = getattr(fileobj, "size", None)
    if size is None:
        position = fileobj.tell()
        fileobj.seek(0, 2)
        size = fileobj.tell()
        fileobj.seek(position)
    return size


def upload_bytes(fileobj, problem: Callable[[str], None], *, max_mb: int, too_large: str):
    """The file's bytes, or None with `too_large` told to `problem` when it is over `max_mb`
    MB (checked before anything is read). The file is left at its start."""
    if size_of(fileobj) > max_mb * MB:
        problem(too_large)
        return None
    fileobj.seek(0)
    data = BytesIO(fileobj.read())
    fileobj.seek(0)
    return data


def starts_with(data: BytesIO, signature: bytes) -> bool:
    return data.getvalue()[: len(signature)] == signature


@dataclass
class Archive:
    """What a zip upload holds: its members' names, whether every member reads back intact, and
    its `mimetype` member (an OpenDocument file's first one), if any."""

    names: set[str] = field(default_factory=set)
    intact: bool = False
    mimetype: bytes = b""


def open_archive(data: BytesIO, problem: Callable[[str], None], *, unpacked_mb: int):
    """The zip's contents, or None with the problem told to `problem` when it would unpack to
    more than `unpacked_mb` MB or is a zip bomb (jospar.lib.files): the declared sizes are
    checked before any member is unpacked."""
    refusal = archive_problem(data, ArchiveLimits(unpacked=unpacked_mb * MB))
    if refusal is not None:
        problem(refusal)
        return None
    found = Archive()
    try:
        with zipfile.ZipFile(data) as archive:
            found.names = set(archive.namelist())
            found.intact = archive.testzip() is None  # bounded: the sizes were checked above
            if "mimetype" in found.names:
                found.mimetype = archive.read("mimetype")[:100]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        found.intact = False
    return found


@dataclass
class SheetProblem:
    """A problem of a workbook, where it is: its sheet, row and column, each when known."""

    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(_("sheet “%(sheet)s”") % {"sheet": self.sheet})
        if self.row:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message

    def as_dict(self) -> dict:
        return attributes(self, "sheet", "row", "column", "message")


def attributes(obj, *names: str) -> dict:
    """The named attributes of a reading (or of what it found), in that order, for its JSON."""
    return {name: getattr(obj, name) for name in names}


def problems_dict(result) -> dict:
    """A reading's problems and warnings, for its JSON."""
    return {
        "problems": [problem.as_dict() for problem in result.problems],
        "warnings": [warning.as_dict() for warning in result.warnings],
    }
