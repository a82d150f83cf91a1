"""The exercise pictures in the web app: on Today's cards, in the library, on each exercise page, in
the session player's data and in a swap's replacement; each one inline SVG that the CSP allows."""

from __future__ import annotations

import json
import re

import pytest
from conftest import check_in
from django.urls import reverse

from sijcoach.engine.catalog import catalog
from sijcoach.engine.vocab import Side
from sijcoach.illustrate import animated_svg, frame_svg, still_svg, timeline
from sijcoach.web.plans import present, services

SVG = re.compile(r"<svg\b.*?</svg>", re.S)
PAGE_BUDGET = 400_000  # bytes of HTML, uncompressed


def plan_of(user):
    return services.current_plan(user, services.today_for(user)).plan


def drawn(side: Side) -> str | None:
    return side.value if side in (Side.LEFT, Side.RIGHT) else None


def cards(page: str) -> list[str]:
    return page.split('<li class="ex-card">')[1:]


def session_data(client, index: int = 0) -> dict:
    page = client.get(reverse("session", args=[index])).content.decode()
    found = re.search(r'<script id="session-data" type="application/json">(.*?)</script>', page, re.S)
    assert found, "the session page embeds its data"
    return json.loads(found.group(1))


def assert_csp_safe(markup: str) -> None:
    assert "<script" not in markup.lower()
    assert not re.search(r"\sstyle\s*=", markup), "a style attribute would be refused by the CSP"
    assert not re.search(r"\son[a-z]+\s*=", markup), "an event handler attribute would be refused by the CSP"
    assert not re.search(r"\sid\s*=", markup), "an id would clash when the picture appears twice in a page"


@pytest.fixture
def inflare(alice):
    """Alice (left side sore) with an inflare: the realignment routine has left-side-only items."""
    check_in(alice, distortion="inflare")
    return alice


def test_every_card_on_today_shows_its_exercise_moving_for_its_side(alice_client, inflare):
    alice = inflare
    page = alice_client.get(reverse("today")).content.decode()
    items = [it for r in plan_of(alice).days[0].routines for it in r.items]
    shown = cards(page)
    assert len(shown) == len(items) and items
    assert any(it.side is Side.LEFT for it in items), "Alice's left side should have left-only items"
    for card, it in zip(shown, items, strict=True):
        assert f'href="{reverse("exercise", args=[it.exercise])}"' in card
        assert animated_svg(it.exercise, drawn(it.side)) in card, (it.exercise, it.side)
        assert still_svg(it.exercise, drawn(it.side)) in card  # for print and reduced motion


def test_a_left_side_item_shows_the_mirror_image_and_a_right_side_item_the_plain_drawing(alice_client, inflare,
                                                                                        bob):
    check_in(bob, age=52, sex="male", sore_side="right", pain_now=2, distortion="inflare")
    for person, side, other in ((inflare, Side.LEFT, "right"), (bob, Side.RIGHT, "left")):
        alice_client.force_login(person)
        page = alice_client.get(reverse("today")).content.decode()
        items = [it for r in plan_of(person).days[0].routines for it in r.items]
        checked = 0
        for card, it in zip(cards(page), items, strict=True):
            if it.side is side:
                assert animated_svg(it.exercise, side.value) in card
                assert animated_svg(it.exercise, other) not in card
                checked += 1
        assert checked, f"no {side.value}-side item for {person}"


def test_a_card_picture_is_hidden_from_screen_readers_because_its_text_names_the_exercise(alice_client, alice):
    page = alice_client.get(reverse("today")).content.decode()
    for card in cards(page):
        assert card.count("<svg") == 2
        assert card.index('<div class="picture" aria-hidden="true">') < card.index("<svg")


def test_the_library_shows_a_still_thumbnail_of_every_exercise_and_stays_light(client, db):
    r = client.get(reverse("library"))
    page = r.content.decode()
    assert r.status_code == 200 and len(cards(page)) == len(list(catalog()))
    for card in cards(page):
        slug = re.search(r'href="/exercises/([a-z0-9-]+)/"', card).group(1)
        assert frame_svg(slug, "end") in card
        assert "<animate" not in card
    assert len(r.content) < PAGE_BUDGET


