"""The session player in a real browser: a session is never lost (a reload carries on, and every
item is saved once), the whole day in one session (one log per routine), and a session finished
offline (the page and its service worker cut off from the server) is saved once when it is back.

Run with `pytest tests/web/test_player.py`; the timers run at SIJCOACH_TIMER_SCALE (0.02 in the test
settings).
"""

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the live server's ORM is read from the test thread

import re  # noqa: E402

import pytest  # noqa: E402
from playwright.sync_api import Page, expect  # noqa: E402

from browser_helpers import check_in, choose, sign_up, state, url, wait_state  # noqa: E402
from conftest import check_in as answer_now  # noqa: E402
from sijcoach.web.plans import services  # noqa: E402
from sijcoach.web.plans.models import Session  # noqa: E402
from test_browser import browser_context_args, browser_type_launch_args, problems, user  # noqa: E402,F401


def leave_without_asking_twice(page: Page) -> list[str]:
    """Accept the "leave this page?" question; the questions asked are listed as they come."""
    asked: list[str] = []

    def on_dialog(dialog):
        asked.append(dialog.type)
        dialog.accept()

    page.on("dialog", on_dialog)
    return asked


def finish(page: Page, pain_now: str = "2") -> None:
    wait_state(page, "s.screen === 'summary'", timeout=60_000)
    choose(page, re.compile("^Pain now"), pain_now)
    page.get_by_role("button", name="Save and finish").click()


