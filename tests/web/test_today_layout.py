"""Today on a phone (390 x 844 CSS px), in Debian's Chromium: short enough to read, one primary action
at the top, a menu of one row, and no page wider than the screen (a long coach address wraps); the
coach's forms keep their buttons' size.

Run with `pytest tests/web/test_today_layout.py`.
"""

import os

# The live server's ORM is called from the test thread while Playwright's event loop runs in it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

import re  # noqa: E402

import pytest  # noqa: E402
from playwright.sync_api import Page, expect  # noqa: E402

from browser_helpers import PASSWORD, check_in, choose, sign_up, url  # noqa: E402
from conftest import make_coach  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from sijcoach.web.accounts.models import ApiToken  # noqa: E402
from sijcoach.web.coaching import services as coaching  # noqa: E402
from test_browser import browser_type_launch_args, problems  # noqa: E402, F401  (the shared set-up)

PHONE_390 = {"width": 390, "height": 844}
# Up from 3,000 when a day without its walk began to say so in a line ("No walk planned today: your 20
# minutes go to the routines above."): a first Monday at 20 minutes has one.
TODAY_MAX_PX = 3100
MENU_MAX_PX = 120


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE_390, "device_scale_factor": 1}


def page_height(page: Page) -> int:
    # After the load event: the stylesheets have applied. Measured as soon as the address changed, an
    # unstyled Today measured 7,692 px once, on CI's two busy workers.
    page.wait_for_load_state("load")
    return page.evaluate("() => document.documentElement.scrollHeight")


def menu_height(page: Page) -> float:
    return page.get_by_role("navigation", name="Main").bounding_box()["height"]


def page_width(page: Page) -> int:
    page.wait_for_load_state("load")
    return page.evaluate("() => document.documentElement.scrollWidth")


@pytest.mark.browser
def test_today_for_a_newly_checked_in_person_fits_a_phone_with_the_primary_action_at_the_top(
        on_a_monday, page: Page, live_server, problems):
    # On a Monday: a programme that starts then has its first strength day at once, the longest first
    # Today (CI on a Monday found 3,011 px; other days were shorter and passed).
    sign_up(page, live_server, "hana@example.org")
    check_in(page)
    height, menu = page_height(page), menu_height(page)
    print(f"Today at 390 x 844: {height} CSS px tall, the menu {menu} px")
    assert height <= TODAY_MAX_PX, f"Today is {height} px tall"
    assert menu <= MENU_MAX_PX, f"the menu is {menu} px tall"
    assert page_width(page) <= PHONE_390["width"]

    # One primary action, on the first screen, to the first routine.
    start = page.get_by_role("link", name=re.compile(r"^Start today's session, about \d+ minutes"))
    expect(start).to_have_count(1)
    assert start.bounding_box()["y"] + start.bounding_box()["height"] <= PHONE_390["height"]
    assert start.get_attribute("href").endswith("/session/today/")
    # The disclaimer once, at the foot; the cards keep steps, reason and source behind "More".
    expect(page.get_by_text(re.compile("not a diagnosis"))).to_have_count(1)
    card = page.locator(".ex-card").first
    expect(card.locator(".dose")).to_be_visible()
    expect(card.locator(".source")).to_be_hidden()
    card.locator("summary").click()
    expect(card.locator(".source")).to_be_visible()
    expect(card.locator(".steps li").first).to_be_visible()
    # All the advice on its own page, linked from Today.
    page.get_by_role("link", name=re.compile("^All advice")).click()
    expect(page).to_have_url(re.compile("/advice/$"))
    assert page.locator(".advice li").count() >= 2
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_the_menu_is_one_row_on_every_main_page_and_marks_the_current_one(page: Page, live_server, problems):
    sign_up(page, live_server, "ivo@example.org")
    check_in(page)
    for path, current in (("/today/", "Today"), ("/progress/", "Progress"), ("/exercises/", "Exercises"),
                          ("/more/", "More"), ("/advice/", "More"), ("/settings/", "More")):
        page.goto(url(live_server, path))
        menu = page.get_by_role("navigation", name="Main")
        assert menu_height(page) <= MENU_MAX_PX, path
        expect(menu.locator("[aria-current=page]")).to_have_text(current)
        links = menu.get_by_role("link")
        tops = {round(box["y"]) for box in (link.bounding_box() for link in links.all())}
        assert len(tops) == 1, f"{path}: the menu's links sit on {len(tops)} rows"
        assert page_width(page) <= PHONE_390["width"], path
    page.goto(url(live_server, "/more/"))
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile("/$"))
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_the_account_pages_tables_fit_a_phone(page: Page, live_server, problems):
    # A new user's find: with a token, the account page was 595 px wide and its Revoke button off-screen.
    sign_up(page, live_server, "uma@example.org")
    check_in(page)
    ApiToken.issue(get_user_model().objects.get(email="uma@example.org"), "the script on my laptop at home")
    for path in ("/account/", "/history/"):
        page.goto(url(live_server, path))
        assert page_width(page) <= PHONE_390["width"], path
    revoke = page.goto(url(live_server, "/account/")) and page.get_by_role("button", name=re.compile("^Revoke"))
    revoke.scroll_into_view_if_needed()
    expect(revoke).to_be_in_viewport()
    assert problems == [], "\n".join(problems)


