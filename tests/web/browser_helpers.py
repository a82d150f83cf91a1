"""Helpers for the browser tests: signing up, answering the check-in, reading the player, seeding history.

The check-in answers are one person (41, left-sided pain for three months, a mat at home); the
profile gives a relief routine whose exercises all have a swap when they hurt 7/10.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from playwright.sync_api import Page, expect

PASSWORD = "correct horse battery staple"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 375, "height": 812}


def url(live_server, path: str) -> str:
    return f"{live_server.url}{path}"


def sign_up(page: Page, live_server, email: str) -> None:
    if not page.url.endswith("/signup/"):
        page.goto(url(live_server, "/signup/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label(re.compile("not a diagnosis")).check()
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/check-in/warning-signs/$"))


def next_page(page: Page, step: str) -> None:
    page.get_by_role("button", name=re.compile("^(Next|Save and see my plan)$")).click()
    expect(page).to_have_url(re.compile(f"{step}$"))


def answer_about(page: Page) -> None:
    page.get_by_label("Your age").fill("41")
    page.get_by_label("Sex").select_option("female")
    page.get_by_label("Pregnant or recently given birth?").select_option("none")
    page.get_by_role("group", name=re.compile("^Pain right now")).get_by_label("4", exact=True).check()
    onset = page.get_by_role("group", name=re.compile("^How long ago"))
    onset.get_by_label("How many").fill("3")
    onset.get_by_label("Days, weeks, months or years").select_option("months")
    page.get_by_role("group", name="Which side hurts?").get_by_label("Left", exact=True).check()
    page.get_by_label("How did it start?").select_option("gradual")


def answer_history(page: Page) -> None:
    page.get_by_label("I sit most of the day").check()
    for group in page.locator("fieldset").filter(has=page.get_by_label("Not sure")).all():
        group.get_by_label("No", exact=True).check()


def answer_setup(page: Page) -> None:
    page.get_by_role("group", name="Exercise level").get_by_label("Beginner").check()
    page.get_by_label("Minutes a day").fill("20")
    page.get_by_label(re.compile("^Strength days a week")).fill("3")


def answer_activities(page: Page) -> None:
    page.get_by_label("Activity 1", exact=True).fill("putting on socks")
    page.get_by_label("How well can you do activity 1? (0-10)").fill("4")


def check_in(page: Page) -> None:
    """Every page of the check-in, from the warning signs (none ticked) to Today."""
    expect(page).to_have_url(re.compile(r"/check-in/warning-signs/$"))
    next_page(page, "/check-in/about/")
    answer_about(page)
    next_page(page, "/check-in/history/")
    answer_history(page)
    next_page(page, "/check-in/findings/")
    next_page(page, "/check-in/setup/")
    answer_setup(page)
    next_page(page, "/check-in/activities/")
    answer_activities(page)
    next_page(page, "/today/")


# The player's state as its page shows it: #player's data attributes and the session list (nothing
# on `window`: the tests read what a person could).
STATE = """(() => {
    const p = document.getElementById('player');
    if (!p || !p.dataset.screen) return null;
    const d = p.dataset;
    const num = (v) => (v === undefined || v === '' ? null : Number(v));
    const box = p.querySelector('.pl-picture');
    const shown = d.screen === 'player' && box && !box.hidden;
    return {screen: d.screen, index: num(d.index), total: num(d.total), exercise: d.exercise || null,
            phase: d.screen === 'player' ? (d.phase || null) : null, secondsLeft: num(d.secondsLeft),
            set: num(d.set), rep: num(d.rep), side: d.side || null, paused: d.paused === 'true',
            picture: shown ? box.dataset.frame : null, pictureSide: shown ? box.dataset.side : null,
            items: [...p.querySelectorAll('.pl-track li')].map((li) => ({
                exercise: li.dataset.exercise, started: li.dataset.started === 'true',
                done: li.dataset.status === 'done', skipped: li.dataset.status === 'skipped',
                pain: num(li.dataset.pain), swapped_for: li.dataset.swappedFor || null,
                swapped_from: li.dataset.swappedFrom || null}))};
})()"""


def state(page: Page) -> dict:
    return page.evaluate(f"() => {STATE}")


def wait_state(page: Page, condition: str, timeout: float = 20_000) -> dict:
    """Wait until `condition` (JavaScript over `s`, the player's state) holds; return the state."""
    # A function, not an expression: Playwright evaluates expressions with eval, which the CSP refuses.
    page.wait_for_function(f"() => {{ const s = {STATE}; return !!s && ({condition}); }}", timeout=timeout)
    return state(page)


# The player's picture as one look sees it: the frame shown ("start", "end", "animated"), the phase's
# side, whether the box shows, the drawing's title and description and whether it moves.
_LOOK = """(s) => {
    const box = document.querySelector('#player .pl-picture');
    const svg = box && box.querySelector('svg');
    return {phase: s.phase, exercise: s.exercise, side: s.side, frame: s.picture,
            box_frame: box && box.dataset.frame, visible: !!box && !box.hidden && box.getClientRects().length > 0,
            title: svg ? svg.querySelector('title').textContent : null,
            desc: svg ? svg.querySelector('desc').textContent : null,
            moves: !!svg && svg.querySelector('animate') !== null};
}"""


def picture_during(page: Page, phase: str | None = None, timeout: float = 20_000) -> dict:
    """The player's picture at a moment of `phase` (any timed phase if None), in one look at the page,
    so the phase and the picture are of the same moment."""
    wanted = f"s.phase === {phase!r}" if phase else "s.phase !== null && s.phase !== 'condition'"
    handle = page.wait_for_function(f"""() => {{
        const s = {STATE};
        if (!s || s.screen !== 'player' || !({wanted})) return false;
        return ({_LOOK})(s);
    }}""", timeout=timeout)
    return handle.json_value()


def record_first_pictures(page: Page) -> None:
    """Look at the player's picture on every animation frame, keeping the first look of each phase.
    A short phase (under a second with the test timers) is seen even while the test is busy
    elsewhere; read the looks with first_pictures."""
    page.evaluate(f"""() => {{
        window.sijSeen = {{}};
        const look = {_LOOK};
        const tick = () => {{
            const s = {STATE};
            if (s && s.screen === 'player' && s.phase && !(s.phase in window.sijSeen)) window.sijSeen[s.phase] = look(s);
            requestAnimationFrame(tick);
        }};
        requestAnimationFrame(tick);
    }}""")


def first_pictures(page: Page, phases: tuple[str, ...], timeout: float = 20_000) -> dict[str, dict]:
    """The first look at the picture in each of `phases`, once all of them have come."""
    page.wait_for_function(f"() => {list(phases)!r}.every(p => p in (window.sijSeen || {{}}))", timeout=timeout)
    return page.evaluate("() => window.sijSeen")


def assert_picture_for_side(shown: dict) -> None:
    """Each side's drawing: the left side is the mirror image, the right side (and both) the plain one."""
    for side in ("left", "right"):
        assert (f"Shown for the {side} side." in shown["desc"]) == (shown["side"] == side), shown


def choose(scope, group: str | re.Pattern, value: str) -> None:
    """Pick a choice in one of the player's big radio groups by pressing its visible label."""
    scope.get_by_role("group", name=group).get_by_text(value, exact=True).click()


def hurts(page: Page, pain: int) -> None:
    page.get_by_role("button", name="This hurts").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    choose(dialog, re.compile("^How much does it hurt right now"), str(pain))
    dialog.get_by_role("button", name="Send").click()


def go_on_after_swap(page: Page) -> None:
    """After a swap or a stop the next exercise waits, its notice on screen, until the person goes on."""
    notice = page.locator(".pl-notice[role=alert]")
    expect(notice).to_be_visible()
    s = state(page)
    assert s["paused"] or s["phase"] in ("condition", "walk"), "the next countdown started before the message was read"
    notice.get_by_role("button", name=re.compile("^(Start |Go on$)")).click()


def seed_history(user, days: int = 10) -> None:
    """Sessions and planned days for the `days` before today: pain easing from 6 to 3, a strength
    day every other day, one missed day and one half-done day, and a functional rating two weeks ago."""
    from sijcoach.web.plans import services
    from sijcoach.web.plans.models import PlannedDay, PsfsActivity, PsfsRating, Session, SessionItem

    today = services.today_for(user)
    checkin = services.latest_checkin(user)
    relief = {"kind": "relief", "title": "Daily relief", "minutes": 8.1}
    strength = {"kind": "strength", "title": "Strength: core, back of hip, low back", "minutes": 8.6}
    relief_items = ["self-massage-low-back-glutes", "pelvic-tilt", "ta-drawing-in", "knee-to-chest-stretch"]
    strength_items = ["ta-drawing-in", "glute-bridge", "quadruped-leg-slide"]
    for back in range(days, 0, -1):
        day = today - dt.timedelta(days=back)
        strength_day = back % 2 == 0
        routines = [relief, strength] if strength_day else [relief]
        PlannedDay.objects.update_or_create(user=user, date=day, defaults={"checkin": checkin, "routines": routines})
        if back == 5:
            continue  # missed
        pain = 3 + round(3 * back / days)
        done = [("relief", relief, relief_items)]
        if strength_day and back != 4:  # day 4: relief only, so partial
            done.append(("strength", strength, strength_items))
        for kind, routine, items in done:
            session = Session.objects.create(
                user=user, date=day, routine_kind=kind, routine_title=routine["title"],
                pain_before=pain, pain_after=pain - 1, pain_next_day=pain - 1)
            SessionItem.objects.bulk_create([
                SessionItem(session=session, position=i, exercise=slug, side="none", planned_sets=2, planned_reps=8,
                            sets_done=2, reps_done=8, effort="ok")
                for i, slug in enumerate(items)])
    for activity in PsfsActivity.objects.filter(user=user):
        PsfsRating.objects.create(activity=activity, date=today - dt.timedelta(days=days), score=3)
    services.remember_planned_days(user)  # written behind the services' back: keep the planned days
