"""Today and Progress are cached per person; a change to the person's data, their day or their
CSRF secret always gives a fresh page."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from sijcoach.web.accounts.models import ApiToken
from sijcoach.web.plans import services
from web.conftest import check_in, session_payload


def warm(client, name: str = "today", **query):
    """Two views: the first sets the CSRF cookie, the second is the one cached."""
    url = reverse(name) + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    client.get(url)
    return client.get(url)


def hit(client, name: str = "today"):
    """A view that must come from the cache: no template is rendered (no context)."""
    r = client.get(reverse(name))
    assert r.status_code == 200 and r.context is None
    return r


def test_a_repeat_view_of_today_reads_only_who_is_signed_in(alice_client, alice, django_assert_num_queries):
    warm(alice_client)
    with django_assert_num_queries(1):  # the session joined with the person and their preferences
        r = hit(alice_client)
    assert b"Start guided session" in r.content
    assert "Cookie" in r["Vary"]


def test_a_saved_session_shows_on_today_at_once(alice_client, alice):
    warm(alice_client)
    before = hit(alice_client).content.decode().count("done today")
    services.save_session(alice, services.parse_session({**session_payload(), "routine_kind": "relief"}),
                          services.today_for(alice))
    r = alice_client.get(reverse("today"))
    assert r.context is not None  # rendered anew
    assert r.content.decode().count("done today") > before


def test_a_session_saved_through_the_api_refreshes_the_browser_page(alice_client, alice):
    warm(alice_client, "progress")
    old = hit(alice_client, "progress").content
    _, key = ApiToken.issue(alice, "phone")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    r = api.post("/api/v1/me/sessions", json.dumps(session_payload()), content_type="application/json")
    assert r.status_code in (200, 201)
    fresh = alice_client.get(reverse("progress"))
    assert fresh.context is not None and fresh.content != old


def test_a_new_check_in_replaces_the_cached_plan(alice_client, alice):
    warm(alice_client)
    check_in(alice, pain_now=8)
    r = alice_client.get(reverse("today"))
    assert r.context is not None and r.context["checkin"].profile["pain_now"] == 8


def test_people_never_share_a_cached_page(alice_client, alice, bob):
    warm(alice_client)
    bobs = Client()
    bobs.force_login(bob)
    bobs.cookies["csrftoken"] = alice_client.cookies["csrftoken"].value  # even with the same secret
    r = bobs.get(reverse("today"))
    assert r.context is not None and r.context["checkin"].user_id == bob.pk


def test_a_page_with_a_message_is_shown_once_and_not_cached(alice_client, alice):
    warm(alice_client)
    alice_client.post(reverse("settings"), {
        "equipment": ["mat"], "level": "beginner", "minutes_per_day": 20, "strength_days_per_week": 3,
        "reminder_time": "", "time_zone": ""})
    with_message = alice_client.get(reverse("today"))
    assert "Settings saved" in with_message.content.decode()
    again = alice_client.get(reverse("today"))
    assert "Settings saved" not in again.content.decode()


@pytest.mark.parametrize("name", ["today", "progress"])
def test_another_csrf_secret_gets_a_page_with_its_own_token(alice_client, alice, name):
    warm(alice_client, name)
    alice_client.cookies["csrftoken"] = "b" * 32
    r = alice_client.get(reverse(name))
    assert r.context is not None  # not the page made for the other secret


def test_a_new_progress_window_is_a_new_page(alice_client, alice):
    warm(alice_client, "progress", weeks=4)
    r = alice_client.get(reverse("progress") + "?weeks=26")
    assert r.context is not None and r.context["p"].weeks == 26


def test_an_expired_session_signs_nobody_in(alice_client, alice):
    from django.utils import timezone

    from sijcoach.web.accounts.models import SignInSession as BrowserSession

    warm(alice_client)
    BrowserSession.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    r = alice_client.get(reverse("today"))
    assert r.status_code == 302 and "/signin/" in r["Location"]


def test_a_deactivated_person_is_signed_out_even_with_a_cached_page(alice_client, alice):
    warm(alice_client)
    alice.is_active = False
    alice.save()
    assert alice_client.get(reverse("today")).status_code == 302


def test_touch_raises_the_version_by_one_and_makes_the_row_when_there_is_none(charlie, bob):
    from sijcoach.web.plans.models import Preferences

    Preferences.objects.filter(user=charlie).delete()
    before = Preferences.objects.get(user=bob).data_version
    services.touch(charlie)
    assert Preferences.objects.get(user=charlie).data_version == 1
    services.touch(charlie.pk)  # by id, as the coach's changes do
    assert Preferences.objects.get(user=charlie).data_version == 2
    assert Preferences.objects.get(user=bob).data_version == before, "only the person's own row"
