"""Django's database sessions in SignInSession (accounts/sessions.py): the row names its person,
Django still checks the session, and the person is read with their preferences."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

from conftest import PASSWORD
from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session as DjangoSession
from django.db import connection
from django.urls import reverse

from sijcoach.web.accounts.models import ApiToken, SignInSession
from sijcoach.web.plans import services
from sijcoach.web.plans.models import Preferences

User = get_user_model()


def sign_in(client, email="alice@example.org"):
    r = client.post(reverse("signin"), {"email": email, "password": PASSWORD})
    assert r.status_code == 302
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_signing_in_stores_the_persons_id_with_the_session_and_signing_out_removes_it(client, alice):
    key = sign_in(client)
    row = SignInSession.objects.get(session_key=key)
    assert row.user_id == alice.pk
    assert DjangoSession.objects.count() == 0, "Django's own table is no longer used"
    client.post(reverse("signout"))
    assert not SignInSession.objects.filter(session_key=key).exists()


def test_the_person_comes_from_the_signed_session_data_not_from_the_column(client, alice, bob):
    key = sign_in(client)
    SignInSession.objects.filter(session_key=key).update(user=bob)  # a column out of step
    r = client.get(reverse("today"))
    assert r.status_code == 200 and r.wsgi_request.user.pk == alice.pk


def test_a_password_changed_elsewhere_still_ends_the_session(client, alice):
    sign_in(client)
    assert client.get(reverse("today")).status_code == 200
    alice.set_password("another long password")
    alice.save()
    r = client.get(reverse("today"))
    assert r.status_code == 302 and "/signin/" in r["Location"]


def test_a_person_without_preferences_is_signed_in_with_none(client, charlie):
    Preferences.objects.filter(user=charlie).delete()
    sign_in(client, "charlie@example.org")
    r = client.get(reverse("settings"))
    assert r.status_code == 200 and r.wsgi_request.user.pk == charlie.pk
    assert services.preferences_of(r.wsgi_request.user) is None


def test_the_person_comes_with_their_preferences_in_one_statement(client, alice, django_assert_num_queries):
    """The sign-in backend reads the person and their preferences (time zone) together."""
    from sijcoach.web.accounts.backends import Backend

    services.set_preferences(alice, time_zone="Europe/London")
    with django_assert_num_queries(1):
        user = Backend().get_user(alice.pk)
        assert user.preferences.time_zone == "Europe/London"
    assert Backend().get_user(10**9) is None
    _, key = ApiToken.issue(alice, "phone")
    with django_assert_num_queries(2):  # the token with its person and preferences; the last-used stamp
        assert ApiToken.user_for(key) == alice


def test_every_account_has_its_preferences_row_from_the_start(client, db):
    r = client.post(reverse("signup"), {"email": "dora@example.org", "password": PASSWORD, "understood": "on"})
    dora = User.objects.get(email="dora@example.org")
    assert Preferences.objects.filter(user=dora).exists(), r.content.decode()[:500]
    assert Preferences.objects.filter(user=User.objects.create_user("eve", "eve@example.org")).exists()


def test_a_token_of_a_deactivated_person_signs_nobody_in(alice):
    _, key = ApiToken.issue(alice, "phone")
    User.objects.filter(pk=alice.pk).update(is_active=False)
    assert ApiToken.user_for(key) is None


def test_sessions_in_djangos_own_table_move_over_with_their_person(client, alice, bob):
    """Migration accounts 0002: nobody is signed out by the upgrade."""
    migration = importlib.import_module("sijcoach.web.accounts.migrations.0002_signin_sessions")
    old = DjangoSessionStore()
    old[SESSION_KEY] = str(alice.pk)
    old["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
    old["_auth_user_hash"] = alice.get_session_auth_hash()
    old.create()
    anonymous = DjangoSessionStore()
    anonymous["theme"] = "dark"
    anonymous.create()
    migration.keep_signed_in(apps, SimpleNamespace(connection=connection))
    assert SignInSession.objects.get(session_key=old.session_key).user_id == alice.pk
    assert SignInSession.objects.get(session_key=anonymous.session_key).user_id is None
    client.cookies[settings.SESSION_COOKIE_NAME] = old.session_key
    r = client.get(reverse("today"))
    assert r.status_code == 200 and r.wsgi_request.user.pk == alice.pk