def sign_in(page: Page, live_server, email: str) -> None:
    page.goto(url(live_server, "/signin/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).not_to_have_url(re.compile("/signin/"))


@pytest.mark.browser
def test_a_long_coach_address_wraps_on_the_invite_page_and_the_buttons_keep_their_size(page: Page, live_server,
                                                                                          alice, problems):
    coach = make_coach("a.physiotherapist.with.a.very.long.name@rehabilitation-clinic.example.org")
    code = coaching.create_invite(coach).code
    sign_in(page, live_server, alice.email)
    page.goto(url(live_server, f"/my-coach/join/{code}/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(coach.email)
    assert page_width(page) <= PHONE_390["width"]
    page.get_by_role("button", name=re.compile("^Accept")).click()
    expect(page).to_have_url(re.compile("/my-coach/$"))
    assert page_width(page) <= PHONE_390["width"]

    # The coach's page for Alice, on a wide screen: the forms side by side, each button its own size (Send: a message).
    page.get_by_role("button", name=re.compile("^Leave")).wait_for()
    page.context.clear_cookies()
    sign_in(page, live_server, coach.email)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(url(live_server, f"/coach/clients/{alice.pk}/"))
    heights = {name: page.get_by_role("button", name=name, exact=True).bounding_box()["height"]
               for name in ("Save", "Save dose", "Save findings", "Send")}
    assert max(heights.values()) <= 60, heights
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_the_players_long_position_line_wraps_and_this_hurts_stays_on_a_phones_screen(
        on_a_monday, page: Page, live_server, problems):
    # A new user's find: in the whole day's session the strength part's line "Strength: core, back of hip,
    # low back · Exercise 7 of 12" did not wrap; the page was 659 px wide and "This hurts" off the screen.
    sign_up(page, live_server, "ola@example.org")
    check_in(page)
    page.get_by_role("link", name=re.compile(r"^Start today's session")).click()
    choose(page, re.compile("^How much does your back hurt right now"), "3")
    page.get_by_role("button", name="Start", exact=True).click()
    position = page.locator(".pl-pos")
    expect(position).to_be_visible()
    position.evaluate("p => { p.textContent = 'Strength: core, back of hip, low back · Exercise 7 of 12'; }")
    assert page_width(page) <= PHONE_390["width"]
    hurts = page.get_by_role("button", name="This hurts")
    box = hurts.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE_390["width"], box
    assert problems == [], "\n".join(problems)
