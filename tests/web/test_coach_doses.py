"""A coach's own doses through the client page: any dose within the safety limits for its kind, shown
to the client as the coach's with the coach's cue (Today, the player), refusals that name the field in
plain words beside it and at the top of the form, and a day the coach's doses make too long.

The personas are made on a fixed Monday so that the glute bridge is in today's strength routine."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from conftest import check_in, make_coach, make_user, session_payload
from django.test import Client
from django.urls import reverse

from sijcoach.engine.vocab import day_words
from sijcoach.web.coaching.models import CoachVersion
from sijcoach.web.plans import services

MONDAY = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)
CUE = "Squeeze your buttocks before you lift"


@pytest.fixture
def clock(db):
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def pair(clock):
    """(Cora's browser, Alice, Alice's browser): Alice checked in today and is Cora's client."""
    alice = make_user("alice@example.org")
    check_in(alice)
    cora = make_coach("cora@example.org", alice)
    cora_web, alice_web = Client(), Client()
    cora_web.force_login(cora)
    alice_web.force_login(alice)
    return cora_web, alice, alice_web


def set_dose(web, person, **data):
    return web.post(reverse("coach_change", args=[person.pk]), {"form": "dose", **data})


def today_items(user):
    plan = services.current_plan(user, services.today_for(user)).plan
    return {i.exercise: i for r in plan.days[0].routines for i in r.items}


def test_the_dose_form_offers_only_exercises_a_dose_can_be_set_for(pair):
    # A physiotherapist's find: the list offered the walks, each refused once chosen.
    cora_web, alice, _ = pair
    page = cora_web.get(reverse("coach_client", args=[alice.pk])).content.decode()
    form = page[page.index('name="form" value="dose"'):]
    form = form[:form.index("</form>")]
    assert 'value="glute-bridge"' in form and 'value="walking"' not in form and 'value="pool-walking"' not in form
    r = set_dose(cora_web, alice, exercise="walking", hold_s="600")
    assert r.status_code == 400 and "Select a valid choice" in r.content.decode()


def test_a_coach_sets_a_three_by_ten_bridge_with_a_cue_and_the_client_sees_it_as_the_coachs(pair):
    cora_web, alice, alice_web = pair
    assert (today_items(alice)["glute-bridge"].sets, today_items(alice)["glute-bridge"].reps) != (3, 10)
    r = set_dose(cora_web, alice, exercise="glute-bridge", sets="3", reps="10", note=CUE)
    assert r.status_code == 302
    bridge = today_items(alice)["glute-bridge"]
    assert (bridge.sets, bridge.reps, bridge.dose_by, bridge.cue) == (3, 10, "set by your coach", CUE)

    today = alice_web.get(reverse("today")).content.decode()
    assert "3 sets × 10, hold 5 s, rest 60 s (set by your coach)" in today
    assert f"<strong>Your coach:</strong> {CUE}" in today

    player = alice_web.get(reverse("session_day"))
    items = [i for r in player.context["data"]["routines"] for i in r["items"]]
    (item,) = [i for i in items if i["exercise"] == "glute-bridge"]
    assert item["dose"].startswith("3 sets × 10") and item["dose"].endswith("(set by your coach)")
    assert (item["dose_by"], item["cue"]) == ("set by your coach", CUE)
    assert all(i["cue"] is None and i["dose_by"] is None for i in items if i["exercise"] != "glute-bridge")
    page = player.content.decode()
    assert '<p class="pl-cue" hidden><strong>Your coach:</strong> <span class="pl-cue-text"></span></p>' in page

    assert "Set Glute bridge to 3 sets, 10 repetitions." in CoachVersion.objects.get().what


def test_a_refused_dose_names_the_field_in_plain_words_beside_it_and_at_the_top(pair):
    cora_web, alice, _ = pair
    r = set_dose(cora_web, alice, exercise="glute-bridge", sets="3", reps="40")
    assert r.status_code == 400
    assert not CoachVersion.objects.exists()
    page = r.content.decode()
    form = page[page.index('id="dose-form"'):]
    form = form[:form.index("</form>")]
    summary = form[form.index('<div class="errors" role="alert">'):form.index('for="dose-exercise"')]
    assert "Repetitions: 40 is not accepted (repetitions for Glute bridge is outside the safety limits for " \
           "strength exercises" in summary
    assert "Allowed: a whole number from 1 to 30." in summary
    field = form[form.index('for="dose-reps"'):form.index('for="dose-hold_s"')]
    assert '<p class="error">40 is not accepted (repetitions for Glute bridge' in field
    assert not re.search(r"\breps\b|hold_s|rest_s", re.sub(r'(id|for|name)="[^"]*"', "", summary + field))


