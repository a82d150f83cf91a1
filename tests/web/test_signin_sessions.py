"""Sessions read with the person in one statement (accounts/backends.py): the row names its person,
Django still checks the session, and what is read equals what the ORM would read."""

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

from sijcoach.web.accounts.backends import read_with_person
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


def _same_as_orm(read, model, pk) -> None:
    stored = model.objects.get(pk=pk)
    for field in model._meta.concrete_fields:
        mine, theirs = getattr(read, field.attname), getattr(stored, field.attname)
        assert mine == theirs and type(mine) is type(theirs), (field.name, mine, theirs)


def test_the_one_statement_reads_what_the_orm_would_read(alice, django_assert_num_queries):
    services.set_preferences(alice, time_zone="Europe/London")
    _, key = ApiToken.issue(alice, "phone")
    alice.last_login = alice.date_joined
    alice.save()
    token = ApiToken.objects.get(user=alice)
    with django_assert_num_queries(1):
        found, user = read_with_person(ApiToken, "digest", token.digest)
    _same_as_orm(found, ApiToken, token.pk)
    _same_as_orm(user, User, alice.pk)
    _same_as_orm(user.preferences, Preferences, user.preferences.pk)
    assert user.preferences.time_zone == "Europe/London"
    with django_assert_num_queries(1):
        again, same = read_with_person(User, "id", alice.pk)
    assert again is same and same.pk == alice.pk and same.preferences.time_zone == "Europe/London"
    assert read_with_person(User, "id", 10**9) == (None, None)
    assert ApiToken.user_for(key) == alice


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


def test_a_remembered_session_decodes_as_djangos_and_each_caller_gets_its_own_dict():
    from sijcoach.web.accounts.backends import SessionStore, _decoded

    data = {SESSION_KEY: "7", "_auth_user_backend": "x.Backend", "_auth_user_hash": "abc", "n": 3, "b": None}
    text = DjangoSessionStore().encode(data)
    _decoded.clear()
    first = SessionStore().decode(text)
    assert first == data == DjangoSessionStore().decode(text)
    assert len(_decoded) == 1
    first["n"] = 4  # a caller changing its session ...
    first.pop(SESSION_KEY)
    again = SessionStore().decode(text)
    assert again == data and again is not first  # ... changes nobody else's


def test_a_session_holding_lists_or_dicts_is_decoded_every_time():
    from sijcoach.web.accounts.backends import SessionStore, _decoded

    text = DjangoSessionStore().encode({"wizard": {"step": 2, "answers": [1, 2]}})
    _decoded.clear()
    got = SessionStore().decode(text)
    got["wizard"]["answers"].append(3)
    assert SessionStore().decode(text) == {"wizard": {"step": 2, "answers": [1, 2]}}
    assert not _decoded


def test_a_remembered_session_is_refused_once_its_signing_key_is_gone(settings):
    from sijcoach.web.accounts.backends import SessionStore

    text = DjangoSessionStore().encode({SESSION_KEY: "7"})
    assert SessionStore().decode(text) == {SESSION_KEY: "7"}
    old = settings.SECRET_KEY
    settings.SECRET_KEY = "another key, long enough to sign sessions with " * 2
    assert SessionStore().decode(text) == {}  # tampered or signed with a key no longer trusted
    settings.SECRET_KEY_FALLBACKS = [old]
    assert SessionStore().decode(text) == {SESSION_KEY: "7"}
    assert SessionStore().decode(text + "x") == {}
