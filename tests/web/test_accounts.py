"""Accounts: sign up, sign in and out, the sign-in limit, password, API tokens, export and deletion."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from conftest import PASSWORD, check_in, session_payload
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from sijcoach.web.accounts.models import ApiToken, SignInCounter, SignInSession
from sijcoach.web.plans import services
from sijcoach.web.plans.models import (
    CheckIn, PlannedDay, Preferences, PsfsActivity, PsfsRating, RedFlagReport, Session, SessionItem,
)

User = get_user_model()
NEW_PASSWORD = "a new and longer secret phrase"


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def sign_up(client, **fields):
    data = {"email": "dana@example.org", "password": PASSWORD, "understood": "on", **fields}
    return client.post(reverse("signup"), {k: v for k, v in data.items() if v is not None})


def sign_in(client, email="alice@example.org", password=PASSWORD, **extra):
    return client.post(reverse("signin"), {"email": email, "password": password, **extra})


# Sign up

def test_it_signs_up_with_a_normalised_email_and_starts_the_check_in(client, db):
    r = sign_up(client, email="  Dana@Example.ORG ")
    assert r.status_code == 302 and r["Location"] == reverse("checkin_start")
    user = User.objects.get()
    assert user.username == user.email == "dana@example.org"
    assert user.check_password(PASSWORD)
    assert signed_in(client)


@pytest.mark.parametrize("password, message", [
    ("short1!", "too short"),
    ("8273649182736", "entirely numeric"),
    ("password1234", "too common"),
    ("dana@example.org", "too similar"),
])
def test_it_refuses_a_weak_password_and_says_why(client, db, password, message):
    r = sign_up(client, password=password)
    assert r.status_code == 400
    assert message in r.content.decode()
    assert not User.objects.exists()


def test_it_refuses_sign_up_without_the_not_a_diagnosis_box(client, db):
    r = sign_up(client, understood=None)
    assert r.status_code == 400
    assert "This field is required." in r.content.decode()
    assert not User.objects.exists()


def test_it_refuses_an_email_that_already_has_an_account_whatever_its_case(client, alice):
    r = sign_up(client, email="ALICE@example.org")
    assert r.status_code == 400
    assert "An account with this email already exists" in r.content.decode()
    assert User.objects.count() == 1


def test_the_sign_up_form_shows_the_not_a_diagnosis_statement(client, db):
    assert "is not a diagnosis" in client.get(reverse("signup")).content.decode()


# Sign in and out

def test_it_signs_alice_in_with_any_case_of_her_email(client, alice):
    r = sign_in(client, email=" ALICE@Example.org ")
    assert r.status_code == 302 and r["Location"] == reverse("today")
    assert signed_in(client)


def test_it_refuses_a_wrong_password_with_a_message(client, alice):
    r = sign_in(client, password="not my password at all")
    assert r.status_code == 400
    assert "do not match an account" in r.content.decode()
    assert not signed_in(client)


def test_it_refuses_sign_in_with_empty_fields(client, alice):
    r = client.post(reverse("signin"), {"email": "", "password": ""})
    assert r.status_code == 400 and not signed_in(client)


def test_sign_out_is_a_post_and_a_get_only_shows_its_button(alice_client):
    assert alice_client.get(reverse("signout")).status_code == 200
    assert signed_in(alice_client)
    r = alice_client.post(reverse("signout"))
    assert r.status_code == 302 and r["Location"] == reverse("home")
    assert not signed_in(alice_client)
    assert alice_client.get(reverse("today")).status_code == 302


def test_a_private_page_sends_an_anonymous_visitor_to_sign_in_and_back(client, alice):
    r = client.get(reverse("progress"))
    assert r.status_code == 302 and r["Location"] == reverse("signin") + "?next=/progress/"
    page = client.get(r["Location"]).content.decode()
    assert 'name="next" value="/progress/"' in page
    r = sign_in(client, next="/progress/")
    assert r.status_code == 302 and r["Location"] == "/progress/"


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/today/", "http://testserver.evil.example/", "javascript:alert(1)",
    "https:///evil.example", "/\\evil.example",
])
def test_it_never_redirects_to_another_site_after_sign_in(client, alice, target):
    r = sign_in(client, next=target)
    assert r.status_code == 302 and r["Location"] == reverse("today")


@pytest.mark.parametrize("target", ["session", "signout", "exercise"])
def test_a_next_that_looks_like_a_page_name_does_not_break_sign_in(client, alice, target):
    # redirect() would read these as URL names (and fail on ones that need arguments).
    r = sign_in(client, next=target)
    assert r.status_code == 302
    assert signed_in(client)


def test_a_next_given_in_the_query_string_is_followed(client, alice):
    r = client.post(reverse("signin") + "?next=/history/", {"email": "alice@example.org", "password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == "/history/"


def test_the_home_page_says_it_is_not_a_diagnosis(client, db):
    page = client.get(reverse("home")).content.decode()
    assert "not a diagnosis" in page
    assert "does <strong>not replace a doctor or physiotherapist" in page


def test_the_home_page_sends_a_signed_in_person_to_today(alice_client):
    r = alice_client.get(reverse("home"))
    assert r.status_code == 302 and r["Location"] == reverse("today")


# The sign-in limit

def test_after_too_many_failures_from_one_address_even_the_right_password_waits_there(client, alice):
    limit = settings.SIGNIN_FREE_TRIES
    for _ in range(limit):
        assert sign_in(client, password="wrong guess number").status_code == 400
    assert SignInCounter.objects.get(kind="account", key="alice@example.org").failures == limit
    r = sign_in(client)
    assert r.status_code == 429 and r["Retry-After"] == str(settings.SIGNIN_FIRST_WAIT_S)
    assert "Too many wrong passwords: try again in 1 minute." in r.content.decode()
    assert not signed_in(client)


def test_the_limit_counts_failures_whatever_the_case_of_the_email(client, alice):
    for i in range(settings.SIGNIN_FREE_TRIES):
        sign_in(client, email="Alice@Example.org" if i % 2 else "ALICE@EXAMPLE.ORG", password="wrong guess")
    assert "Too many wrong passwords" in sign_in(client).content.decode()


def test_the_limit_on_alice_does_not_lock_bob_out(client, alice, bob):
    for _ in range(settings.SIGNIN_FREE_TRIES):
        sign_in(client, password="wrong guess number")
    r = sign_in(client, email="bob@example.org")
    assert r.status_code == 302


def test_old_failures_no_longer_count(client, alice):
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=settings.SIGNIN_FORGET_S + 60)
    for kind, key in (("account", "alice@example.org"), ("address", "127.0.0.1")):
        SignInCounter.objects.create(kind=kind, key=key, failures=50, last_at=long_ago,
                                     wait_until=long_ago + dt.timedelta(days=2))
    assert sign_in(client).status_code == 302


def test_a_successful_sign_in_clears_the_failure_count(client, alice):
    for _ in range(settings.SIGNIN_FREE_TRIES - 1):
        sign_in(client, password="wrong guess number")
    assert sign_in(client).status_code == 302
    assert not SignInCounter.objects.filter(kind="account", key="alice@example.org").exists()
    client.post(reverse("signout"))
    # The count starts again: one more failure does not make the next try wait.
    sign_in(client, password="wrong guess number")
    assert sign_in(client).status_code == 302


# Password

def test_alice_changes_her_password_and_stays_signed_in(alice_client, alice):
    r = alice_client.post(reverse("account"), {
        "action": "password", "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })
    assert r.status_code == 302 and r["Location"] == reverse("account")
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    page = alice_client.get(reverse("account"))
    assert page.status_code == 200 and "Your password is changed." in page.content.decode()
    assert sign_in(Client(), password=NEW_PASSWORD).status_code == 302


def test_a_wrong_old_password_changes_nothing(alice_client, alice):
    r = alice_client.post(reverse("account"), {
        "action": "password", "old_password": "not the old one", "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
    })
    assert r.status_code == 400
    assert "Your old password was entered incorrectly" in r.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_a_weak_new_password_is_refused(alice_client, alice):
    r = alice_client.post(reverse("account"), {
        "action": "password", "old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345",
    })
    assert r.status_code == 400 and "too short" in r.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_argon2_is_the_real_password_hasher():
    from sijcoach.web import settings as real

    # The tests put a fast MD5 hasher first (SIJCOACH_FAST_HASHER); without it Argon2 leads.
    real_hashers = [h for h in real.PASSWORD_HASHERS if not h.endswith("MD5PasswordHasher")]
    assert real_hashers[0] == "sijcoach.web.accounts.hashers.Argon2idHasher"


def test_the_argon2_library_is_installed():
    from django.contrib.auth.hashers import Argon2PasswordHasher

    hasher = Argon2PasswordHasher()
    encoded = hasher.encode("a password", hasher.salt())
    assert encoded.startswith("argon2$") and hasher.verify("a password", encoded)


# API tokens

def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(alice_client, alice):
    r = alice_client.post(reverse("account"), {"action": "token", "name": "my phone"})
    assert r.status_code == 200
    key = r.context["new_key"]
    assert key.startswith("sij_") and key in r.content.decode()
    token = ApiToken.objects.get(user=alice)
    assert token.name == "my phone"
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {token.name, token.digest, token.hint} and token.hint == key[:10]
    assert ApiToken.user_for(key) == alice
    again = alice_client.get(reverse("account")).content.decode()
    assert key not in again and "my phone" in again and token.hint in again


def test_a_token_needs_a_name(alice_client, alice):
    r = alice_client.post(reverse("account"), {"action": "token", "name": ""})
    assert r.status_code == 400 and not ApiToken.objects.exists()


def test_alice_revokes_her_token(alice_client, alice):
    token, key = ApiToken.issue(alice, "laptop")
    r = alice_client.post(reverse("revoke_token", args=[token.pk]))
    assert r.status_code == 302 and r["Location"] == reverse("account")
    token.refresh_from_db()
    assert token.revoked_at is not None and ApiToken.user_for(key) is None
    assert "no longer works" in alice_client.get(reverse("account")).content.decode()


def test_alice_cannot_revoke_bobs_token(alice_client, bob):
    token, key = ApiToken.issue(bob, "bob's script")
    r = alice_client.post(reverse("revoke_token", args=[token.pk]))
    assert r.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None and ApiToken.user_for(key) == bob


def test_revoking_is_post_only(alice_client, alice):
    token, _ = ApiToken.issue(alice, "laptop")
    assert alice_client.get(reverse("revoke_token", args=[token.pk])).status_code == 405
    token.refresh_from_db()
    assert token.active


# Export

@pytest.fixture
def bob_with_data(bob):
    PsfsActivity.objects.filter(user=bob).update(name="bob-only: carrying firewood")
    services.save_session(bob, services.parse_session({**session_payload(), "routine_kind": "strength",
                                                       "routine_title": "bob-only session"}),
                          services.today_for(bob))
    ApiToken.issue(bob, "bob-only token")
    return bob


def test_the_export_holds_alices_check_ins_sessions_and_ratings_and_nothing_of_bobs(alice_client, alice,
                                                                                      bob_with_data):
    on = services.today_for(alice)
    services.save_session(alice, services.parse_session(session_payload()), on)
    check_in(alice, pain_now=5)
    r = alice_client.get(reverse("export"))
    assert r.status_code == 200 and r["Content-Type"] == "application/json"
    assert r["Content-Disposition"].startswith("attachment")
    data = json.loads(r.content)
    assert data["account"]["email"] == "alice@example.org"
    assert [c["profile"]["pain_now"] for c in data["checkins"]] == [3, 5]
    [session] = data["sessions"]
    assert session["pain_before"] == 3 and session["date"] == on.isoformat()
    [item] = session["items"]
    assert item["exercise"] == "bird-dog"
    assert item["planned"] == {"sets": 2, "reps": 8, "hold_s": 5}
    assert item["done"] == {"sets": 2, "reps": 8, "hold_s": 5}
    assert [a["activity"] for a in data["psfs"]] == ["putting on socks", "sitting an hour", "walking 30 min"]
    assert data["psfs"][0]["ratings"] == [{"date": on.isoformat(), "score": 4}]
    text = r.content.decode()
    assert "bob" not in text.lower()


def test_the_export_needs_sign_in(client, alice):
    assert client.get(reverse("export")).status_code == 302


# Deleting the account

def _rows_of(user) -> dict[str, int]:
    """How many rows of each accounts and plans model belong to `user`."""
    owned = {
        ApiToken: {"user": user}, SignInCounter: {"kind": "account", "key": user.username},
        SignInSession: {"user": user},
        CheckIn: {"user": user}, RedFlagReport: {"user": user}, Preferences: {"user": user},
        Session: {"user": user}, SessionItem: {"session__user": user}, PlannedDay: {"user": user},
        PsfsActivity: {"user": user}, PsfsRating: {"activity__user": user},
    }
    models = [*apps.get_app_config("accounts").get_models(), *apps.get_app_config("plans").get_models()]
    missing = [m.__name__ for m in models if m not in owned]
    assert not missing, f"say how these models belong to a person: {missing}"
    return {m.__name__: m.objects.filter(**owned[m]).count() for m in models}


def _give_everything(user, client):
    """A row in every model for `user`."""
    on = services.today_for(user)
    services.save_session(user, services.parse_session(session_payload()), on)
    services.set_preferences(user, time_zone="Europe/London")
    services.report_red_flags(user, ["fever_or_unwell"], "urgent")
    check_in(user)  # answers the red flag, so Today shows a plan again
    ApiToken.issue(user, "phone")
    sign_in(Client(), email=user.email, password="a wrong password")
    client.force_login(user)
    assert client.get(reverse("today")).status_code == 200  # keeps the planned days


def test_deleting_needs_the_password(alice_client, alice):
    r = alice_client.post(reverse("delete_account"), {"password": "not my password"})
    assert r.status_code == 400
    assert "nothing was deleted" in r.content.decode()
    assert User.objects.filter(pk=alice.pk).exists() and CheckIn.objects.filter(user=alice).exists()


def test_deleting_alice_removes_everything_of_hers_and_nothing_of_bobs(alice_client, alice, bob):
    _give_everything(bob, Client())
    _give_everything(alice, alice_client)
    bob_rows = _rows_of(bob)
    alice_rows = _rows_of(alice)
    assert all(alice_rows.values()), alice_rows  # so the test can fail
    assert all(bob_rows.values()), bob_rows
    r = alice_client.post(reverse("delete_account"), {"password": PASSWORD})
    assert r.status_code == 302 and r["Location"] == reverse("home")
    assert not User.objects.filter(username="alice@example.org").exists()
    assert set(_rows_of(alice).values()) == {0}
    assert _rows_of(bob) == bob_rows
    assert not signed_in(alice_client)
    assert "everything in it are deleted" in alice_client.get(reverse("home")).content.decode()


def test_a_deleted_person_can_sign_up_again(client, alice_client, alice):
    alice_client.post(reverse("delete_account"), {"password": PASSWORD})
    r = sign_up(client, email="alice@example.org")
    assert r.status_code == 302


def test_charlie_without_a_check_in_can_delete_his_account(client, charlie):
    client.force_login(charlie)
    assert client.get(reverse("delete_account")).status_code == 200
    assert client.post(reverse("delete_account"), {"password": PASSWORD}).status_code == 302
    assert not User.objects.filter(username="charlie@example.org").exists()

