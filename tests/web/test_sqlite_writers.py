"""SQLite writers take turns (sijcoach.web.sqlite): every write lands from many threads and two
processes, a writer gives up after the busy timeout with SQLite's own error, and the turn ends with
the transaction however it ends. Real database files, real threads and a second process."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import textwrap
import threading
import time
from contextlib import contextmanager

import pytest
from django.db.utils import ConnectionHandler, OperationalError

ROUNDS = 40
THREADS = 4


def handler(path, timeout_s: float = 20) -> ConnectionHandler:
    return ConnectionHandler({"default": {
        "ENGINE": "sijcoach.web.sqlite", "NAME": str(path),
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE",
                    "timeout": timeout_s}}})


@contextmanager
def transaction_on(conn):
    """What transaction.atomic does for an outermost block, on a connection of our own."""
    conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
    try:
        yield conn
    except BaseException:
        conn.rollback()
        conn.set_autocommit(True)
        raise
    conn.commit()
    conn.set_autocommit(True)


def add_one(conn) -> None:
    with transaction_on(conn), conn.cursor() as c:
        c.execute("SELECT n FROM counter")
        (n,) = c.fetchone()
        time.sleep(0.0005)  # read, think, write: lost updates would show without a real turn
        c.execute("UPDATE counter SET n = %s", [n + 1])


@pytest.fixture
def database(tmp_path, db):
    path = tmp_path / "writers.sqlite3"
    conn = handler(path)["default"]
    with conn.cursor() as c:
        c.execute("CREATE TABLE counter (n INTEGER NOT NULL)")
        c.execute("INSERT INTO counter VALUES (0)")
    conn.close()
    return path


def count(path) -> int:
    conn = handler(path)["default"]
    with conn.cursor() as c:
        c.execute("SELECT n FROM counter")
        (n,) = c.fetchone()
    conn.close()
    return n


OTHER_PROCESS = textwrap.dedent("""
    import sys, time
    import django
    from django.conf import settings
    settings.configure(USE_TZ=True)
    django.setup()
    sys.path.insert(0, {tests!r})
    from test_sqlite_writers import add_one, handler
    conn = handler({path!r})["default"]
    for _ in range({rounds}):
        add_one(conn)
    conn.close()
""")


def test_every_write_from_threads_and_another_process_lands(database):
    script = OTHER_PROCESS.format(tests=os.path.dirname(__file__), path=str(database), rounds=ROUNDS * THREADS)
    other = subprocess.Popen([sys.executable, "-c", script], stderr=subprocess.PIPE, text=True)
    errors = []
    connections = handler(database)

    def work():
        try:
            for _ in range(ROUNDS):
                add_one(connections["default"])
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    _, err = other.communicate(timeout=120)
    assert other.returncode == 0, err
    assert not errors
    assert count(database) == 2 * ROUNDS * THREADS


def test_a_writer_waits_for_its_turn_then_gives_up_with_sqlites_error(database):
    holder = os.open(f"{database}.write-lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(holder, fcntl.LOCK_EX)  # another process in the middle of a write
    conn = handler(database, timeout_s=0.3)["default"]
    try:
        started = time.monotonic()
        with pytest.raises(OperationalError, match="database is locked"):
            add_one(conn)
        assert time.monotonic() - started >= 0.3
        fcntl.flock(holder, fcntl.LOCK_UN)
        add_one(conn)  # its turn, at once
        assert count(database) == 1
    finally:
        os.close(holder)
        conn.close()


@pytest.mark.parametrize("ending", ["commit", "rollback", "close"])
def test_the_turn_ends_with_the_transaction(database, ending):
    conn = handler(database)["default"]
    if ending == "commit":
        add_one(conn)
    elif ending == "rollback":
        with pytest.raises(ZeroDivisionError), transaction_on(conn):
            1 / 0
    else:
        conn.set_autocommit(False, force_begin_transaction_with_broken_autocommit=True)
        conn.close()
    probe = os.open(f"{database}.write-lock", os.O_RDWR)
    try:
        fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)  # raises BlockingIOError if still held
    finally:
        os.close(probe)
        conn.close()
    other = handler(database, timeout_s=0.2)["default"]
    add_one(other)  # and the process's own lock is free too
    other.close()