@pytest.mark.browser
def test_a_reload_in_the_middle_carries_on_at_the_same_exercise_and_every_item_is_saved_once(
        page: Page, live_server, problems):
    sign_up(page, live_server, "jo@example.org")
    check_in(page)
    person = user("jo@example.org")
    routine = services.current_plan(person, services.today_for(person)).plan.days[0].routines[0]
    asked = leave_without_asking_twice(page)
    page.goto(url(live_server, "/session/0/"))
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()  # no menu to wander off through
    choose(page, re.compile("^How much does your back hurt right now"), "3")
    page.get_by_role("button", name="Start", exact=True).click()
    wait_state(page, "s.screen === 'player' && s.index >= 1 && s.phase === 'hold'")
    # A phone call: the page is hidden, and the timer stops where it is rather than run on unwatched.
    page.evaluate("""() => {
        Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
        document.dispatchEvent(new Event('visibilitychange'));
        delete document.visibilityState;
        document.dispatchEvent(new Event('visibilitychange'));
    }""")
    before = state(page)
    page.wait_for_timeout(300)
    assert before["paused"] and (state(page)["index"], state(page)["phase"]) == (before["index"], before["phase"])

    page.reload()
    assert asked == ["beforeunload"], "leaving in the middle of a session did not ask first"
    resume = page.get_by_role("region", name="A session in progress")
    expect(resume).to_contain_text(f"Carry on from exercise {before['index'] + 1}")
    resume.get_by_role("button", name="Carry on").click()
    after = wait_state(page, "s.screen === 'player'")
    assert (after["index"], after["exercise"]) == (before["index"], before["exercise"])
    assert after["items"][0]["done"], "what was done before the reload was forgotten"

    finish(page)
    expect(page).to_have_url(re.compile("/progress/$"))
    [session] = Session.objects.filter(user=person)
    items = list(session.items.all())
    assert [i.exercise for i in items] == [it.exercise for it in routine.items]  # each once, in order
    assert all(not i.skipped and i.sets_done == i.planned_sets for i in items), [vars(i) for i in items]
    assert (session.pain_before, session.pain_after) == (3, 2)
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_finished_but_not_saved_then_reloaded_the_way_back_shows_the_exercise_it_was_on(page: Page, live_server,
                                                                                       problems):
    # A new user's find: Finish now, reload, Carry on, Back to the exercises gave a blank exercise.
    sign_up(page, live_server, "lee@example.org")
    check_in(page)
    leave_without_asking_twice(page)
    page.goto(url(live_server, "/session/0/"))
    page.get_by_role("button", name="Start", exact=True).click()
    before = wait_state(page, "s.screen === 'player' && s.index >= 1 && s.phase === 'hold'")
    page.get_by_role("button", name="Finish now").click()
    wait_state(page, "s.screen === 'summary'")
    page.reload()
    page.get_by_role("region", name="A session in progress").get_by_role("button", name="Carry on").click()
    wait_state(page, "s.screen === 'summary'")
    page.get_by_role("button", name="Back to the exercises").click()
    after = wait_state(page, "s.screen === 'player'")
    assert after["exercise"] == before["exercise"]
    expect(page.locator("#pl-name")).to_have_text(re.compile(r"\w"))
    expect(page.locator("#pl-name")).to_be_visible()
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_a_walk_marked_done_stays_done_after_a_reload_at_the_summary(on_a_monday, page: Page, live_server, problems):
    # A walk-through's find: "I did it" on the walk, reload, Carry on: the summary then said "Not done:
    # Gentle walk", and that is what was saved (carrying on at phase 0 reset the walk's record).
    sign_up(page, live_server, "wren@example.org")
    person = user("wren@example.org")
    answer_now(person, minutes_per_day=60)
    routines = services.current_plan(person, services.today_for(person)).plan.days[0].routines
    assert routines[-1].kind.value == "walk"
    leave_without_asking_twice(page)
    page.goto(url(live_server, "/session/today/"))
    page.get_by_role("button", name="Start", exact=True).click()
    s = wait_state(page, "s.screen === 'player'")
    while s["screen"] == "player":  # every exercise skipped, the walk done
        if s["phase"] == "walk":
            page.locator(".pl-cond-do").click()
        elif s["phase"] == "condition":
            page.locator(".pl-cond-skip").click()
        else:
            page.get_by_role("button", name="Skip", exact=True).click()
        s = wait_state(page, f"s.screen === 'summary' || s.index > {s['index']}")
    assert s["items"][-1]["done"] and not s["items"][-1]["skipped"]
    page.reload()
    page.get_by_role("region", name="A session in progress").get_by_role("button", name="Carry on").click()
    s = wait_state(page, "s.screen === 'summary'")
    assert s["items"][-1]["done"] and not s["items"][-1]["skipped"], s["items"][-1]
    expect(page.locator(".pl-sum-lines")).not_to_contain_text("Gentle walk")
    finish(page, "1")
    expect(page).to_have_url(re.compile("/progress/$"))
    walk = Session.objects.get(user=person, routine_kind="walk")
    assert [(i.exercise, i.skipped) for i in walk.items.all()] == [(routines[-1].items[0].exercise, False)]
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_the_joint_going_out_is_reported_when_the_session_ends(page: Page, live_server, problems):
    # A physiotherapist's find: the finish screen had no place for it, so the flare plan (and the
    # coach's flag) waited for the next morning's question.
    sign_up(page, live_server, "ash@example.org")
    check_in(page)
    person = user("ash@example.org")
    leave_without_asking_twice(page)
    page.goto(url(live_server, "/session/0/"))
    page.get_by_role("button", name="Start", exact=True).click()
    wait_state(page, "s.screen === 'player'")
    # Start scrolls to the exercise: its first line is on screen (a walk-through found it cut at the top).
    assert page.locator(".pl-pos").bounding_box()["y"] >= 0
    wait_state(page, "s.screen === 'player' && s.index >= 1")
    page.get_by_role("button", name="Finish now").click()
    wait_state(page, "s.screen === 'summary'")
    page.get_by_label("My SI joint went out (slipped or locked) during this session").check()
    finish(page)
    expect(page).to_have_url(re.compile("/progress/$"))
    [session] = Session.objects.filter(user=person)
    assert session.joint_went_out
    plan = services.current_plan(person, services.today_for(person)).plan
    assert any("went out" in c.reason for c in plan.changes), [c.reason for c in plan.changes]
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_signing_out_asks_first_when_a_finished_session_is_not_saved(page: Page, live_server, problems):
    # A walk-through's find: with a session finished but not saved (its summary open), Sign out deleted it
    # from the phone without a word (the question was asked only for a log waiting to be sent).
    sign_up(page, live_server, "rue@example.org")
    check_in(page)
    asked: list[str] = []

    def answer(dialog):
        if dialog.type == "beforeunload":  # leaving the player's page: yes
            dialog.accept()
            return
        asked.append(dialog.message)
        dialog.dismiss()  # the sign-out question: "Cancel", stay signed in

    page.on("dialog", answer)
    page.goto(url(live_server, "/session/0/"))
    page.get_by_role("button", name="Start", exact=True).click()
    wait_state(page, "s.screen === 'player' && s.index >= 1")
    page.get_by_role("button", name="Finish now").click()
    wait_state(page, "s.screen === 'summary'")
    page.goto(url(live_server, "/more/"))
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_timeout(300)
    assert asked and "You finished a session but have not saved it" in asked[-1], asked
    expect(page).to_have_url(re.compile("/more/$"))  # still signed in, the session still on the phone
    page.goto(url(live_server, "/session/0/"))
    expect(page.get_by_role("region", name="A session in progress")).to_contain_text("did not save it yet")
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_the_whole_day_runs_every_routine_in_order_and_saves_one_log_per_routine(on_a_monday, page: Page, live_server,
                                                                                 problems):
    sign_up(page, live_server, "kit@example.org")
    person = user("kit@example.org")
    # A day with all four: relief, realignment (an inflare), strength and a walk.
    answer_now(person, minutes_per_day=60, distortion="inflare", distortion_side="left")
    routines = services.current_plan(person, services.today_for(person)).plan.days[0].routines
    order = {"alignment": 0, "relief": 1, "strength": 2, "walk": 3}
    routines = sorted(routines, key=lambda r: order[r.kind.value])
    assert [r.kind.value for r in routines] == ["alignment", "relief", "strength", "walk"]
    page.goto(url(live_server, "/today/"))
    start = page.get_by_role("link", name=re.compile(r"^Start today's session, about \d+ minutes"))
    page.emulate_media(color_scheme="dark")
    start.click()
    expect(page).to_have_url(re.compile("/session/today/$"))
    player = page.locator("#player")  # dark in dark mode, light text on it
    expect(player).to_have_css("background-color", "rgb(17, 20, 24)")
    expect(player).to_have_css("color", "rgb(241, 243, 245)")
    page.get_by_role("button", name="Start", exact=True).click()
    steps = []
    s = wait_state(page, "s.screen === 'summary' || s.phase === 'walk' || s.phase === 'condition'", timeout=60_000)
    while s["screen"] == "player":  # a walk is a step of its own, as is an exercise only when needed
        steps.append(s["phase"])
        if s["phase"] == "walk":
            expect(page.locator("#pl-name")).to_have_text(routines[-1].items[0].name)
            expect(page.locator(".pl-cond")).to_contain_text("A walk, on your own")
        page.locator(".pl-cond-do").click()
        s = wait_state(page, "s.screen === 'summary' || (s.phase === 'walk' || s.phase === 'condition') && "
                             f"s.index > {s['index']}", timeout=60_000)
    assert steps[-1] == "walk"
    finish(page, "1")
    expect(page).to_have_url(re.compile("/progress/$"))
    saved = list(Session.objects.filter(user=person).order_by("id"))
    assert [(s.routine_kind, s.routine_title) for s in saved] == [(r.kind.value, r.title) for r in routines]
    for session, routine in zip(saved, routines, strict=True):
        assert [i.exercise for i in session.items.all()] == [it.exercise for it in routine.items]
    page.goto(url(live_server, "/today/"))
    expect(page.locator(".routine .done-badge")).to_have_count(len(routines))
    # Done once each; a routine planned twice a day (relief, morning and evening) is offered once more.
    twice = [r.title for r in routines if r.times_per_day > 1]
    expect(page.locator(".start-day").first).to_have_text(
        f"The rest of today is done: {twice[0]} is planned once more today, later on." if twice
        else "Everything planned for today is done.")
    assert problems == [], "\n".join(problems)


