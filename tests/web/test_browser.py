"""The app in a real browser (Debian's Chromium through Playwright), on a phone-sized screen.

Run with `pytest tests/web/test_browser.py`; the timers run at SIJCOACH_TIMER_SCALE (0.02 in the test
settings), so a guided session takes seconds. The screenshots test rewrites docs/screenshots/.
"""

import os

# The live server's ORM is called from the test thread while Playwright's event loop runs in it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import re  # noqa: E402

import pytest  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from playwright.sync_api import Page, expect  # noqa: E402

from sijcoach.engine.catalog import catalog  # noqa: E402
from sijcoach.engine.vocab import Side  # noqa: E402
from sijcoach.illustrate import timeline  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from sijcoach.web.plans import present  # noqa: E402
from sijcoach.web.plans.views import SWITCHES  # noqa: E402
from sijcoach.web.plans.models import CheckIn, RedFlagReport, Session  # noqa: E402
from browser_helpers import (  # noqa: E402
    PHONE, SCREENSHOTS, answer_about, answer_activities, answer_history, answer_setup, assert_picture_for_side,
    check_in, choose, first_pictures, go_on_after_swap, hurts, next_page, picture_during, record_first_pictures, seed_history,
    STATE, sign_up, state, url, wait_state,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "device_scale_factor": 1}


@pytest.fixture
def problems(page: Page):
    """Console errors, uncaught exceptions and Content-Security-Policy violations, as they happen."""
    seen: list[str] = []

    def on_console(m):
        if m.type == "error":
            seen.append(f"console error: {m.text} at {m.location.get('url')} (page {page.url})")

    page.on("console", on_console)
    page.on("pageerror", lambda e: seen.append(f"uncaught: {e} ({page.url})"))
    page.add_init_script("""document.addEventListener('securitypolicyviolation',
        (e) => console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`));""")
    return seen


def user(email: str):
    return get_user_model().objects.get(email=email)


