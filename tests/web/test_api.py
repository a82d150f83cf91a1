"""The JSON API under /api/v1/: every endpoint, as a script or app would call it.

Alice and Bob have checked in; Charlie has only an account. Alice's token must never reach Bob's data.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from conftest import BASE_PROFILE, session_payload
from sijcoach.engine import make_plan, parse_logs, parse_profile
from sijcoach.engine.catalog import catalog
from sijcoach.engine.contract import plan_to_dict
from sijcoach.engine.live import on_pain
from sijcoach.engine.screening import flags_action
from sijcoach.engine.vocab import Group, Kind
from sijcoach.web.accounts.models import ApiToken
from sijcoach.web.api.schemas import SessionOut
from sijcoach.web.plans import services
from sijcoach.web.plans.models import CheckIn, RedFlagReport, Session

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
START = "2026-11-23"
ME_GETS = ["/api/v1/me/profile", "/api/v1/me/plan", "/api/v1/me/sessions", "/api/v1/me/sessions/1",
           "/api/v1/me/progress", "/api/v1/me/export"]
ME_WRITES = [("put", "/api/v1/me/profile"), ("post", "/api/v1/me/sessions"),
             ("post", "/api/v1/me/sessions/1/morning"), ("post", "/api/v1/me/pain")]


def bearer(user) -> dict:
    _, key = ApiToken.issue(user, "tests")
    return {"Authorization": f"Bearer {key}"}


def send(client, method: str, url: str, body=None, headers=None, raw: str | None = None):
    data = raw if raw is not None else json.dumps(body if body is not None else {})
    return getattr(client, method)(url, data=data, content_type="application/json", headers=headers or {})


def problems(response) -> dict[str, dict]:
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert all(set(p) == {"field", "value", "allowed", "message"} for p in detail), detail
    return {p["field"]: p for p in detail}


@pytest.fixture
def alice_auth(alice):
    return bearer(alice)


@pytest.fixture
def bob_session(bob):
    return services.save_session(bob, services.parse_session(session_payload()), services.today_for(bob))


def profile_json() -> dict:
    return json.loads((EXAMPLES / "profile.json").read_text())


# The stateless plan ---------------------------------------------------------------------------------

def test_the_stateless_plan_equals_the_engines_plan_for_the_same_input(client, db):
    logs = json.loads((EXAMPLES / "logs.json").read_text())
    r = send(client, "post", "/api/v1/plan", {"profile": profile_json(), "logs": logs, "start": START, "days": 10})
    assert r.status_code == 200, r.content
    expected = make_plan(parse_profile(profile_json()), parse_logs(logs), dt.date.fromisoformat(START), 10)
    assert r.json() == plan_to_dict(expected)
    assert len(r.json()["days"]) == 10


def test_the_stateless_plan_defaults_to_seven_days_and_no_logs(client, db):
    r = send(client, "post", "/api/v1/plan", {"profile": profile_json(), "start": START})
    assert r.status_code == 200, r.content
    assert r.json() == plan_to_dict(make_plan(parse_profile(profile_json()), (), dt.date.fromisoformat(START), 7))


def test_the_stateless_plan_needs_no_account_and_no_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    r = send(client, "post", "/api/v1/plan", {"profile": profile_json(), "start": START, "days": 1})
    assert r.status_code == 200, r.content


def test_it_rejects_a_plan_profile_field_naming_the_field_value_and_allowed_range(client, db):
    r = send(client, "post", "/api/v1/plan", {"profile": {**profile_json(), "age": 5}, "start": START})
    found = problems(r)
    assert found["profile.age"]["value"] == 5
    assert found["profile.age"]["allowed"] == "a whole number from 12 to 110"


def test_it_reports_every_fault_of_a_plan_request_at_once(client, db):
    logs = [{"date": "2026-11-20", "pain_before": 11, "items": [{"exercise": "bird-dgo"}]}]
    r = send(client, "post", "/api/v1/plan", {"profile": profile_json(), "logs": logs, "days": 29})
    found = problems(r)
    assert found["start"]["value"] is None and "(required)" in found["start"]["allowed"]
    assert found["days"]["allowed"] == "a whole number from 1 to 28"
    assert found["logs[0].pain_before"]["value"] == 11
    assert "bird-dog" in found["logs[0].items[0].exercise"]["allowed"]


def test_it_rejects_malformed_json_as_the_whole_document(client, db):
    r = send(client, "post", "/api/v1/plan", raw='{"profile": ')
    found = problems(r)
    assert found["(document)"]["allowed"] == "valid JSON"
    assert found["(document)"]["value"] is None


def test_it_rejects_a_list_where_an_object_is_expected(client, db):
    assert problems(send(client, "post", "/api/v1/plan", raw="[]"))["(document)"]["allowed"] == \
        "an object with named fields"


def test_it_rejects_a_start_date_at_the_end_of_the_calendar(client, db):
    r = send(client, "post", "/api/v1/plan", {"profile": profile_json(), "start": "9999-12-31", "days": 28})
    assert problems(r)["start"]["value"] == "9999-12-31"


def test_it_refuses_text_the_database_could_not_store(client, db):
    profile = {**profile_json(), "planned_activities": [{"date": START, "kind": "hike\x00", "intensity": "high"}]}
    r = send(client, "post", "/api/v1/plan", {"profile": profile, "start": START})
    assert "profile.planned_activities[0].kind" in problems(r)


def test_a_stateless_plan_with_an_emergency_sign_has_no_days(client, db):
    profile = {**profile_json(), "red_flags": ["saddle_numbness"]}
    r = send(client, "post", "/api/v1/plan", {"profile": profile, "start": START})
    assert r.status_code == 200
    assert r.json()["triage"]["level"] == "emergency"
    assert r.json()["days"] == [] and r.json()["assessment"] is None


# The exercise library -------------------------------------------------------------------------------

def test_it_lists_exercises_filtered_by_group_and_kind(client, db):
    r = client.get("/api/v1/exercises", {"group": "back_of_hip", "kind": "strength"})
    assert r.status_code == 200
    slugs = [e["slug"] for e in r.json()]
    expected = {e.slug for e in catalog() if Group.BACK_OF_HIP in e.groups + e.secondary_groups
                and e.kind == Kind.STRENGTH}
    assert slugs and set(slugs) == expected


def test_it_lists_the_whole_library_easiest_first(client, db):
    r = client.get("/api/v1/exercises")
    ranks = {"beginner": 0, "intermediate": 1, "advanced": 2}
    levels = [ranks[e["difficulty"]] for e in r.json()]
    assert len(levels) == len(catalog()) and levels == sorted(levels)


def test_it_rejects_an_unknown_filter_value_listing_the_allowed_ones(client, db):
    found = problems(client.get("/api/v1/exercises", {"group": "abs"}))
    assert found["group"]["value"] == "abs"
    assert found["group"]["allowed"].startswith("one of core, back_of_hip, low_back")


def test_it_shows_one_exercise(client, db):
    r = client.get("/api/v1/exercises/bird-dog")
    assert r.status_code == 200
    assert r.json()["slug"] == "bird-dog" and r.json()["steps"]


def test_an_unknown_exercise_answers_404_naming_the_closest(client, db):
    r = client.get("/api/v1/exercises/bird-dgo")
    assert r.status_code == 404
    assert "'bird-dog'" in r.json()["detail"]


# Who is calling -------------------------------------------------------------------------------------

def test_anonymous_calls_about_me_answer_401_in_json(client, db):
    for url in ME_GETS:
        r = client.get(url)
        assert r.status_code == 401, url
        assert "Bearer" in r.json()["detail"] and r["WWW-Authenticate"].startswith("Bearer")
    for method, url in ME_WRITES:
        assert send(client, method, url, {}).status_code == 401, url


def test_a_token_reads_its_owners_profile(client, alice):
    r = client.get("/api/v1/me/profile", headers=bearer(alice))
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["profile"]["age"] == BASE_PROFILE["age"] and body["source"] == "check_in"
    assert body["profile"] == CheckIn.objects.get(user=alice).profile
    assert set(body) == {"created_at", "answered_on", "source", "triage_level", "warning_signs_since", "profile"}


def test_a_revoked_token_answers_401(client, alice):
    token, key = ApiToken.issue(alice, "old phone")
    assert client.get("/api/v1/me/profile", headers={"Authorization": f"Bearer {key}"}).status_code == 200
    token.revoked_at = timezone.now()
    token.save()
    assert client.get("/api/v1/me/profile", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_a_made_up_token_answers_401(client, alice):
    assert client.get("/api/v1/me/profile", headers={"Authorization": "Bearer sij_madeup"}).status_code == 401


def test_a_token_of_a_deactivated_account_answers_401(client, alice, alice_auth):
    alice.is_active = False
    alice.save()
    assert client.get("/api/v1/me/profile", headers=alice_auth).status_code == 401


def test_the_session_cookie_reads_without_a_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    assert client.get("/api/v1/me/profile").status_code == 200


def test_a_cookie_post_without_the_csrf_token_is_refused(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    r = send(client, "post", "/api/v1/me/sessions", session_payload())
    assert r.status_code == 403
    assert "CSRF" in r.json()["detail"]
    assert not Session.objects.filter(user=alice).exists()


def test_a_cookie_post_with_the_csrf_token_is_accepted(alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    secret = "a" * 32
    client.cookies["csrftoken"] = secret
    r = send(client, "post", "/api/v1/me/sessions", session_payload(), headers={"X-CSRFToken": secret})
    assert r.status_code == 201, r.content


def test_a_bearer_post_needs_no_csrf_token(alice, alice_auth):
    client = Client(enforce_csrf_checks=True)
    r = send(client, "post", "/api/v1/me/sessions", session_payload(), headers=alice_auth)
    assert r.status_code == 201, r.content


# The check-in (profile) -----------------------------------------------------------------------------

def test_charlie_without_a_check_in_gets_404_for_profile_and_plan(client, charlie):
    auth = bearer(charlie)
    for url in ("/api/v1/me/profile", "/api/v1/me/plan"):
        r = client.get(url, headers=auth)
        assert r.status_code == 404, url
        assert "PUT /api/v1/me/profile" in r.json()["detail"]


def test_putting_a_profile_saves_a_check_in_and_answers_201(client, charlie):
    auth = bearer(charlie)
    r = send(client, "put", "/api/v1/me/profile", {**BASE_PROFILE, "age": 44}, auth)
    assert r.status_code == 201, r.content
    assert r.json()["saved"] is True and r.json()["profile"]["age"] == 44
    checkin = CheckIn.objects.get(user=charlie)
    assert checkin.answered_on == services.today_for(charlie) and checkin.source == "check_in"
    assert client.get("/api/v1/me/profile", headers=auth).json()["profile"]["age"] == 44
    assert client.get("/api/v1/me/plan", headers=auth).json()["days"]


def test_putting_an_invalid_profile_names_the_field_and_saves_nothing(client, alice, alice_auth):
    r = send(client, "put", "/api/v1/me/profile", {**BASE_PROFILE, "pain_now": 11, "colour": "red"}, alice_auth)
    found = problems(r)
    assert found["pain_now"] == {"field": "pain_now", "value": 11, "allowed": "a whole number from 0 to 10",
                                 "message": found["pain_now"]["message"]}
    assert "colour" in found
    assert CheckIn.objects.filter(user=alice).count() == 1


def test_a_hypermobility_answer_may_be_null_for_not_sure_and_the_plan_says_what_it_assumed(client, charlie):
    auth = bearer(charlie)
    answers = [True, None, False, False, None]
    r = send(client, "put", "/api/v1/me/profile", {**BASE_PROFILE, "hypermobility_answers": answers}, auth)
    assert r.status_code == 201, r.content
    assert client.get("/api/v1/me/profile", headers=auth).json()["profile"]["hypermobility_answers"] == answers
    plan = client.get("/api/v1/me/plan", headers=auth).json()
    assert plan["assessment"]["hypermobile"] is True
    assert any("(2 not sure)" in w for w in plan["warnings"])


def test_a_hypermobility_answer_other_than_true_false_or_null_is_refused_by_its_position(client, alice, alice_auth):
    r = send(client, "put", "/api/v1/me/profile",
             {**BASE_PROFILE, "hypermobility_answers": [True, "unsure", None, False, False]}, alice_auth)
    found = problems(r)
    assert found["hypermobility_answers[1]"]["value"] == "unsure"
    assert "null (not sure)" in found["hypermobility_answers[1]"]["allowed"]
    assert CheckIn.objects.filter(user=alice).count() == 1


def test_the_openapi_profile_allows_null_hypermobility_answers(client, db):
    field = client.get("/api/openapi.json").json()["components"]["schemas"]["Profile"]["properties"]["hypermobility_answers"]
    lists = [s for s in field["anyOf"] if s.get("type") == "array"]
    assert lists and {"type": "null"} in lists[0]["items"]["anyOf"] and {"type": "boolean"} in lists[0]["items"]["anyOf"]
    assert lists[0]["minItems"] == lists[0]["maxItems"] == 5


def test_putting_a_profile_with_an_emergency_sign_saves_no_check_in_and_stops_the_plan(client, alice, alice_auth):
    r = send(client, "put", "/api/v1/me/profile", {**BASE_PROFILE, "red_flags": ["saddle_numbness"]}, alice_auth)
    assert r.status_code == 200, r.content
    assert r.json()["saved"] is False
    assert r.json()["triage"]["level"] == "emergency"
    assert [x["id"] for x in r.json()["triage"]["reasons"]] == ["saddle_numbness"]
    assert CheckIn.objects.filter(user=alice).count() == 1
    assert RedFlagReport.objects.get(user=alice).flags == ["saddle_numbness"]

    plan = client.get("/api/v1/me/plan", headers=alice_auth).json()
    assert plan["triage"]["level"] == "emergency"
    assert plan["days"] == [] and plan["advice"] == [] and plan["assessment"] is None
    # A developer's find: the profile said "triage_level": "none" and nothing else while the plan was
    # stopped. It keeps the answers' own level, and says what was reported since them.
    profile = client.get("/api/v1/me/profile", headers=alice_auth).json()
    assert profile["triage_level"] == "none"
    since = profile["warning_signs_since"]
    assert (since["level"], since["signs"]) == ("emergency", ["saddle_numbness"]) and "emergency" in since["action"]
    assert send(client, "put", "/api/v1/me/profile", BASE_PROFILE, alice_auth).json()["warning_signs_since"] is None


def test_the_profile_of_someone_whose_coach_left_with_findings_is_answered(client, cora, alice, alice_auth):
    # Found reading the schema: a check-in kept from a coach's findings (source coach_findings) was not
    # among the sources the response allowed.
    from sijcoach.web.coaching import services as coaching

    coaching.change(cora, alice.pk, "findings", findings={"beighton_score": 8})
    assert coaching.leave_coach(alice)
    r = client.get("/api/v1/me/profile", headers=alice_auth)
    assert r.status_code == 200, r.content
    assert r.json()["source"] == "coach_findings" and r.json()["warning_signs_since"] is None


def test_an_urgent_sign_also_stops_and_a_later_check_in_without_it_lifts_the_stop(client, alice, alice_auth):
    r = send(client, "put", "/api/v1/me/profile", {**BASE_PROFILE, "red_flags": ["fever_or_unwell"]}, alice_auth)
    assert r.json()["saved"] is False and r.json()["triage"]["level"] == "urgent"
    assert client.get("/api/v1/me/plan", headers=alice_auth).json()["days"] == []
    assert send(client, "put", "/api/v1/me/profile", BASE_PROFILE, alice_auth).status_code == 201
    assert client.get("/api/v1/me/plan", headers=alice_auth).json()["days"]


def test_putting_a_profile_with_an_activity_at_the_end_of_the_calendar_is_refused(client, alice, alice_auth):
    activity = {"date": "9999-12-31", "kind": "moving house", "intensity": "high"}
    found = problems(send(client, "put", "/api/v1/me/profile", {**BASE_PROFILE, "planned_activities": [activity]},
                          alice_auth))
    assert found["planned_activities[0].date"]["allowed"] == "a date from 1900-01-01 to 2999-12-31"
    assert CheckIn.objects.filter(user=alice).count() == 1
    assert client.get("/api/v1/me/plan", headers=alice_auth).status_code == 200


def test_a_see_a_doctor_soon_sign_is_saved_with_a_gentle_plan(client, alice, alice_auth):
    r = send(client, "put", "/api/v1/me/profile", {**BASE_PROFILE, "red_flags": ["history_of_cancer"]}, alice_auth)
    assert r.status_code == 201 and r.json()["triage_level"] == "see_doctor_soon"
    assert not RedFlagReport.objects.filter(user=alice).exists()


def test_charlie_with_only_an_emergency_report_sees_the_stopped_plan(client, charlie):
    auth = bearer(charlie)
    send(client, "put", "/api/v1/me/profile", {**BASE_PROFILE, "red_flags": ["chest_pain"]}, auth)
    r = client.get("/api/v1/me/plan", headers=auth)
    assert r.status_code == 200
    assert r.json()["triage"]["level"] == "emergency" and r.json()["days"] == []
    assert client.get("/api/v1/me/profile", headers=auth).status_code == 404


# The plan -------------------------------------------------------------------------------------------

def test_my_plan_is_the_current_plan_from_today(client, alice, alice_auth):
    r = client.get("/api/v1/me/plan", {"days": 3}, headers=alice_auth)
    assert r.status_code == 200, r.content
    today = services.today_for(alice)
    assert r.json() == plan_to_dict(services.current_plan(alice, today, 3).plan)
    assert r.json()["start"] == today.isoformat() and len(r.json()["days"]) == 3


def test_it_rejects_a_days_query_out_of_range_or_not_a_number(client, alice, alice_auth):
    found = problems(client.get("/api/v1/me/plan", {"days": "0"}, headers=alice_auth))
    assert found["days"]["value"] == "0" and found["days"]["allowed"] == "a whole number from 1 to 28"
    found = problems(client.get("/api/v1/me/plan", {"days": "week"}, headers=alice_auth))
    assert found["days"]["value"] == "week" and found["days"]["allowed"] == "a whole number from 1 to 28"


# Sessions -------------------------------------------------------------------------------------------

def test_it_logs_a_session_with_planned_beside_done(client, alice, alice_auth):
    r = send(client, "post", "/api/v1/me/sessions", session_payload(), alice_auth)
    assert r.status_code == 201, r.content
    body = r.json()
    stored = Session.objects.get(user=alice)
    assert body["id"] == stored.pk and body["date"] == services.today_for(alice).isoformat()
    assert body["items"][0]["planned"] == {"sets": 2, "reps": 8, "hold_s": 5}
    assert body["items"][0]["done"] == {"sets": 2, "reps": 8, "hold_s": 5}
    assert body["routine_kind"] == "relief" and body["pain_before"] == 3
    # Sent without being validated again: it is exactly the documented SessionOut, and what reading
    # the session back answers.
    assert SessionOut.model_validate(body).model_dump(mode="json") == body
    assert client.get(f"/api/v1/me/sessions/{body['id']}", headers=alice_auth).json() == body


def joined_days_ago(user, days: int) -> None:
    """The account made `days` ago (a session is not logged before it)."""
    user.date_joined -= dt.timedelta(days=days)
    user.save(update_fields=["date_joined"])


def test_it_rejects_a_session_dated_tomorrow(client, alice, alice_auth):
    today = services.today_for(alice)
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    found = problems(send(client, "post", "/api/v1/me/sessions", session_payload(date=tomorrow), alice_auth))
    assert found["date"]["value"] == tomorrow
    assert found["date"]["allowed"] == f"a date written YYYY-MM-DD from {today} (when your account was made) to today ({today})"
    assert found["date"]["message"] == "a session cannot be logged before it happened"
    assert not Session.objects.filter(user=alice).exists()


@pytest.mark.parametrize("date", ["1900-01-01", "yesterday"])
def test_it_rejects_a_session_dated_before_the_account_was_made(client, alice, alice_auth, date):
    # A developer's find: a session of 1900-01-01 was kept, and Progress then began with twelve empty weeks.
    today = services.today_for(alice)
    date = (today - dt.timedelta(days=1)).isoformat() if date == "yesterday" else date
    found = problems(send(client, "post", "/api/v1/me/sessions", session_payload(date=date), alice_auth))["date"]
    assert found["value"] == date and found["message"] == "a session cannot be logged before your account was made"
    assert not Session.objects.filter(user=alice).exists()
    assert client.get("/api/v1/me/progress", headers=alice_auth).json()["start"] >= (today - dt.timedelta(days=6)).isoformat()


def test_it_accepts_a_session_dated_yesterday(client, alice, alice_auth):
    joined_days_ago(alice, 30)
    yesterday = services.today_for(alice) - dt.timedelta(days=1)
    r = send(client, "post", "/api/v1/me/sessions", session_payload(date=yesterday.isoformat()), alice_auth)
    assert r.status_code == 201 and Session.objects.get(user=alice).date == yesterday


def test_it_rejects_an_unknown_exercise_in_a_session_naming_the_closest(client, alice, alice_auth):
    r = send(client, "post", "/api/v1/me/sessions",
             session_payload(items=[{"exercise": "bird-dgo", "pain": 12}]), alice_auth)
    found = problems(r)
    assert "bird-dog" in found["items[0].exercise"]["allowed"]
    assert found["items[0].pain"]["value"] == 12
    assert not Session.objects.filter(user=alice).exists()


def test_it_refuses_a_session_with_text_the_database_cannot_store(client, alice, alice_auth):
    item = {"exercise": "bird-dog", "swapped_from": "glute-bridge", "swap_reason": "it hurt\x00"}
    found = problems(send(client, "post", "/api/v1/me/sessions", session_payload(items=[item]), alice_auth))
    assert found["items[0].swap_reason"]["allowed"] == "text without control characters"
    assert not Session.objects.filter(user=alice).exists()


def test_it_lists_only_my_sessions_newest_first_a_page_at_a_time(client, alice, alice_auth, bob_session):
    joined_days_ago(alice, 30)
    today = services.today_for(alice)
    for back in (3, 1, 2):
        day = (today - dt.timedelta(days=back)).isoformat()
        send(client, "post", "/api/v1/me/sessions", session_payload(date=day), alice_auth)
    r = client.get("/api/v1/me/sessions", {"limit": 2, "offset": 1}, headers=alice_auth)
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 3 and body["limit"] == 2 and body["offset"] == 1
    assert [s["date"] for s in body["sessions"]] == [(today - dt.timedelta(days=d)).isoformat() for d in (2, 3)]
    everything = client.get("/api/v1/me/sessions", headers=alice_auth).json()["sessions"]
    assert len(everything) == 3 and bob_session.pk not in [s["id"] for s in everything]


def test_it_rejects_a_page_limit_over_200(client, alice, alice_auth):
    assert problems(client.get("/api/v1/me/sessions", {"limit": 201}, headers=alice_auth))["limit"]["allowed"] == \
        "a whole number from 1 to 200"


def test_it_shows_one_of_my_sessions(client, alice, alice_auth):
    created = send(client, "post", "/api/v1/me/sessions", session_payload(), alice_auth).json()
    r = client.get(f"/api/v1/me/sessions/{created['id']}", headers=alice_auth)
    assert r.status_code == 200 and r.json() == created


def test_alices_token_never_reads_bobs_session(client, alice_auth, bob_session):
    r = client.get(f"/api/v1/me/sessions/{bob_session.pk}", headers=alice_auth)
    assert r.status_code == 404
    assert "pain" not in r.content.decode()


def test_alices_token_never_answers_the_morning_question_for_bobs_session(client, alice_auth, bob_session):
    r = send(client, "post", f"/api/v1/me/sessions/{bob_session.pk}/morning", {"pain_next_day": 9}, alice_auth)
    assert r.status_code == 404
    bob_session.refresh_from_db()
    assert bob_session.pain_next_day is None


def yesterday_of(user) -> str:
    return (services.today_for(user) - dt.timedelta(days=1)).isoformat()


def test_the_morning_answer_sets_the_next_day_pain_of_my_session(on_a_monday, client, alice, alice_auth):
    joined_days_ago(alice, 30)
    created = send(client, "post", "/api/v1/me/sessions", session_payload(joint_went_out=True, date=yesterday_of(alice)),
                   alice_auth).json()
    r = send(client, "post", f"/api/v1/me/sessions/{created['id']}/morning", {"pain_next_day": 4}, alice_auth)
    assert r.status_code == 200, r.content
    assert r.json()["pain_next_day"] == 4
    stored = Session.objects.get(pk=created["id"])
    assert stored.pain_next_day == 4 and stored.joint_went_out is True  # an answer never takes it back


@pytest.mark.parametrize("day, hour, refused", [(0, 23, True), (1, 0, True), (1, 3, True), (1, 4, False)])
def test_the_morning_answer_opens_at_4_am_the_day_after_the_session(client, alice, alice_auth, day, hour, refused):
    # Walk-throughs' finds: an answer kept seconds after the session, or at midnight after a late one; the
    # plan lowers or keeps doses by how the morning after felt.
    session_day = services.today_for(alice)
    created = send(client, "post", "/api/v1/me/sessions", session_payload(), alice_auth).json()
    when = dt.datetime.combine(session_day + dt.timedelta(days=day), dt.time(hour, 30), tzinfo=services.local_now(alice).tzinfo)
    with time_machine.travel(when, tick=False):
        r = send(client, "post", f"/api/v1/me/sessions/{created['id']}/morning", {"pain_next_day": 2}, alice_auth)
    stored = Session.objects.get(pk=created["id"]).pain_next_day
    if refused:
        assert r.status_code == 422, r.content
        found = problems(r)["session_id"]
        assert found["allowed"] == "a session whose next morning has come (from 4 am the day after it)"
        assert f"can be given from {session_day + dt.timedelta(days=1)} 04:00" in found["message"]
        assert stored is None
    else:
        assert r.status_code == 200 and stored == 2


def test_the_morning_answer_rejects_pain_above_10(on_a_monday, client, alice, alice_auth):
    joined_days_ago(alice, 30)
    created = send(client, "post", "/api/v1/me/sessions", session_payload(date=yesterday_of(alice)), alice_auth).json()
    found = problems(send(client, "post", f"/api/v1/me/sessions/{created['id']}/morning",
                          {"pain_next_day": 11}, alice_auth))
    assert found["pain_next_day"]["allowed"] == "a whole number from 0 to 10"
    assert Session.objects.get(pk=created["id"]).pain_next_day is None


def test_a_session_id_that_is_not_a_number_or_too_big_answers_422(client, alice, alice_auth):
    assert problems(client.get("/api/v1/me/sessions/abc", headers=alice_auth))["session_id"]["value"] == "abc"
    assert "session_id" in problems(client.get(f"/api/v1/me/sessions/{2**70}", headers=alice_auth))


def test_an_empty_session_is_refused_and_a_walk_with_only_its_pain_is_kept(client, alice, alice_auth):
    # An empty log would count as a session, and the next morning's answer would be kept on it as well.
    r = send(client, "post", "/api/v1/me/sessions", {}, headers=alice_auth)
    assert r.status_code == 422 and "at least one exercise" in problems(r)["items"]["message"]
    assert not Session.objects.filter(user=alice).exists()
    r = send(client, "post", "/api/v1/me/sessions", {"routine_kind": "walk", "pain_after": 2}, headers=alice_auth)
    assert r.status_code == 201 and Session.objects.filter(user=alice).count() == 1


# Progress, "this hurts" and the export --------------------------------------------------------------

def test_progress_summarises_my_logged_sessions(on_a_monday, client, alice, alice_auth):
    send(client, "post", "/api/v1/me/sessions", session_payload(), alice_auth)
    r = client.get("/api/v1/me/progress", {"weeks": 4}, headers=alice_auth)
    assert r.status_code == 200, r.content
    body = r.json()
    today = services.today_for(alice).isoformat()
    assert body["weeks"] == 4 and len(body["calendar"]) == 7  # from the first week here (this one), not 4 weeks
    assert {"date": today, "before": 3, "after": 2, "next_morning": None} in body["pain_points"]
    assert next(d["status"] for d in body["calendar"] if d["date"] == today) in ("done", "partial")
    assert body["week"]["done"] == 1 and body["week"]["planned"] > 1  # the relief routine, logged today
    # The bird dog (stability work for core and low back) counts for those two pillars this week.
    assert [(w["core"], w["low_back"]) for w in body["pillars"]] == [(1, 1)]
    assert [a["name"] for a in body["psfs_activities"]] == ["putting on socks", "sitting an hour", "walking 30 min"]
    assert body["psfs_points"] == [{"date": today, "score": 5.0}]


def test_progress_rejects_a_window_it_does_not_offer(client, alice, alice_auth):
    found = problems(client.get("/api/v1/me/progress", {"weeks": 5}, headers=alice_auth))
    assert found["weeks"]["allowed"] == "one of 4, 12, 26, 52"


def test_this_hurts_gives_the_engines_decision(client, alice, alice_auth):
    r = send(client, "post", "/api/v1/me/pain", {"exercise": "bird-dog", "pain": 7}, alice_auth)
    assert r.status_code == 200, r.content
    expected = on_pain(CheckIn.objects.get(user=alice).to_engine(services.today_for(alice)), "bird-dog", 7)
    assert r.json()["verdict"] == expected.verdict and r.json()["message"] == expected.message
    if expected.replacement:
        assert r.json()["replacement"]["exercise"] == expected.replacement.exercise != "bird-dog"
        assert r.json()["replacement"]["steps"]


@pytest.mark.parametrize("flags, level", [(["saddle_numbness"], "emergency"), (["fever_or_unwell"], "urgent")])
@pytest.mark.parametrize("pain", [0, 2, 4, 7, 10])
def test_this_hurts_stops_the_session_whatever_the_pain_while_a_warning_sign_is_open(client, alice, alice_auth,
                                                                                        flags, level, pain):
    # A warning sign reported after the check-in stops the plan: "This hurts" must not say carry on,
    # nor offer an exercise in its place (the player on a page opened before the report still asks).
    services.report_red_flags(alice, flags, level)
    r = send(client, "post", "/api/v1/me/pain", {"exercise": "bird-dog", "pain": pain}, alice_auth)
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["verdict"] == "end" and body["replacement"] is None
    assert body["message"] == f"Stop the session. {flags_action(flags)}"
    assert body["source"] and body["source"] != catalog().source_title("silbernagel-2007")


def test_this_hurts_with_a_pregnancy_sign_names_the_maternity_unit(client, alice, alice_auth):
    services.report_red_flags(alice, ["pregnancy_maternity_sign"], "urgent")
    body = send(client, "post", "/api/v1/me/pain", {"exercise": "bird-dog", "pain": 3}, alice_auth).json()
    assert body["verdict"] == "end" and "maternity" in body["message"]


def test_this_hurts_ends_the_session_when_a_second_exercise_hurts_6_or_more(client, alice, alice_auth):
    first = send(client, "post", "/api/v1/me/pain", {"exercise": "bird-dog", "pain": 7}, alice_auth).json()
    assert first["verdict"] == "swap"
    given = first["replacement"]["exercise"]
    second = send(client, "post", "/api/v1/me/pain", {"exercise": given, "pain": 6, "hurt": ["bird-dog"],
                                                      "excluded": ["bird-dog", given]}, alice_auth).json()
    assert second["verdict"] == "end" and second["replacement"] is None
    assert "Bird-dog hurt 6/10 or more earlier in it" in second["message"]
    r = send(client, "post", "/api/v1/me/pain", {"exercise": given, "pain": 6, "hurt": ["no such thing"]}, alice_auth)
    assert r.status_code == 422 and "hurt" in r.content.decode()


def test_the_stand_in_the_player_gave_is_the_one_the_plan_names_next(client, alice, alice_auth):
    # The player answers "This hurts" leaving out the session's other exercises; the session it saves
    # names the stand-in done (swapped_from), and the plan from then on keeps that one.
    session_items = ["bird-dog", "dead-bug"]
    answer = send(client, "post", "/api/v1/me/pain", {"exercise": "bird-dog", "pain": 8, "excluded": session_items},
                  alice_auth).json()
    assert answer["verdict"] == "swap"
    given = answer["replacement"]["exercise"]
    items = [{"exercise": "bird-dog", "side": "each", "sets_done": 0, "pain": 8},
             {"exercise": given, "side": answer["replacement"]["side"], "sets_done": 1, "reps_done": 5,
              "swapped_from": "bird-dog", "swap_reason": answer["message"]}]
    assert send(client, "post", "/api/v1/me/sessions", session_payload(items=items), alice_auth).status_code == 201
    plan = client.get("/api/v1/me/plan", headers=alice_auth).json()
    swap = next(c for c in plan["changes"] if c["kind"] == "swap" and c["exercise"] == "bird-dog")
    assert swap["replacement"] == given


def test_this_hurts_at_2_says_carry_on(client, alice, alice_auth):
    r = send(client, "post", "/api/v1/me/pain", {"exercise": "bird-dog", "pain": 2}, alice_auth)
    assert r.json()["verdict"] == "carry_on" and r.json()["replacement"] is None


def test_this_hurts_needs_a_check_in(client, charlie):
    r = send(client, "post", "/api/v1/me/pain", {"exercise": "bird-dog", "pain": 7}, bearer(charlie))
    assert r.status_code == 404 and "check-in" in r.json()["detail"]


def test_this_hurts_rejects_an_unknown_exercise(client, alice, alice_auth):
    assert "exercise" in problems(send(client, "post", "/api/v1/me/pain", {"exercise": "plank-x", "pain": 7},
                                       alice_auth))


def test_the_export_holds_my_data_and_nobody_elses(client, alice, alice_auth, bob_session):
    r = client.get("/api/v1/me/export", headers=alice_auth)
    assert r.status_code == 200
    body = r.json()
    assert body["format"] == "si-joint-coach-export/1" and body["account"]["email"] == "alice@example.org"
    assert len(body["checkins"]) == 1 and body["sessions"] == []
    assert "bob@example.org" not in r.content.decode()


# The document and the docs page ---------------------------------------------------------------------

def test_the_openapi_document_describes_bodies_responses_and_both_ways_to_sign_in(client, db):
    doc = client.get("/api/openapi.json").json()
    schemes = doc["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"} in schemes.values()
    assert {"type": "apiKey", "in": "cookie", "name": "sessionid"} in schemes.values()
    put = doc["paths"]["/api/v1/me/profile"]["put"]
    assert put["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Profile"}
    assert set(put["responses"]) >= {"200", "201", "401", "403", "422"}
    profile = doc["components"]["schemas"]["Profile"]
    assert set(profile["required"]) == {"age", "pain_now", "onset_days_ago"}
    assert profile["properties"]["age"]["minimum"] == 12
    assert set(doc["components"]["schemas"]["PlanRequest"]["properties"]) == {"profile", "logs", "start", "days", "programme_start"}
    plan_ok = doc["paths"]["/api/v1/plan"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert plan_ok == {"$ref": "#/components/schemas/Plan"}
    assert "security" not in doc["paths"]["/api/v1/plan"]["post"]
    assert doc["paths"]["/api/v1/me/plan"]["get"]["security"]


def test_the_docs_page_renders_offline_with_swagger_from_static(client, db):
    r = client.get("/api/docs")
    assert r.status_code == 200
    page = r.content.decode()
    scripts = re.findall(r"<script([^>]*)>", page)
    sources = [re.search(r'src="([^"]+)"', s).group(1) for s in scripts if "src=" in s]
    assert sources and all(src.startswith("/static/") for src in sources)
    # Under the Content-Security-Policy only script files run; the one inline block is JSON data.
    assert all("src=" in s or 'type="application/json"' in s for s in scripts)
    assert "script-src 'self'" in r["Content-Security-Policy"]
    assert "http://" not in page and "https://" not in page
    for src in sources:
        assert client.get(src).status_code == 200, src


# Every operation where clients and generated code expect it: path, method, operation id, tag and
# the Django URL name, as they were before the endpoints moved onto ninja Routers.
OPERATIONS = {
    ("post", "/api/v1/plan"): ("make_plan_now", "plans"),
    ("get", "/api/v1/exercises"): ("exercises", "exercises"),
    ("get", "/api/v1/exercises/{slug}"): ("exercise", "exercises"),
    ("get", "/api/v1/me/profile"): ("my_profile", "me"),
    ("put", "/api/v1/me/profile"): ("check_in", "me"),
    ("get", "/api/v1/me/plan"): ("my_plan", "me"),
    ("get", "/api/v1/me/sessions"): ("my_sessions", "me"),
    ("post", "/api/v1/me/sessions"): ("log_session", "me"),
    ("get", "/api/v1/me/sessions/{session_id}"): ("my_session", "me"),
    ("post", "/api/v1/me/sessions/{session_id}/morning"): ("answer_morning", "me"),
    ("get", "/api/v1/me/progress"): ("my_progress", "me"),
    ("post", "/api/v1/me/pain"): ("this_hurts", "me"),
    ("get", "/api/v1/me/export"): ("export", "me"),
    ("get", "/api/v1/coach/clients"): ("clients", "coach"),
    ("get", "/api/v1/coach/clients/{client_id}/fhir"): ("client_fhir", "coach"),
    ("get", "/api/v1/me/handout"): ("handout", "exports"),
    ("get", "/api/v1/me/calendar"): ("calendar", "exports"),
    ("get", "/api/v1/me/fhir"): ("fhir", "exports"),
    ("get", "/api/v1/me/messages"): ("my_messages", "me"),
    ("post", "/api/v1/me/messages"): ("write_to_coach", "me"),
    ("post", "/api/v1/me/messages/read"): ("mark_messages_read", "me"),
}


def test_every_operation_keeps_its_path_method_operation_id_and_url_name(client, db):
    from django.urls import reverse

    doc = client.get("/api/openapi.json").json()
    found = {(method, path): (op["operationId"], *op["tags"])
             for path, ops in doc["paths"].items() for method, op in ops.items()}
    assert found == OPERATIONS
    for (_, path), (operation_id, _) in OPERATIONS.items():
        kwargs = {name: "1" for name in re.findall(r"{(\w+)}", path)}
        assert reverse(f"api-1:{operation_id}", kwargs=kwargs) == path.format(**kwargs)
    # Each body is described once, from the model its parser reads.
    bodies = {op["requestBody"]["content"]["application/json"]["schema"]["$ref"].rpartition("/")[2]
              for ops in doc["paths"].values() for op in ops.values() if "requestBody" in op}
    assert bodies == {"PlanRequest", "Profile", "SessionDone", "MorningAnswer", "PainQuestion", "NewMessage", "ReadUpTo"}
    assert bodies <= set(doc["components"]["schemas"])


def test_a_profile_sent_with_the_day_it_describes_counts_its_weeks_from_that_day(client, charlie):
    # A developer's find: answered_on was dropped, so 11 weeks of pregnancy four weeks ago planned as the
    # first trimester (lying on the back) when `sijcoach plan` with the same answers said the second.
    auth = bearer(charlie)
    on = services.today_for(charlie)
    then = on - dt.timedelta(days=28)
    answers = {**BASE_PROFILE, "sex": "female", "pregnancy": "pregnant", "pregnancy_weeks": 11,
               "answered_on": then.isoformat()}
    r = send(client, "put", "/api/v1/me/profile", answers, auth)
    assert r.status_code == 201, r.content
    assert r.json()["answered_on"] == then.isoformat() == CheckIn.objects.get(user=charlie).answered_on.isoformat()
    plan = client.get("/api/v1/me/plan", headers=auth).json()
    assert plan["assessment"]["pregnancy_stage"] == "after_first_trimester"
    anonymous = send(client, "post", "/api/v1/plan", {"profile": answers, "start": on.isoformat()}, {}).json()
    assert anonymous["assessment"]["pregnancy_stage"] == "after_first_trimester"

    later = (on + dt.timedelta(days=1)).isoformat()
    r = send(client, "put", "/api/v1/me/profile", {**answers, "answered_on": later}, auth)
    assert r.status_code == 422
    (problem,) = r.json()["detail"]
    assert problem["field"] == "answered_on" and on.isoformat() in problem["allowed"]
    assert CheckIn.objects.filter(user=charlie).count() == 1


def test_a_session_sent_without_its_routine_is_strength_when_it_holds_strength_work(client, alice, alice_auth):
    # A developer's find: a strength session sent without routine_kind was stored as relief, and the plan
    # put strength on the next day.
    strength = [{"exercise": slug, "side": "none", "planned": {"sets": 2, "reps": 8, "hold_s": 0},
                 "sets_done": 2, "reps_done": 8, "pain": 1, "effort": "ok"}
                for slug in ("glute-bridge", "ta-drawing-in", "quadruped-leg-slide")]
    now = timezone.now()
    tuesday = now + dt.timedelta(days=(1 - now.weekday()) % 7 or 7)  # the day before a usual strength day
    with time_machine.travel(tuesday):
        r = send(client, "post", "/api/v1/me/sessions", session_payload(items=strength), alice_auth)
    assert r.status_code == 201 and r.json()["routine_kind"] == "strength", r.content
    with time_machine.travel(tuesday + dt.timedelta(days=1)):
        plan = client.get("/api/v1/me/plan", headers=alice_auth).json()
    assert not any(rt["kind"] == "strength" for rt in plan["days"][0]["routines"])  # never two days in a row
    assert any(rt["kind"] == "strength" for rt in plan["days"][1]["routines"])  # it moves to the next day
    relief = [{"exercise": "cat-cow", "side": "none", "planned": {"sets": 1, "reps": 8, "hold_s": 0},
               "sets_done": 1, "reps_done": 8, "effort": "ok"}]
    r = send(client, "post", "/api/v1/me/sessions", session_payload(items=relief), alice_auth)
    assert r.status_code == 201 and r.json()["routine_kind"] == "relief"


def test_a_nan_or_infinity_sent_is_named_in_a_reply_that_is_valid_json(client, alice, alice_auth):
    # A developer's find: {"age": NaN} was echoed as "value": NaN, which JSON.parse cannot read.
    for body, shown in ((b'{"age": NaN, "pain_now": 3, "onset_days_ago": 20}', "NaN"),
                        (b'{"age": 40, "pain_now": -Infinity, "onset_days_ago": 20}', "-Infinity"),
                        (b'{"age": 40, "pain_now": 3, "onset_days_ago": 20, "hypermobility_answers": [NaN]}', None)):
        r = client.put("/api/v1/me/profile", body, content_type="application/json", headers=alice_auth)
        assert r.status_code == 422
        detail = json.loads(r.content.decode(), parse_constant=lambda c: pytest.fail(f"{c} in the reply"))["detail"]
        if shown is not None:
            assert shown in [p["value"] for p in detail], detail
