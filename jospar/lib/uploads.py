"""The upload kept between a spreadsheet import's dry run and its import, as every import's
pages keep it (the operational plan's, the development plan's, the units and people's).

The file waits in the configured file storage under `imports/`, named by a signed token the
confirm form carries — no app process keeps it, so any process behind the load balancer can
finish the import. The token names the user and what the file is for (the plan, the body); the
import reads the file again and deletes it; files left by a dry run nobody confirmed are swept
after a day."""

import datetime as dt
import uuid
from collections.abc import Callable

from django.contrib import messages
from django.core import signing
from django.core.files.storage import default_storage
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

FOLDER = "imports"
KEEP = dt.timedelta(days=1)


def sweep() -> None:
    """Delete the files of dry runs nobody confirmed (best effort: a storage may not list)."""
    try:
        _dirs, files = default_storage.listdir(FOLDER)
        for name in files:
            stored = f"{FOLDER}/{name}"
            if timezone.now() - default_storage.get_modified_time(stored) > KEEP:
                default_storage.delete(stored)
    except (NotImplementedError, OSError):
        pass


def posted_form(request: HttpRequest, form_class: type, page: Callable[..., HttpResponse]):
    """The upload page's first steps: (None, the empty page) for a GET, (the form, the page
    showing its errors with 400) for an invalid upload, else (the valid form, None)."""
    if request.method != "POST":
        return None, page()
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return form, page(form=form, status=400)
    return form, None


def keep_upload(request: HttpRequest, upload, *, salt: str, suffix: str = ".xlsx", **ticket) -> str:
    """Store the upload until the import is confirmed; the signed token that names it, the
    user and `ticket` (what it is for)."""
    sweep()
    upload.seek(0)
    name = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}{suffix}", upload)
    return signing.dumps({"file": name, **ticket, "user": request.user.pk}, salt=salt)


def kept_upload(request: HttpRequest, *, salt: str, **expected) -> dict | None:
    """The ticket of the posted token: signed with `salt` within a day, the user's, for what
    `expected` names and with its file still stored; else None, and the user is told the
    upload expired."""
    try:
        ticket = signing.loads(
            request.POST.get("token", ""), salt=salt, max_age=KEEP.total_seconds()
        )
    except signing.BadSignature:
        ticket = None
    wanted = expected | {"user": request.user.pk}
    if (
        not ticket
        or any(ticket.get(key) != value for key, value in wanted.items())
        or not default_storage.exists(ticket.get("file", ""))
    ):
        messages.error(request, _("The uploaded file has expired; upload it again."))
        return None
    return ticket


def read_kept(ticket: dict, read: Callable):
    """What `read` makes of the kept file."""
    with default_storage.open(ticket["file"], "rb") as stored:
        return read(stored)


def discard_kept(ticket: dict) -> None:
    """Delete the kept file: the import is done."""
    default_storage.delete(ticket["file"])
