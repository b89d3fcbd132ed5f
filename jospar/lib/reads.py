"""Reads on the path of every request (the session, its user, an API token with its user, the
autosave's submission): SQL written once per model and column, and the row made into an object
the way raw() does it, without raw() working out again for each query which column is which.
Building the query took longer than the database took to run it."""

import functools

from django.db import connections, router
from django.db.models.sql import Query


@functools.cache
def _select(model, column: str, vendor: str) -> str:
    """SELECT every concrete column of `model` WHERE `column` = %s (quoted for `vendor`)."""
    quote = connections[router.db_for_read(model)].ops.quote_name
    meta = model._meta
    columns = ", ".join(quote(field.column) for field in meta.concrete_fields)
    return f"SELECT {columns} FROM {quote(meta.db_table)} WHERE {quote(column)} = %s"  # noqa: S608


def _converters(connection, model) -> dict:
    """The database's converters of the model's columns ({position: (functions, column)}),
    kept with the connection they were made for (they may be its methods)."""
    kept = connection.__dict__.setdefault("_jospar_read_converters", {})
    if model not in kept:
        compiler = connection.ops.compiler("SQLCompiler")(Query(model), connection, None)
        table = model._meta.db_table
        kept[model] = compiler.get_converters(
            [field.get_col(table) for field in model._meta.concrete_fields]
        )
    return kept[model]


_names: dict[str, tuple[str, ...]] = {}  # each query's column names


def _checked(model, names: tuple) -> None:
    """Refuses a query whose columns do not begin with every concrete column of `model`."""
    columns = tuple(field.column for field in model._meta.concrete_fields)
    if names[: len(columns)] != columns:
        raise ValueError(f"the query must select every column of {model.__name__} first, in order")


def prepared_cursor(connection):
    """A cursor whose statements PostgreSQL keeps prepared once a connection has run them a
    few times (OPTIONS prepare_threshold): parsed and planned once, not at every request. The
    ORM's own cursors bind their values in the SQL text and are never prepared. Elsewhere, or
    with prepare_threshold None, an ordinary cursor."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    from django.db.backends.postgresql.base import ServerBindingCursor  # psycopg 3's

    connection.ensure_connection()
    with connection.wrap_database_errors:
        # Django's own wrapping of a cursor (statements logged and counted as any other's).
        return connection._prepare_cursor(ServerBindingCursor(connection.connection))


def _first_row(connection, sql: str, params, check) -> tuple[tuple | None, tuple]:
    """The first row of `sql` (a prepared statement on PostgreSQL) and its column names,
    which `check` is given the first time the SQL runs."""
    with prepared_cursor(connection) as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
        if row is None:
            return None, ()
        names = _names.get(sql)
        if names is None:  # the same SQL, the same columns
            names = tuple(column[0] for column in cursor.description)
            check(names)
            _names[sql] = names
    return row, names


def _made(model, values: list, connection, using: str):
    """An object of `model` from its concrete columns' values, converted as the ORM does."""
    for position, (functions, column) in _converters(connection, model).items():
        for convert in functions:
            values[position] = convert(values[position], column, connection)
    return model.from_db(using, None, values)


def first_object(model, sql: str, params, using: str | None = None):
    """The first row of `sql` as an object of `model`, or None, as raw() would make it: the
    query selects every concrete column of the model first, in order; the columns after them
    become attributes. The statement is a prepared one on PostgreSQL (prepared_cursor)."""
    using = using or router.db_for_read(model)
    connection = connections[using]
    row, names = _first_row(connection, sql, params, lambda names: _checked(model, names))
    if row is None:
        return None
    count = len(model._meta.concrete_fields)
    instance = _made(model, list(row[:count]), connection, using)
    for name, value in zip(names[count:], row[count:], strict=True):
        setattr(instance, name, value)
    return instance


def first_objects(models: tuple, sql: str, params, using: str) -> list | None:
    """The first row of `sql` as an object of each of `models`, or None: the query selects
    every concrete column of each model in turn, in order, and nothing else (a join, as
    select_related makes). A prepared statement on PostgreSQL."""
    connection = connections[using]
    counts = [len(model._meta.concrete_fields) for model in models]

    def check(names: tuple) -> None:
        if len(names) != sum(counts):
            raise ValueError("the query must select the models' columns and nothing else")
        start = 0
        for model, count in zip(models, counts, strict=True):
            _checked(model, names[start:])
            start += count

    row, _ = _first_row(connection, sql, params, check)
    if row is None:
        return None
    objects, start = [], 0
    for model, count in zip(models, counts, strict=True):
        objects.append(_made(model, list(row[start : start + count]), connection, using))
        start += count
    return objects


def row_where(model, column: str, value):
    """The object of `model` whose `column` holds `value`, or None (a unique column)."""
    using = router.db_for_read(model)
    sql = _select(model, column, connections[using].vendor)
    return first_object(model, sql, [value], using)