@pytest.mark.browser
def test_a_person_signs_up_checks_in_does_a_session_with_a_swap_and_sees_progress(page: Page, live_server, problems):
    page.goto(url(live_server, "/"))
    expect(page.get_by_role("heading", name="What this app is not")).to_be_visible()
    expect(page.locator("main")).to_contain_text("not a diagnosis")
    page.get_by_role("link", name="Create an account").click()
    expect(page).to_have_url(re.compile("/signup/$"))
    sign_up(page, live_server, "dana@example.org")

    # The check-in, page by page; Back from the history page keeps both pages' answers.
    next_page(page, "/check-in/about/")
    answer_about(page)
    next_page(page, "/check-in/history/")
    answer_history(page)
    page.get_by_role("button", name="Back").click()
    expect(page).to_have_url(re.compile("/check-in/about/$"))
    expect(page.get_by_label("Your age")).to_have_value("41")
    expect(page.get_by_label("How did it start?")).to_have_value("gradual")
    expect(page.get_by_role("group", name="Which side hurts?").get_by_label("Left", exact=True)).to_be_checked()
    next_page(page, "/check-in/history/")
    expect(page.get_by_label("I sit most of the day")).to_be_checked()
    next_page(page, "/check-in/findings/")
    next_page(page, "/check-in/setup/")
    answer_setup(page)
    next_page(page, "/check-in/activities/")
    answer_activities(page)
    next_page(page, "/today/")

    # Today: routines as cards, each with its dose, why and source; then the week ahead.
    routines = page.locator("section.routine")
    expect(routines.first).to_be_visible()
    cards = routines.first.locator(".ex-card")
    assert cards.count() >= 3
    for card in cards.all():  # the why, steps and source behind "More": in the page, shown when opened
        for part in (".dose", ".why", ".source"):
            assert card.locator(part).text_content().strip(), f"a card without {part}"
    expect(cards.first.locator(".source")).to_contain_text("Source:")
    expect(page.get_by_role("heading", name="The week ahead")).to_be_visible()
    expect(page.locator(".week ol.days > li")).to_have_count(6)

    # The first guided session: pain before, timers, "This hurts" at 7, the swap, the end.
    page.get_by_role("link", name=re.compile("^Start guided session")).first.click()
    expect(page).to_have_url(re.compile("/session/0/$"))
    choose(page, re.compile("^How much does your back hurt right now"), "3")
    record_first_pictures(page)
    page.get_by_role("button", name="Start", exact=True).click()
    # The picture keeps in step with the timer: the start position while getting ready and between
    # holds, the end position while holding; the first side of "each side" is the left, mirrored.
    seen = first_pictures(page, ("ready", "hold", "release"))
    for phase, frame in (("ready", "start"), ("hold", "end"), ("release", "start")):
        shown = seen[phase]
        assert shown["visible"] and shown["frame"] == shown["box_frame"] == frame, (phase, shown)
        assert f"This picture shows the {frame} position." in shown["desc"] and not shown["moves"], shown
        assert_picture_for_side(shown)
    assert seen["hold"]["side"] == "left", seen["hold"]
    s = wait_state(page, "s.screen === 'player' && s.index >= 1")
    assert s["items"][0]["done"], "the timers did not finish the first exercise"
    hurts(page, 7)
    expect(page.locator(".pl-notice[role=alert]")).to_contain_text("instead")
    s = state(page)
    hurt = next(i for i, it in enumerate(s["items"]) if it["pain"] == 7)
    assert s["index"] == hurt + 1
    assert s["items"][hurt]["swapped_for"] == s["exercise"]
    assert s["items"][hurt + 1]["swapped_from"] == s["items"][hurt]["exercise"]
    expect(page.get_by_text(re.compile("^Instead of "))).to_be_visible()
    go_on_after_swap(page)
    shown = picture_during(page)  # the replacement's own picture, from the swap's answer
    assert shown["exercise"] == s["exercise"] and shown["title"] == catalog()[s["exercise"]].name, shown

    wait_state(page, "s.screen === 'summary'", timeout=40_000)
    choose(page, re.compile("^Pain now"), "2")
    efforts = page.get_by_role("group", name=re.compile("how hard was it"))
    assert efforts.count() >= 3
    efforts.first.get_by_text("Easy", exact=True).click()
    efforts.last.get_by_text("Hard", exact=True).click()
    page.get_by_role("button", name="Save and finish").click()
    expect(page).to_have_url(re.compile("/progress/$"))

    # Progress shows it: today done or partial on the calendar, a pain chart, how the plan changed.
    expect(page.locator("svg g.cal-cell.cal-done, svg g.cal-cell.cal-partial")).to_have_count(1)
    pain_chart = page.locator("section[aria-labelledby=pain-h] svg")
    expect(pain_chart).to_be_visible()
    expect(pain_chart).not_to_have_class(re.compile("chart-empty"))
    expect(page.get_by_role("heading", name="How the plan changed")).to_be_visible()
    expect(page.locator("ul.changes")).to_contain_text("(7/10)")  # the swap, with its reason

    session = Session.objects.get(user=user("dana@example.org"))
    assert (session.pain_before, session.pain_after) == (3, 2)
    items = list(session.items.all())
    assert [i.pain for i in items].count(7) == 1
    assert not items[hurt].skipped, "the exercise that hurt was sent as skipped, so the plan never hears of it"
    swapped = [i for i in items if i.swapped_from]
    assert len(swapped) == 1 and swapped[0].swapped_from == items[hurt].exercise
    assert {i.effort for i in items} >= {"easy", "hard"}
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_a_second_exercise_that_hurts_6_or_more_ends_the_session_at_a_desktop_size(page: Page, live_server, problems):
    # A new user's walk-through: eight exercises in a row at 7/10 each got a stand-in; and at 1366 x 768
    # "This hurts" and Pause sat below the fold while a hold ran.
    page.set_viewport_size({"width": 1366, "height": 768})
    sign_up(page, live_server, "gus@example.org")
    check_in(page)
    page.get_by_role("link", name=re.compile("^Start guided session")).first.click()
    choose(page, re.compile("^How much does your back hurt right now"), "3")
    page.get_by_role("button", name="Start", exact=True).click()
    wait_state(page, "s.screen === 'player' && s.phase === 'hold'")
    for name in ("This hurts", "Pause"):  # in view without scrolling
        box = page.get_by_role("button", name=name).bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= 768, (name, box)
    hurts(page, 7)
    go_on_after_swap(page)
    stand_in = state(page)["exercise"]
    hurts(page, 7)
    s = wait_state(page, "s.screen === 'summary'")
    expect(page.locator("#player")).to_contain_text("Stop the session here")
    expect(page.get_by_role("button", name="Back to the exercises")).to_be_hidden()
    assert [it["pain"] for it in s["items"] if it["pain"] is not None] == [7, 7]
    choose(page, re.compile("^Pain now"), "5")
    page.get_by_role("button", name="Save and finish").click()
    expect(page).to_have_url(re.compile("/progress/$"))
    items = list(Session.objects.get(user=user("gus@example.org")).items.all())
    hurt = [(i.exercise, i.pain, i.skipped) for i in items if i.pain is not None]
    assert len(hurt) == 2 and hurt[1] == (stand_in, 7, False), hurt  # sent with its pain, so the plan hears of it
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_an_emergency_warning_sign_stops_the_check_in_and_no_plan_is_made(page: Page, live_server, problems):
    sign_up(page, live_server, "erin@example.org")
    page.get_by_label(re.compile("where you would sit on a saddle")).check()
    page.get_by_role("button", name="Next").click()
    expect(page).to_have_url(re.compile("/check-in/stop/$"))
    stop = page.get_by_role("alert")
    expect(stop.get_by_role("heading", name="Get help now")).to_be_visible()
    expect(stop).to_contain_text("emergency")
    expect(stop).to_contain_text("saddle area")

    page.goto(url(live_server, "/today/"))
    expect(page).to_have_url(re.compile("/check-in/stop/$"))
    expect(page.get_by_role("link", name=re.compile("^Start guided session"))).to_have_count(0)
    person = user("erin@example.org")
    assert not CheckIn.objects.filter(user=person).exists()
    assert RedFlagReport.objects.filter(user=person, level="emergency").count() == 1
    assert problems == [], "\n".join(problems)


