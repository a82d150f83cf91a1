"""Django's PostgreSQL backend (ENGINE "sijcoach.web.postgres"), with a health check that costs no
round trip while the connection is in use.

With CONN_HEALTH_CHECKS, Django sends "SELECT 1" before the first query of every request that reuses
a connection. Under load that is a round trip per request for a connection that answered a moment
ago: measured with `make bench`, it was a seventh of the Today page's work in the server and a sixth
of PostgreSQL's. Here a kept connection counts as usable without asking when
- the socket shows no sign of the server having gone: it is polled without waiting, and anything
  waiting on it is read, so a connection the server closed (a restart, pg_terminate_backend, an idle
  timeout) is found dead at once;
- and a request that used it ended without a database error less than RECENT_S seconds ago, and
  none has happened since.
Otherwise Django's own check runs ("SELECT 1"), and a connection that fails either is closed and
opened afresh before the request's first query, as with Django's check.
"""

from __future__ import annotations

import select
import time

from django.db.backends.postgresql import base
from psycopg import OperationalError
from psycopg.pq import ConnStatus

RECENT_S = 1.0


def server_gone(raw) -> bool:
    """Whether the server has closed this psycopg connection, found without a round trip: anything
    the server sent while the connection sat idle (its goodbye, or end of file) is read now."""
    pgconn = raw.pgconn
    if raw.closed or pgconn.status != ConnStatus.OK:
        return True
    poller = select.poll()
    poller.register(pgconn.socket, select.POLLIN | select.POLLERR | select.POLLHUP)
    if not poller.poll(0):
        return False
    try:
        pgconn.consume_input()
    except OperationalError:
        return True
    return pgconn.status != ConnStatus.OK


class DatabaseWrapper(base.DatabaseWrapper):
    answered_at: float | None = None  # when a request last used this connection without an error

    def is_usable(self):
        if self.connection is None or server_gone(self.connection):
            return False
        recent = self.answered_at is not None and time.monotonic() - self.answered_at < RECENT_S
        if recent and not self.errors_occurred:
            return True
        return super().is_usable()

    def close_if_unusable_or_obsolete(self):
        # Called as each request starts and ends. health_check_done is still true here only at the
        # end of a request that used the connection, and errors_occurred says whether it failed.
        if self.connection is not None and self.health_check_done and not self.errors_occurred:
            self.answered_at = time.monotonic()
        super().close_if_unusable_or_obsolete()

    def _close(self):
        self.answered_at = None
        return super()._close()
