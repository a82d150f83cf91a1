"""The security review's findings (issue 13, section 4), each with the test that shows it fixed: the
handout's cost, the anonymous plan's size, sign-in limits nobody can use to lock anybody out, nothing
personal cached, API tokens that expire, a database outage, and two sign-ups at one moment.

Races run against gunicorn in processes of its own (live_app.py), on a database of the kind this run
uses (SQLite file or PostgreSQL), with several workers and threads: as in a deployment, not in one thread.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import sqlite3
import threading
from io import StringIO
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
import test_security as pages
import time_machine
from conftest import BASE_PROFILE, PASSWORD, check_in
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from live_app import Visitor, app_env, migrate, own_database, serving

from sijcoach.web.accounts import throttle
from sijcoach.web.accounts.models import ApiToken, SignInCounter
from sijcoach.web.api.schemas import MAX_PLAN_BODY, MAX_PLAN_LOGS

User = get_user_model()
NEW_PASSWORD = "a new and longer secret phrase"


def sign_in(client, email="alice@example.org", password=PASSWORD, address="127.0.0.1"):
    return client.post(reverse("signin"), {"email": email, "password": password}, REMOTE_ADDR=address)


# The live app ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """gunicorn with 2 workers of 4 threads on a database of its own (so one handout slot: 2 - 1). The
    tests are its proxy: they say which address a request comes from in X-Forwarded-For."""
    data = tmp_path_factory.mktemp("live")
    with own_database(data, django_settings.DATABASES["default"]) as url:
        env = app_env(url, data, SIJCOACH_TRUSTED_PROXIES="127.0.0.1")
        migrate(env)
        with serving(env, workers=2, threads=4) as base:
            yield base, data, url


def signed_up(base: str, email: str, address: str = "203.0.113.1") -> Visitor:
    visitor = Visitor(base)
    r = visitor.post_form("/signup/", {"email": email, "password": PASSWORD, "understood": "on"})
    assert r.status_code == 302, r.text[:500]
    return visitor


def checked_in(visitor: Visitor) -> Visitor:
    r = visitor.put(visitor.base + "/api/v1/me/profile", json=BASE_PROFILE, timeout=60,
                    headers={"X-CSRFToken": visitor.cookies["csrftoken"], "Referer": visitor.base + "/"})
    assert r.status_code == 201, r.text
    return visitor


def at_once(calls, workers: int | None = None) -> list:
    """Every call started together (a barrier), from real threads; their results in order."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=workers or len(calls)) as pool:
        return list(pool.map(run, calls))


# 1. The handout: made once per plan and paper, never too many at once ------------------------------

@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


def kept_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "handouts").glob("*/*.pdf"))


