"""Today answers "what now?": one primary action (the first routine not done), compact cards, one tip
a day, the menu and its More page; the same "N of M this week" on Today, Progress and the coach's
pages through a simulated week, where a session with everything skipped is not done; Progress from the
person's first week; the next-morning question in the person's morning or before the day's first
session."""

from __future__ import annotations

import datetime as dt
import json
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import check_in, make_coach, make_user, session_payload
from django.template.defaultfilters import floatformat
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from sijcoach.engine.catalog import catalog
from sijcoach.web.plans import progress, services

DAY = dt.timedelta(days=1)
WEEK_WORDS = re.compile(r"(\d+) of (\d+)</strong> planned routines done")
START = re.compile(r'<a class="button primary" href="/session/today/">Start today.s session, about (\d+) minutes')
WALK = re.compile(r'<a class="button primary" href="/session/today/">Start today.s walk, about (\d+) minutes')


def done_items(routine, skipped: bool = False) -> list[dict]:
    return [{"exercise": it.exercise, "side": it.side.value,
             "planned": {"sets": it.sets, "reps": it.reps, "hold_s": it.hold_s},
             "sets_done": 0 if skipped else it.sets, "reps_done": 0 if skipped else it.reps,
             "hold_s_done": 0 if skipped else it.hold_s, "skipped": skipped} for it in routine.items]


def log_routine(user, on: dt.date, routine, skipped: bool = False) -> None:
    payload = {**session_payload(done_items(routine, skipped)), "date": on.isoformat(),
               "routine_kind": routine.kind.value, "routine_title": routine.title}
    services.save_session(user, services.parse_session(payload), on)


def routines_today(user):
    return services.current_plan(user, services.today_for(user)).plan.days[0].routines


def signed_in(user) -> Client:
    web = Client()
    web.force_login(user)
    return web


def week_words(page: str) -> tuple[int, int]:
    found = WEEK_WORDS.findall(page)
    assert len(found) == 1, found
    return int(found[0][0]), int(found[0][1])


# ---- the page ------------------------------------------------------------------------------------

def test_the_primary_action_runs_the_routines_not_done_with_the_minutes_left(on_a_monday, alice_client, alice):
    routines = routines_today(alice)
    page = alice_client.get(reverse("today")).content.decode()
    assert int(START.search(page).group(1)) == round(sum(r.minutes for r in routines))
    assert len(START.findall(page)) == 1
    log_routine(alice, services.today_for(alice), routines[0])
    page = alice_client.get(reverse("today")).content.decode()
    assert int(START.search(page).group(1)) == round(sum(r.minutes for r in routines[1:]))
    assert page.count("done today") == 1
    # The day's session now runs the others only.
    player = alice_client.get(reverse("session_day")).content.decode()
    data = json.loads(re.search(r'<script id="session-data" type="application/json">(.*?)</script>', player, re.S).group(1))
    assert routines[0].title not in json.dumps(data) or len(routines) == 1
    # Each routine can still be started alone.
    for i, r in enumerate(routines):
        assert (f'href="/session/{i}/"' in page) == (r.kind != "walk")


def test_when_everything_is_done_today_says_so_and_offers_no_primary_action(alice_client, alice):
    for r in routines_today(alice):
        log_routine(alice, services.today_for(alice), r)
    page = alice_client.get(reverse("today")).content.decode()
    assert not START.search(page) and not WALK.search(page) and "Everything planned for today is done." in page


