"""Reminders in a real browser (Debian's Chromium through Playwright) whose clock is in Tokyo: sign-up
presets the time zone from the browser, settings turn the email on, and an unsubscribe link from an
email stops it with one button, all without a console error or a CSP violation."""

import re

import pytest
from playwright.sync_api import Page, expect

from browser_helpers import PASSWORD, PHONE, url
from sijcoach.web.reminders import services
from sijcoach.web.reminders.models import EmailReminder
from test_browser import browser_type_launch_args, problems, user  # noqa: F401  (fixtures, a helper)

BROWSER_ZONE = "Asia/Tokyo"


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "device_scale_factor": 1, "timezone_id": BROWSER_ZONE}


@pytest.mark.browser
def test_sign_up_takes_the_browsers_zone_and_settings_turn_the_email_on_and_off(page: Page, live_server,
                                                                                problems):  # noqa: F811
    page.goto(url(live_server, "/signup/"))
    expect(page.get_by_label("Time zone")).to_have_value(BROWSER_ZONE)
    page.get_by_label("Email").fill("tomo@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label(re.compile("not a diagnosis")).check()
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/check-in/warning-signs/$"))
    assert user("tomo@example.org").preferences.time_zone == BROWSER_ZONE

    page.goto(url(live_server, "/settings/"))
    expect(page.get_by_label("Time zone")).to_have_value(BROWSER_ZONE)
    page.get_by_label(re.compile("^Daily reminder time")).fill("07:30")
    page.get_by_label(re.compile("^Email me at this time each day")).check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Settings saved")).to_be_visible()
    assert EmailReminder.objects.get(user=user("tomo@example.org")).enabled

    # The link in an email, opened in a browser that is not signed in: a button, and then it is done.
    page.context.clear_cookies()
    page.goto(url(live_server, f"/reminders/stop/{services.unsubscribe_token(user('tomo@example.org').pk)}/"))
    page.get_by_role("button", name="Stop reminder emails").click()
    expect(page.get_by_text("no more reminder emails")).to_be_visible()
    assert not EmailReminder.objects.get(user=user("tomo@example.org")).enabled
    assert problems == [], "\n".join(problems)


@pytest.mark.browser
def test_a_zone_chosen_by_hand_at_sign_up_is_kept(page: Page, live_server, problems):  # noqa: F811
    page.goto(url(live_server, "/signup/"))
    page.get_by_label("Time zone").select_option("Europe/Lisbon")
    page.get_by_label("Email").fill("rita@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label(re.compile("not a diagnosis")).check()
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_url(re.compile(r"/check-in/warning-signs/$"))
    assert user("rita@example.org").preferences.time_zone == "Europe/Lisbon"
    assert problems == [], "\n".join(problems)
