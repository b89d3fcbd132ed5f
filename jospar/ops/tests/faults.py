"""Database faults for the tests, on the current thread's connection (the test client's)."""

from contextlib import contextmanager
from unittest import mock

from django.db import OperationalError, connections

LOST = "server closed the connection unexpectedly"
# The test's own transaction (pytest-django's) keeps working: only its savepoints pass.
_SAVEPOINTS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


@contextmanager
def database_down(using: str = "default"):
    """Every statement fails as with a server that went away (OperationalError)."""

    def refuse(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(_SAVEPOINTS):
            return execute(sql, params, many, context)
        raise OperationalError(LOST)

    with connections[using].execute_wrapper(refuse):
        yield


def _writes(sql: str) -> bool:
    """Whether a statement writes: an insert, update or delete, or a WITH query holding one."""
    text = " ".join(sql.upper().split())
    if text.startswith(("INSERT ", "UPDATE ", "DELETE ")):
        return True
    return text.startswith("WITH ") and any(
        word in text for word in ("INSERT INTO ", ") UPDATE ", "(UPDATE ", "DELETE FROM ")
    )


@contextmanager
def down_after_commit(using: str = "default"):
    """The server goes away right after the next commit: that commit succeeds, every statement
    after it fails. Yields a dict whose "commits" counts the commits that went through. A
    statement that writes outside a transaction commits by itself (the autosave's one
    statement on PostgreSQL) and counts as one."""
    connection = connections[using]
    real_commit = connection.commit
    state = {"commits": 0}

    def commit():
        real_commit()
        state["commits"] += 1

    def refuse(execute, sql, params, many, context):
        if state["commits"]:
            raise OperationalError(LOST)
        result = execute(sql, params, many, context)
        if connection.get_autocommit() and _writes(sql):
            state["commits"] += 1
        return result

    with mock.patch.object(connection, "commit", commit), connection.execute_wrapper(refuse):
        yield state