# Offline: the server itself is stopped (so the page and its service worker alike are cut off), then
# started again on the same address ----------------------------------------------------------------

class Site:
    def __init__(self, base: str):
        self.url = base


@pytest.fixture
def own_app(tmp_path):
    from django.conf import settings as django_settings
    from live_app import app_env, free_port, migrate, own_database

    with own_database(tmp_path, django_settings.DATABASES["default"]) as database:
        env = app_env(database, tmp_path, SIJCOACH_TIMER_SCALE="0.02")
        migrate(env)
        yield env, free_port()


def saved_sessions(page: Page, base: str) -> list[dict]:
    r = page.request.get(f"{base}/api/v1/me/sessions")
    assert r.ok, r.text()
    return r.json()["sessions"]


@pytest.mark.browser
def test_a_session_started_online_finishes_offline_and_is_saved_once_when_the_server_is_back(
        page: Page, own_app, problems):
    from live_app import serving

    env, port = own_app
    with serving(env, workers=1, threads=4, port=port) as base:
        site = Site(base)
        sign_up(page, site, "lee@example.org")
        check_in(page)
        # Today installs the service worker; the session page then comes through it and is kept.
        assert page.evaluate("navigator.serviceWorker.ready.then(() => true)")
        page.goto(f"{base}/session/0/")
        assert page.evaluate("!!navigator.serviceWorker.controller"), "the session page is not under the worker"
        page.wait_for_function("""async () => {
            const kept = await (await caches.open('sij-today')).keys();
            const wanted = JSON.parse(document.getElementById('session-data').textContent).routines[0].items
                .flatMap((it) => Object.values(it.picture.sides).flatMap((f) => Object.values(f)));
            const urls = kept.map((r) => new URL(r.url).pathname);
            return urls.some((u) => u.startsWith('/session/')) && wanted.every((u) => urls.includes(u));
        }""", timeout=20_000)
        # Only the app shell and today's session: no other signed-in page (Today was visited) is kept.
        kept = page.evaluate("""async () => Object.fromEntries(await Promise.all((await caches.keys()).map(
            async (name) => [name, (await (await caches.open(name)).keys()).map((r) => new URL(r.url).pathname)])))""")
        assert set(kept) == {"sij-today"} | {n for n in kept if n.startswith("sij-shell-")} and len(kept) == 2, kept
        assert all(p.startswith(("/session/", "/pictures/")) for p in kept["sij-today"]), kept
        assert all(p.startswith("/static/") for n, paths in kept.items() if n != "sij-today" for p in paths), kept
        asked = leave_without_asking_twice(page)
        choose(page, re.compile("^How much does your back hurt right now"), "3")
        page.get_by_role("button", name="Start", exact=True).click()
        wait_state(page, "s.screen === 'player' && s.index >= 1")

    # The server is gone: nothing reaches it, from the page or from the worker.
    page.context.set_offline(True)
    page.goto(f"{base}/today/")  # another page: the worker says what is there without the connection
    assert asked == ["beforeunload"]
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()
    page.get_by_role("link", name="Carry on with today's session").click()  # the kept page; modules from the shell
    page.get_by_role("region", name="A session in progress").get_by_role("button", name="Carry on").click()
    s = wait_state(page, "s.screen === 'player'")
    # The first exercise from here with an alternative sent ahead (an exercise without one is stopped).
    items = page.evaluate("() => JSON.parse(document.getElementById('session-data').textContent).routines[0].items")
    hurt_slug = next(it["exercise"] for it in items[s["index"]:] if it["instead"]["verdict"] == "swap")
    wait_state(page, f"s.exercise === {hurt_slug!r} && s.phase !== 'ready'", timeout=60_000)
    page.get_by_role("button", name="This hurts").click()
    dialog = page.get_by_role("dialog")
    choose(dialog, re.compile("^How much does it hurt right now"), "7")
    dialog.get_by_role("button", name="Send").click()
    notice = page.locator(".pl-notice[role=alert]")
    expect(notice).to_contain_text("7/10 is too much")  # answered on the phone, from what was sent ahead
    ahead = page.evaluate(f"""() => JSON.parse(document.getElementById('session-data').textContent)
        .routines[0].items.find((it) => it.exercise === {hurt_slug!r}).instead""")
    s = state(page)
    assert s["paused"] and s["items"][s["index"] - 1]["pain"] == 7
    assert s["exercise"] == ahead["replacement"]["exercise"] and s["items"][s["index"]]["swapped_from"] == hurt_slug
    expect(notice).to_contain_text(f"{ahead['replacement']['name']} trains the same muscles")
    notice.get_by_role("button", name=re.compile("^Start ")).click()
    wait_state(page, "s.picture !== null && s.exercise !== " + repr(hurt_slug))  # its drawing, kept offline
    finish(page)
    expect(page.locator(".pl-sum .pl-status")).to_contain_text("kept on this phone")

    with serving(env, workers=1, threads=4, port=port) as base:
        # Signed out meanwhile (the session cookie gone, so a new CSRF token too): back online, the
        # log is tried, refused for want of a sign-in, and waits on the phone.
        page.context.clear_cookies()
        page.context.set_offline(False)
        # A phone's browser says the connection is back with an "online" event. Chromium 150 under
        # Playwright's offline emulation blocks the requests but keeps navigator.onLine true, so it
        # sends none: the page gets the event here, as it would from the phone.
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.locator("#outbox-notice")).to_contain_text("sign in again to save it")
        assert page.evaluate("JSON.parse(localStorage.getItem('sijcoach.outbox')).length") == 1
        page.goto(f"{base}/signin/")
        page.get_by_label("Email").fill("lee@example.org")
        page.get_by_label("Password").fill("correct horse battery staple")
        page.get_by_role("button", name="Sign in").click()
        expect(page).to_have_url(re.compile("/today/$"))
        expect(page.locator("#outbox-notice")).to_contain_text("was saved")
        page.reload()  # nothing left to send: nothing is sent again
        [session] = saved_sessions(page, base)
        exercises = [i["exercise"] for i in session["items"]]
        assert hurt_slug in exercises and len(exercises) == len(set(exercises))
        hurt = next(i for i in session["items"] if i["exercise"] == hurt_slug)
        [instead] = [i for i in session["items"] if i["swapped_from"] == hurt_slug]
        assert hurt["pain"] == 7 and instead["exercise"] == ahead["replacement"]["exercise"]

        # Signing out (on the menu's More page) clears what the phone keeps: the worker's copies and the
        # local storage.
        page.get_by_role("link", name="More", exact=True).click()
        page.get_by_role("button", name="Sign out").click()
        expect(page).to_have_url(re.compile(f"{base}/$"))
        assert page.evaluate("async () => (await caches.keys()).length") == 0
        assert page.evaluate("localStorage.length") == 0
    assert [p for p in problems if "ERR_INTERNET_DISCONNECTED" not in p and "Failed to load" not in p] == []


