"""Django's SQLite backend (ENGINE "sijcoach.web.sqlite"), with writers queued rather than polling.

SQLite lets one writer in at a time. A writer that finds the database locked waits in SQLite's busy
handler, which sleeps 1, 2, 5, 10 ... up to 100 ms between tries: under many concurrent saves the
lock often sits free while the waiters sleep, and unlucky ones wait hundreds of milliseconds. So
every transaction (all of them begin IMMEDIATE, i.e. as writers; see settings) first takes its turn:
- a lock per database file in the process, on which threads block and wake as soon as it is free;
- then, for a database on disk, an exclusive flock() on "<database>.write-lock", so processes
  (gunicorn's workers) take turns too. Only one thread per process waits for it, retrying every
  half millisecond, so waking is prompt and costs little.
Both give up after the database's busy timeout (OPTIONS "timeout", 5 s by default) with the error
SQLite would give, "database is locked". The turn ends when the transaction commits, rolls back or
the connection closes. Writes outside a transaction (autocommit) do not queue: they are single
statements and SQLite's own wait covers them.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time

from django.db.backends.sqlite3 import base
from django.db.utils import OperationalError

POLL_S = 0.0005
DEFAULT_TIMEOUT_S = 5.0

_process_locks: dict[str, threading.Lock] = {}
_process_locks_guard = threading.Lock()


def _process_lock(name: str) -> threading.Lock:
    with _process_locks_guard:
        return _process_locks.setdefault(name, threading.Lock())


class WriterTurn:
    """One connection's turn to write: the process lock, then the file lock when there is a file."""

    def __init__(self, name: str, path: str | None, timeout_s: float):
        self.lock, self.path, self.timeout_s = _process_lock(name), path, timeout_s
        self.fd: int | None = None
        self.held = False

    def take(self) -> None:
        deadline = time.monotonic() + self.timeout_s
        if not self.lock.acquire(timeout=self.timeout_s):
            raise OperationalError("database is locked")
        self.held = True
        if self.path is None:
            return
        try:
            if self.fd is None:
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            while True:
                try:
                    fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise OperationalError("database is locked") from None
                    time.sleep(POLL_S)
        except BaseException:
            self.give_back()
            raise

    def give_back(self) -> None:
        if not self.held:
            return
        self.held = False
        try:
            if self.fd is not None:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
        finally:
            self.lock.release()

    def close(self) -> None:
        self.give_back()
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None


class DatabaseWrapper(base.DatabaseWrapper):
    _turn: WriterTurn | None = None

    def _writer_turn(self) -> WriterTurn:
        if self._turn is None:
            name = str(self.settings_dict["NAME"])
            path = None if self.is_in_memory_db() else f"{name}.write-lock"
            timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", DEFAULT_TIMEOUT_S))
            self._turn = WriterTurn(name, path, timeout)
        return self._turn

    def _start_transaction_under_autocommit(self):
        turn = self._writer_turn()
        turn.take()
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            turn.give_back()
            raise

    def _end_turn(self, close: bool = False) -> None:
        if self._turn is not None:
            if close:
                self._turn.close()
                self._turn = None  # made again on the next transaction, for the NAME then in force
            else:
                self._turn.give_back()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._end_turn()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._end_turn()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._end_turn(close=True)
