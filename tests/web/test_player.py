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
    before = wait_state(page, "s.screen === 'player' && s.index >= 1 && s.phase === 'hold'")

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
def test_the_whole_day_runs_every_routine_in_order_and_saves_one_log_per_routine(page: Page, live_server, problems):
    sign_up(page, live_server, "kit@example.org")
    check_in(page)
    person = user("kit@example.org")
    routines = services.current_plan(person, services.today_for(person)).plan.days[0].routines
    start = page.get_by_role("link", name=re.compile(r"^Start today's session, about \d+ minutes"))
    start.click()
    expect(page).to_have_url(re.compile("/session/today/$"))
    page.get_by_role("button", name="Start", exact=True).click()
    s = wait_state(page, "s.screen !== 'player' || s.phase === 'walk' || s.phase === 'condition'", timeout=60_000)
    while s["screen"] == "player":  # a walk is a step of its own, as is an exercise only when needed
        page.locator(".pl-cond-do").click()
        s = wait_state(page, "s.screen !== 'player' || s.phase === 'walk' || s.phase === 'condition'", timeout=60_000)
    finish(page, "1")
    expect(page).to_have_url(re.compile("/progress/$"))
    saved = list(Session.objects.filter(user=person).order_by("id"))
    assert [(s.routine_kind, s.routine_title) for s in saved] == [(r.kind.value, r.title) for r in routines]
    for session, routine in zip(saved, routines, strict=True):
        assert [i.exercise for i in session.items.all()] == [it.exercise for it in routine.items]
    page.goto(url(live_server, "/today/"))
    expect(page.locator(".done-badge")).to_have_count(len(routines))
    assert problems == [], "\n".join(problems)
