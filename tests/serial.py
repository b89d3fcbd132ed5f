"""One request at a time for the browser tests' live server on SQLite.

With an in-memory SQLite database Django's live server hands every request thread the test's
own connection (the only one that sees the test database). A browser sends requests side by
side — the page's autosave while htmx loads the header's counts — and two threads running
statements on one SQLite connection at once can wait on each other for ever (seen: an
autosave's read and My work's count, both inside SQLite). This middleware, first in the test
settings' list on SQLite only, lets one request into the application at a time; a test's
background worker thread takes the same lock.
"""

import threading

LOCK = threading.RLock()  # a request the application makes to itself in its thread may enter


class OneRequestAtATime:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with LOCK:
            return self.get_response(request)