def tab_to(page: Page, target, most: int = 80) -> None:
    """Press Tab until `target` has the focus, as a keyboard user would."""
    handle = target.element_handle()
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("(el) => document.activeElement === el", handle):
            return
    raise AssertionError(f"Tab never reached {target}")


@pytest.mark.browser
def test_the_check_in_today_and_the_player_work_with_the_keyboard_alone(page: Page, live_server, problems):
    sign_up(page, live_server, "finn@example.org")

    # The skip link is the first stop and moves the focus to the content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    next_button = page.get_by_role("button", name="Next")
    tab_to(page, next_button)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/check-in/about/(#main)?$"))
    tab_to(page, page.get_by_label("Your age"))
    page.keyboard.type("41")
    pain = page.get_by_role("group", name=re.compile("^Pain right now"))
    tab_to(page, pain.get_by_label("0 none"))  # the 0-10 buttons are one radio group: one Tab stop
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    expect(pain.get_by_label("4", exact=True)).to_be_checked()
    tab_to(page, page.get_by_label("How many"))
    page.keyboard.type("3")
    tab_to(page, page.get_by_label("Days, weeks, months or years"))
    page.keyboard.type("months")  # typing on a focused list picks the option
    expect(page.get_by_label("Days, weeks, months or years")).to_have_value("months")
    tab_to(page, page.get_by_label("Not sure", exact=True))  # a radio group is one Tab stop, at its answer
    for _ in range(3):
        page.keyboard.press("ArrowUp")  # Not sure, Both sides, Right, Left
    expect(page.get_by_label("Left", exact=True)).to_be_checked()
    for step in ("history", "findings", "setup", "activities"):
        tab_to(page, page.get_by_role("button", name="Next"))
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(f"/check-in/{step}/(#main)?$"))
    tab_to(page, page.get_by_role("button", name="Save and see my plan"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/today/(#main)?$"))

    tab_to(page, page.get_by_role("link", name=re.compile("^Start guided session")).first)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/session/0/(#main)?$"))
    tab_to(page, page.get_by_role("button", name="Start", exact=True))
    page.keyboard.press("Enter")
    pause = page.get_by_role("button", name="Pause")
    expect(pause).to_be_focused()
    page.keyboard.press("Space")  # on the focused button
    assert wait_state(page, "s.paused")["paused"]
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    frozen = state(page)
    page.wait_for_timeout(300)  # a paused timer stands still
    assert state(page)["phase"] == frozen["phase"] and state(page)["index"] == frozen["index"]
    page.locator("#pl-name").focus()  # Space anywhere else on the page toggles it too
    page.keyboard.press("Space")
    assert not wait_state(page, "!s.paused")["paused"]
    page.keyboard.press("Space")
    assert wait_state(page, "s.paused")["paused"]
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_no_main_page_logs_a_console_error_or_a_csp_violation(on_a_monday, page: Page, live_server, problems):
    for path in ("/", "/signin/", "/exercises/", "/exercises/glute-bridge/"):
        page.goto(url(live_server, path))
    sign_up(page, live_server, "gus@example.org")
    check_in(page)
    for path in ("/progress/", "/settings/", "/account/", "/history/", "/exercises/?kind=strength"):
        page.goto(url(live_server, path))
    page.goto(url(live_server, "/session/1/"))  # strength: sets with a rest between them
    page.get_by_role("button", name="Start", exact=True).click()
    shown = picture_during(page, "rest")
    assert shown["visible"] and shown["frame"] == "start" and "the start position" in shown["desc"], shown
    wait_state(page, "s.screen === 'player' && s.index >= 1")
    hurts(page, 7)
    expect(page.locator(".pl-notice[role=alert]")).to_contain_text("instead")
    page.get_by_role("button", name="Finish now").click()
    choose(page, re.compile("^Pain now"), "3")
    page.get_by_role("button", name="Save and finish").click()
    expect(page).to_have_url(re.compile("/progress/$"))
    page.goto(url(live_server, "/check-in/"))
    page.get_by_label(re.compile("where you would sit on a saddle")).check()
    page.get_by_role("button", name="Next").click()
    expect(page).to_have_url(re.compile("/check-in/stop/$"))
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_the_player_moves_the_figure_out_and_back_once_per_rep_in_step_with_the_timer(page: Page, live_server,
                                                                                      problems):
    """A rep without a hold: the timer drives the loop through its moving stretches (out, then back),
    skipping the pause the loop makes for a hold; with reduced motion, the end then the start position."""
    moves = [(round(sum(p.seconds for p in timeline("glute-bridge")[:i]), 3), p.seconds)
             for i, p in enumerate(timeline("glute-bridge")) if p.moving]
    item = {"exercise": "glute-bridge", "name": "Glute bridge", "side": "each", "sets": 1, "reps": 2, "hold_s": 0,
            "rest_s": 0, "rep_s": 4, "steps": ["Lift, then lower."], "stop_if": [], "dose": "2 reps, each side",
            "why": "", "source": "", "condition": None, "picture": present.player_picture("glute-bridge", Side.EACH)}
    data = {"title": "Moves", "date": "2026-01-01", "scope": "moves", "person": 0, "timer_scale": 0.3,
            "get_ready_s": 1, "routines": [{"index": 0, "kind": "strength", "title": "Moves", "items": [item]}],
            "excluded": ["glute-bridge"], "today_url": "/", "progress_url": "/", "signin_url": "/",
            "save_url": "/", "pain_url": "/", "csrf_cookie": "csrftoken"}
    # The player's own page, with this one item, served from the app's address (its modules and drawings).
    html = render_to_string("plans/session.html", {"title": "Moves", "routines": [], "data": data, "minutes": 1,
                                                   "scale": range(11), "switches": SWITCHES})
    page.route(url(live_server, "/moves/"), lambda route: route.fulfill(body=html, content_type="text/html"))
    for reduced in ("no-preference", "reduce"):
        page.emulate_media(reduced_motion=reduced)
        page.goto(url(live_server, "/moves/"))
        # Where the loop stands in the first frame that paints the looping drawing: a drawing just put in
        # the page starts its clock at that frame (until then it reads 0 whatever it was set to).
        page.evaluate("""() => { window.firstFrames = [];
            const box = document.querySelector('#player .pl-picture');
            new MutationObserver(() => { const svg = box.querySelector('svg');
                if (svg && box.dataset.frame === 'animated')
                  requestAnimationFrame(() => window.firstFrames.push(svg.getCurrentTime())); })
              .observe(box, {childList: true}); }""")
        page.get_by_role("button", name="Start", exact=True).click()
        seen = [{"rep": None}]
        while seen[-1]["rep"] != 2 and len(seen) < 200:
            # Each look is taken as a frame is drawn, as the figure is seen.
            seen.append(page.evaluate(f"""async () => {{ await new Promise(requestAnimationFrame); const s = {STATE};
                const svg = document.querySelector('#player .pl-picture svg');
                return {{phase: s.phase, rep: s.rep, side: s.side, frame: s.picture, drawn: svg !== null,
                        at: svg && svg.getCurrentTime(), paused: svg && svg.animationsPaused()}}; }}"""))
            page.wait_for_timeout(40)
        rep = [x for x in seen[1:] if x["phase"] == "move" and x["rep"] == 1]
        assert len(rep) >= 10 and all(x["side"] == "left" for x in rep), seen
        if reduced == "reduce":
            frames = [x["frame"] for x in rep]
            assert set(frames) == {"end", "start"} and frames == sorted(frames), frames  # end first, then start
            continue
        # The drawing is a file fetched when the item starts: on a busy machine the first looks may come
        # before it is in the page. Once there it stays, and the loop is read from every look after.
        drawn = [x["drawn"] for x in rep]
        assert True in drawn and all(drawn[drawn.index(True):]), drawn
        rep = [x for x in rep if x["drawn"]]
        first = page.evaluate("window.firstFrames")
        assert first and all(any(a - 0.01 <= at <= a + d + 0.01 for a, d in moves) for at in first), (moves, first)
        assert len(rep) >= 8, rep
        assert all(x["frame"] == "animated" and x["paused"] for x in rep), rep
        outside = [x["at"] for x in rep if not any(a - 0.01 <= x["at"] <= a + d + 0.01 for a, d in moves)]
        assert outside == [], (moves, [x["at"] for x in rep])
        assert rep[0]["at"] < moves[0][0] + moves[0][1] / 2 and rep[-1]["at"] > moves[-1][0] + moves[-1][1] / 2
        assert [x["at"] for x in rep] == sorted(x["at"] for x in rep)
    assert problems == [], "\n".join(problems)


def shot(page: Page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / name, full_page=True, animations="disabled", caret="hide")


@pytest.mark.browser
def test_screenshots_of_every_main_page_at_375_pixels(page: Page, live_server, settings, problems):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(url(live_server, "/"))
    shot(page, "home.png")
    sign_up(page, live_server, "hana@example.org")
    shot(page, "checkin.png")
    check_in(page)
    # Each card's picture is a file the browser fetches (under the CSP) and draws.
    page.wait_for_function("() => document.querySelectorAll('.ex-card .pic-motion img').length > 0 && "
                           "[...document.querySelectorAll('.ex-card img')].every(i => i.complete && i.naturalWidth > 0)")
    shot(page, "today.png")

    settings.TIMER_SCALE = 0.2  # slow enough to catch the countdown mid-exercise
    page.goto(url(live_server, "/session/0/"))
    choose(page, re.compile("^How much does your back hurt right now"), "4")
    page.get_by_role("button", name="Start", exact=True).click()
    wait_state(page, "s.phase === 'hold' && s.secondsLeft <= 42")
    # The screen the person sees: Start scrolls the player to the top; the phone's dock at its foot.
    player_top = "() => document.querySelector('#player .pl-run').scrollIntoView({block: 'start'})"
    page.evaluate(player_top)
    shot(page, "session.png")
    hurts(page, 7)
    expect(page.locator(".pl-notice[role=alert]")).to_contain_text("instead")
    page.evaluate(player_top)
    shot(page, "session-swap.png")
    page.get_by_role("button", name="Finish now").click()
    choose(page, re.compile("^Pain now"), "3")
    page.get_by_role("button", name="Save and finish").click()
    expect(page).to_have_url(re.compile("/progress/$"))

    seed_history(user("hana@example.org"))
    page.reload()
    expect(page.locator("svg g.cal-cell.cal-missed")).to_have_count(1)
    shot(page, "progress.png")
    page.goto(url(live_server, "/exercises/"))
    # Thumbnails load as they scroll into view: bring them all in for the picture, each one drawn.
    page.evaluate("document.querySelectorAll('img[loading=lazy]').forEach(i => { i.loading = 'eager'; })")
    page.wait_for_function("() => [...document.images].length > 50 && "
                           "[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    shot(page, "library.png")
    page.goto(url(live_server, "/exercises/glute-bridge/"))
    shot(page, "exercise.png")
    page.goto(url(live_server, "/check-in/"))
    page.get_by_label(re.compile("where you would sit on a saddle")).check()
    page.get_by_role("button", name="Next").click()
    expect(page).to_have_url(re.compile("/check-in/stop/$"))
    shot(page, "stop.png")
    for name in ("home", "checkin", "stop", "today", "session", "session-swap", "progress", "library", "exercise"):
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000
    assert problems == [], "\n".join(problems)
