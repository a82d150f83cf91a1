"""Coach mode in a real browser, the whole flow with two people at once (two browser contexts): a coach
invites, the client accepts, the coach sets a 3 x 10 glute bridge with a cue, the client sees both in
the player, writes to the coach, and the coach reads the message and marks the client's flag seen.
"""

import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the live server's ORM is read from the test thread

import datetime as dt  # noqa: E402
import re  # noqa: E402

import pytest  # noqa: E402
from playwright.sync_api import Page, expect  # noqa: E402

from browser_helpers import check_in, sign_up, url, wait_state  # noqa: E402
from sijcoach.web.coaching import services as coaching  # noqa: E402
from sijcoach.web.coaching.models import AccessLog, Message  # noqa: E402
from sijcoach.web.plans import services  # noqa: E402
from sijcoach.web.plans.models import CheckIn  # noqa: E402
from test_browser import browser_context_args, browser_type_launch_args, problems, user  # noqa: E402,F401

CUE = "Squeeze the buttocks before the hips leave the floor."


def todays_items(person) -> dict[int, list[str]]:
    """Today's routines as the person's plan holds them: the routine's place, its exercises."""
    day = services.current_plan(person, services.today_for(person)).plan.days[0]
    return {i: [it.exercise for it in r.items] for i, r in enumerate(day.routines)}


@pytest.mark.browser
def test_invite_accept_a_coachs_3x10_bridge_with_a_cue_in_the_player_a_message_read_and_a_flag_seen(
        on_a_monday, page: Page, browser, browser_context_args, live_server, problems):  # noqa: F811
    coach_page = page
    sign_up(coach_page, live_server, "cora@example.org")
    coaching.grant_coach(user("cora@example.org"), "administrator")  # as `make_coach` does on the server
    coach_page.goto(url(live_server, "/coach/invite/"))
    coach_page.get_by_role("button", name="Make a new invite").click()
    invite_link = coach_page.locator("#invite-link").inner_text()

    client_context = browser.new_context(**browser_context_args)
    client_page = client_context.new_page()
    sign_up(client_page, live_server, "cal@example.org")
    check_in(client_page)
    client_page.goto(invite_link)
    client_page.get_by_role("button", name=re.compile("^Accept .* as my coach$")).click()
    expect(client_page.get_by_role("main")).to_contain_text("cora@example.org")
    client = user("cal@example.org")
    # Cal checked in first a week ago and has logged no session since.
    CheckIn.objects.filter(user=client).update(answered_on=services.today_for(client) - dt.timedelta(days=7))

    # The coach finds the client on the list, with the flag of a week without a session.
    coach_page.goto(url(live_server, "/coach/"))
    row = coach_page.locator(f"#client-{client.pk}")
    expect(row.get_by_role("list", name="Needs your attention")).to_contain_text("No session")
    row.get_by_role("link", name="cal@example.org").click()
    # The bridge, pinned so that it is in the plan, then dosed 3 x 10 with a cue: a physiotherapist's
    # ordinary prescription, above the self-care range (the catalog's 2-5 repetitions would refuse 10).
    pin = coach_page.locator("#pin-form")
    pin.locator("#pin-exercise").select_option("glute-bridge")
    pin.get_by_role("button", name="Save").click()
    expect(coach_page.locator("#changes .msg-success")).to_contain_text("Saved")
    dose = coach_page.locator("#dose-form")
    dose.locator("#dose-exercise").select_option("glute-bridge")
    dose.locator("#dose-sets").fill("3")
    dose.locator("#dose-reps").fill("10")
    dose.locator("#dose-note").fill(CUE)
    dose.get_by_role("button", name="Save dose").click()
    expect(coach_page.locator("#changes .msg-success")).to_contain_text("Saved")

    # The client's player shows the coach's dose as the coach's, and the cue beside the steps.
    routine = next((i for i, items in todays_items(client).items() if "glute-bridge" in items), None)
    assert routine is not None, todays_items(client)  # pinned: today is a strength day for a new programme
    client_page.goto(url(live_server, f"/session/{routine}/"))
    expect(client_page.get_by_role("listitem").filter(has_text="Glute bridge")).to_contain_text(
        re.compile(r"3 sets × 10\b.*\(set by your coach\)"))
    client_page.get_by_role("button", name="Start", exact=True).click()
    wait_state(client_page, "s.screen === 'player' && s.exercise === 'glute-bridge'")
    expect(client_page.locator(".pl-cue")).to_be_visible()
    expect(client_page.locator(".pl-cue")).to_contain_text(f"Your coach: {CUE}")
    client_page.on("dialog", lambda dialog: dialog.accept())  # leaving mid-session asks first

    # The client writes to the coach from "Your coach".
    client_page.goto(url(live_server, "/my-coach/"))
    messages = client_page.locator("#messages")
    messages.get_by_role("textbox").fill("The bridge at 3 x 10 was fine, a little tired at the end.")
    messages.get_by_role("button", name="Send").click()
    expect(client_page.locator("#messages")).to_contain_text("a little tired at the end")

    # The coach sees one new message on the list, reads it on the client's page and marks it read,
    # then marks the flag seen: it moves below the new ones and says when.
    coach_page.goto(url(live_server, "/coach/"))
    expect(coach_page.locator(f"#client-{client.pk}")).to_contain_text("1 new")
    coach_page.locator(f"#client-{client.pk}").get_by_role("link", name="cal@example.org").click()
    conversation = coach_page.locator("#messages")
    expect(conversation).to_contain_text("a little tired at the end")
    conversation.get_by_role("button", name="Mark as read").click()
    expect(coach_page.locator("#messages").get_by_role("button", name="Mark as read")).to_have_count(0)
    assert Message.objects.get(from_coach=False).read_at is not None
    flags = coach_page.get_by_role("list", name="Needs your attention").first
    flags.locator("li").filter(has_text="No session").get_by_role("button", name="Mark seen").click()
    expect(coach_page.get_by_role("list", name="Needs your attention").first.locator("li.seen")).to_contain_text(
        "seen by you")
    # Every read the coach made is in the client's access log.
    assert AccessLog.objects.filter(client=client, coach=user("cora@example.org")).exists()
    client_context.close()
    assert problems == [], "\n".join(problems)
