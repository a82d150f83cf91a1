"""Saving a session's rows with statements built once, not per request.

Saving a session is the app's most frequent write. Through the ORM it built three statements per
request (raising the data version, the session, its items): a quarter of a save's time in the
server, and all of it spent while holding SQLite's single write lock. Here the model instances are
made and their values prepared by the ORM's own fields (`pre_save`, `get_db_prep_save`) before any
lock is taken, and the SQL text is made once per database and number of items:
- PostgreSQL: one statement. Data-modifying WITH clauses raise the data version and insert the
  session; the main INSERT adds the items. A statement is atomic on its own, so the save is one
  round trip, where BEGIN, three statements and COMMIT were five.
- SQLite: the same three statements in one transaction (there is no data-modifying WITH), the items
  in one multi-row INSERT.
The data version is raised with an upsert (raise_version_sql, which services.touch uses for every
other write), so a person's first save makes their preferences row, at version 1, in the same
statement or transaction.
"""

from __future__ import annotations

import functools

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction

from sijcoach.web.plans.models import Preferences, Session, SessionItem


@functools.lru_cache(maxsize=32)
def _fields(model) -> tuple:
    """The fields an INSERT gives values for: every concrete one but the generated primary key."""
    return tuple(f for f in model._meta.concrete_fields if not f.primary_key)


def _values(obj, conn, skip: str | None = None) -> list:
    """The values the ORM would send for `obj` in an INSERT on `conn`, in _fields' order (without `skip`)."""
    return [f.get_db_prep_save(f.pre_save(obj, True), conn) for f in _fields(type(obj)) if f.name != skip]


def _column_list(model, q, skip: str | None = None) -> str:
    return ", ".join(q(f.column) for f in _fields(model) if f.name != skip)


@functools.lru_cache(maxsize=4)
def raise_version_sql(vendor: str) -> str:
    """Add one to a person's data version, making their preferences row (at 1) if there is none: one
    statement, with no window for a request beside it to make the row first."""
    q, prefs = connection.ops.quote_name, Preferences._meta
    version = q(prefs.get_field("data_version").column)
    return (f"INSERT INTO {q(prefs.db_table)} ({_column_list(Preferences, q)}) "
            f"VALUES ({', '.join(['%s'] * len(_fields(Preferences)))}) "
            f"ON CONFLICT ({q(prefs.get_field('user').column)}) "
            f"DO UPDATE SET {version} = {q(prefs.db_table)}.{version} + 1")


def raise_version_values(user_id, conn) -> list:
    """raise_version_sql's parameters: the row it makes when there is none."""
    return _values(Preferences(user_id=user_id, data_version=1), conn)


@functools.lru_cache(maxsize=256)
def _statements(vendor: str, n_items: int) -> tuple[str, ...]:
    """For PostgreSQL the whole save, answering rows of (item id, item position, session id); for
    SQLite (raise the version, insert the session, insert the items), the last two answering the new
    ids (and the items' positions). Depends only on the models, the vendor and n_items."""
    q = connection.ops.quote_name
    session, item = Session._meta, SessionItem._meta
    raise_version = raise_version_sql(vendor)
    session_pk = q(session.pk.column)
    insert_session = (f"INSERT INTO {q(session.db_table)} ({_column_list(Session, q)}) "
                      f"VALUES ({', '.join(['%s'] * len(_fields(Session)))}) RETURNING {session_pk}")
    link = item.get_field("session")
    item_columns = f"{q(link.column)}, {_column_list(SessionItem, q, link.name)}"
    n_item = len(_fields(SessionItem)) - 1  # the session's id comes from the insert above
    returning = f"RETURNING {q(item.pk.column)}, {q(item.get_field('position').column)}"
    if vendor != "postgresql":
        row = f"(%s, {', '.join(['%s'] * n_item)})"
        insert_items = (f"INSERT INTO {q(item.db_table)} ({item_columns}) "
                        f"VALUES {', '.join([row] * n_items)} {returning}")
        return raise_version, insert_session, insert_items
    with_clauses = f"WITH v AS ({raise_version}), s AS ({insert_session})"
    if n_items == 0:
        return (f"{with_clauses} SELECT NULL, NULL, {session_pk} FROM s",)
    row = f"((SELECT {session_pk} FROM s), {', '.join(['%s'] * n_item)})"
    return (f"{with_clauses} INSERT INTO {q(item.db_table)} ({item_columns}) VALUES {', '.join([row] * n_items)} "
            f"{returning}, {q(link.column)}",)


def insert(session: Session, items: list[SessionItem]) -> None:
    """Insert `session` and its `items` (unsaved, positions unique; their session is set here) and
    raise the person's data version, atomically."""
    conn = connections[DEFAULT_DB_ALIAS]  # this thread's, not the proxy: each look-up through it costs
    version_values = raise_version_values(session.user_id, conn)
    session_values = _values(session, conn)
    item_rows = [_values(it, conn, skip="session") for it in items]
    statements = _statements(conn.vendor, len(items))
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            cursor.execute(statements[0], [*version_values, *session_values, *(v for row in item_rows for v in row)])
            rows = cursor.fetchall()
            session.pk = rows[0][2]
        else:
            raise_version, insert_session, insert_items = statements
            with transaction.atomic(using=conn.alias):
                cursor.execute(raise_version, version_values)
                cursor.execute(insert_session, session_values)
                session.pk = cursor.fetchone()[0]
                rows = []
                if items:
                    cursor.execute(insert_items, [v for row in item_rows for v in (session.pk, *row)])
                    rows = cursor.fetchall()
    ids = {position: pk for pk, position, *_ in rows if pk is not None}
    session._state.adding = False
    for it in items:
        it.session, it.pk = session, ids[it.position]
        it._state.adding = False
