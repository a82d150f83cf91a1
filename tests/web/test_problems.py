"""Refused input, worded once: the engine's problems shown as sentences with plain field names on
pages, and as field paths in the API's JSON."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils.html import escape

from conftest import BASE_PROFILE
from sijcoach.engine.inputs import InputError, parse_profile
from sijcoach.web.accounts.models import ApiToken
from sijcoach.web.plans.models import CheckIn
from sijcoach.web.problems import plain_field, sentences


@pytest.mark.parametrize("path, words", [
    ("minutes_per_day", "Minutes a day"),
    ("sore_side", "Sore side"),
    ("items[2].reps_done", "Exercise 3, reps done"),
    ("planned_activities[0].date", "Planned activity 1, date"),
    ("logs[4].items[0].pain", "Session 5, exercise 1, pain"),
    ("red_flags[1]", "Warning sign 2"),
    ("(document)", "Your answers"),
])
def test_a_field_is_named_in_plain_words(path, words):
    assert plain_field(path) == words


def _refusal() -> InputError:
    with pytest.raises(InputError) as caught:
        parse_profile({**BASE_PROFILE, "minutes_per_day": 5, "sore_side": "middle"})
    return caught.value


def test_a_sentence_keeps_the_value_what_is_allowed_and_why():
    said = sorted(sentences(_refusal()))
    assert said[0].startswith("Minutes a day: 5 is not accepted (") and said[0].endswith(
        "Allowed: a whole number from 10 to 120.")
    assert said[1].startswith('Sore side: "middle" is not accepted') and "Allowed: one of left, right" in said[1]


def test_the_api_and_the_pages_word_the_same_problem_from_one_source(client, charlie):
    _, key = ApiToken.issue(charlie, "tests")
    r = client.put("/api/v1/me/profile", data=json.dumps({**BASE_PROFILE, "minutes_per_day": 5, "sore_side": "middle"}),
                   content_type="application/json", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 422
    expected = _refusal().problems
    assert r.json()["detail"] == [p.as_dict() for p in expected]
    assert {p["field"] for p in r.json()["detail"]} == {"minutes_per_day", "sore_side"}  # paths, for programs


def test_the_wizard_shows_the_engines_refusal_in_plain_words_on_the_page_that_asked(client, charlie):
    """The forms let through an onset longer ago than the person's life; the engine refuses it."""
    from test_checkin import ANSWERS, post

    client.force_login(charlie)
    client.get(reverse("checkin_start"))
    for step in ANSWERS:
        r = post(client, step, **({"age": "12", "onset_days_ago": "36500"} if step == "about" else {}))
    assert r.status_code == 302 and r["Location"] == reverse("checkin_step", args=["about"])
    page = client.get(r["Location"]).content.decode()
    assert "Please check these answers" in page
    assert escape("Days since the pain started: 36500 is not accepted") in page
    assert "<li>onset_days_ago:" not in page
    assert not CheckIn.objects.filter(user=charlie).exists()