@contextmanager
def held(path: Path):
    """A lock file held as another worker process making a handout would hold it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        os.close(fd)


def test_the_handout_is_made_once_and_then_served_from_its_file(alice_client, alice, data_dir):
    first = alice_client.get(reverse("handout"), {"paper": "a4"})
    assert first.status_code == 200 and first.content.startswith(b"%PDF")
    [kept] = kept_files(data_dir)
    assert kept.read_bytes() == first.content
    assert kept.parent.name == str(alice.pk)
    assert kept.stat().st_mode & 0o777 == 0o600 and kept.parent.stat().st_mode & 0o777 == 0o700
    kept.write_bytes(b"%PDF-the kept file")  # so a second making would show
    again = alice_client.get(reverse("handout"), {"paper": "a4"})
    assert again.status_code == 200 and again.content == b"%PDF-the kept file"
    assert kept_files(data_dir) == [kept]


def test_another_paper_or_a_new_plan_is_another_file_and_nothing_is_cleared(alice_client, alice, data_dir):
    assert alice_client.get(reverse("handout"), {"paper": "a4"}).status_code == 200
    assert alice_client.get(reverse("handout"), {"paper": "letter"}).status_code == 200
    assert len(kept_files(data_dir)) == 2
    check_in(alice, pain_now=7)
    assert alice_client.get(reverse("handout"), {"paper": "a4"}).status_code == 200
    assert len(kept_files(data_dir)) == 3


def test_while_alices_handout_is_being_made_she_is_told_to_come_back(alice_client, alice, data_dir):
    with held(data_dir / "handouts" / str(alice.pk) / "making.lock"):
        page = alice_client.get(reverse("handout"))
        api = alice_client.get("/api/v1/me/handout")
    assert page.status_code == 429 and page["Retry-After"] == "5"
    assert "Your handout is being made" in page.content.decode()
    assert api.status_code == 429 and api["Retry-After"] == "5"
    assert api.json() == {"detail": "Your handout is being made: it will be ready in a few seconds."}
    assert kept_files(data_dir) == []
    assert alice_client.get(reverse("handout")).status_code == 200  # the lock is free again


def test_when_every_slot_is_taken_bob_waits_but_a_kept_handout_is_still_served(
        settings, alice_client, alice, bob, data_dir):
    settings.HANDOUT_RENDERS = 2
    assert alice_client.get(reverse("handout")).status_code == 200
    bobs = Client()
    bobs.force_login(bob)
    with held(data_dir / "handouts" / "slot-0.lock"), held(data_dir / "handouts" / "slot-1.lock"):
        r = bobs.get(reverse("handout"))
        assert r.status_code == 429 and r["Retry-After"] == "5"
        assert "Many handouts are being made just now" in r.content.decode()
        assert alice_client.get(reverse("handout")).status_code == 200
    with held(data_dir / "handouts" / "slot-0.lock"):  # one slot free is enough
        assert bobs.get(reverse("handout")).status_code == 200


def test_the_handout_slots_leave_one_gunicorn_worker_for_the_pages():
    from sijcoach.web import gunicorn_conf

    assert django_settings.HANDOUT_RENDERS == max(1, gunicorn_conf.workers - 1)


def test_each_gunicorn_worker_loads_every_view_and_freezes_it_for_the_garbage_collector():
    import gc
    import sys

    from sijcoach.web import gunicorn_conf

    try:
        gunicorn_conf.post_worker_init(None)
        assert django_settings.ROOT_URLCONF in sys.modules and "sijcoach.web.coaching.views" in sys.modules
        assert gc.get_freeze_count() > 10_000  # the loaded app: out of every full collection's way
    finally:
        gc.unfreeze()


def test_deleting_the_account_deletes_the_kept_handouts(alice_client, alice, data_dir,
                                                        django_capture_on_commit_callbacks):
    alice_client.get(reverse("handout"))
    assert kept_files(data_dir)
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("delete_account"), {"password": PASSWORD})
    assert not (data_dir / "handouts" / str(alice.pk)).exists()


def test_the_daily_job_deletes_handouts_older_than_two_days(alice_client, alice, data_dir):
    from django.core.management import call_command

    alice_client.get(reverse("handout"), {"paper": "a4"})
    alice_client.get(reverse("handout"), {"paper": "letter"})
    old, fresh = kept_files(data_dir)
    three_days_ago = timezone.now().timestamp() - 3 * 24 * 3600
    os.utime(old, (three_days_ago, three_days_ago))
    out = StringIO()
    call_command("clear_handouts", stdout=out)
    assert out.getvalue().strip() == "1 old handout deleted."
    assert kept_files(data_dir) == [fresh]


def test_parallel_handouts_on_the_live_app_are_made_once_each_and_never_more_than_the_slots(live):
    base, data, _ = live
    dana = checked_in(signed_up(base, "dana@example.org"))
    others = [checked_in(signed_up(base, f"handout-{n}@example.org")) for n in range(2)]
    url = "/share/handout.pdf"
    # Each request on a new connection: a kept-alive one left idle while a handout is made is closed by
    # the server after its keep-alive time, and a request sent just as it closes is reset (a browser
    # would send it again; requests does not), which is not what this test is about.
    fresh = {"Connection": "close"}
    # Dana three times at once: one makes it, the others are told to come back or get the kept file.
    danas = at_once([lambda: dana.get(base + url, headers=fresh, timeout=120) for _ in range(3)])
    assert {r.status_code for r in danas} <= {200, 429} and 200 in {r.status_code for r in danas}
    assert len({r.content for r in danas if r.status_code == 200}) == 1
    assert all(r.headers["Retry-After"] == "5" for r in danas if r.status_code == 429)
    # Three people at once with one slot (2 workers - 1): one is made, the others wait their turn.
    before = set((data / "handouts").glob("*/*.pdf"))
    three = at_once([lambda v=v: v.get(base + url, {"paper": "letter"}, headers=fresh, timeout=120)
                     for v in (dana, *others)])
    assert {r.status_code for r in three} <= {200, 429}, [r.status_code for r in three]
    assert [r.status_code for r in three].count(200) >= 1 and [r.status_code for r in three].count(429) >= 1
    made = set((data / "handouts").glob("*/*.pdf")) - before
    assert len(made) == [r.status_code for r in three].count(200)


# 1b. The anonymous plan: a limited body and number of logs ----------------------------------------

def minimal_log(n: int) -> dict:
    return {"date": (dt.date(2026, 1, 1) + dt.timedelta(days=n)).isoformat(), "pain_before": 2, "items": []}


def post_plan(client, body: str):
    return client.post("/api/v1/plan", body, content_type="application/json")


def test_a_plan_body_over_the_limit_is_refused_naming_the_limit(client, db):
    body = json.dumps({"profile": BASE_PROFILE, "start": "2026-11-23"})
    r = post_plan(client, body + " " * (MAX_PLAN_BODY + 1 - len(body)))
    assert r.status_code == 413
    assert r.json()["detail"] == [{"field": "(document)", "value": f"{MAX_PLAN_BODY + 1} bytes",
                                   "allowed": f"at most {MAX_PLAN_BODY} bytes",
                                   "message": f"the request is too large: a plan request holds at most {MAX_PLAN_LOGS} logs"}]
    assert post_plan(client, body).status_code == 200


def test_a_declared_length_over_the_limit_is_refused_before_the_body_is_read(client, db):
    r = client.generic("POST", "/api/v1/plan", b"{}", content_type="application/json",
                       CONTENT_LENGTH=str(50 * MAX_PLAN_BODY))
    assert r.status_code == 413 and r.json()["detail"][0]["value"] == f"{50 * MAX_PLAN_BODY} bytes"


@pytest.mark.parametrize("body", ["[" * 5000 + "]" * 5000, '{"profile": ' + '{"a": ' * 5000 + "1" + "}" * 5001])
def test_json_nested_too_deep_is_refused_with_a_problem_not_a_server_error(client, db, body):
    # Found by a new user: 1,000 levels of nesting passed the size limit and broke the logs count.
    assert len(body) < MAX_PLAN_BODY
    r = post_plan(client, body)
    assert r.status_code == 422 and r["Content-Type"].startswith("application/json")
    assert r.json()["detail"][0]["field"]


def test_too_many_logs_are_refused_naming_the_field_and_the_limit(client, db):
    logs = [minimal_log(n) for n in range(MAX_PLAN_LOGS + 1)]
    body = json.dumps({"profile": BASE_PROFILE, "logs": logs, "start": "2029-01-01"})
    assert len(body) < MAX_PLAN_BODY
    r = post_plan(client, body)
    assert r.status_code == 422
    assert r.json()["detail"] == [{"field": "logs", "value": f"{MAX_PLAN_LOGS + 1} sessions",
                                   "allowed": f"at most {MAX_PLAN_LOGS} sessions",
                                   "message": "too many logs for one plan: send the most recent ones"}]
    r = post_plan(client, json.dumps({"profile": BASE_PROFILE, "logs": logs[1:], "start": "2029-01-01"}))
    assert r.status_code == 200


@pytest.mark.parametrize("method, path", [("post", "/api/v1/me/sessions"), ("put", "/api/v1/me/profile"),
                                          ("post", "/api/v1/me/messages")])
def test_a_signed_in_body_over_django_s_limit_answers_413_json(client, alice, method, path, settings):
    # A developer's find: about 2.7 MB gave Django's HTML 400 (RequestDataTooBig), not in the API document.
    client.force_login(alice)
    size = settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1
    r = client.generic(method.upper(), path, b"x" * size, content_type="application/json")
    assert r.status_code == 413 and r["Content-Type"].startswith("application/json")
    assert r.json()["detail"] == [{"field": "(document)", "value": f"{size} bytes",
                                   "allowed": f"at most {settings.DATA_UPLOAD_MAX_MEMORY_SIZE} bytes",
                                   "message": "the request is too large"}]
    doc = client.get("/api/openapi.json").json()
    assert "413" in doc["paths"][path][method]["responses"]


def test_a_long_refused_value_is_shown_back_shortened(client, alice):
    # A 2,000,000-character title came back whole in the 422 (and an 800 kB kind on /api/v1/plan).
    client.force_login(alice)
    r = client.post("/api/v1/me/sessions", json.dumps({"routine_title": "t" * 2_000_000}),
                    content_type="application/json")
    assert r.status_code == 422 and len(r.content) < 2_000
    found = next(p for p in r.json()["detail"] if p["field"] == "routine_title")
    assert found["value"] == "t" * 200 + "... (2000000 characters)"


def test_a_programme_start_after_the_start_is_refused_naming_it(client, db):
    # A developer's find: it was ignored, and the plan said the programme began on its start.
    body = {"profile": BASE_PROFILE, "start": "2026-12-06", "programme_start": "2027-01-01"}
    r = post_plan(client, json.dumps(body))
    assert r.status_code == 422
    [found] = r.json()["detail"]
    assert (found["field"], found["value"], found["allowed"]) == ("programme_start", "2027-01-01", "a date no later than start")
    assert post_plan(client, json.dumps({**body, "programme_start": "2026-11-30"})).json()["programme"]["start"] == "2026-11-30"


def test_the_limits_are_in_the_api_document(client, db):
    doc = client.get("/api/openapi.json").json()
    plan = doc["paths"]["/api/v1/plan"]["post"]
    assert "413" in plan["responses"] and f"At most {MAX_PLAN_LOGS} logs" in plan["description"]


# 2. Sign-in limits ----------------------------------------------------------------------------------

def address(remote: str, forwarded: str | None = None) -> str:
    meta = {"REMOTE_ADDR": remote, **({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})}
    return throttle.address_of(RequestFactory().get("/", **meta))


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert address("198.51.100.7", "203.0.113.9") == "198.51.100.7"


def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client(settings):
    settings.TRUSTED_PROXIES = throttle_networks("10.0.0.1, 192.168.0.0/16")
    assert address("10.0.0.1", "203.0.113.9") == "203.0.113.9"
    # What the client wrote itself is on the left; each proxy appends the address it saw.
    assert address("10.0.0.1", "6.6.6.6, 203.0.113.9, 192.168.4.4") == "203.0.113.9"
    assert address("10.0.0.1", "192.168.4.4") == "10.0.0.1"  # only proxies: the nearest one
    assert address("10.0.0.2", "203.0.113.9") == "10.0.0.2"  # not from a proxy: the header is anyone's


def throttle_networks(text: str) -> list:
    import ipaddress

    return [ipaddress.ip_network(a.strip(), strict=False) for a in text.split(",")]


def test_the_trusted_proxies_setting_refuses_a_bad_address_with_a_message(monkeypatch):
    from sijcoach.web import settings as real

    monkeypatch.setenv("SIJCOACH_TRUSTED_PROXIES", "10.0.0.1,not-an-address")
    with pytest.raises(SystemExit, match="SIJCOACH_TRUSTED_PROXIES lists the reverse proxies"):
        real.env_networks("SIJCOACH_TRUSTED_PROXIES")


def test_behind_the_proxy_one_visitors_guesses_do_not_hold_up_another(settings, client, alice, bob):
    settings.TRUSTED_PROXIES = throttle_networks("10.0.0.1")
    for n in range(settings.SIGNIN_FREE_TRIES * throttle.ADDRESS_FACTOR):
        client.post(reverse("signin"), {"email": f"victim{n}@example.org", "password": "guess"},
                    REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.66")
    refused = client.post(reverse("signin"), {"email": "bob@example.org", "password": PASSWORD},
                          REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.66")
    assert refused.status_code == 429  # the guessing address waits, even for a right password
    r = Client().post(reverse("signin"), {"email": "bob@example.org", "password": PASSWORD},
                      REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert r.status_code == 302


def test_the_waits_grow_after_each_failure_and_end(client, alice):
    free, first = django_settings.SIGNIN_FREE_TRIES, django_settings.SIGNIN_FIRST_WAIT_S
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(free):
            assert sign_in(client, password="wrong").status_code == 400
        waits = []
        for _ in range(4):
            r = sign_in(client, password="wrong")
            assert r.status_code == 429
            waits.append(int(r["Retry-After"]))
            clock.shift(dt.timedelta(seconds=waits[-1] - 1))
            assert sign_in(client, password="wrong").status_code == 429  # not yet
            clock.shift(dt.timedelta(seconds=1))
            assert sign_in(client, password="wrong").status_code == 400  # checked, and wrong again
        assert waits == [first, 2 * first, 4 * first, 8 * first]
        clock.shift(dt.timedelta(seconds=16 * first))
        assert sign_in(client).status_code == 302  # never locked for good


def test_the_longest_wait_is_capped(client, alice):
    SignInCounter.objects.create(kind="account", key="alice@example.org", failures=60,
                                 wait_until=timezone.now() - dt.timedelta(seconds=1))
    assert sign_in(client, password="wrong").status_code == 400
    assert int(sign_in(client, password="wrong")["Retry-After"]) == django_settings.SIGNIN_LONGEST_WAIT_S


def test_the_right_password_from_an_address_that_has_not_been_failing_still_signs_in(alice):
    attacker = Client()
    for _ in range(django_settings.SIGNIN_FREE_TRIES + 1):
        sign_in(attacker, password="guess", address="198.51.100.66")
    assert sign_in(attacker, address="198.51.100.66").status_code == 429  # from there, even the right one waits
    owner = Client()
    assert sign_in(owner, address="203.0.113.7").status_code == 302


def test_while_the_account_waits_each_new_address_gets_one_guess(alice):
    for _ in range(django_settings.SIGNIN_FREE_TRIES):
        sign_in(Client(), password="guess", address="198.51.100.66")
    assert sign_in(Client(), password="guess", address="198.51.100.67").status_code == 400  # checked
    assert sign_in(Client(), address="198.51.100.67").status_code == 429  # then waits, right or wrong
    account = SignInCounter.objects.get(kind="account", key="alice@example.org")
    assert account.failures == django_settings.SIGNIN_FREE_TRIES + 1


def test_an_address_guessing_many_accounts_waits(client, alice):
    limit = django_settings.SIGNIN_FREE_TRIES * throttle.ADDRESS_FACTOR
    for n in range(limit):
        assert sign_in(client, email=f"someone{n}@example.org", password="guess").status_code == 400
    r = sign_in(client)
    assert r.status_code == 429 and int(r["Retry-After"]) == django_settings.SIGNIN_FIRST_WAIT_S
    assert sign_in(Client(), address="203.0.113.7").status_code == 302  # elsewhere, Alice signs in


def test_a_success_gives_the_address_its_try_back(client, alice, bob):
    free = django_settings.SIGNIN_FREE_TRIES * throttle.ADDRESS_FACTOR
    for n in range(free - 1):
        sign_in(client, email=f"someone{n}@example.org", password="guess")
    for _ in range(3):  # signing in to one's own account does not use up the address's tries
        assert sign_in(client, email="bob@example.org").status_code == 302
    assert SignInCounter.objects.get(kind="address", key="127.0.0.1").failures == free - 1


def test_counters_nobody_has_failed_on_for_a_day_are_deleted(client, alice):
    long_ago = timezone.now() - dt.timedelta(seconds=django_settings.SIGNIN_FORGET_S + 1)
    SignInCounter.objects.create(kind="account", key="old@example.org", failures=3, last_at=long_ago)
    SignInCounter.objects.create(kind="account", key="recent@example.org", failures=3)
    sign_in(client, password="wrong")
    assert set(SignInCounter.objects.values_list("key", flat=True)) == {"recent@example.org", "alice@example.org",
                                                                         "127.0.0.1"}


def password_change(client, old: str):
    return client.post(reverse("account"), {"action": "password", "old_password": old,
                                            "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})


def test_wrong_old_passwords_on_the_account_page_count_and_then_wait(alice_client, alice):
    for _ in range(django_settings.SIGNIN_FREE_TRIES):
        assert "Your old password was entered incorrectly" in password_change(alice_client, "guess").content.decode()
    r = password_change(alice_client, PASSWORD)
    assert r.status_code == 400 and "Too many wrong passwords: try again in 1 minute." in r.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    assert sign_in(Client()).status_code == 429  # the same count as signing in, from the same address


def test_wrong_passwords_when_deleting_the_account_count_and_then_wait(alice_client, alice):
    for _ in range(django_settings.SIGNIN_FREE_TRIES):
        r = alice_client.post(reverse("delete_account"), {"password": "guess"})
        assert "That is not your password" in r.content.decode()
    r = alice_client.post(reverse("delete_account"), {"password": PASSWORD})
    assert r.status_code == 400
    assert "Too many wrong passwords: try again in 1 minute. Nothing was deleted." in r.content.decode()
    assert User.objects.filter(pk=alice.pk).exists()


def test_forty_parallel_guesses_on_the_live_app_check_no_more_passwords_than_the_limit(live):
    base, _, _ = live
    signed_up(base, "erin@example.org")
    guesser = Visitor(base, address="198.51.100.66")
    token = guesser.form_token("/signin/")
    cookies = dict(guesser.cookies)

    def guess():
        return requests.post(base + "/signin/", data={"email": "erin@example.org", "password": "not erin's",
                                                      "csrfmiddlewaretoken": token},
                             cookies=cookies, allow_redirects=False,
                             headers={"Referer": base + "/signin/", "X-Forwarded-For": "198.51.100.66"},
                             timeout=120)

    answers = at_once([guess for _ in range(40)])
    checked = [r for r in answers if r.status_code == 400 and "do not match an account" in r.text]
    waited = [r for r in answers if r.status_code == 429 and "Too many wrong passwords" in r.text]
    assert len(checked) == django_settings.SIGNIN_FREE_TRIES  # 5 passwords checked, not 7
    assert len(waited) == 40 - len(checked)
    # From an address that has not been failing, Erin's right password still works.
    erin = Visitor(base, address="203.0.113.50")
    assert erin.post_form("/signin/", {"email": "erin@example.org", "password": PASSWORD}).status_code == 302


# 3. Nothing personal is cached ----------------------------------------------------------------------

def assert_private(response, what):
    control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= control, (what, response.get("Cache-Control"))


# A drawing, the web app manifest and the service worker hold nothing of the person's.
SAME_FOR_EVERYONE = {"picture", "learn_picture", "manifest", "service_worker"}


def test_every_signed_in_page_says_private_no_store(alice):
    token = ApiToken.issue(alice, "laptop")[0]
    client = Client()
    client.force_login(alice)
    shown = set()
    urls = {**pages.page_urls(token.pk), **{name: reverse(name) for name in ("share", "calendar_download", "fhir")}}
    visitor = Client()
    for name, url in urls.items():
        r = client.get(url)  # POST-only pages answer 405, and say private too
        if name in SAME_FOR_EVERYONE:  # public, kept by the browser: and a visitor gets the very same bytes
            assert "public" in r["Cache-Control"], name
            assert visitor.get(url).content == r.content, name
            continue
        assert_private(r, name)
        if r.status_code == 200:
            shown.add(name)
    assert {"today", "progress", "history", "account", "settings", "share", "export", "session"} <= shown
    assert_private(client.get("/no/such/page/"), "a missing page")
    new_token = client.post(reverse("account"), {"action": "token", "name": "shown once"})
    assert new_token.context["new_key"] in new_token.content.decode()
    assert_private(new_token, "the page showing a new token")


def test_every_api_me_response_says_private_no_store(alice, charlie):
    _, key = ApiToken.issue(alice, "script")
    by_token = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    by_cookie = Client()
    by_cookie.force_login(alice)
    paths = ["/api/v1/me/profile", "/api/v1/me/plan", "/api/v1/me/sessions", "/api/v1/me/sessions/999999",
             "/api/v1/me/progress", "/api/v1/me/export", "/api/v1/me/calendar", "/api/v1/me/fhir",
             "/api/v1/me/plan?days=99"]
    for client in (by_token, by_cookie):
        for path in paths:
            assert_private(client.get(path), path)
    assert_private(Client().get("/api/v1/me/profile"), "401")  # even the refusal
    charlies = Client()
    charlies.force_login(charlie)
    assert_private(charlies.get("/api/v1/me/plan"), "404")


def test_a_visitors_public_page_and_a_static_file_are_not_marked_private(alice):
    assert "no-store" not in Client().get(reverse("library")).get("Cache-Control", "")
    client = Client()
    client.force_login(alice)
    r = client.get("/static/sijcoach/site.css")
    assert r.status_code == 200 and "no-store" not in r.get("Cache-Control", "")


# 4. API tokens expire, and end with a password change ----------------------------------------------

def bearer_get(key: str, path: str = "/api/v1/me/profile"):
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}").get(path)


def test_a_token_lives_as_long_as_chosen_at_creation(alice_client, alice):
    r = alice_client.post(reverse("account"), {"action": "token", "name": "a week", "days": "7"})
    assert r.status_code == 200
    token = ApiToken.objects.get(user=alice, name="a week")
    assert token.expires_at - token.created_at == dt.timedelta(days=7)
    page = r.content.decode()
    assert 'name="days"' in page and "Works until" in page
    assert all(f'value="{d}"' in page for d in (7, 30, 90, 365))


def test_a_token_lives_ninety_days_unless_told(alice_client, alice):
    alice_client.post(reverse("account"), {"action": "token", "name": "default"})
    token = ApiToken.objects.get(user=alice)
    assert token.expires_at - token.created_at == dt.timedelta(days=90)


def test_a_lifetime_not_offered_is_refused_naming_the_field(alice_client, alice):
    r = alice_client.post(reverse("account"), {"action": "token", "name": "forever", "days": "100000"})
    assert r.status_code == 400 and "Select a valid choice" in r.content.decode()
    assert not ApiToken.objects.exists()


def test_an_expired_token_is_refused_saying_so(alice):
    _, key = ApiToken.issue(alice, "a week", days=7)
    assert bearer_get(key).status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=7, seconds=1)):
        r = bearer_get(key)
        assert r.status_code == 401
        assert r.json()["detail"].startswith("This token expired on ")
        assert "Make a new one on your account page." in r.json()["detail"]
        assert r["WWW-Authenticate"] == 'Bearer realm="SI Joint Coach API", error="invalid_token"'
        assert ApiToken.user_for(key) is None
        page = Client()
        page.force_login(alice)
        assert "expired" in page.get(reverse("account")).content.decode()


def test_a_password_change_ends_every_token(alice_client, alice):
    keys = [ApiToken.issue(alice, name)[1] for name in ("phone", "laptop")]
    _, bobs_key = ApiToken.issue(User.objects.create_user("bob2@example.org", password=PASSWORD), "bob's")
    assert password_change(alice_client, PASSWORD).status_code == 302
    for key in keys:
        r = bearer_get(key)
        assert r.status_code == 401 and "your password was changed" in r.json()["detail"]
    assert bearer_get(bobs_key).status_code == 404  # Bob's token works (he has no check-in)
    assert "Your API tokens stop working with it" in alice_client.get(reverse("account")).content.decode()
    _, fresh = ApiToken.issue(alice, "after")
    assert bearer_get(fresh).status_code == 200


def test_an_unknown_token_gets_the_plain_not_signed_in_answer(db):
    r = bearer_get("sij_" + "x" * 40)
    assert r.status_code == 401 and r.json()["detail"].startswith("Not signed in")
    assert r["WWW-Authenticate"] == 'Bearer realm="SI Joint Coach API"'


def test_a_token_is_read_with_its_person_in_one_query(alice, django_assert_num_queries):
    token, key = ApiToken.issue(alice, "script")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    with django_assert_num_queries(1):
        assert ApiToken.user_for(key).email == "alice@example.org"


def test_last_used_is_written_at_most_once_a_minute(alice, django_assert_num_queries):
    token, key = ApiToken.issue(alice, "script")
    with django_assert_num_queries(2):
        ApiToken.user_for(key)
    with django_assert_num_queries(1):
        ApiToken.user_for(key)
    token.refresh_from_db()
    assert token.last_used_at is not None


# 5. A database outage answers 503 -------------------------------------------------------------------

@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_database_outage_answers_503_with_a_page_and_the_api_with_json(tmp_path, database):
    if database == "sqlite":  # the database's folder is gone (a disk not mounted): SQLite cannot open it
        url = f"sqlite:///{tmp_path / 'gone' / 'db.sqlite3'}"
    else:  # a PostgreSQL server that is stopped: nothing answers on its port
        from live_app import free_port

        url = f"postgres://sijcoach@127.0.0.1:{free_port()}/sijcoach"
    with serving(app_env(url, tmp_path), workers=1, threads=1) as base:
        cookies = {"sessionid": "a" * 32}
        page = requests.get(base + "/today/", cookies=cookies, timeout=30, allow_redirects=False)
        api = requests.get(base + "/api/v1/me/profile", headers={"Authorization": "Bearer sij_" + "x" * 40},
                           timeout=30)
        write = requests.post(base + "/api/v1/me/sessions", json={"pain_before": 2, "items": []},
                              headers={"Authorization": "Bearer sij_" + "x" * 40}, timeout=30)
        home = requests.get(base + "/", timeout=30)
        plan = requests.post(base + "/api/v1/plan", json={"profile": BASE_PROFILE, "start": "2026-11-23"},
                             timeout=30)
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert "cannot reach its database" in page.text and "Nothing you saved before is lost" in page.text
    assert "Content-Security-Policy" in page.headers and "no-store" in page.headers["Cache-Control"]
    assert api.status_code == 503 and api.headers["Content-Type"] == "application/json"
    assert api.json()["detail"].startswith("The database is not answering")
    assert write.status_code == 503
    assert home.status_code == 200 and plan.status_code == 200  # what needs no database goes on


def test_other_server_errors_are_still_500():
    from sijcoach.web.security import server_error

    try:
        raise ValueError("a bug")
    except ValueError:
        r = server_error(RequestFactory().get("/today/"))
    assert r.status_code == 500


# 6. Two sign-ups with one email at one moment ------------------------------------------------------

@contextmanager
def uncommitted_signup(database_url: str, email: str):
    """Another request's sign-up of `email`, inserted but not yet committed, so a sign-up arriving now
    passes the form's check and meets the row only when it inserts its own: then it is committed."""
    columns = ("password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff",
               "is_active", "date_joined")
    values = ["!", False, email, "", "", email, False, True, dt.datetime.now(dt.UTC).replace(tzinfo=None)]
    if database_url.startswith("sqlite"):
        conn = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None, timeout=30)
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(f"INSERT INTO auth_user ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                     [v.isoformat(" ") if isinstance(v, dt.datetime) else v for v in values])
    else:
        import psycopg

        conn = psycopg.connect(database_url.replace("postgres://", "postgresql://"))
        conn.execute(f"INSERT INTO auth_user ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",
                     values)
    try:
        yield
    finally:
        conn.commit()
        conn.close()


def test_sign_ups_meeting_another_at_the_insert_say_the_email_has_an_account(live):
    base, _, url = live
    visitors = [Visitor(base) for _ in range(4)]
    tokens = [v.form_token("/signup/") for v in visitors]
    form = {"email": "frank@example.org", "password": PASSWORD, "understood": "on"}
    with ThreadPoolExecutor(4) as pool:
        with uncommitted_signup(url, "frank@example.org"):
            pending = [pool.submit(v.post_form, "/signup/", form, t) for v, t in zip(visitors, tokens, strict=True)]
            threading.Event().wait(3)  # they pass the form's check and wait at their insert
        answers = [p.result() for p in pending]
    assert [r.status_code for r in answers] == [400] * 4, [r.text[:300] for r in answers]
    assert all("An account with this email already exists: sign in instead." in r.text for r in answers)


def test_parallel_sign_ups_with_one_email_make_one_account_and_no_error(live):
    base, _, _ = live
    visitors = [Visitor(base) for _ in range(8)]
    tokens = [v.form_token("/signup/") for v in visitors]
    form = {"email": "gina@example.org", "password": PASSWORD, "understood": "on"}
    answers = at_once([lambda v=v, t=t: v.post_form("/signup/", form, t) for v, t in zip(visitors, tokens, strict=True)])
    codes = sorted(r.status_code for r in answers)
    assert codes == [302] + [400] * 7, codes
    assert all("already exists" in r.text for r in answers if r.status_code == 400)
