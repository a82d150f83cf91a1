"""What a coach's change does that the coach may not have meant, said beside "Saved": each note the
client's plan gains with it (pelvic-floor work left out after a birth, the inflare correction that
cannot apply when both sides are sore), and a dose past what the app itself ever gives, for a
beginner or a pregnant client. The change is kept each time (a coach may go further than the app);
a change with no such effect says nothing more.

Found by a physiotherapist's walk-through: a pregnant beginner's exercise set to 6 × 30 with no rest,
pelvic-floor training left out five weeks after a caesarean, and an inflare side recorded for a
client sore on both sides were each saved with only "Saved"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from conftest import check_in, make_coach, make_user
from test_checkin import post as checkin_post
from django.test import Client
from django.urls import reverse

from sijcoach.engine.catalog import catalog
from sijcoach.engine.vocab import Kind
from sijcoach.web.coaching.models import CoachVersion
from sijcoach.web.plans import services

MONDAY = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock(db):
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


def coached(**answers):
    """(the coach's browser, the client): a client who checked in with `answers` today."""
    client = make_user("client@example.org")
    check_in(client, **answers)
    coach = make_coach("coach@example.org", client)
    web = Client()
    web.force_login(coach)
    return web, client


def change(web, client, form, **data) -> tuple[list[str], list[str]]:
    """Send one change; (the messages saying it was saved, the warnings beside them)."""
    r = web.post(reverse("coach_change", args=[client.pk]), {"form": form, **data}, follow=True)
    assert r.status_code == 200, re.findall(r'role="alert".*?</div>', r.content.decode(), re.S)
    said = [(m.level_tag, str(m)) for m in r.context["messages"]]
    page = r.content.decode()
    for _, text in said:  # each is shown on the page, in its section
        assert text.replace("'", "&#x27;").replace('"', "&quot;") in page
    return [t for level, t in said if level == "success"], [t for level, t in said if level == "warning"]


def today_items(user) -> dict:
    plan = services.current_plan(user, services.today_for(user)).plan
    return {i.exercise: i for r in plan.days[0].routines for i in r.items}


def test_a_dose_past_what_the_app_gives_a_pregnant_beginner_is_kept_and_the_coach_asked_to_check_it(clock):
    web, client = coached(sex="female", pregnancy="pregnant", pregnancy_weeks=24, level="beginner")
    assert "clamshell" in today_items(client)
    saved, warned = change(web, client, "dose", exercise="clamshell", sets="5", reps="20", rest_s="0")
    assert saved == ["Saved: your client sees it on their Today page now."]
    assert len(warned) == 1
    assert warned[0].startswith("Your dose of Clamshell goes past what the app itself gives anyone: 5 sets (the app gives ")
    assert "20 repetitions (the app gives " in warned[0] and "0 s rest (the app gives " in warned[0]
    assert "The client is a beginner and pregnant: please check that this is what you meant" in warned[0]
    item = today_items(client)["clamshell"]
    assert (item.sets, item.reps, item.rest_s) == (5, 20, 0)  # kept: the coach may go further than the app

    # Within the app's own range: nothing to check.
    saved, warned = change(web, client, "dose", exercise="clamshell", sets="2", reps="10")
    assert saved and warned == []


def test_the_same_dose_for_an_advanced_client_who_is_not_pregnant_needs_no_check(clock):
    web, client = coached(level="advanced")
    item = next(i for i in today_items(client).values() if i.exercise == "glute-bridge")
    saved, warned = change(web, client, "dose", exercise=item.exercise, sets="5", reps="20", rest_s="0")
    assert saved and warned == []


def test_leaving_out_pelvic_floor_work_after_a_birth_tells_the_coach_what_the_plan_now_says(clock):
    web, client = coached(sex="female", pregnancy="postpartum", pregnancy_weeks=5, birth="caesarean")
    assert "pelvic-floor-activation" in today_items(client)
    saved, warned = change(web, client, "pin", action="exclude", exercise="pelvic-floor-activation",
                           note="Seeing a pelvic health physio")
    assert saved and len(warned) == 1
    assert warned[0].startswith("Their plan now says: Pelvic-floor training is left out because ")
    assert "midwife or a women's health physiotherapist" in warned[0]
    assert "pelvic-floor-activation" not in today_items(client)
    assert CoachVersion.objects.filter(kind=CoachVersion.Kind.EXCLUDE).count() == 1  # kept

    # Given back: the note goes, and nothing new is said.
    saved, warned = change(web, client, "pin", action="release", exercise="pelvic-floor-activation")
    assert saved and warned == []
    assert "pelvic-floor-activation" in today_items(client)


def test_an_inflare_side_for_a_client_sore_on_both_sides_tells_the_coach_the_correction_is_left_out(clock):
    web, client = coached(sore_side="both")
    saved, warned = change(web, client, "findings", distortion="inflare", distortion_side="right")
    assert saved
    assert any(w.startswith("Their plan now says: Step 2, the inflare correction, is left out") for w in warned)

    # The same findings for a client sore on the right only: the correction is planned, nothing to say.
    other = make_user("other@example.org")
    check_in(other, sore_side="right")
    coach = make_coach("coach2@example.org", other)
    web2 = Client()
    web2.force_login(coach)
    saved, warned = change(web2, other, "findings", distortion="inflare", distortion_side="right")
    assert saved and not any("inflare correction, is left out" in w for w in warned)


def test_the_coach_reads_whether_the_postnatal_check_was_said_done_after_a_caesarean(clock):
    web, client = coached(sex="female", pregnancy="postpartum", pregnancy_weeks=9, birth="caesarean")
    page = web.get(reverse("coach_client", args=[client.pk])).content.decode()
    assert "Postnatal check" in page and "not said done: loaded tummy and hip-hinge work waits for it" in page
    r = web.post(reverse("coach_change", args=[client.pk]), {"form": "pin", "action": "pin", "exercise": "hip-hinge"})
    assert r.status_code == 400  # refused: the pin waits for the check, as the plan's own hip hinge does
    assert "has given the all-clear" in r.content.decode() and not CoachVersion.objects.exists()


def test_a_dose_for_an_exercise_not_on_the_coming_days_tells_the_coach_it_waits(clock):
    web, client = coached()
    held = set(today_items(client))
    plan = services.current_plan(client, services.today_for(client)).plan
    held |= {i.exercise for d in plan.days for r in d.routines for i in r.items}
    situation = services.situation_of(client)
    unplanned = next(ex.slug for ex in catalog() if ex.kind == Kind.STRENGTH and ex.slug not in held
                     and situation.why_not(ex) is None)
    saved, warned = change(web, client, "dose", exercise=unplanned, sets="2")
    assert saved and any(w.startswith("Their plan now says: Your coach set the dose of") and
                         w.endswith("the dose waits until it returns (a pin keeps it in the plan).") for w in warned)


def test_the_clients_findings_page_shows_what_the_coach_found_and_that_it_stands(clock):
    # A physiotherapist's find: while coached, the client's findings page read "None found / not checked"
    # with an empty Beighton score, as if nothing had been found.
    web, client = coached()
    saved, _ = change(web, client, "findings", distortion="inflare", distortion_side="right", beighton_score="6")
    assert saved
    client_web = Client()
    client_web.force_login(client)
    page = client_web.get(reverse("checkin_start"), follow=True).content.decode()
    assert 'id="coach-findings"' not in page  # the warning signs' page
    for step in ("warning-signs", "about", "history"):
        checkin_post(client_web, step)
    page = client_web.get(reverse("checkin_step", args=["findings"])).content.decode()
    assert ("Your coach recorded: distortion inflare, right side; Beighton score 6. While they coach you, what they "
            "found takes the place of your answers here.") in page


def test_findings_replaced_by_later_ones_say_so_where_the_client_reads_them(clock):
    # A physiotherapist's find: Today's "From your coach" listed the upslip found first beside the inflare
    # that replaced it, with nothing to say which stands.
    web, client = coached()
    change(web, client, "findings", distortion="upslip", distortion_side="right")
    change(web, client, "findings", distortion="inflare", distortion_side="right")
    client_web = Client()
    client_web.force_login(client)
    for page in (client_web.get(reverse("today")), client_web.get(reverse("my_coach"))):
        items = re.findall(r"<li><time.*?</li>", page.content.decode(), re.S)
        inflare = next(i for i in items if "distortion inflare" in i)
        upslip = next(i for i in items if "distortion upslip" in i)
        assert "Replaced by the later findings above." in upslip and "Replaced" not in inflare


def test_the_coachs_session_rows_say_an_exercise_stopped_before_a_set_and_give_no_effort_for_it(clock):
    # A physiotherapist's find: "Pelvic tilt: 0 × 0, pain 7, ok" for an exercise stopped at once.
    web, client = coached()
    items = [
        {"exercise": "pelvic-tilt", "side": "none", "planned": {"sets": 2, "reps": 10, "hold_s": 0},
         "sets_done": 0, "reps_done": 0, "pain": 7, "effort": "ok"},
        {"exercise": "cat-cow", "side": "none", "planned": {"sets": 2, "reps": 10, "hold_s": 0},
         "sets_done": 2, "reps_done": 10, "pain": 1, "effort": "easy"},
    ]
    services.save_session(client, services.parse_session({"pain_before": 3, "pain_after": 4, "items": items}),
                          services.today_for(client))
    page = web.get(reverse("coach_client", args=[client.pk])).content.decode()
    assert "Pelvic tilt: stopped before a set was done, pain 7</li>" in page
    assert "Cat-cow: 2 × 10, pain 1, effort easy</li>" in page
