"""The number in a URL (`<int64:plan_id>`): Django's `int`, bounded as the database's 64-bit
integers are. A longer number matches no URL, a 404, instead of reaching a lookup through a
foreign key that SQLite's driver cannot convert (a 500); a model's own id is range-checked
by Django, a foreign key's is not."""

from django.urls import register_converter

INT64_MAX = 2**63 - 1


class Int64Converter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > INT64_MAX:
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)


def register() -> None:
    register_converter(Int64Converter, "int64")
