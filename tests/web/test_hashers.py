"""Passwords are hashed with Argon2id at OWASP's minimum costs (accounts/hashers.py), and passwords
hashed before (Django's Argon2 costs, PBKDF2) still sign in and are re-hashed with them."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher

from conftest import PASSWORD, make_user

# The site's hashers without the tests' fast one in front.
SITE_HASHERS = [h for h in settings.PASSWORD_HASHERS if "MD5" not in h]
OWASP = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


@pytest.fixture
def site_hashers(settings):
    settings.PASSWORD_HASHERS = SITE_HASHERS


def test_a_new_password_is_hashed_with_argon2id_at_owasps_minimum(site_hashers, db):
    user = make_user("dora@example.org")
    assert user.password.startswith(OWASP)
    assert user.check_password(PASSWORD)
    assert not user.check_password(PASSWORD + "!")


@pytest.mark.parametrize("before", [Argon2PasswordHasher, PBKDF2PasswordHasher], ids=["argon2-django", "pbkdf2"])
def test_a_password_hashed_before_signs_in_and_is_rehashed(site_hashers, client, db, before):
    user = make_user("dora@example.org")
    hasher = before()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save()
    assert not user.password.startswith(OWASP)

    response = client.post("/signin/", {"email": "dora@example.org", "password": PASSWORD})

    assert response.status_code == 302 and response["Location"] == "/today/"
    user.refresh_from_db()
    assert user.password.startswith(OWASP)
    assert user.check_password(PASSWORD)
