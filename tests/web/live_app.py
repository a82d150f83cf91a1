"""The app served by gunicorn in processes of its own, on a database of its own, for tests that need
what only a real deployment has: worker processes and threads racing each other, or a database that
is not there. The settings are the production ones (Argon2, not the tests' fast hasher)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

ROOT = Path(__file__).resolve().parents[2]
READY_PATH = "/api/v1/exercises/bird-dog"  # answered without the database


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_env(database_url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("SIJCOACH_FAST_HASHER", "DJANGO_SETTINGS_MODULE")}
    return {**env, "DATABASE_URL": database_url, "SIJCOACH_DATA_DIR": str(data_dir), "SIJCOACH_TESTING": "true",
            "DJANGO_SETTINGS_MODULE": "sijcoach.web.settings", "LOG_LEVEL": "CRITICAL", **extra}


def migrate(env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], env=env, check=True, cwd=ROOT,
                   timeout=300)


@contextmanager
def serving(env: dict[str, str], workers: int = 2, threads: int = 4, port: int | None = None):
    """The app's base URL while gunicorn serves it (several processes, several threads each). The
    numbers go through the environment, as in a deployment, so the settings see them too. `port`:
    the same address again (a server stopped and started, as an outage would)."""
    port = port or free_port()
    log = Path(env["SIJCOACH_DATA_DIR"]) / "gunicorn.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:sijcoach.web.gunicorn_conf", "--bind", f"127.0.0.1:{port}",
         "--access-logfile", "/dev/null", "sijcoach.web.wsgi:application"],
        env={**env, "WEB_CONCURRENCY": str(workers), "WEB_THREADS": str(threads)}, cwd=ROOT,
        stdout=subprocess.DEVNULL, stderr=log.open("a"))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(url + READY_PATH, timeout=10).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start: {log.read_text()[-2000:]}")
            time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@contextmanager
def own_database(tmp_path: Path, database: dict):
    """A new, migrated database of the kind the tests run on: its DATABASE_URL, removed afterwards."""
    if "postgres" not in database["ENGINE"]:
        yield f"sqlite:///{tmp_path / 'app.sqlite3'}"
        return
    import psycopg

    name = f"sijcoach_live_{uuid.uuid4().hex[:10]}"
    params = {"host": database["HOST"], "port": database["PORT"], "user": database["USER"],
              "password": database["PASSWORD"], "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**params) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        auth = database["USER"] + (f":{database['PASSWORD']}" if database["PASSWORD"] else "")
        yield f"postgres://{auth}@{database['HOST']}:{database['PORT']}/{name}"
    finally:
        with psycopg.connect(**params) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Visitor(requests.Session):
    """A browser: cookies, and the CSRF token of the last form it was shown."""

    def __init__(self, base: str, address: str | None = None):
        super().__init__()
        self.base = base
        # A read that the server closed without an answer is sent once more, as a browser does: under
        # load, gunicorn's threaded workers (the live tests run 4 threads a worker) now and then close a
        # new connection before answering (benoitc/gunicorn#2676, #3380). A write is never sent twice.
        self.mount("http://", HTTPAdapter(max_retries=Retry(
            total=1, connect=1, read=1, status=0, other=0, allowed_methods=frozenset({"GET", "HEAD"}),
            raise_on_status=False)))
        if address:
            self.headers["X-Forwarded-For"] = address

    def form_token(self, path: str) -> str:
        page = self.get(self.base + path, timeout=30).text
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def post_form(self, path: str, data: dict, token: str | None = None) -> requests.Response:
        token = token or self.form_token(path)
        return self.post(self.base + path, data={**data, "csrfmiddlewaretoken": token}, allow_redirects=False,
                         headers={"Referer": self.base + path}, timeout=60)
