"""The check-in wizard: page order, Back, field messages, warning signs, PSFS and the kept history."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from conftest import BASE_PROFILE, check_in, make_user
from django.urls import reverse
from django.utils.html import escape

from sijcoach.engine.catalog import catalog
from sijcoach.engine.guidance import library
from sijcoach.engine.plan_types import TriageLevel
from sijcoach.engine.vocab import Difficulty
from sijcoach.web.plans import checkin_service, services
from sijcoach.web.plans.models import CheckIn, PlannedDay, PsfsActivity, PsfsRating, RedFlagReport

ALL_STEPS = ["warning-signs", "about", "history", "findings", "setup", "activities"]

ANSWERS = {
    "warning-signs": {},
    "about": {"age": "41", "sex": "male", "pregnancy": "none", "pregnancy_weeks": "", "pain_now": "4",
              "onset_days_ago": "30", "sore_side": "right", "cause": "lifting"},
    "history": {"history": ["sedentary"], "conditions": [], **{f"hm_{i}": "no" for i in range(5)}},
    "findings": {"distortion": "none", "beighton_score": ""},
    "setup": {"equipment": ["mat", "wall", "chair"], "level": "beginner", "minutes_per_day": "25",
              "strength_days_per_week": "2"},
    "activities": {"activity_0": "tying shoelaces", "score_0": "3", "activity_1": "getting out of a car",
                   "score_1": "5", "activity_2": "", "score_2": ""},
}


def url(step: str) -> str:
    return reverse("checkin_step", args=[step])


def post(client, step: str, nav: str = "next", **changes):
    data = {**ANSWERS[step], **changes}
    days = data.pop("onset_days_ago", None)  # a number of days: typed as the number with the unit "days"
    if days is not None and "onset_days_ago_0" not in data:
        data.update(onset_days_ago_0=days, onset_days_ago_1="days")
    return client.post(url(step), {**{k: v for k, v in data.items() if v is not None}, "nav": nav})


def checked(page: str, name: str, value: str | None = None) -> bool:
    """Whether the page's input `name` (with `value`, for a choice) is ticked."""
    for tag in re.findall(r"<input\b[^>]*>", page):
        if f'name="{name}"' in tag and (value is None or f'value="{value}"' in tag):
            return bool(re.search(r"\schecked\b", tag))
    raise AssertionError(f"no input {name}={value} on the page")


def walk(client, steps=None, **pages):
    """Start a check-in and answer every page; `pages` changes a page's answers."""
    assert client.get(reverse("checkin_start"))["Location"] == url("warning-signs")
    r = None
    for step in steps or ALL_STEPS:
        r = post(client, step, **pages.get(step.replace("-", "_"), {}))
    return r


@pytest.fixture
def charlie_client(client, charlie):
    client.force_login(charlie)
    return client


def test_the_check_in_starts_on_the_warning_signs(charlie_client):
    r = charlie_client.get(reverse("checkin_start"))
    assert r.status_code == 302 and r["Location"] == url("warning-signs")


def test_charlie_answers_every_page_in_order_and_gets_a_plan(charlie_client, charlie):
    charlie_client.get(reverse("checkin_start"))
    for number, step in enumerate(ALL_STEPS, start=1):
        page = charlie_client.get(url(step))
        assert page.status_code == 200
        assert f"page {number} of {len(ALL_STEPS)}" in page.content.decode()
        r = post(charlie_client, step)
        following = url(ALL_STEPS[number]) if number < len(ALL_STEPS) else reverse("today")
        assert r.status_code == 302 and r["Location"] == following
    checkin = CheckIn.objects.get(user=charlie)
    assert checkin.source == "check_in" and checkin.triage_level == "none"
    profile = checkin.to_engine()
    assert (profile.age, profile.pain_now, profile.onset_days_ago, profile.sore_side) == (41, 4, 30, "right")
    assert profile.history == ("sedentary",) and profile.hypermobility_answers == (False,) * 5
    assert profile.equipment == ("mat", "wall", "chair") and profile.minutes_per_day == 25
    assert profile.strength_days_per_week == 2 and profile.red_flags == ()
    assert charlie_client.get(reverse("today")).status_code == 200


def test_the_last_page_saves_and_the_others_say_next(charlie_client):
    charlie_client.get(reverse("checkin_start"))
    assert ">Next<" in charlie_client.get(url("warning-signs")).content.decode()
    for step in ALL_STEPS[:-1]:
        post(charlie_client, step)
    assert "Save and see my plan" in charlie_client.get(url("activities")).content.decode()


def test_the_first_page_has_no_back_button(charlie_client):
    charlie_client.get(reverse("checkin_start"))
    assert 'value="back"' not in charlie_client.get(url("warning-signs")).content.decode()
    post(charlie_client, "warning-signs")
    assert 'value="back"' in charlie_client.get(url("about")).content.decode()


