"""Sessions the stock way: an idle session ends, its expiry moves on once a day (not with a write on
every request), the account page lists where the person is signed in and signs them out everywhere,
retired keys still open sessions, the data folder is private, and reading a page never writes."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys

import pytest
import time_machine
from conftest import PASSWORD
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sijcoach.web.accounts.models import SignInSession
from sijcoach.web.plans.models import PlannedDay
from conftest import session_payload

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone.utc)


def sign_in(client, email="alice@example.org"):
    r = client.post(reverse("signin"), {"email": email, "password": PASSWORD})
    assert r.status_code == 302, r.content.decode()[:300]
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_a_session_ends_after_the_idle_days_and_a_visit_moves_the_end_on_once_a_day(client, alice):
    idle = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert idle == dt.timedelta(days=14)
    with time_machine.travel(START, tick=False) as clock:
        key = sign_in(client)
        first_end = SignInSession.objects.get(session_key=key).expire_date
        assert first_end == START + idle
        clock.shift(dt.timedelta(hours=3))  # the same day: the visit writes nothing
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("progress")).status_code == 200
        assert not [q for q in queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]
        assert SignInSession.objects.get(session_key=key).expire_date == first_end
        clock.shift(dt.timedelta(days=13))  # 13 days later, one day before the end: the visit moves it on
        assert client.get(reverse("progress")).status_code == 200
        moved = SignInSession.objects.get(session_key=key).expire_date
        assert moved == START + dt.timedelta(days=13, hours=3) + idle
        clock.shift(idle + dt.timedelta(minutes=1))  # 14 idle days and a minute: signed out
        r = client.get(reverse("progress"))
        assert r.status_code == 302 and reverse("signin") in r["Location"]


def test_the_account_page_lists_the_sessions_and_signs_out_everywhere(client, alice, django_user_model):
    from django.test import Client

    phone, laptop = Client(), client
    sign_in(phone)
    sign_in(laptop)
    page = laptop.get(reverse("account")).content.decode()
    assert page.count("This device") == 1 and page.count("Another device or browser") == 1
    # What it does not stop is said beside it (a new user expected tokens to stop too).
    assert "Signing out everywhere does not stop your" in page and 'id="tokens"' in page
    bob_browser = Client()
    bob_browser.force_login(django_user_model.objects.create_user("bob2", "bob2@example.org", PASSWORD))
    r = laptop.post(reverse("signout_everywhere"))
    assert r.status_code == 302
    for browser in (phone, laptop):
        r = browser.get(reverse("today"))
        assert r.status_code == 302 and reverse("signin") in r["Location"]
    assert not SignInSession.objects.filter(user=alice).exists()
    assert bob_browser.get(reverse("today")).status_code == 200  # nobody else is signed out


def test_a_session_signed_with_a_retired_key_opens_while_the_key_is_a_fallback(client, alice, settings):
    """Visited while the old key is a fallback, a session is signed anew (Django does that); one not
    visited before the old key is dropped ends."""
    from django.test import Client

    visited, away = client, Client()
    sign_in(visited)
    sign_in(away)
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "a new key, long enough to sign sessions with, " * 2
    settings.SECRET_KEY_FALLBACKS = [old]
    assert visited.get(reverse("today")).status_code == 200
    settings.SECRET_KEY_FALLBACKS = []
    assert visited.get(reverse("today")).status_code == 200
    r = away.get(reverse("today"))
    assert r.status_code == 302 and reverse("signin") in r["Location"]


def test_secret_key_fallbacks_come_from_the_environment(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY_FALLBACKS)"
    env = {**os.environ, "SIJCOACH_DATA_DIR": str(tmp_path / "var"), "SECRET_KEY_FALLBACKS": "old-one,older-one",
           "DJANGO_SETTINGS_MODULE": "sijcoach.web.settings"}
    env.pop("DATABASE_URL", None)
    out = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code], env=env,
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['old-one', 'older-one']"


def test_the_data_folder_the_database_and_the_key_are_private_from_the_start(tmp_path):
    """A fresh data folder: the folder, the key and the SQLite files (migrated for real) are the
    owner's only, whatever the umask."""
    data = tmp_path / "var"
    env = {**os.environ, "SIJCOACH_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "sijcoach.web.settings"}
    env.pop("DATABASE_URL", None)
    env.pop("SECRET_KEY", None)
    subprocess.run([sys.executable, "-c", "import os; os.umask(0o022); from django.core.management import "
                    "execute_from_command_line as run; run(['x', 'migrate', '-v', '0'])"],
                   env=env, check=True, capture_output=True)
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    files = [data / "secret.key", data / "sijcoach.sqlite3"]
    files += [p for p in data.iterdir() if p.name.startswith("sijcoach.sqlite3-")]
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


GET_PAGES = ["today", "progress", "library", "settings", "account", "history", "share", "my_coach", "learn"]


def test_reading_pages_writes_nothing_and_planned_days_come_from_the_writes(client, alice):
    """Planned days are kept when the check-in and each session are saved, not when a page is read."""
    sign_in(client)
    assert PlannedDay.objects.filter(user=alice).count() == 7  # from the check-in (conftest)
    client.get(reverse("today"))  # the first visit of the day notes the day in the session
    for name in GET_PAGES:
        with CaptureQueriesContext(connection) as queries:
            r = client.get(reverse(name))
        assert r.status_code == 200, name
        writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]
        assert not writes, (name, writes)
    for path in ("/api/v1/me/plan", "/api/v1/me/sessions", "/api/v1/me/progress"):
        with CaptureQueriesContext(connection) as queries:
            r = client.get(path)
        assert r.status_code == 200, path
        assert not [q for q in queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))], path
    PlannedDay.objects.filter(user=alice).delete()
    r = client.post("/api/v1/me/sessions", session_payload(), content_type="application/json")
    assert r.status_code == 201, r.content
    assert PlannedDay.objects.filter(user=alice).count() == 7


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgresql_pools_connections_and_replaces_one_the_server_dropped(client):
    """Django's pool (CONN_MAX_AGE 0) with health checks: after the server ends every connection of
    the app's, the next request still gets a working one."""
    import psycopg

    from conftest import check_in, make_user

    assert connection.pool is not None and connection.settings_dict["CONN_MAX_AGE"] == 0
    alice = make_user("alice@example.org")
    check_in(alice)
    client.force_login(alice)
    assert client.get(reverse("today")).status_code == 200
    # One of the pool's connections, held while the server ends it (a pool may close an idle one and
    # open its replacement in the background: CI once found no connection of the app's to end).
    connection.ensure_connection()
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"], autocommit=True) as admin:
        ended = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                              "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()[0]
    assert ended >= 1
    connection.close()  # the dropped connection goes back to the pool
    assert client.get(reverse("today")).status_code == 200
