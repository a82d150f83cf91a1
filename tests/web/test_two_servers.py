"""Two app servers on one PostgreSQL and one Redis (the deployment README describes): a sign-out on
one is refused on the other at once, and a session saved through one shows on the other's Today.

Real parts: Debian's redis-server and two gunicorn processes on the test database. Without
redis-server the test is skipped, except in CI (CI=true), where .ci/run installs it and it must run.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest
import requests
from conftest import PASSWORD, check_in, make_user, session_payload
from django.db import connection

from sijcoach.web.accounts.models import ApiToken

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, what: str, seconds: float = 20) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if check():
                return
        except (OSError, requests.RequestException):
            pass
        time.sleep(0.1)
    raise AssertionError(f"{what} did not start")


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is missing: .ci/run installs it (apt-get install redis-server)")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    port = free_port()
    proc = subprocess.Popen([server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                             "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    wait_for(client.ping, "redis-server")
    yield f"redis://127.0.0.1:{port}/0", client
    proc.terminate()
    proc.wait(10)


@pytest.fixture
def two_servers(redis_url, tmp_path):
    url, _ = redis_url
    db = connection.settings_dict
    env = {**os.environ, "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "SIJCOACH_CACHE_URL": url, "SECRET_KEY": "one key for both servers " * 3,
           "SIJCOACH_DATA_DIR": str(tmp_path / "var"), "SIJCOACH_FAST_HASHER": "true", "SIJCOACH_TESTING": "true",
           "ALLOWED_HOSTS": "127.0.0.1", "WEB_CONCURRENCY": "2", "DJANGO_SETTINGS_MODULE": "sijcoach.web.settings"}
    servers = []
    for _ in range(2):
        port = free_port()
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "sijcoach.web.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "-c", "python:sijcoach.web.gunicorn_conf"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda b=base: requests.get(b + "/ping/", timeout=2).ok, "gunicorn")
        servers.append((base, proc))
    yield [base for base, _ in servers]
    for _, proc in servers:
        proc.terminate()
        proc.wait(10)


def sign_in(base: str) -> requests.Session:
    web = requests.Session()
    web.get(base + "/signin/", timeout=10)
    r = web.post(base + "/signin/", data={"email": "alice@example.org", "password": PASSWORD,
                                          "csrfmiddlewaretoken": web.cookies["csrftoken"]},
                 headers={"Referer": base + "/signin/"}, allow_redirects=False, timeout=10)
    assert r.status_code == 302, r.text[:300]
    return web


def test_a_sign_out_on_one_server_is_refused_on_the_other_and_a_saved_session_shows_on_both(two_servers, redis_url):
    first, second = two_servers
    _, redis_client = redis_url
    alice = make_user("alice@example.org")
    check_in(alice)
    web = sign_in(first)
    key = web.cookies["sessionid"]
    assert any(key.encode() in k for k in redis_client.keys("*")), "the session is kept in the shared cache"

    # The same browser on the other server: signed in, and Today has nothing done yet.
    today = requests.get(second + "/today/", cookies={"sessionid": key}, allow_redirects=False, timeout=10)
    assert today.status_code == 200 and "done today" not in today.text

    # A session saved through the first server shows on the second server's Today.
    _, token = ApiToken.issue(alice, "script")
    plan = requests.get(first + "/api/v1/me/plan", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
    routine = plan["days"][0]["routines"][0]
    saved = requests.post(first + "/api/v1/me/sessions", headers={"Authorization": f"Bearer {token}"}, timeout=10,
                          json=session_payload(routine_kind=routine["kind"], routine_title=routine["title"]))
    assert saved.status_code == 201, saved.text
    today = requests.get(second + "/today/", cookies={"sessionid": key}, allow_redirects=False, timeout=10)
    assert today.status_code == 200 and "done today" in today.text

    # Signing out on the first server ends the session on the second at once.
    r = web.post(first + "/signout/", data={"csrfmiddlewaretoken": web.cookies["csrftoken"]},
                 headers={"Referer": first + "/today/"}, allow_redirects=False, timeout=10)
    assert r.status_code == 302
    again = requests.get(second + "/today/", cookies={"sessionid": key}, allow_redirects=False, timeout=10)
    assert again.status_code == 302 and "/signin/" in again.headers["Location"]
    assert not any(key.encode() in k for k in redis_client.keys("*"))