def test_back_keeps_the_answers_of_both_pages(charlie_client):
    charlie_client.get(reverse("checkin_start"))
    post(charlie_client, "warning-signs")
    post(charlie_client, "about", age="57", onset_days_ago="400")
    r = post(charlie_client, "history", nav="back", history=["arthritis", "scoliosis"])
    assert r.status_code == 302 and r["Location"] == url("about")
    about = charlie_client.get(url("about")).content.decode()
    assert 'value="57"' in about and 'value="400"' in about
    post(charlie_client, "about", age="57", onset_days_ago="400")
    history = charlie_client.get(url("history")).content.decode()
    assert checked(history, "history", "arthritis") and checked(history, "history", "scoliosis")
    assert not checked(history, "history", "sedentary")


def test_back_from_an_unfinished_page_is_allowed(charlie_client):
    charlie_client.get(reverse("checkin_start"))
    post(charlie_client, "warning-signs")
    r = post(charlie_client, "about", nav="back", age="")
    assert r.status_code == 302 and r["Location"] == url("warning-signs")


def test_what_was_typed_on_an_unfinished_page_waits_on_it_after_back(charlie_client):
    # A new user's walk-through: two activities typed (one scored 11), Back, then Next: the page was empty.
    charlie_client.get(reverse("checkin_start"))
    for step in ALL_STEPS[:-1]:
        post(charlie_client, step)
    r = post(charlie_client, "activities", nav="back", activity_0="Turning over in bed", score_0="4",
             activity_1="Getting dressed", score_1="11")
    assert r.status_code == 302 and r["Location"] == url("setup")
    post(charlie_client, "setup")
    page = charlie_client.get(url("activities")).content.decode()
    assert 'value="Turning over in bed"' in page and 'value="Getting dressed"' in page and 'value="11"' in page
    # What is still wrong, said once (it also said "Rate this activity from 0 to 10", as if none was typed).
    assert page.count("Activity 2&#x27;s rating: choose a whole number from 0 to 10.") == 1
    assert "Rate this activity" not in page and "?:" not in page
    r = post(charlie_client, "activities", activity_0="Turning over in bed", score_0="4", activity_1="", score_1="")
    assert r.status_code == 302 and r["Location"] == reverse("today")
    assert list(PsfsActivity.objects.values_list("name", flat=True)) == ["Turning over in bed"]


def test_an_invalid_answer_shows_the_fields_message_and_keeps_the_other_pages(charlie_client):
    charlie_client.get(reverse("checkin_start"))
    post(charlie_client, "warning-signs", flag_history_of_cancer="on")
    r = post(charlie_client, "about", pain_now="11", age="44")
    assert r.status_code == 400
    page = r.content.decode()
    assert "Pain is a whole number from 0 (no pain) to 10 (the worst); 11 is not one of them." in page
    assert 'value="44"' in page  # what was typed stays in the form
    warning = charlie_client.get(url("warning-signs")).content.decode()
    assert checked(warning, "flag_history_of_cancer") and not checked(warning, "flag_chest_pain")
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("step, changes, message", [
    ("about", {"age": "8"}, "Your age: choose a whole number from 12 to 110."),
    ("about", {"age": "forty"}, "Your age: choose a whole number from 12 to 110."),
    ("about", {"pregnancy_weeks": "12"}, "Leave this empty unless you are pregnant"),
    ("about", {"pregnancy": "pregnant", "pregnancy_weeks": "44"}, "Weeks of pregnancy go from 0 to 43."),
    ("about", {"pregnancy": "postpartum", "pregnancy_weeks": "105"}, "Weeks since the birth go from 0 to 104"),
    ("about", {"sore_side": "middle"}, "Select a valid choice. middle is not one of the available choices."),
    ("setup", {"minutes_per_day": "5"}, "Minutes a day: choose a whole number from 10 to 120."),
    ("setup", {"equipment": ["trampoline"]}, "Select a valid choice. trampoline is not one of the available"),
    ("setup", {"strength_days_per_week": "5"}, "Strength days a week: choose a whole number from 0 to 4."),
    ("findings", {"beighton_score": "10"}, "Beighton score: choose a whole number from 0 to 9."),
    ("activities", {"score_0": ""}, "Rate this activity from 0 to 10, or leave its name empty."),
    ("activities", {"activity_0": "", "score_0": "4"}, "Name the activity you rated, or clear its rating."),
])
def test_each_page_names_the_problem_with_an_answer(charlie_client, step, changes, message):
    walk(charlie_client, ALL_STEPS[:ALL_STEPS.index(step)])
    r = post(charlie_client, step, **changes)
    assert r.status_code == 400
    assert escape(message) in r.content.decode()


def test_a_postpartum_answer_within_range_is_kept(charlie_client, charlie):
    walk(charlie_client, about={"pregnancy": "postpartum", "pregnancy_weeks": "45", "sex": "female"})
    assert CheckIn.objects.get(user=charlie).to_engine().pregnancy_weeks == 45


