"""Who is signed in, read with one statement: every signed-in request needs its session, the person
and their preferences (the time zone decides "today", the data version keys the page cache).

- The session table (models.SignInSession) keeps the person's id in a column, so the session, the
  person and the preferences row come in one joined statement; an API token likewise.
- The columns are converted with the database's own converters, as the ORM would. Building ORM
  queries cost several times running them (in process: about 0.2 ms for the three reads, against
  0.03 ms for the joined one), and a cached page costs little else.
- Django's own code still decides who is signed in: `django.contrib.auth.get_user` reads the
  session and checks its hash against the password, as always. The person read with the session is
  only offered to `Backend.get_user` for the length of that call, and only for the same id.
"""

from __future__ import annotations

import contextvars
import functools

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware as DjangoAuthenticationMiddleware
from django.contrib.sessions.backends import db
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone
from django.utils.functional import SimpleLazyObject

# The session being checked by `signed_in_user`: set only for that call, in this thread.
_checking = contextvars.ContextVar("checking", default=None)

# Decoded sessions by their stored text and the keys that sign it (see SessionStore.decode).
_decoded: dict[tuple, tuple] = {}
DECODED_MAX = 4096
_FLAT = (str, int, float, bool, type(None))


def _preferences_model():
    from sijcoach.web.plans.models import Preferences

    return Preferences


@functools.lru_cache(maxsize=64)
def _statement(model, column: str, vendor: str) -> str:
    """SELECT model's row, its person's and the preferences' columns, WHERE `column` = %s."""
    user, prefs = get_user_model(), _preferences_model()
    q = connection.ops.quote_name
    pk = q(user._meta.pk.column)

    def cols(m, alias: str) -> list[str]:
        return [f"{alias}.{q(f.column)}" for f in m._meta.concrete_fields]

    if model is user:
        selected, source, person = cols(user, "u"), f"{q(user._meta.db_table)} u", f"u.{pk}"
        where = f"u.{q(column)}"
    else:
        selected = cols(model, "x") + cols(user, "u")
        person = f"x.{q(model._meta.get_field('user').column)}"
        source = f"{q(model._meta.db_table)} x LEFT JOIN {q(user._meta.db_table)} u ON u.{pk} = {person}"
        where = f"x.{q(column)}"
    selected += cols(prefs, "p")
    return (f"SELECT {', '.join(selected)} FROM {source} LEFT JOIN {q(prefs._meta.db_table)} p "
            f"ON p.{q(prefs._meta.get_field('user').column)} = {person} WHERE {where} = %s")


@functools.lru_cache(maxsize=256)
def _reader(model, conn) -> tuple[int, list[str], tuple[tuple, ...]]:
    """How to make `model` from its columns on this connection: the primary key's position, the
    attribute names, and per column the converters the ORM would apply."""
    fields = model._meta.concrete_fields
    converters = []
    for field in fields:
        col = field.get_col(model._meta.db_table)
        converters.append(tuple((c, col) for c in conn.ops.get_db_converters(col) + col.get_db_converters(conn)))
    return fields.index(model._meta.pk), [f.attname for f in fields], tuple(converters)


def _take(model, row: tuple, start: int, conn):
    """The model instance from row[start:...] (None when its primary key is NULL), and the next index."""
    pk_at, attnames, converters = _reader(model, conn)
    end = start + len(attnames)
    values = list(row[start:end])
    if values[pk_at] is None:
        return None, end
    for i, column_converters in enumerate(converters):
        for convert, col in column_converters:
            values[i] = convert(values[i], col, conn)
    return model.from_db(conn.alias, attnames, values), end


def read_with_person(model, column: str, value):
    """(model's row where `column` = value, its person with their preferences row attached) in one
    statement; (None, None) when there is no such row. For the person's own model, (person, person)."""
    conn = connections[DEFAULT_DB_ALIAS]  # this thread's connection (the proxy cannot key a cache)
    with conn.cursor() as cursor:
        cursor.execute(_statement(model, column, conn.vendor), [value])
        row = cursor.fetchone()
    if row is None:
        return None, None
    user_model = get_user_model()
    first, at = _take(model, row, 0, conn)
    user, at = (first, at) if model is user_model else _take(user_model, row, at, conn)
    if user is not None:
        prefs, _ = _take(_preferences_model(), row, at, conn)
        _preferences_model().user.field.remote_field.set_cached_value(user, prefs)
    return first, user


class Backend(ModelBackend):
    """Django's model backend; the user comes with their preferences row (or None) attached."""

    def get_user(self, user_id):
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        session = _checking.get()
        user = getattr(session, "signed_in", None)
        if user is None or user.pk != pk:
            user, _ = read_with_person(get_user_model(), get_user_model()._meta.pk.column, pk)
        return user if user is not None and self.user_can_authenticate(user) else None


class SessionStore(db.SessionStore):
    """Django's database sessions (SESSION_ENGINE) in SignInSession, read with the person."""

    signed_in = None  # the person the session row names, read with it

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

    def decode(self, session_data):
        """Django's, remembered in the process for a session whose values are all plain (a signed-in
        person's is three strings): checking the signature and unpacking it took a tenth of a cached
        Today's time in process (0.23 ms, 0.21 without). Keyed by the stored text, the salt and the
        signing keys, so a changed session or key is decoded afresh; each call gets its own dict. A
        session holding lists or dicts is decoded every time, as its values could change in place."""
        key = (session_data, self.key_salt, settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS))
        known = _decoded.get(key)
        if known is not None:
            return dict(known)
        data = super().decode(session_data)
        if data and all(type(v) in _FLAT for v in data.values()):
            if len(_decoded) >= DECODED_MAX:
                _decoded.clear()
            _decoded[key] = tuple(data.items())
        return data

    def _get_session_from_db(self):
        self.signed_in = None
        if not self.session_key:
            return None
        found, user = read_with_person(self.model, "session_key", self.session_key)
        if found is None or found.expire_date <= timezone.now():
            self._session_key = None
            return None
        self.signed_in = user
        return found


def signed_in_user(request):
    """django.contrib.auth.get_user (session hash check and all), offered the person read with the
    session so that it needs no statement of its own."""
    if not hasattr(request, "_cached_user"):
        mark = _checking.set(request.session)
        try:
            request._cached_user = auth.get_user(request)
        finally:
            _checking.reset(mark)
    return request._cached_user


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, with request.user from signed_in_user."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: signed_in_user(request))