@pytest.mark.parametrize("slug", [ex.slug for ex in catalog()])
def test_every_exercise_page_shows_the_loop_for_screen_and_the_still_for_print(client, db, slug):
    page = client.get(reverse("exercise", args=[slug])).content.decode()
    picture = page[page.index('<div class="picture large">'):]
    assert picture.index(animated_svg(slug)) < picture.index(still_svg(slug))
    assert 'aria-hidden="true"' not in picture[:picture.index("<svg")], "the main picture is for everyone"
    assert "{#" not in page and "{%" not in page, "a template comment or tag leaked into the page"


def test_the_session_page_gives_the_player_every_picture_it_needs(alice_client, alice):
    plan = plan_of(alice)
    for index, routine in enumerate(plan.days[0].routines):
        if routine.kind.value == "walk":
            continue
        data = session_data(alice_client, index)
        for shown, it in zip(data["items"], routine.items, strict=True):
            picture = shown["picture"]
            expected_sides = ["left", "right"] if it.side is Side.EACH else [it.side.value]
            assert list(picture["sides"]) == expected_sides
            for side, frames in picture["sides"].items():
                assert frames == {"animated": animated_svg(it.exercise, drawn(Side(side))),
                                  "start": frame_svg(it.exercise, "start", drawn(Side(side))),
                                  "end": frame_svg(it.exercise, "end", drawn(Side(side)))}
            assert picture["timeline"] == [[p.frame, p.seconds, p.moving] for p in timeline(it.exercise)]


def test_a_swap_brings_the_replacements_pictures(alice_client, alice):
    strength = next(r for r in plan_of(alice).days[0].routines if r.kind.value == "strength")
    excluded = [i.exercise for i in strength.items]
    r = alice_client.post(reverse("session_swap"), json.dumps({"exercise": excluded[0], "pain": 7,
                                                               "excluded": excluded}),
                          content_type="application/json")
    new = r.json()["replacement"]
    assert r.status_code == 200 and new["exercise"] not in excluded
    side = next(iter(new["picture"]["sides"]))
    assert new["picture"]["sides"][side]["end"] == frame_svg(new["exercise"], "end", drawn(Side(side)))
    assert "<animate" in new["picture"]["sides"][side]["animated"]


def test_no_served_picture_carries_a_script_a_style_attribute_or_an_id(alice_client, alice):
    pages = [alice_client.get(reverse("today")).content.decode(),
             alice_client.get(reverse("library")).content.decode(),
             alice_client.get(reverse("exercise", args=["dontigny-knee-brace"])).content.decode()]
    markup = [svg for page in pages for svg in SVG.findall(page)]
    data = session_data(alice_client)
    markup += [svg for it in data["items"] for frames in it["picture"]["sides"].values() for svg in frames.values()]
    assert len(markup) > 80
    for svg in markup:
        assert_csp_safe(svg)


def test_the_picture_side_of_every_plan_side(db):
    assert [present.drawing_side(s) for s in Side] == [
        {"left": "left", "right": "right"}.get(s.value) for s in Side]
    assert present.picture("no-such-exercise") == ""
    with pytest.raises(ValueError, match="animated, still, start, end"):
        present.picture("glute-bridge", "middle")


def test_a_left_side_only_item_has_only_left_side_pictures_in_the_player(alice_client, inflare):
    plan = plan_of(inflare)
    index, routine = next((i, r) for i, r in enumerate(plan.days[0].routines)
                          if any(it.side is Side.LEFT for it in r.items))
    data = session_data(alice_client, index)
    lefts = [shown for shown in data["items"] if shown["side"] == "left"]
    assert lefts
    for shown in lefts:
        assert list(shown["picture"]["sides"]) == ["left"]
        assert "Shown for the left side." in shown["picture"]["sides"]["left"]["end"]
