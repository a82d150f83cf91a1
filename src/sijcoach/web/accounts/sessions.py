"""Django's database sessions, kept in SignInSession so that each row names its person (the account
page lists a person's signed-in sessions and can end them all). This is Django's documented way to
extend the session model: an AbstractBaseSession subclass and a SessionStore naming it.

SESSION_ENGINE is this module, or `sessions_cached` (the same store behind Django's cached_db) when
a cache shared by every server is configured (settings.py).
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends import db
from django.utils import timezone


class PersonColumn:
    """The documented hooks: which model holds the sessions, and filling its extra column."""

    @classmethod
    def get_model_class(cls):
        from sijcoach.web.accounts.models import SignInSession

        return SignInSession

    def create_model_instance(self, data):
        row = super().create_model_instance(data)
        try:
            row.user_id = int(data[SESSION_KEY])
        except (KeyError, TypeError, ValueError):
            row.user_id = None
        return row


class SessionStore(PersonColumn, db.SessionStore):
    pass


def signed_in(user, current_key: str | None) -> list[dict]:
    """The person's sessions that have not ended, newest visit first, marking the one in use."""
    age = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    rows = SessionStore.get_model_class().objects.filter(user=user, expire_date__gt=timezone.now()).order_by("-expire_date")
    return [{"last_seen": row.expire_date - age, "current": row.session_key == current_key} for row in rows]


def end_all(user) -> int:
    """Sign the person out everywhere: each session is deleted through its store, so a shared cache
    (cached_db) forgets it too, on every server at once."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    keys = list(SessionStore.get_model_class().objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    return len(keys)