@pytest.mark.browser
def test_an_exercise_in_a_new_position_gives_time_to_get_there_and_says_so(on_a_monday, page: Page, live_server,
                                                                          settings, problems):
    # An older user's find: 5 seconds to get from standing to lying on the floor, with nothing said.
    settings.TIMER_SCALE = 1.0  # the get-ready phase is read while it runs
    sign_up(page, live_server, "ines@example.org")
    person = user("ines@example.org")
    answer_now(person)
    items = [i for r in services.current_plan(person, services.today_for(person)).plan.days[0].routines
             if r.kind.value != "walk" for i in r.items]
    from sijcoach.engine.catalog import catalog
    positions = [catalog()[i.exercise].position for i in items]
    moved = next(n for n in range(1, len(items)) if positions[n] != positions[n - 1])
    page.goto(url(live_server, "/session/today/"))
    page.get_by_role("button", name="Start", exact=True).click()
    s = wait_state(page, "s.screen === 'player'")
    while s["index"] < moved:
        if s["phase"] == "condition":
            page.locator(".pl-cond-skip").click()
        else:
            page.get_by_role("button", name="Skip", exact=True).click()
        s = wait_state(page, f"s.index > {s['index']}")
    expect(page.locator(".pl-phase")).to_have_text("New position: take your time")
    assert 15 <= int(page.locator("#player").get_attribute("data-seconds-left") or 0) <= 20
    expect(page.locator(".pl-live")).to_contain_text("A new position: take your time, with a chair or the wall to hold")
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_a_screen_reader_hears_short_reps_once_a_set_not_every_two_seconds(page: Page, live_server, problems):
    # An older user's find: in Cat-cow the live region changed every 2 seconds ("Hold, 2 seconds, rep 1 of 8",
    # "Release", ...), faster than it can be spoken.
    sign_up(page, live_server, "ivy@example.org")
    check_in(page)
    page.goto(url(live_server, "/session/today/"))
    page.evaluate("""() => {
        window.heard = [];
        new MutationObserver(() => window.heard.push(document.querySelector('.pl-live').textContent))
            .observe(document.querySelector('.pl-live'), {childList: true, characterData: true, subtree: true});
    }""")
    page.get_by_role("button", name="Start", exact=True).click()
    wait_state(page, "s.screen === 'summary' || s.index >= 2")
    heard = page.evaluate("window.heard")
    later_reps = [h for h in heard if re.search(r"rep ([2-9]|\d\d) of", h)]
    short = [h for h in later_reps if re.search(r"(Hold|Walk), [1-4] seconds?, rep", h)]
    assert heard and short == [], short
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_escape_in_this_hurts_goes_on_with_the_exercise_as_cancel_does(page: Page, live_server, settings, problems):
    # An older user's find: Escape closed the dialog and left the timer silently paused; Cancel resumed.
    settings.TIMER_SCALE = 1.0
    sign_up(page, live_server, "jo@example.org")
    check_in(page)
    page.goto(url(live_server, "/session/today/"))
    page.get_by_role("button", name="Start", exact=True).click()
    wait_state(page, "s.screen === 'player'")
    for close in ("Cancel", "Escape"):
        page.get_by_role("button", name="This hurts").click()
        expect(page.get_by_role("dialog")).to_be_visible()
        expect(page.locator("#player")).to_have_attribute("data-paused", "true")
        if close == "Escape":
            page.keyboard.press("Escape")
        else:
            page.get_by_role("dialog").get_by_role("button", name="Cancel").click()
        expect(page.get_by_role("dialog")).to_be_hidden()
        expect(page.locator("#player")).to_have_attribute("data-paused", "")
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_at_twice_the_zoom_the_bar_does_not_cover_the_countdown(page: Page, live_server, problems):
    # An older user's find: at 200% zoom (683 x 384) the sticky Pause / This hurts bar covered the countdown.
    sign_up(page, live_server, "kit@example.org")
    check_in(page)
    page.set_viewport_size({"width": 683, "height": 384})
    page.goto(url(live_server, "/session/today/"))
    page.get_by_role("button", name="Start", exact=True).click()
    wait_state(page, "s.screen === 'player'")
    for where in ("end", "center", "start"):  # however the countdown is scrolled into the short window
        page.locator(".pl-count").evaluate(f"c => c.scrollIntoView({{block: '{where}'}})")
        count, dock = page.locator(".pl-count").bounding_box(), page.locator(".pl-dock").bounding_box()
        overlap = not (count["y"] + count["height"] <= dock["y"] or dock["y"] + dock["height"] <= count["y"])
        assert not overlap, (where, count, dock)
    assert problems == [], "\n".join(problems)