def test_an_emergency_answer_stops_at_once_without_a_check_in(charlie_client, charlie):
    charlie_client.get(reverse("checkin_start"))
    r = post(charlie_client, "warning-signs", flag_saddle_numbness="on")
    assert r.status_code == 302 and r["Location"] == reverse("checkin_stop")
    page = charlie_client.get(reverse("checkin_stop"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Get help now" in text
    assert escape(library().actions[TriageLevel.EMERGENCY]) in text
    assert escape(library().flags["saddle_numbness"].reason) in text
    report = RedFlagReport.objects.get(user=charlie)
    assert (report.level, report.flags) == ("emergency", ["saddle_numbness"])
    assert not CheckIn.objects.filter(user=charlie).exists()
    # The draft is gone: the wizard starts again from the beginning.
    assert charlie_client.get(url("about"))["Location"] == reverse("checkin_start")


def test_an_urgent_answer_stops_with_the_urgent_advice(charlie_client, charlie):
    charlie_client.get(reverse("checkin_start"))
    r = post(charlie_client, "warning-signs", flag_fever_or_unwell="on")
    assert r["Location"] == reverse("checkin_stop")
    text = charlie_client.get(reverse("checkin_stop")).content.decode()
    assert "See a doctor today" in text and "Get help now" not in text
    assert escape(library().actions[TriageLevel.URGENT]) in text
    assert RedFlagReport.objects.get(user=charlie).level == "urgent"
    assert not CheckIn.objects.exists()


def test_the_most_serious_answer_decides(charlie_client, charlie):
    charlie_client.get(reverse("checkin_start"))
    post(charlie_client, "warning-signs", flag_fever_or_unwell="on", flag_chest_pain="on",
         flag_history_of_cancer="on")
    report = RedFlagReport.objects.get(user=charlie)
    assert report.level == "emergency"
    assert report.flags == ["chest_pain", "fever_or_unwell", "history_of_cancer"]


def test_today_shows_the_stop_page_until_a_check_in_without_the_warning_sign(alice_client, alice):
    alice_client.get(reverse("checkin_start"))
    post(alice_client, "warning-signs", flag_bladder_bowel_change="on")
    r = alice_client.get(reverse("today"))
    assert r.status_code == 302 and r["Location"] == reverse("checkin_stop")
    assert alice_client.get(reverse("session", args=[0]))["Location"] == reverse("checkin_stop")  # not a 404
    walk(alice_client, ALL_STEPS[:-1])
    assert alice_client.get(reverse("today")).status_code == 200
    r = alice_client.get(reverse("checkin_stop"))
    assert r.status_code == 302 and r["Location"] == reverse("today")


def test_a_warning_sign_takes_today_and_the_days_ahead_out_of_the_planned_routines_until_a_new_check_in(
        alice_client, alice):
    # A physiotherapist's find: after "Do not exercise for now", the client's Progress and the coach's list
    # still read "0 of 21 planned routines done", counting against them what they were told not to do.
    today = services.today_for(alice)
    yesterday = today - dt.timedelta(days=1)
    PlannedDay.objects.create(user=alice, date=yesterday, routines=[{"kind": "relief", "title": "Daily relief",
                              "minutes": 6}], checkin=CheckIn.objects.get(user=alice))
    assert PlannedDay.objects.filter(user=alice, date__gte=today).count() == services.PLAN_DAYS
    alice_client.get(reverse("checkin_start"))
    post(alice_client, "warning-signs", flag_one_leg_weakness_or_numbness_new="on")
    assert alice_client.get(reverse("today"))["Location"] == reverse("checkin_stop")
    assert list(PlannedDay.objects.filter(user=alice).values_list("date", flat=True)) == [yesterday]  # the past stays
    walk(alice_client, ALL_STEPS[:-1])  # a check-in without it: planned again
    assert PlannedDay.objects.filter(user=alice, date__gte=today).count() == services.PLAN_DAYS


def test_saving_settings_does_not_answer_an_open_warning_sign(alice_client, alice):
    alice_client.get(reverse("checkin_start"))
    post(alice_client, "warning-signs", flag_unexplained_weight_loss="on")
    r = alice_client.post(reverse("settings"), {**ANSWERS["setup"], "time_zone": "", "reminder_time": ""})
    assert r.status_code == 302
    assert alice_client.get(reverse("today"))["Location"] == reverse("checkin_stop")
    assert alice_client.get(reverse("checkin_stop")).status_code == 200


@pytest.mark.parametrize("pregnancy, heading", [
    ({"pregnancy": "pregnant", "pregnancy_weeks": 30}, "See a doctor or physiotherapist soon, and tell your midwife"),
    ({"pregnancy": "postpartum", "pregnancy_weeks": 6}, "See a doctor or physiotherapist soon, and tell your midwife or GP about the birth"),
])
def test_in_pregnancy_and_after_a_birth_the_see_soon_heading_names_the_midwife_as_the_advice_does(
        alice_client, alice, pregnancy, heading):
    # The engine's advice under it named the maternity team while the heading named only a doctor.
    check_in(alice, pain_now=8, **pregnancy)
    page = alice_client.get(reverse("today")).content.decode()
    assert f"<h2>{heading}</h2>" in page and "midwife" in page[page.index("<h2>"):page.index("</section>")]


def test_a_see_a_doctor_soon_answer_gives_a_gentle_plan_with_the_advice_first(charlie_client, charlie):
    walk(charlie_client, warning_signs={"flag_history_of_cancer": "on"}, setup={"level": "advanced"})
    assert CheckIn.objects.get(user=charlie).triage_level == "see_doctor_soon"
    r = charlie_client.get(reverse("today"))
    assert r.status_code == 200
    page = r.content.decode()
    action = escape(library().actions[TriageLevel.SEE_DOCTOR_SOON])
    assert "See a doctor or physiotherapist soon</h2>" in page and action in page
    assert escape(library().flags["history_of_cancer"].reason) in page
    assert page.index(action) < page.index('class="routine"')
    plan = r.context["plan"]
    slugs = {i.exercise for d in plan.days for routine in d.routines for i in routine.items}
    assert slugs and all(catalog()[s].difficulty == Difficulty.BEGINNER for s in slugs)


def test_the_first_check_in_asks_for_three_activities_and_stores_their_ratings(charlie_client, charlie):
    walk(charlie_client)
    acts = list(PsfsActivity.objects.filter(user=charlie))
    assert [a.name for a in acts] == ["tying shoelaces", "getting out of a car"]
    on = services.today_for(charlie)
    assert [(r.activity.name, r.date, r.score) for r in PsfsRating.objects.filter(activity__user=charlie)] == [
        ("tying shoelaces", on, 3), ("getting out of a car", on, 5)]


def test_the_second_check_in_skips_the_activities(alice_client, alice):
    alice_client.get(reverse("checkin_start"))
    assert "page 1 of 5" in alice_client.get(url("warning-signs")).content.decode()
    assert alice_client.get(url("activities")).status_code == 404
    r = walk(alice_client, ALL_STEPS[:-1])
    assert r["Location"] == reverse("today")
    assert CheckIn.objects.filter(user=alice).count() == 2
    assert PsfsActivity.objects.filter(user=alice).count() == 3  # untouched


def test_every_check_in_is_kept_and_today_follows_the_newest(alice_client, alice):
    assert "Strength: " in alice_client.get(reverse("today")).content.decode()
    walk(alice_client, ALL_STEPS[:-1], about={"pain_now": "6"}, setup={"strength_days_per_week": "0"})
    walk(alice_client, ALL_STEPS[:-1], about={"pain_now": "5"}, setup={"strength_days_per_week": "0"})
    history = alice_client.get(reverse("history")).content.decode()
    assert history.count("<tr><td>") == 3
    assert history.index("5/10") < history.index("6/10") < history.index("3/10")  # newest first
    today = alice_client.get(reverse("today"))
    assert today.context["checkin"] == CheckIn.objects.filter(user=alice).latest("created_at")
    assert "Strength: " not in today.content.decode()
    assert all(r.kind != "strength" for d in today.context["plan"].days for r in d.routines)


def test_a_new_check_in_starts_from_the_last_answers_as_of_today(alice_client, alice):
    on = services.today_for(alice)
    check_in(alice, on=on - dt.timedelta(days=30), onset_days_ago=60, pain_now=7, minutes_per_day=35)
    alice_client.get(reverse("checkin_start"))
    post(alice_client, "warning-signs")
    about = alice_client.get(url("about")).content.decode()
    # 60 days then, 30 more since: 90 days, shown as 3 months
    assert 'name="onset_days_ago_0" value="3"' in about and re.search(r'<option value="months" selected>', about)
    assert not any(checked(about, "pain_now", str(n)) for n in range(11))  # the pain right now is asked afresh
    post(alice_client, "about", onset_days_ago="90")
    post(alice_client, "history")
    post(alice_client, "findings")
    assert 'name="minutes_per_day" value="35"' in alice_client.get(url("setup")).content.decode()


def test_the_warning_signs_start_unticked_on_a_new_check_in(alice_client, alice):
    check_in(alice, red_flags=["history_of_cancer"])
    alice_client.get(reverse("checkin_start"))
    page = alice_client.get(url("warning-signs")).content.decode()
    assert not checked(page, "flag_history_of_cancer") and not re.search(r"<input[^>]*\schecked\b", page)


def test_a_pregnancy_that_is_over_can_be_cleared(alice_client, alice):
    check_in(alice, pregnancy="pregnant", pregnancy_weeks=20)
    r = walk(alice_client, ALL_STEPS[:-1], about={"pregnancy": "none", "pregnancy_weeks": "", "sex": "female"})
    assert r["Location"] == reverse("today")
    profile = services.latest_checkin(alice).to_engine()
    assert profile.pregnancy == "none" and profile.pregnancy_weeks is None


def test_a_beighton_score_can_be_cleared(alice_client, alice):
    check_in(alice, beighton_score=6)
    walk(alice_client, ALL_STEPS[:-1], findings={"beighton_score": ""})
    assert services.latest_checkin(alice).to_engine().beighton_score is None


def test_the_warning_signs_cannot_be_skipped(charlie_client, charlie):
    charlie_client.get(reverse("checkin_start"))
    for step in ALL_STEPS[1:]:
        assert charlie_client.get(url(step))["Location"] == url("warning-signs")
    r = post(charlie_client, "activities")
    assert r.status_code == 302 and r["Location"] == url("warning-signs")
    assert not CheckIn.objects.exists()


def test_a_later_page_needs_the_pages_before_it(charlie_client):
    charlie_client.get(reverse("checkin_start"))
    post(charlie_client, "warning-signs")
    post(charlie_client, "about")
    assert charlie_client.get(url("setup"))["Location"] == url("history")


def test_a_page_without_a_started_check_in_goes_to_the_start(charlie_client):
    r = charlie_client.get(url("about"))
    assert r.status_code == 302 and r["Location"] == reverse("checkin_start")


def test_an_unknown_page_is_404(charlie_client):
    charlie_client.get(reverse("checkin_start"))
    assert charlie_client.get(url("favourite-colour")).status_code == 404


def test_the_stop_page_without_a_report_goes_to_today(charlie_client):
    r = charlie_client.get(reverse("checkin_stop"))
    assert r.status_code == 302 and r["Location"] == reverse("today")


# Issue 12: the questions the living programme needs -------------------------------------------------

def test_the_check_in_asks_inflammatory_signs_and_their_advice_reaches_today(charlie_client, charlie):
    """NICE NG65 (issue 12 h): asked in the check-in; three months or more, begun before 45, with a sign."""
    charlie_client.get(reverse("checkin_start"))
    post(charlie_client, "warning-signs")
    post(charlie_client, "about", age="35", onset_days_ago="400")
    assert "morning_stiffness" in charlie_client.get(url("history")).content.decode()
    walk(charlie_client, about={"age": "35", "onset_days_ago": "400"},
         history={"inflammatory_signs": ["morning_stiffness", "alternating_buttock_pain"]})
    profile = CheckIn.objects.get(user=charlie).to_engine()
    assert profile.inflammatory_signs == ("morning_stiffness", "alternating_buttock_pain")
    today = charlie_client.get(reverse("today")).content.decode()
    assert "spondyloarthritis" in today and "Daily relief" in today
    # Its heading says what its advice says (a walk-through read "See a doctor or physiotherapist soon"
    # above "Ask your GP ... at your next appointment").
    assert "<h2>Ask your GP at your next appointment</h2>" in today and "physiotherapist soon</h2>" not in today


def test_a_fall_with_osteoporosis_keeps_to_breathing_and_walks_until_a_doctor_rules_out_a_fracture(charlie_client, charlie):
    """Clinical-notes 2 (issue 12 a): the person's own answer lifts the precaution."""
    walk(charlie_client, about={"cause": "fall", "onset_days_ago": "10"},
         history={"conditions": ["osteoporosis"]})
    today = charlie_client.get(reverse("today")).content.decode()
    assert "rule out a fracture" in today and "Strength: core" not in today
    walk(charlie_client, steps=[s for s in ALL_STEPS if s != "activities"],
         about={"cause": "fall", "onset_days_ago": "12", "fracture_ruled_out": "on"},
         history={"conditions": ["osteoporosis"]})
    assert CheckIn.objects.filter(user=charlie).first().to_engine().fracture_ruled_out
    assert "rule out a fracture" not in charlie_client.get(reverse("today")).content.decode()


def test_the_side_of_a_distortion_and_how_the_baby_was_born_are_kept(charlie_client, charlie):
    walk(charlie_client, about={"sex": "female", "pregnancy": "postpartum", "pregnancy_weeks": "5",
                                "birth": "caesarean", "sore_side": "unsure"},
         findings={"distortion": "inflare", "distortion_side": "right"})
    profile = CheckIn.objects.get(user=charlie).to_engine()
    assert (profile.birth, profile.distortion_side) == ("caesarean", "right")
    today = charlie_client.get(reverse("today")).content.decode()
    assert "Pelvic floor" in today or "pelvic floor" in today


def test_a_maternity_sign_stops_the_check_in_and_names_the_maternity_unit(charlie_client, charlie):
    charlie_client.get(reverse("checkin_start"))
    r = post(charlie_client, "warning-signs", flag_pregnancy_maternity_sign="on")
    assert r["Location"] == reverse("checkin_stop")
    page = charlie_client.get(reverse("checkin_stop")).content.decode()
    assert "maternity unit or midwife" in page
    # Not sent to a doctor: the heading and the way back say what the action says, which is "now, day or
    # night" (a walk-through read "Get checked today" above it).
    assert "<h1>Get advice now</h1>" in page and "See a doctor today" not in page and "doctor has checked" not in page
    assert "now, day or night" in page
    # What she said yes to, in her words; no "earlier answers" on a first check-in, which has none.
    assert "You answered yes to" in page and "is your baby moving less" in page
    assert "taken as given" not in page
    assert not CheckIn.objects.filter(user=charlie).exists()


def test_a_pregnancy_sign_after_answers_that_did_not_say_pregnant_is_taken_as_given(alice_client, alice):
    alice_client.get(reverse("checkin_start"))
    post(alice_client, "warning-signs", flag_pregnancy_maternity_sign="on")
    assert "taken as given, even though your earlier answers did not say you are pregnant" in \
        alice_client.get(reverse("checkin_stop")).content.decode()


# The wizard and the API check in through one service ----------------------------------------------

def _through_the_api(user, answers: dict):
    from django.test import Client

    from sijcoach.web.accounts.models import ApiToken

    _, key = ApiToken.issue(user, "tests")
    return Client().put("/api/v1/me/profile", data=json.dumps(answers), content_type="application/json",
                        headers={"Authorization": f"Bearer {key}"})


def _outcome(user) -> tuple:
    """What a check-in left behind: the warning signs recorded, and the check-ins saved."""
    return ([(r.level, r.flags) for r in RedFlagReport.objects.filter(user=user)],
            [(c.triage_level, c.source) for c in CheckIn.objects.filter(user=user)])


@pytest.mark.parametrize("flag, level", [
    ("saddle_numbness", "emergency"), ("fever_or_unwell", "urgent"), ("pregnancy_maternity_sign", "urgent"),
])
def test_the_wizard_and_the_api_stop_alike_on_a_warning_sign(charlie_client, charlie, flag, level):
    assert library().flags[flag].level == level
    dora = make_user("dora@example.org")
    charlie_client.get(reverse("checkin_start"))
    assert post(charlie_client, "warning-signs", **{f"flag_{flag}": "on"})["Location"] == reverse("checkin_stop")
    r = _through_the_api(dora, {**BASE_PROFILE, "red_flags": [flag]})
    assert r.status_code == 200 and r.json()["saved"] is False
    assert r.json()["triage"]["level"] == level and r.json()["triage"]["reasons"][0]["id"] == flag
    assert _outcome(charlie) == _outcome(dora) == ([(level, [flag])], [])


def test_the_wizard_and_the_api_save_a_clean_check_in_alike(charlie_client, charlie):
    dora = make_user("dora@example.org")
    assert walk(charlie_client)["Location"] == reverse("today")
    answers = CheckIn.objects.get(user=charlie).profile
    r = _through_the_api(dora, answers)
    assert r.status_code == 201 and r.json()["saved"] is True
    assert CheckIn.objects.get(user=dora).profile == answers
    assert _outcome(charlie) == _outcome(dora) == ([], [("none", "check_in")])


def test_the_service_stops_on_the_same_signs_with_or_without_the_other_answers(charlie):
    ticked = ["fever_or_unwell", "chest_pain"]
    first_page = checkin_service.stop_for_warning_signs(charlie, ticked)
    whole = checkin_service.check_in(charlie, {**BASE_PROFILE, "red_flags": ticked}, dt.date(2026, 12, 1))
    assert isinstance(first_page, checkin_service.Stopped) and isinstance(whole, checkin_service.Stopped)
    assert first_page.triage.level == whole.triage.level == TriageLevel.EMERGENCY
    assert first_page.report.flags == whole.report.flags == ["chest_pain", "fever_or_unwell"]
    assert checkin_service.stop_for_warning_signs(charlie, ["history_of_cancer"]) is None
    saved = checkin_service.check_in(charlie, {**BASE_PROFILE, "red_flags": ["history_of_cancer"]}, dt.date(2026, 12, 1))
    assert isinstance(saved, checkin_service.Saved) and saved.checkin.triage_level == "see_doctor_soon"
    assert RedFlagReport.objects.filter(user=charlie).count() == 2 and CheckIn.objects.filter(user=charlie).count() == 1


def fieldset(page: str, legend: str) -> str:
    """The fieldset whose legend starts with `legend`: a question with its answers and messages."""
    found = re.search(r"<fieldset[^>]*>\s*<legend>" + re.escape(escape(legend)) + r".*?</fieldset>", page, re.S)
    assert found, f"no question {legend!r} on the page"
    return found.group(0)


def test_not_sure_keeps_the_other_hypermobility_answers(charlie_client, charlie):
    answers = {"hm_0": "yes", "hm_1": "no", "hm_2": "", "hm_3": "no", "hm_4": ""}
    charlie_client.get(reverse("checkin_start"))
    post(charlie_client, "warning-signs")
    post(charlie_client, "about")
    post(charlie_client, "history", nav="back", **answers)
    post(charlie_client, "about")
    history = charlie_client.get(url("history")).content.decode()  # Back and Next keep all five
    assert checked(history, "hm_0", "yes") and checked(history, "hm_1", "no") and checked(history, "hm_2", "")
    walk(charlie_client, history=answers)
    profile = CheckIn.objects.get(user=charlie).to_engine()
    assert profile.hypermobility_answers == (True, False, None, False, None)
    today = charlie_client.get(reverse("today"))
    plan = today.context["plan"]
    assert plan.assessment.hypermobile  # 1 yes of 3 answered: the safer reading
    assert escape("1 'yes' of the 3 flexibility questions answered (2 not sure)") in today.content.decode()


def test_a_new_check_in_shows_the_unsure_answers_as_not_sure(alice_client, alice):
    check_in(alice, hypermobility_answers=[None, True, False, None, None])
    alice_client.get(reverse("checkin_start"))
    post(alice_client, "warning-signs")
    post(alice_client, "about")
    history = alice_client.get(url("history")).content.decode()
    assert checked(history, "hm_0", "") and checked(history, "hm_1", "yes") and checked(history, "hm_2", "no")


def test_an_old_check_in_without_hypermobility_answers_starts_them_at_not_sure(alice_client, alice):
    check_in(alice, hypermobility_answers=None)
    alice_client.get(reverse("checkin_start"))
    post(alice_client, "warning-signs")
    post(alice_client, "about")
    history = alice_client.get(url("history")).content.decode()
    assert all(checked(history, f"hm_{i}", "") and not checked(history, f"hm_{i}", "yes") for i in range(5))


@pytest.mark.parametrize("amount, unit, days", [("2", "weeks", 14), ("4", "months", 120), ("1", "years", 365),
                                                ("3", "days", 3), ("0", "days", 0)])
def test_onset_is_asked_as_a_number_with_a_unit_and_kept_in_days(charlie_client, charlie, amount, unit, days):
    walk(charlie_client, about={"onset_days_ago_0": amount, "onset_days_ago_1": unit})
    assert CheckIn.objects.get(user=charlie).to_engine().onset_days_ago == days


def test_the_onset_shows_again_in_the_unit_it_was_given(charlie_client):
    charlie_client.get(reverse("checkin_start"))
    post(charlie_client, "warning-signs")
    post(charlie_client, "about", onset_days_ago_0="4", onset_days_ago_1="months")
    post(charlie_client, "history", nav="back")
    about = charlie_client.get(url("about")).content.decode()
    assert 'name="onset_days_ago_0" value="4"' in about and '<option value="months" selected>' in about


@pytest.mark.parametrize("step, changes, legend, message", [
    ("about", {"onset_days_ago_0": "2", "onset_days_ago_1": "fortnights"},
     "How long ago did this episode of pain start?", "Choose days, weeks, months or years."),
    ("about", {"onset_days_ago_0": "two", "onset_days_ago_1": "weeks"},
     "How long ago did this episode of pain start?", "Type how many as a whole number, such as 2."),
    ("about", {"onset_days_ago_0": "-2", "onset_days_ago_1": "weeks"},
     "How long ago did this episode of pain start?", "Type how many as 0 or more."),
    ("about", {"onset_days_ago_0": "101", "onset_days_ago_1": "years"},
     "How long ago did this episode of pain start?", "That is more than 100 years ago"),
    ("about", {"onset_days_ago_0": "", "onset_days_ago_1": "weeks"},
     "How long ago did this episode of pain start?", "Say how long ago, for example 2 weeks or 4 months."),
    ("about", {"pain_now": "4.5"}, "Pain right now", "4.5 is not one of them"),
    ("about", {"pain_now": None}, "Pain right now", "Choose a number from 0 (no pain) to 10 (the worst)."),
    ("history", {"hm_3": "maybe"}, "Has a shoulder or a kneecap dislocated",
     "Answer yes, no or not sure; maybe is not one of them."),
])
def test_a_bad_answer_is_refused_under_its_own_question(charlie_client, charlie, step, changes, legend, message):
    charlie_client.get(reverse("checkin_start"))
    post(charlie_client, "warning-signs")
    if step == "history":
        post(charlie_client, "about")
    r = post(charlie_client, step, **changes)
    assert r.status_code == 400
    assert escape(message) in fieldset(r.content.decode(), legend)
    assert not CheckIn.objects.filter(user=charlie).exists()


def test_pain_is_eleven_buttons_from_0_to_10_in_the_wizard_and_in_a_template(charlie_client):
    from django.template import engines

    charlie_client.get(reverse("checkin_start"))
    post(charlie_client, "warning-signs")
    wizard = fieldset(charlie_client.get(url("about")).content.decode(), "Pain right now")
    morning = engines["django"].from_string(
        '{% load sij %}{% pain_question "pain_now" "Pain right now, from 0 (none) to 10 (worst imaginable)" %}'
    ).render({})
    for html in (wizard, morning):
        values = re.findall(r'<input type="radio" name="pain_now" value="(\d+)"', html)
        assert values == [str(n) for n in range(11)]
        assert 'class="pain-scale"' in html
        assert '<p class="help" id="id_pain_now_hint">0 means no pain' in html  # described by its hint
        assert 'aria-describedby="id_pain_now_hint"' in html
    # One template for both: the same markup but for the ids Django gives a form's fields.
    assert re.sub(r'\s(id|for)="[^"]*"', "", wizard) == re.sub(r'\s(id|for)="[^"]*"', "", morning).strip()


def test_the_findings_page_says_what_its_examiners_words_mean(charlie_client):
    # A new user's find: "Inflare", "Upslip" and "Beighton score" stood there unexplained.
    charlie_client.get(reverse("checkin_start"))
    for step in ALL_STEPS[:3]:
        post(charlie_client, step)
    page = charlie_client.get(url("findings")).content.decode()
    for words in ("an inflare or outflare is turned in or out", "an upslip shifted up",
                  "A nine-point test of how far the joints bend", "Leave it empty if it was not measured",
                  "Only muscles an examiner told you were tight"):
        assert words in page, words


def test_the_warning_signs_are_asked_in_groups_each_under_its_heading_every_sign_once(charlie_client):
    # A new user's find: 22 questions in one list, the pregnancy ones among the rest.
    page = charlie_client.get(reverse("checkin_start"), follow=True).content.decode()
    groups = re.findall(r'<fieldset class="group"><legend>(.*?)</legend>(.*?)</fieldset>\s*(?=<fieldset class="group"|'
                        r'<div class="nav-buttons")', page, re.S)
    lib = library()
    assert [escape(h) for h, _ in groups] == [escape(h) for h in lib.topics.values()]
    for (heading, body), topic in zip(groups, lib.topics):
        names = re.findall(r'name="flag_(\w+)"', body)
        assert names and all(lib.flags[n].topic == topic for n in names), heading
    asked = [f.id for f in lib.flags.values() if not f.derived and not f.retired]
    everywhere = re.findall(r'name="flag_(\w+)"', page)
    assert sorted(everywhere) == sorted(asked)  # each once
    assert groups[-1][0] == "If you are pregnant"


def test_after_a_caesarean_the_check_in_asks_about_the_postnatal_check_and_the_plan_waits_for_it(charlie_client, charlie):
    # A physiotherapist's find: the limits after a caesarean lifted at eight weeks with nothing asked.
    about = {"sex": "female", "pregnancy": "postpartum", "pregnancy_weeks": "10", "birth": "caesarean"}
    walk(charlie_client, about=about)
    assert not CheckIn.objects.filter(user=charlie).first().to_engine().postnatal_check_done
    excluded = services.situation_of(charlie)
    assert excluded.why_not(catalog()["hip-hinge"]).endswith("has given the all-clear")

    walk(charlie_client, about={**about, "postnatal_check_done": "on"})
    assert CheckIn.objects.filter(user=charlie).first().to_engine().postnatal_check_done
    assert services.situation_of(charlie).why_not(catalog()["hip-hinge"]) is None

    # Ticked after a vaginal birth, or with no birth at all, it is not kept: it is asked after a caesarean only.
    walk(charlie_client, about={**about, "birth": "vaginal", "postnatal_check_done": "on"})
    assert not CheckIn.objects.filter(user=charlie).first().to_engine().postnatal_check_done


def test_the_equipment_question_says_a_home_has_enough(charlie_client):
    # A new user's find: someone with "no equipment" unticked every box and got no strength days at all.
    charlie_client.get(reverse("checkin_start"))
    for step in ALL_STEPS[:4]:
        post(charlie_client, step)
    page = charlie_client.get(url("setup")).content.decode()
    assert "No gym needed: a rug, a wall, a doorway and a chair are enough for a full plan." in page
    assert "Mat (or a rug or carpet)" in page and "Chair (a sturdy one)" in page


def test_a_new_check_in_keeps_the_last_answers_but_asks_the_pain_right_now_afresh(alice_client, alice):
    # A new user's find: checking in again offered last month's pain (4/10) as today's.
    assert CheckIn.objects.get(user=alice).to_engine().pain_now == 3
    alice_client.get(reverse("checkin_start"))
    post(alice_client, "warning-signs")
    page = alice_client.get(url("about")).content.decode()
    assert not checked(page, "pain_now", "3") and not any(checked(page, "pain_now", str(n)) for n in range(11))
    assert checked(page, "sore_side", "left")  # the other answers are kept
    r = post(alice_client, "about", pain_now=None)
    assert r.status_code == 400 and "Pain right now" in r.content.decode()
