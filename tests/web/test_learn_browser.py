"""Learn in a real browser (Debian's Chromium through Playwright): Today's lesson, a lesson page with its
picture under the CSP, marking it read, and the list; screenshots of the list and a lesson."""

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # as in test_browser.py: the live server's ORM in this thread

import re  # noqa: E402

import pytest  # noqa: E402
from playwright.sync_api import Page, expect  # noqa: E402

from browser_helpers import SCREENSHOTS, check_in, sign_up, url  # noqa: E402
from sijcoach.engine.lessons import lessons  # noqa: E402
from test_browser import browser_context_args, browser_type_launch_args, problems, shot  # noqa: E402,F401

ALL_PICTURES_DRAWN = ("() => [...document.querySelectorAll('.lesson-picture img')]"
                      ".every(i => i.complete && i.naturalWidth > 0)")


@pytest.mark.browser
def test_a_new_person_reads_todays_lesson_marks_it_read_and_finds_it_ticked(page: Page, live_server, problems):
    sign_up(page, live_server, "lena@example.org")
    check_in(page)  # sits most of the day: planned for a stiff joint
    card = page.locator(".today-lesson")
    expect(card).to_contain_text("day 1 of 14")
    card.get_by_role("link", name="Tight and weak partners").click()
    expect(page).to_have_url(re.compile("/learn/tight-and-weak-partners/$"))
    page.wait_for_function(ALL_PICTURES_DRAWN)
    expect(page.get_by_role("img", name=re.compile("stretching the front of the hip"))).to_be_visible()
    page.get_by_role("button", name="Mark as read").click()
    expect(page.locator(".messages")).to_contain_text("is marked as read")
    expect(page.locator(".lesson .read-mark")).to_contain_text("Read on")
    page.get_by_role("link", name="More", exact=True).click()  # the menu's fourth place lists Learn
    page.get_by_role("link", name="Learn", exact=True).click()
    expect(page.locator(".meta").first).to_contain_text(f"1 of {len(lessons())} read")
    expect(page.locator(".lesson-row.is-read")).to_have_count(1)
    shot(page, "learn.png")
    for lesson in lessons():
        page.goto(url(live_server, f"/learn/{lesson.id}/"))
        page.wait_for_function(ALL_PICTURES_DRAWN)
    page.goto(url(live_server, "/learn/the-si-joint/"))
    page.wait_for_function(ALL_PICTURES_DRAWN)
    shot(page, "lesson.png")
    page.goto(url(live_server, "/today/"))
    expect(page.locator(".today-lesson")).to_contain_text("Read.")
    assert (SCREENSHOTS / "lesson.png").exists()
    assert problems == [], "\n".join(problems)
