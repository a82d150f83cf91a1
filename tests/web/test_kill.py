"""kill -9 in the middle of saving: every session the server acknowledged is there after a restart,
and none is half-saved.

A real gunicorn server (as `make run` starts it) on the run's database: a database file of its own
on the SQLite run, the test database on the PostgreSQL run (make test-postgres). Fifty people sign
up through the page, then save sessions through the API at once, each signed in as themselves; the server's whole process group is killed with SIGKILL while they do, twice,
restarting it each time. Everything is checked through the API afterwards: each acknowledged id (a
201 with an id) is among the person's sessions, and every session there has all its items.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings

HOST = "127.0.0.1"
SAVERS = 50
KILLS = 2
ACKS_BEFORE_KILL = 40  # acknowledged saves in a round before the kill: the load is well under way
PASSWORD = "a kill test passphrase"
CSRF = "k" * 32  # a CSRF secret of the right form, sent as the cookie and in the form
ITEMS = [
    {"exercise": "bird-dog", "side": "each", "planned": {"sets": 2, "reps": 8, "hold_s": 5},
     "sets_done": 2, "reps_done": 8, "hold_s_done": 5, "pain": 1, "effort": "ok"},
    {"exercise": "dead-bug", "side": "none", "planned": {"sets": 2, "reps": 10, "hold_s": 0},
     "sets_done": 2, "reps_done": 9, "hold_s_done": 0, "pain": 0, "effort": "easy"},
    {"exercise": "glute-bridge", "side": "none", "planned": {"sets": 3, "reps": 10, "hold_s": 3},
     "sets_done": 3, "reps_done": 10, "hold_s_done": 3, "pain": 2, "effort": "hard"},
]
BODY = json.dumps({"pain_before": 3, "pain_after": 2, "items": ITEMS}).encode()

def request(port: int, method: str, path: str, body: bytes = b"", headers: dict | None = None,
            timeout: float = 30) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body or None, headers=headers or {})
        resp = conn.getresponse()
        headers: dict[str, str] = {}
        for k, v in resp.getheaders():  # Set-Cookie comes once per cookie: all of them are kept
            headers[k.lower()] = f"{headers[k.lower()]}\n{v}" if k.lower() in headers else v
        return resp.status, headers, resp.read()
    finally:
        conn.close()


class Server:
    """gunicorn in a process group of its own, so one signal reaches the master and every worker."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log, self.proc, self.port = env, log, None, 0

    def start(self) -> None:
        with socket.socket() as s:
            s.bind((HOST, 0))
            self.port = s.getsockname()[1]
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.proc = subprocess.Popen(
            [str(gunicorn), "sijcoach.web.wsgi:application", "--bind", f"{HOST}:{self.port}",
             "-c", "python:sijcoach.web.gunicorn_conf"],
            env=self.env, stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log.read_text()[-3000:]
            try:
                if request(self.port, "GET", "/ping/", timeout=2)[0] == 200:
                    return
            except OSError:
                time.sleep(0.05)
        raise AssertionError(f"gunicorn did not answer in 30 s:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        os.killpg(self.proc.pid, signal.SIGKILL)  # the master and its workers at once, as a power cut
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.kill()


@pytest.fixture
def server_env(transactional_db, tmp_path) -> dict:
    """The server's environment: this run's database (migrated), the real settings module."""
    # On PostgreSQL the server uses the test database (transactional_db: committed to, emptied after).
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "sijcoach.web.settings", "SIJCOACH_DATA_DIR": str(tmp_path)}
    if "postgres" in settings.DATABASES["default"]["ENGINE"]:
        from django.db import connection

        d = connection.settings_dict
        env["DATABASE_URL"] = (f"postgres://{quote(d['USER'] or '')}:{quote(d['PASSWORD'] or '')}@"
                               f"{d['HOST'] or '127.0.0.1'}:{d['PORT'] or 5432}/{quote(d['NAME'])}")
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'kill.sqlite3'}"
        subprocess.run([sys.executable, "-m", "sijcoach.web", "migrate", "--noinput", "-v", "0"], env=env, check=True)
    return env


