"""Whole numbers that a URL, a query or a form sends, bounded as the database's 64-bit integers
are: a longer one never reaches a lookup through a foreign key or a hand-written statement,
which SQLite's driver cannot convert (a 500); Django range-checks a model's own id and its
integer columns, not a foreign key nor raw SQL's parameters."""

from django.urls import register_converter

INT64_MAX = 2**63 - 1


def int64(text: str | None) -> int | None:
    """The number `text` writes with digits only, if it fits; None for anything else."""
    if not text or not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if number <= INT64_MAX else None


class Int64Converter:
    """`<int64:plan_id>` in a route: a longer number matches no URL, a 404."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int64(value)
        if number is None:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def register() -> None:
    register_converter(Int64Converter, "int64")