def test_every_value_out_of_range_is_named_with_its_range_at_once(pair):
    # A physiotherapist's find: sets 0 and repetitions -5 gave only Django's "Repetitions: Ensure this
    # value is greater than or equal to 0"; sets 0 was not named, nor the range allowed.
    cora_web, alice, _ = pair
    r = set_dose(cora_web, alice, exercise="glute-bridge", sets="0", reps="-5", rest_s="-5")
    assert r.status_code == 400
    assert not CoachVersion.objects.exists()
    page = r.content.decode()
    form = page[page.index('id="dose-form"'):]
    summary = form[form.index('<div class="errors" role="alert">'):form.index('for="dose-exercise"')]
    assert "Sets: 0 is not accepted" in summary and "Allowed: a whole number from 1 to 6." in summary
    assert "Repetitions: -5 is not accepted" in summary and "Allowed: a whole number from 1 to 30." in summary
    assert "Rest between sets (seconds): -5 is not accepted" in summary
    assert "Ensure this value" not in page


def test_a_dose_the_clients_situation_rules_out_is_refused_with_the_reason(pair):
    cora_web, alice, _ = pair
    check_in(alice, conditions=["knee_problem"])
    r = set_dose(cora_web, alice, exercise="childs-pose", reps="4", hold_s="60")
    assert r.status_code == 400
    assert "ruled out: it needs kneeling or deep knee bending, and the client has a knee problem" in r.content.decode()
    assert not CoachVersion.objects.exists()


def test_a_day_the_coachs_doses_make_too_long_says_so_to_the_client_and_the_coach(pair):
    cora_web, alice, alice_web = pair
    assert set_dose(cora_web, alice, exercise="glute-bridge", sets="5", reps="15", rest_s="90").status_code == 302
    kinds = [r.kind.value for r in services.current_plan(alice, services.today_for(alice)).plan.days[0].routines]
    assert kinds == ["strength"]  # relief and the walk gave way to the coach's strength work
    warning = "Mon 1 Mar: the day runs long: the doses your coach set take about"  # 2027-03-01
    assert warning in alice_web.get(reverse("today")).content.decode()
    assert warning in cora_web.get(reverse("coach_client", args=[alice.pk])).content.decode()


def test_a_dose_each_of_whose_values_is_allowed_but_which_takes_hours_is_refused_at_the_top(pair):
    # A physiotherapist's find: 5 x 30 with a minute's hold and two minutes' rest was saved, and the
    # client's 20-minute day ran 130 minutes.
    cora_web, alice, _ = pair
    r = set_dose(cora_web, alice, exercise="ta-drawing-in", sets="5", reps="30", hold_s="60", rest_s="120")
    assert r.status_code == 400
    page = r.content.decode()
    assert "Deep belly draw-in at this dose takes about 168 minutes" in page and "at most 12 minutes" in page
    assert not CoachVersion.objects.filter(link__client=alice).exists()


def test_after_a_flare_the_coach_reads_that_their_dose_is_lower_and_why(pair, clock):
    cora_web, alice, _ = pair
    set_dose(cora_web, alice, exercise="glute-bridge", sets="3", reps="10")
    on = services.today_for(alice)
    services.save_session(alice, services.parse_session(session_payload(pain_after=8)), on)
    clock.shift(dt.timedelta(days=3))
    page = cora_web.get(reverse("coach_client", args=[alice.pk])).content.decode()
    assert f"On {day_words(on)} pain reached 8/10: the doses your coach set are about 30% lower until it settles" in page
    bridge = today_items(alice)["glute-bridge"]  # Thursday: strength again after the two days of the flare
    assert (bridge.sets, bridge.reps) == (3, 7)