@pytest.fixture
def server(server_env, tmp_path):
    s = Server(server_env, tmp_path / "gunicorn.log")
    s.start()
    yield s
    s.stop()


def sign_up(port: int, n: int) -> dict:
    """A new person, signed up through the page: the headers their browser sends to the API."""
    form = {"email": f"saver{n}@example.org", "password": PASSWORD, "understood": "on", "csrfmiddlewaretoken": CSRF}
    status, headers, body = request(port, "POST", "/signup/", urlencode(form).encode(), {
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={CSRF}"})
    assert status == 302, body[:500]
    cookies = dict(re.findall(r"(sessionid|csrftoken)=([^;]+)", headers.get("set-cookie", "")))
    csrf = cookies.get("csrftoken", CSRF)  # signing in may rotate it
    return {"Cookie": f"sessionid={cookies['sessionid']}; csrftoken={csrf}", "X-CSRFToken": csrf}


def in_parallel(work, count: int) -> list:
    out = [None] * count

    def one(i):
        out[i] = work(i)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


class Savers:
    """Each person saves sessions one after another until the server goes away."""

    def __init__(self, port: int, people: list[dict]):
        self.port, self.people = port, people
        self.acked: list[set[int]] = [set() for _ in people]
        self.interrupted = 0  # saves in flight when the server died (acknowledged or not, unknown)
        self.refused: list[str] = []  # answers that were neither a 201 nor a dropped connection
        self.lock = threading.Lock()
        self.count = 0

    def save(self, i: int) -> None:
        while True:
            try:
                status, _, body = request(self.port, "POST", "/api/v1/me/sessions", BODY, {
                    **self.people[i], "Content-Type": "application/json"})
            except ConnectionRefusedError:
                return  # the server is gone: the next request after the kill
            except (OSError, http.client.HTTPException):  # cut off in the middle
                with self.lock:
                    self.interrupted += 1
                return
            if status != 201:
                with self.lock:
                    self.refused.append(f"{status} {body[:200]!r}")
                return
            with self.lock:
                self.acked[i].add(json.loads(body)["id"])
                self.count += 1

    def run_until_killed(self, server: Server, acks: int) -> None:
        threads = [threading.Thread(target=self.save, args=(i,)) for i in range(len(self.people))]
        start = self.count
        for t in threads:
            t.start()
        deadline = time.monotonic() + 20
        while self.count - start < acks and time.monotonic() < deadline:
            time.sleep(0.01)
        server.kill()
        for t in threads:
            t.join()


def sessions_of(port: int, person: dict) -> list[dict]:
    status, _, body = request(port, "GET", "/api/v1/me/sessions?limit=200", headers=person)
    assert status == 200, body[:500]
    return json.loads(body)["sessions"]


def test_every_acknowledged_session_survives_kill_9_whole(server):
    people = in_parallel(lambda n: sign_up(server.port, n), SAVERS)
    savers = Savers(server.port, people)
    for _ in range(KILLS):
        savers.port = server.port
        savers.run_until_killed(server, ACKS_BEFORE_KILL)
        server.start()

    assert not savers.refused
    assert savers.interrupted > 0, "the kill came between requests: nothing was in flight"
    acked = sum(len(a) for a in savers.acked)
    assert acked >= KILLS * ACKS_BEFORE_KILL
    found = in_parallel(lambda i: sessions_of(server.port, people[i]), SAVERS)
    for i, sessions in enumerate(found):
        ids = {s["id"] for s in sessions}
        assert savers.acked[i] <= ids, f"saver {i} lost acknowledged sessions {sorted(savers.acked[i] - ids)}"
        for s in sessions:  # acknowledged or caught by the kill: whole, never part of one
            got = [(it["exercise"], it["done"]["reps"], it["effort"]) for it in s["items"]]
            assert got == [(it["exercise"], it["reps_done"], it["effort"]) for it in ITEMS], s
    # And the server saves again after the restart.
    status, _, _ = request(server.port, "POST", "/api/v1/me/sessions", BODY, {
        **people[0], "Content-Type": "application/json"})
    assert status == 201
