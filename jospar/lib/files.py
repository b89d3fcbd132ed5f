"""Recognising an uploaded file by its content, not by its name, and refusing archives that
would unpack to far more than they weigh (zip bombs) before anything is decompressed."""

import struct
import uuid
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)
# The type each accepted kind is served with, and the extension it is stored under.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
}
EXTENSIONS = {"jpeg": "jpg"}
IMAGE_FORMATS = {"png": "PNG", "jpeg": "JPEG", "gif": "GIF"}
LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # a ZIP entry's local file header, 30 bytes


@dataclass(frozen=True)
class ArchiveLimits:
    """What a ZIP archive (an XLSX or DOCX) may hold before it is opened."""

    entries: int = 1_000
    unpacked: int = 50 * 1024 * 1024  # bytes, all entries together
    ratio: int = 200  # unpacked size over packed size, per entry


def archive_problem(fileobj, limits: ArchiveLimits = ArchiveLimits()) -> str | None:
    """Why the ZIP archive `fileobj` must not be unpacked, or None. Only the central directory
    and the 30-byte local headers are read: the entry count, the declared sizes, each entry's
    compression ratio and entries that overlap (many names pointing at one stream) are judged
    before a byte is decompressed. The declared sizes then bound every later read, as zipfile
    stops an entry at its declared size."""
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            infos = archive.infolist()
            if len(infos) > limits.entries:
                return _(
                    "The file holds %(count)s parts; no workbook or document holds so many."
                ) % {"count": len(infos)}
            if sum(info.file_size for info in infos) > limits.unpacked:
                return _("The file unpacks to more than %(mb)s MB; it is not read.") % {
                    "mb": limits.unpacked // (1024 * 1024)
                }
            for info in infos:
                if info.file_size > limits.ratio * max(info.compress_size, 1024):
                    return _(
                        "The part “%(name)s” unpacks to %(ratio)s times its packed size; "
                        "the file is refused as a compression bomb."
                    ) % {
                        "name": info.filename,
                        "ratio": info.file_size // max(info.compress_size, 1),
                    }
            end = archive.start_dir
            for info in sorted(infos, key=lambda info: info.header_offset, reverse=True):
                fileobj.seek(info.header_offset)
                header = fileobj.read(LOCAL_HEADER.size)
                if len(header) < LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
                    return _("The file is damaged: a part's header is missing.")
                name_length, extra_length = LOCAL_HEADER.unpack(header)[-2:]
                stop = (
                    info.header_offset
                    + LOCAL_HEADER.size
                    + name_length
                    + extra_length
                    + info.compress_size
                )
                if stop > end:
                    return _(
                        "The file's parts overlap one another; the file is refused as a "
                        "compression bomb."
                    )
                end = info.header_offset
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, struct.error):
        return _("The file is damaged: it cannot be opened as an archive.")
    finally:
        fileobj.seek(0)
    return None


def _archive_kind(upload) -> str | None:
    if archive_problem(upload) is not None:
        return None
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if archive.testzip() is not None:  # bounded by the limits checked above
                return None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def _is_image(upload, kind: str) -> bool:
    """Whether the whole file is an image of `kind`, not just its first bytes (a GIF header
    followed by a web page is not a GIF)."""
    from PIL import Image, UnidentifiedImageError

    upload.seek(0)
    try:
        with Image.open(upload, formats=[IMAGE_FORMATS[kind]]) as image:
            image.verify()
        upload.seek(0)
        with Image.open(upload, formats=[IMAGE_FORMATS[kind]]) as image:
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    finally:
        upload.seek(0)
    return True


def _is_pdf(upload) -> bool:
    """Whether the file ends as a PDF does (its end-of-file marker in the last kilobyte)."""
    upload.seek(0, 2)
    size = upload.tell()
    upload.seek(max(0, size - 1024))
    tail = upload.read()
    upload.seek(0)
    return b"%%EOF" in tail


def sniff_evidence(upload) -> str | None:
    """ "pdf", "docx", "xlsx", "png", "jpeg" or "gif" if the whole content is one, else None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, kind in SIGNATURES:
        if head.startswith(signature):
            if kind == "pdf":
                return kind if _is_pdf(upload) else None
            return kind if _is_image(upload, kind) else None
    if head.startswith(b"PK\x03\x04"):
        return _archive_kind(upload)
    return None


def stored_name(kind: str) -> str:
    """A neutral name to store an accepted file under: random, with its kind's extension."""
    return f"{uuid.uuid4().hex}.{EXTENSIONS.get(kind, kind)}"


def download_name(name: str, kind: str) -> str:
    """The name a file is downloaded under: the uploader's, ending in its kind's extension."""
    extension = "." + EXTENSIONS.get(kind, kind)
    if name.lower().endswith(extension) or (kind == "jpeg" and name.lower().endswith(".jpeg")):
        return name
    return name + extension


def download_response(file, *, name: str, kind: str):
    """A stored file as an attachment, typed by the kind its content was recognised as (never
    by a name the client chose), streamed from the configured storage (local disk or an object
    store). A row whose file the storage lacks (e.g. a database restored without its files)
    answers 404 with a message, not a server error."""
    from django.http import FileResponse, Http404

    try:
        handle = file.storage.open(file.name, "rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from the file storage.")) from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(name, kind),
        content_type=CONTENT_TYPES[kind],
    )