def test_relief_planned_twice_a_day_is_offered_again_after_one_round_not_called_done(alice_client, alice):
    # A new user's walk-through: "Daily relief 2 times today ... morning and evening", and after one relief
    # and the strength session Today said "Everything planned for today is done".
    check_in(alice, minutes_per_day=30)
    routines = routines_today(alice)
    relief = next(i for i, r in enumerate(routines) if r.kind == "relief")
    assert routines[relief].times_per_day == 2 and all(r.kind != "walk" for r in routines)
    for r in routines:
        log_routine(alice, services.today_for(alice), r)
    page = alice_client.get(reverse("today")).content.decode()
    assert "Everything planned for today is done." not in page
    assert "The rest of today is done: Daily relief is planned once more today, later on." in page
    minutes = floatformat(routines[relief].minutes, 0)
    assert f'href="/session/{relief}/">Start Daily relief again, about {minutes} minutes' in page
    log_routine(alice, services.today_for(alice), routines[relief])  # the evening round
    page = alice_client.get(reverse("today")).content.decode()
    assert "Everything planned for today is done." in page and "once more" not in page


@pytest.mark.parametrize("minutes", [45, 60])
def test_a_walk_left_after_the_routines_done_one_by_one_is_offered_not_called_done(on_a_monday, alice_client, alice,
                                                                                   minutes):
    # A physiotherapist's find: with relief and strength done one by one, Today said "Everything planned
    # for today is done" while it listed the walk, which Progress counted as not done; and the walk had
    # no button of its own, so it could not be logged.
    check_in(alice, minutes_per_day=minutes)
    routines = routines_today(alice)
    walk = next((r for r in routines if r.kind == "walk"), None)
    assert walk is not None, "a day with a walk"
    for r in routines:
        if r.kind != "walk":
            log_routine(alice, services.today_for(alice), r)
    page = alice_client.get(reverse("today")).content.decode()
    assert "Everything planned for today is done." not in page and not START.search(page)
    assert int(WALK.search(page).group(1)) == round(walk.minutes)
    player = alice_client.get(reverse("session_day")).content.decode()
    data = json.loads(re.search(r'<script id="session-data" type="application/json">(.*?)</script>', player, re.S).group(1))
    assert [r["kind"] for r in data["routines"]] == ["walk"]


def test_a_session_with_everything_skipped_is_not_done(alice_client, alice):
    first = routines_today(alice)[0]
    log_routine(alice, services.today_for(alice), first, skipped=True)
    page = alice_client.get(reverse("today")).content.decode()
    assert "done today" not in page
    assert int(START.search(page).group(1)) == round(sum(r.minutes for r in routines_today(alice)))
    assert week_words(page)[0] == 0


def test_each_card_keeps_its_steps_reason_and_source_behind_more(alice_client, alice):
    page = alice_client.get(reverse("today")).content.decode()
    cards = page.split('<li class="ex-card">')[1:]
    items = [it for r in routines_today(alice) for it in r.items]
    assert len(cards) == len(items)
    for card, it in zip(cards, items):
        head, more = card.split('<details class="more">')
        assert escape(it.name) in head and escape(it.why) in more.split("</summary>")[0]
        assert "Source:" not in head and f"Source: {escape(it.source)}" in more
        for step in catalog()[it.exercise].steps:
            assert f"<li>{escape(step)}</li>" in more


def test_today_shows_one_tip_a_day(alice_client, alice):
    page = alice_client.get(reverse("today")).content.decode()
    assert len(re.findall(r'<h2 id="tip-h">', page)) == 1


@pytest.mark.parametrize("name", ["today", "advice", "progress", "library", "more", "settings", "account", "share",
                                  "history", "my_coach", "signout"])
def test_every_page_says_once_at_its_foot_that_it_is_not_a_diagnosis(alice_client, alice, name):
    page = alice_client.get(reverse(name)).content.decode()
    assert page.count("not a diagnosis") == 1
    assert page.index("not a diagnosis") > page.index('<footer class="foot">')


def test_the_menu_has_four_places_and_marks_the_current_one(alice_client, alice):
    for name, place in (("today", "Today"), ("progress", "Progress"), ("library", "Exercises"), ("more", "More"),
                        ("advice", "More"), ("settings", "More"), ("account", "More")):
        page = alice_client.get(reverse(name)).content.decode()
        menu = page[page.index('<nav aria-label="Main"'):page.index("</nav>")]
        assert re.findall(r"<a [^>]*>([^<]+)</a>", menu) == ["Today", "Progress", "Exercises", "More"], name
        assert re.findall(r'aria-current="page">([^<]+)<', menu) == [place], name


