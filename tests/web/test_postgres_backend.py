"""The PostgreSQL backend's health check (sijcoach.web.postgres): no round trip for a connection that
answered a moment ago, Django's "SELECT 1" after a pause or an error, and a connection the server
closed replaced before the next request's first query. Runs on the PostgreSQL run of the web tests (make test-postgres),
against the real server; what goes over the wire is read from libpq's own trace."""

from __future__ import annotations

import select
import time

import pytest
from django.db import connection, connections
from django.db.utils import ConnectionHandler, ProgrammingError

from sijcoach.web.postgres import base

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def conn():
    """A connection of its own to the test database, with Django's request-time bookkeeping."""
    settings = {**connection.settings_dict, "CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}
    handler = ConnectionHandler({"default": settings})
    c = handler["default"]
    yield c
    c.close()


def request(conn, sql: str = "SELECT pg_backend_pid()"):
    """What one request does to the connection: Django's checks as it starts and ends, one query."""
    conn.close_if_unusable_or_obsolete()
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]
    finally:
        conn.close_if_unusable_or_obsolete()


def traced(conn, tmp_path, sql: str = "SELECT pg_backend_pid()", fails: type | None = None) -> str:
    """One request with libpq's protocol trace on: what the client sent."""
    path = tmp_path / f"trace-{time.monotonic_ns()}.txt"
    with path.open("w") as out:
        conn.connection.pgconn.trace(out.fileno())
        try:
            if fails is None:
                request(conn, sql)
            else:
                with pytest.raises(fails):
                    request(conn, sql)
        finally:
            if conn.connection is not None:
                conn.connection.pgconn.untrace()
    return path.read_text()


def sent_queries(trace: str) -> list[str]:
    return [line for line in trace.splitlines() if "\tF\t" in line and "\tQuery\t" in line]


def terminate(pid: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        assert cursor.fetchone()[0] is True


def test_the_settings_use_this_backend():
    assert connection.vendor == "postgresql"
    assert isinstance(connections["default"], base.DatabaseWrapper)


def test_a_connection_used_a_moment_ago_is_not_asked_again(conn, tmp_path):
    request(conn)  # opens the connection
    request(conn)  # ends without error: the connection has just answered
    trace = traced(conn, tmp_path)
    assert not any("SELECT 1" in q for q in sent_queries(trace)), trace
    assert any("pg_backend_pid" in q for q in sent_queries(trace)), trace


def test_after_a_pause_django_checks_with_a_round_trip(conn, tmp_path):
    request(conn)
    request(conn)
    conn.answered_at -= base.RECENT_S + 0.1  # as though the last request ended that long ago
    trace = traced(conn, tmp_path)
    assert any("SELECT 1" in q for q in sent_queries(trace)), trace


def test_after_a_database_error_django_checks_with_a_round_trip(conn, tmp_path):
    request(conn)
    request(conn)
    # Not a data or integrity error, so Django doubts the connection: though it answered a moment
    # ago, it is checked with a round trip as the failed request ends.
    trace = traced(conn, tmp_path, "SELECT * FROM no_such_table", fails=ProgrammingError)
    assert any("SELECT 1" in q for q in sent_queries(trace)), trace
    assert not conn.errors_occurred
    assert request(conn)  # and it goes on serving


def test_a_connection_the_server_closed_is_replaced_before_the_next_query(conn, tmp_path):
    first = request(conn)
    request(conn)  # the connection answered a moment ago
    assert base.quiet(conn.connection)
    terminate(first)
    # The server's last message and the end of file arrive on their own time; once they have, the
    # very next request must not fail, however recently the connection answered.
    readable = select.poll()
    readable.register(conn.connection.pgconn.socket, select.POLLIN)
    assert readable.poll(5000), "the server never closed the connection"
    assert not base.quiet(conn.connection)
    second = request(conn)
    assert second != first  # a new connection (a new server process), made before the query


def test_a_live_idle_connection_is_quiet(conn):
    request(conn)
    time.sleep(0.05)
    assert base.quiet(conn.connection)
    assert not conn.connection.closed


def test_a_statement_run_again_and_again_is_prepared_by_the_server(alice):
    """Server-side binding and prepare_threshold (settings): psycopg prepares a statement after its
    fifth run on a connection, so the sign-in read is parsed and planned once."""
    from django.contrib.auth import get_user_model

    from sijcoach.web.accounts.backends import read_with_person

    def prepared() -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            return [row[0] for row in cursor.fetchall()]

    assert connection.settings_dict["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 5}
    assert not any("plans_preferences" in s for s in prepared())
    for _ in range(6):
        assert read_with_person(get_user_model(), "id", alice.pk)[1] == alice
    assert any("plans_preferences" in s and "auth_user" in s for s in prepared())
