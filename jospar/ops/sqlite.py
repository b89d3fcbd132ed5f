"""SQLite's real limit on the parameters of one statement.

Django assumes 999 parameters (SQLite's compile-time default before 3.32) and splits a bulk
insert into batches of 999 // (columns) rows: some 60 actions a statement, so the number of
statements of a bulk write would grow with the rows. The SQLite a connection opens says its
own limit (32,766 by default since 3.32, 250,000 in Debian's build); Django's batches follow it.
"""

import sqlite3

from django.db.backends.signals import connection_created
from django.dispatch import receiver


@receiver(connection_created)
def use_the_real_parameter_limit(sender, connection, **kwargs) -> None:
    if connection.vendor != "sqlite":
        return
    limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    connection.features.max_query_params = max(limit, 999)
