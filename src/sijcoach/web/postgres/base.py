"""Django's PostgreSQL backend (ENGINE "sijcoach.web.postgres"), with a health check that costs no
round trip while the connection is in use.

With CONN_HEALTH_CHECKS, Django sends "SELECT 1" before the first query of every request that reuses
a connection. Under load that is a round trip per request for a connection that answered a moment
ago: measured with `make bench`, it was a seventh of the Today page's work in the server and a sixth
of PostgreSQL's. Here a kept connection counts as usable without asking when
- a request that used it ended without a database error less than RECENT_S seconds ago, and none
  has happened since;
- and nothing has arrived on its socket since (polled without waiting). The server sends nothing to
  an idle connection unless it is closing it (a restart, pg_terminate_backend, an idle timeout: a
  last error message, then end of file).
Otherwise Django's own check runs ("SELECT 1"), which reads whatever arrived; a connection that fails
it is closed and opened afresh before the request's first query, as with Django's check.
"""

import select
import time

from django.db.backends.postgresql import base
from psycopg.pq import ConnStatus

RECENT_S = 1.0


def quiet(raw) -> bool:
    """Whether this psycopg connection is open and nothing has arrived on it since its last answer,
    found without a round trip."""
    if raw.closed or raw.pgconn.status != ConnStatus.OK:
        return False
    poller = select.poll()
    poller.register(raw.pgconn.socket, select.POLLIN | select.POLLERR | select.POLLHUP)
    return not poller.poll(0)


class DatabaseWrapper(base.DatabaseWrapper):
    answered_at: float | None = None  # when a request last used this connection without an error

    def is_usable(self):
        if self.connection is None:
            return False
        recent = self.answered_at is not None and time.monotonic() - self.answered_at < RECENT_S
        if recent and not self.errors_occurred and quiet(self.connection):
            return True
        return super().is_usable()

    def close_if_unusable_or_obsolete(self):
        # Called as each request starts and ends. health_check_done is true here at the end of a
        # request that used the connection (or just after Django's own check passed), and
        # errors_occurred says whether anything failed since.
        if self.connection is not None and self.health_check_done and not self.errors_occurred:
            self.answered_at = time.monotonic()
        super().close_if_unusable_or_obsolete()

    def _close(self):
        self.answered_at = None
        return super()._close()