def test_the_more_page_links_every_other_page_and_signs_out(alice_client, alice, cora):
    page = alice_client.get(reverse("more")).content.decode()
    for name in ("checkin_start", "advice", "share", "history", "my_coach", "settings", "account"):
        assert f'href="{reverse(name)}"' in page, name
    assert f'href="{reverse("coach_clients")}"' not in page
    assert f'<form method="post" action="{reverse("signout")}"' in page
    assert f'href="{reverse("coach_clients")}"' in signed_in(cora).get(reverse("more")).content.decode()


def test_the_advice_page_before_a_check_in_asks_for_one(charlie, client):
    client.force_login(charlie)
    page = client.get(reverse("advice")).content.decode()
    assert f'href="{reverse("checkin_start")}"' in page


# ---- the next-morning question -------------------------------------------------------------------

QUESTION = "How does your back feel this morning?"


@pytest.mark.parametrize("hour, done_today, asked", [
    (1, False, False), (3, False, False),  # just after midnight (after a late session): not yet
    (4, False, True), (7, False, True), (7, True, True),  # the morning: asked, also after an early session
    (14, False, True),  # the afternoon, before the day's first session: asked before it
    (14, True, False),  # the afternoon after today's session: not asked any more
])
def test_the_morning_question_comes_in_the_person_s_morning_or_before_the_next_session(db, hour, done_today, asked):
    zone = ZoneInfo("Pacific/Honolulu")  # far from the server's UTC: 2 pm there is midnight here
    now = dt.datetime(2027, 3, 3, hour, 0, tzinfo=zone)
    with time_machine.travel(now - 2 * DAY, tick=False):
        person = make_user("mo@example.org")
        services.set_preferences(person, time_zone="Pacific/Honolulu")
        check_in(person)
    with time_machine.travel(now - DAY, tick=False):
        log_routine(person, services.today_for(person), routines_today(person)[0])
    with time_machine.travel(now, tick=False):
        assert services.today_for(person) == now.date()
        if done_today:
            log_routine(person, now.date(), routines_today(person)[0])
        page = signed_in(person).get(reverse("today")).content.decode()
        assert (QUESTION in page) == asked
        # Asked as everywhere else: eleven 0-10 buttons, not a number to type.
        assert page.count('name="pain_next_day"') == (11 if asked else 0)
        assert ('type="number"' in page and "pain_next_day" in page) is False


def test_today_s_question_follows_the_sessions_the_answer_updates(alice):
    """Today asks from the plan's logs; the answer updates sessions_awaiting_morning. Both name the
    same sessions: yesterday's without a next-morning pain, before and after the answer."""
    on = services.today_for(alice)

    def both() -> tuple[bool, bool]:
        logs = services.current_plan(alice, on).logs
        return services.awaiting_morning_in(logs, on), services.sessions_awaiting_morning(alice, on).exists()

    assert both() == (False, False)  # nothing logged
    log_routine(alice, on - 2 * DAY, routines_today(alice)[0])
    log_routine(alice, on, routines_today(alice)[0])
    assert both() == (False, False)  # the day before yesterday's and today's sessions are not asked about
    log_routine(alice, on - DAY, routines_today(alice)[0])
    log_routine(alice, on - DAY, routines_today(alice)[0])
    assert both() == (True, True)
    assert services.answer_morning(alice, {"pain_next_day": 2}, on) == 2
    assert both() == (False, False)  # answered for both of yesterday's sessions


# ---- the same numbers everywhere, through a week -------------------------------------------------

