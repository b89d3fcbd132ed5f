"""Rows of the long tables (the plan's, the report's) written straight to HTML.

A plan of 2,000 actions spent about 1 s of its 1.3 s page in Django's template engine for its
rows alone: a `{% url %}` per button (four a row), a `{% translate %}` per label, a variable
lookup per cell. The long tables therefore render their rows with these helpers: the labels are
translated and the URLs reversed once per table, and each row is one format string whose every
value goes through `text` or `lines` (the escaping Django's templates apply).
"""

from __future__ import annotations

import html
import re

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

_NEWLINES = re.compile(r"\r\n|\r")


def text(value) -> str:
    """A value as the template engine prints `{{ value }}`: None as "", everything escaped."""
    if value is None:
        return ""
    return html.escape(str(value))


def lines(value) -> str:
    """`{{ value|linebreaksbr }}`: escaped, each line break a <br>."""
    return text(_NEWLINES.sub("\n", str(value or ""))).replace("\n", "<br>")


def joined(parts) -> SafeString:
    """The rows, joined, for the template to print as they are. Safe by construction: every
    value in a row went through `text` or `lines`, the rest is the module's own markup."""
    return mark_safe("".join(parts))  # noqa: S308


class UrlFor:
    """The URL `name` takes for any value of its last argument, after one `reverse()`."""

    _MARK = "987654321"

    def __init__(self, name: str, *args) -> None:
        url = reverse(name, args=[*args, int(self._MARK)])
        head, mark, tail = url.rpartition(self._MARK)
        if not mark or self._MARK in head:
            raise ValueError(f"cannot place the last argument of {name} in {url}")
        self._head, self._tail = head, tail

    def __call__(self, value) -> str:
        return f"{self._head}{value}{self._tail}"
