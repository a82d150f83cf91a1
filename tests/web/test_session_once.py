"""A session is saved once: the player's idempotency key (POST /api/v1/me/sessions with an
`Idempotency-Key` header) makes a repeat, after a reload or a lost answer, answer the saved session
rather than store a second one; also when two requests with one key arrive at once."""

from __future__ import annotations

import json

import pytest
from conftest import BASE_PROFILE, PASSWORD, session_payload
from django.conf import settings as django_settings
from live_app import Visitor, app_env, migrate, own_database, serving
from test_security_review import at_once

from sijcoach.web.plans.models import Session, SessionItem

SAVE = "/api/v1/me/sessions"


def post(client, body: dict, key: str | None, **headers):
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(SAVE, json.dumps(body), content_type="application/json", headers=headers)


def test_a_session_sent_again_with_its_key_is_saved_once_and_answered_as_saved(alice_client, alice):
    first = post(alice_client, session_payload(), "a1b2c3d4-reload-1")
    assert first.status_code == 201
    again = post(alice_client, session_payload(pain_after=9), "a1b2c3d4-reload-1")  # a body changed meanwhile
    assert again.status_code == 200 and again.json() == first.json()
    # A developer's find: nothing told a client that the changed body was not stored.
    assert again["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first
    assert Session.objects.filter(user=alice).count() == 1
    assert SessionItem.objects.filter(session__user=alice).count() == len(session_payload()["items"])
    assert post(alice_client, session_payload(), "a1b2c3d4-reload-2").status_code == 201
    assert post(alice_client, session_payload(), None).status_code == 201  # no key: saved each time
    assert Session.objects.filter(user=alice).count() == 3


def test_one_key_is_per_person(client, alice, bob):
    for person in (alice, bob):
        client.force_login(person)
        assert post(client, session_payload(), "shared-key-123").status_code == 201
    assert Session.objects.filter(idempotency_key="shared-key-123").count() == 2


@pytest.mark.parametrize("key", ["short", "x" * 101, "has space 123", "émoji-key-123"])
def test_a_key_that_cannot_be_used_is_refused_naming_the_header_and_what_is_allowed(alice_client, alice, key):
    r = post(alice_client, session_payload(), key)
    assert r.status_code == 422
    [problem] = r.json()["detail"]
    assert problem["field"] == "Idempotency-Key" and "8 to 100 letters" in problem["allowed"]
    assert not Session.objects.exists()


def test_the_openapi_document_describes_the_key_and_the_repeat(client, db):
    operation = client.get("/api/openapi.json").json()["paths"][SAVE]["post"]
    [header] = [p for p in operation["parameters"] if p["in"] == "header"]
    assert header["name"] == "Idempotency-Key" and not header["required"] and "pattern" in header["schema"]
    assert {"200", "201"} <= set(operation["responses"])


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    data = tmp_path_factory.mktemp("once")
    with own_database(data, django_settings.DATABASES["default"]) as url:
        env = app_env(url, data)
        migrate(env)
        with serving(env, workers=2, threads=4) as base:
            yield base


def test_eight_posts_at_once_with_one_key_save_one_session(live):
    visitor = Visitor(live)
    assert visitor.post_form("/signup/", {"email": "ida@example.org", "password": PASSWORD,
                                          "understood": "on"}).status_code == 302
    headers = {"X-CSRFToken": visitor.cookies["csrftoken"], "Referer": live + "/"}
    assert visitor.put(live + "/api/v1/me/profile", json=BASE_PROFILE, headers=headers, timeout=60).status_code == 201

    def send():
        return visitor.post(live + SAVE, json=session_payload(), timeout=60,
                            headers={**headers, "Idempotency-Key": "ida-one-session-at-once"})

    answers = at_once([send] * 8)
    assert sorted(r.status_code for r in answers) == [200] * 7 + [201], [r.text[:200] for r in answers]
    assert len({r.json()["id"] for r in answers}) == 1
    listed = visitor.get(live + SAVE, timeout=60).json()
    assert listed["count"] == 1