def test_a_simulated_week_reads_the_same_on_today_progress_and_the_coach_pages(db):
    """Monday to Sunday: all done, relief only, strength with everything skipped, nothing, all done...
    Each evening "N of M this week" is the same on the four pages, and what was done of what was planned."""
    monday = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC)
    assert monday.weekday() == 0
    sunday = monday.date() + 6 * DAY
    behaviour = ["all", "relief", "skipped", "none", "all", "relief", "all"]
    with time_machine.travel(monday, tick=False) as clock:
        person = make_user("wei@example.org")
        check_in(person)
        coach = make_coach("coach@example.org", person)
        mine, theirs = signed_in(person), signed_in(coach)
        planned_past: dict[dt.date, set[str]] = {}
        done: dict[dt.date, set[str]] = {}
        for n, act in enumerate(behaviour):
            on = services.today_for(person)
            assert on == monday.date() + n * DAY
            done[on] = set()
            for r in routines_today(person):
                if act == "none" or (act == "relief" and r.kind != "relief"):
                    continue
                skipped = act == "skipped" and r.kind == "strength"
                log_routine(person, on, r, skipped=skipped)
                if not skipped:
                    done[on].add(r.kind.value)
            plan = services.current_plan(person, on).plan
            planned_past[on] = {r.kind.value for r in plan.days[0].routines}  # the walk counts too
            ahead = sum(len({r.kind.value for r in d.routines}) for d in plan.days[1:] if d.date <= sunday)
            expected = (sum(len(planned_past[d] & done[d]) for d in done),
                        sum(len(k) for k in planned_past.values()) + ahead)
            today_page = mine.get(reverse("today")).content.decode()
            pages = {"today": today_page, "progress": mine.get(reverse("progress")).content.decode(),
                     "clients": theirs.get(reverse("coach_clients")).content.decode(),
                     "client": theirs.get(reverse("coach_client", args=[person.pk])).content.decode()}
            seen = {name: week_words(page) if name != "clients" else
                    tuple(map(int, re.search(r"<strong>(\d+) of (\d+)</strong> planned routines done", page).groups()))
                    for name, page in pages.items()}
            assert set(seen.values()) == {expected}, (on, act, seen, expected)
            assert ("done today" in today_page) == bool(done[on]), (on, act)
            clock.shift(DAY)
    assert expected[0] >= 7  # the week counted what was done


def test_progress_starts_at_the_person_s_first_week(db):
    with time_machine.travel(dt.datetime(2027, 3, 3, 10, 0, tzinfo=dt.UTC), tick=False):  # a Wednesday
        person = make_user("new@example.org")
        check_in(person)
        r = signed_in(person).get(reverse("progress"), {"weeks": 12})
        p = r.context["p"]
        assert p.start == dt.date(2027, 3, 1) and p.end == dt.date(2027, 3, 7) and len(p.calendar) == 7
    with time_machine.travel(dt.datetime(2027, 4, 14, 10, 0, tzinfo=dt.UTC), tick=False):  # six weeks on
        p = signed_in(person).get(reverse("progress"), {"weeks": 4}).context["p"]
        assert p.start == dt.date(2027, 3, 22)  # the window, now shorter than the time here
        p = signed_in(person).get(reverse("progress"), {"weeks": 12}).context["p"]
        assert p.start == dt.date(2027, 3, 1)
        assert progress.first_day(person) == dt.date(2027, 3, 3)
        # A session logged before the first check-in (an earlier history) opens an earlier first week
        # in a window that reaches it, and leaves a shorter window as it was.
        payload = {**session_payload(), "date": "2027-02-10", "routine_kind": "relief"}
        services.save_session(person, services.parse_session(payload), dt.date(2027, 4, 14))
        assert progress.first_day(person) == dt.date(2027, 2, 10)
        assert signed_in(person).get(reverse("progress"), {"weeks": 12}).context["p"].start == dt.date(2027, 2, 8)
        assert signed_in(person).get(reverse("progress"), {"weeks": 4}).context["p"].start == dt.date(2027, 3, 22)


