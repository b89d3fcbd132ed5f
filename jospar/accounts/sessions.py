"""The session store (SESSION_ENGINE): Django's database store, with the read that every
request with a session cookie makes written once as SQL rather than built by the ORM each
time (and kept prepared on PostgreSQL). Writes, expiry and the rest are Django's."""

import functools

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from jospar.lib.reads import prepared_cursor


@functools.cache
def _select(model, vendor: str) -> str:
    """The live session's data by its key, quoted for `vendor`."""
    quote, meta = connections[router.db_for_read(model)].ops.quote_name, model._meta
    return "SELECT {data} FROM {table} WHERE {key} = %s AND {expires} > %s".format(  # noqa: S608
        data=quote(meta.get_field("session_data").column),
        table=quote(meta.db_table),
        key=quote(meta.get_field("session_key").column),
        expires=quote(meta.get_field("expire_date").column),
    )


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        """The live session row of this key (with its data), or None, as Django's own."""
        if not self.session_key:
            self._session_key = None
            return None
        model = self.model
        connection = connections[router.db_for_read(model)]
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with prepared_cursor(connection) as cursor:
            cursor.execute(_select(model, connection.vendor), [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=self.session_key, session_data=row[0])
