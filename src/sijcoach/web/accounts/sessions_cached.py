"""Sessions in the database behind a shared cache (Django's cached_db), in SignInSession.

Only used with a cache that every worker and server shares (SIJCOACH_CACHE_URL, Redis): a cache of
one process would let a session signed out elsewhere live on there.
"""

from __future__ import annotations

from django.contrib.sessions.backends import cached_db

from sijcoach.web.accounts.sessions import PersonColumn


class SessionStore(PersonColumn, cached_db.SessionStore):
    pass