def test_the_joint_going_out_three_times_in_four_weeks_puts_get_this_checked_at_the_top_of_today(alice, as_user):
    # A physiotherapist's find: "The joint went out 3 times in four weeks... Please see a doctor or
    # physiotherapist" was only on Progress and in the handout's notes, and came round on Today as a tip.
    on = services.today_for(alice)
    web = as_user(alice)
    page = web.get(reverse("today")).content.decode()
    assert "Get this checked" not in page
    for days_ago in (9, 5, 1):
        services.save_session(alice, services.parse_session(session_payload(joint_went_out=True)),
                              on - dt.timedelta(days=days_ago))
    page = web.get(reverse("today")).content.decode()
    box = page[page.index('aria-labelledby="referral-h"'):]
    box = box[:box.index("</section>")]
    assert "The joint went out 3 times in four weeks" in box and "Please see a doctor or physiotherapist" in box
    assert "Your coach sees this too" not in box
    assert page.index("Get this checked") < page.index("Tip for today")
    tip = page[page.index('id="tip-h"'):]
    assert "The joint went out" not in tip[:tip.index("</section>")]  # not again as the tip

    make_coach("cora@example.org", alice)
    page = web.get(reverse("today")).content.decode()
    assert "Your coach sees this too." in page


def test_the_player_names_the_day_in_words_not_as_an_iso_date(alice, as_user):
    # A new user's find: the session's first screen read "2026-12-07 · about 19 minutes".
    on = services.today_for(alice)
    page = as_user(alice).get(reverse("session_day")).content.decode()
    assert f'<time datetime="{on.isoformat()}">{on:%A} {on.day} {on:%B}</time> · about' in page


def test_the_week_ahead_says_a_note_of_every_day_once_not_under_each_day(alice, as_user):
    # A new user's find: the week ahead repeated five "left out" lines under every day.
    check_in(alice, pregnancy="pregnant", pregnancy_weeks=20)  # exercises left out: a note on every day
    plan = services.current_plan(alice, services.today_for(alice)).plan
    ahead = plan.days[1:]
    common = [n for n in ahead[0].notes if all(n in d.notes for d in ahead)]
    assert common
    page = as_user(alice).get(reverse("today")).content.decode()
    week = page[page.index("<h2>The week ahead</h2>"):]
    week = week[:week.index("</details>")]
    assert "On every day ahead:" in week
    for note in common:
        assert week.count(escape(note)) == 1, note


def test_the_player_carries_the_end_of_the_session_for_pain_while_a_fracture_is_not_ruled_out(db, as_user):
    # The offline answer to "This hurts" comes from what the server sent ahead: here, the session ends.
    user = make_user("olga@example.org")
    check_in(user, age=72, conditions=["osteoporosis"], cause="fall", onset_days_ago=10)
    r = as_user(user).get(reverse("session_day"))
    items = [i for rt in r.context["data"]["routines"] for i in rt["items"]]
    assert items and all(i["instead"]["verdict"] == "end" for i in items)
    assert all("contact a doctor today" in i["instead"]["message"] for i in items)


def test_a_dose_in_minutes_is_not_followed_by_its_minutes_again(alice, as_user):
    # An older user's find: "5 min · 5.2 min" on the walk's card.
    plan = services.current_plan(alice, services.today_for(alice)).plan
    walks = [i for r in plan.days[0].routines if r.kind == "walk" for i in r.items]
    page = as_user(alice).get(reverse("today")).content.decode()
    doses = re.findall(r'<p class="dose"><span class="sr-only">Dose: </span>(.*?)</p>', page)
    assert doses and all(not re.search(r"\d min <span class=\"minutes\">", d) for d in doses), doses
    assert not walks or any(d.endswith(" min") for d in doses)
    assert any('<span class="minutes">' in d for d in doses)  # other exercises keep their minutes
