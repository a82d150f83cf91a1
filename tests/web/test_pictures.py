"""The exercise pictures in the web app: on Today's cards and in the library as image files the
browser keeps, inline on each exercise page, in the session player's data and in a swap's
replacement; each one SVG that the CSP allows."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
from conftest import check_in
from django.urls import reverse, set_script_prefix

from sijcoach.engine.catalog import catalog
from sijcoach.engine.vocab import Side
from sijcoach.illustrate import animated_svg, frame_svg, still_svg, timeline
from sijcoach.web.plans import present, services

SVG = re.compile(r"<svg\b.*?</svg>", re.S)
IMG = re.compile(r'<img src="([^"]+)"')
TODAY_BUDGET = 30_000  # bytes of HTML, uncompressed; was ~77 KB for Alice with the drawings inline
LIBRARY_BUDGET = 40_000  # was ~109 KB with the drawings inline
YEAR = "public, max-age=31536000, immutable"
DRAWINGS = {"animated": animated_svg, "still": still_svg,  # a picture file's kind -> what it must hold
            "start": lambda slug, side: frame_svg(slug, "start", side),
            "end": lambda slug, side: frame_svg(slug, "end", side),
            "thumb": lambda slug, side: frame_svg(slug, "end", side, tight=True)}


def plan_of(user):
    return services.current_plan(user, services.today_for(user)).plan


def drawn(side: Side) -> str | None:
    return side.value if side in (Side.LEFT, Side.RIGHT) else None


def cards(page: str) -> list[str]:
    return page.split('<li class="ex-card">')[1:]


def card_pictures(card: str) -> tuple[str, str]:
    """A card's moving and still picture addresses, each checked to sit in its own wrapper."""
    moving = re.search(r'<div class="pic-motion"><img src="([^"]+)"', card)
    still = re.search(r'<div class="pic-still"><img src="([^"]+)"', card)
    assert moving and still, card
    return moving.group(1), still.group(1)


def fetch(client, url: str) -> str:
    """A picture file as the browser gets it."""
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "image/svg+xml", url
    return r.content.decode()


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
        moving, still = card_pictures(card)
        assert fetch(alice_client, moving) == animated_svg(it.exercise, drawn(it.side)), (it.exercise, it.side)
        assert fetch(alice_client, still) == still_svg(it.exercise, drawn(it.side))  # for print and reduced motion


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
                shown = fetch(alice_client, card_pictures(card)[0])
                assert shown == animated_svg(it.exercise, side.value)
                assert shown != animated_svg(it.exercise, other)
                checked += 1
        assert checked, f"no {side.value}-side item for {person}"


def test_a_card_picture_is_hidden_from_screen_readers_because_its_text_names_the_exercise(alice_client, alice):
    page = alice_client.get(reverse("today")).content.decode()
    for card in cards(page):
        assert card.count("<img") == 2 and card.count('alt=""') == 2 and "<svg" not in card
        assert card.index('<div class="picture" aria-hidden="true">') < card.index("<img")


def test_todays_page_refers_to_its_pictures_so_it_stays_small(alice_client, alice):
    r = alice_client.get(reverse("today"))
    assert r.status_code == 200 and "<svg" not in r.content.decode()
    assert len(r.content) < TODAY_BUDGET


def test_a_card_image_has_the_drawings_shape_so_the_page_does_not_jump(alice_client, alice):
    page = alice_client.get(reverse("today")).content.decode()
    for card in cards(page):
        for url in card_pictures(card):
            size = re.search(rf'<img src="{re.escape(url)}" alt="" width="(\d+)" height="(\d+)"', card)
            view_box = re.search(r'viewBox="0 0 (\d+) (\d+)"', fetch(alice_client, url))
            assert size and size.groups() == view_box.groups(), url


def test_the_library_shows_a_still_thumbnail_of_every_exercise_and_stays_light(client, db):
    r = client.get(reverse("library"))
    page = r.content.decode()
    assert r.status_code == 200 and len(cards(page)) == len(list(catalog()))
    for card in cards(page):
        slug = re.search(r'href="/exercises/([a-z0-9-]+)/"', card).group(1)
        (url,) = IMG.findall(card)
        assert fetch(client, url) == frame_svg(slug, "end", tight=True)  # signed out: not personal
        assert 'loading="lazy"' in card
    assert "<svg" not in page and len(r.content) < LIBRARY_BUDGET


def test_a_picture_with_the_current_hash_is_kept_a_year_and_an_old_hash_an_hour(client, db):
    url = present.picture_file("glute-bridge", "end").url
    r = client.get(url)
    assert r.status_code == 200 and r["Content-Type"] == "image/svg+xml" and r["Cache-Control"] == YEAR
    assert r.content.decode() == frame_svg("glute-bridge", "end")
    assert hashlib.sha256(r.content).hexdigest()[:10] in url
    assert "Cookie" not in r.get("Vary", "") and not r.cookies, "nothing personal, so any cache may keep it"
    digest = url.rsplit(".", 2)[1]
    stale = client.get(url.replace(f".{digest}.", ".0123456789."))
    assert stale.status_code == 200 and stale.content == r.content
    assert stale["Cache-Control"] == "public, max-age=3600"


@pytest.mark.parametrize("kind", present.PICTURE_KINDS)
@pytest.mark.parametrize("side", present.FILE_SIDES)
def test_every_kind_and_side_of_a_picture_is_served(client, db, kind, side):
    drawing = present.FILE_SIDES[side]
    url = present.picture_file("bird-dog", kind, drawing).url
    assert url.startswith(f"/pictures/bird-dog/{kind}-{side}.")
    assert fetch(client, url) == DRAWINGS[kind]("bird-dog", drawing)


def test_a_pictures_address_follows_the_script_prefix_it_is_served_under():
    """The addresses are kept once made (pages name dozens of drawings): under a prefix they carry it,
    and without it they do not."""
    drawing = present.picture_file("bird-dog", "start", "left")
    plain = drawing.url
    set_script_prefix("/coach-app/")
    try:
        assert drawing.url == "/coach-app" + plain
    finally:
        set_script_prefix("/")
    assert drawing.url == plain == reverse("picture", kwargs={
        "slug": "bird-dog", "kind": "start", "side": "left", "digest": drawing.digest})


@pytest.mark.parametrize("url", ["/pictures/no-such-exercise/end-plain.0123456789.svg",
                                 "/pictures/glute-bridge/middle-plain.0123456789.svg",
                                 "/pictures/glute-bridge/end-each.0123456789.svg",
                                 "/pictures/glute-bridge/end-left-right.0123456789.svg",
                                 "/pictures/glute-bridge/end.0123456789.svg"])
def test_an_unknown_picture_is_not_found(client, db, url):
    assert client.get(url).status_code == 404


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
        for shown, it in zip(data["routines"][0]["items"], routine.items, strict=True):
            picture = shown["picture"]
            expected_sides = ["left", "right"] if it.side is Side.EACH else [it.side.value]
            assert list(picture["sides"]) == expected_sides
            for side, frames in picture["sides"].items():
                served = {kind: alice_client.get(address).content.decode() for kind, address in frames.items()}
                assert served == {"animated": animated_svg(it.exercise, drawn(Side(side))),
                                  "start": frame_svg(it.exercise, "start", drawn(Side(side))),
                                  "end": frame_svg(it.exercise, "end", drawn(Side(side)))}
            assert picture["timeline"] == [[p.frame, p.seconds, p.moving] for p in timeline(it.exercise)]


def test_a_swap_brings_the_replacements_pictures(alice_client, alice):
    # "This hurts" answers from the person's situation, not the day: any strength routine of the week
    # will do (today may be a day without one).
    strength = next(r for day in plan_of(alice).days for r in day.routines if r.kind.value == "strength")
    excluded = [i.exercise for i in strength.items]
    r = alice_client.post("/api/v1/me/pain", json.dumps({"exercise": excluded[0], "pain": 7, "excluded": excluded}),
                          content_type="application/json")
    new = r.json()["replacement"]
    assert r.status_code == 200 and new["exercise"] not in excluded
    side = next(iter(new["picture"]["sides"]))
    frames = {kind: alice_client.get(address).content.decode() for kind, address in new["picture"]["sides"][side].items()}
    assert frames["end"] == frame_svg(new["exercise"], "end", drawn(Side(side)))
    assert "<animate" in frames["animated"]


def test_no_served_picture_carries_a_script_a_style_attribute_or_an_id(alice_client, alice):
    pages = [alice_client.get(reverse("today")).content.decode(),
             alice_client.get(reverse("library")).content.decode(),
             alice_client.get(reverse("exercise", args=["dontigny-knee-brace"])).content.decode()]
    markup = [svg for page in pages for svg in SVG.findall(page)]
    markup += [fetch(alice_client, url) for page in pages for url in IMG.findall(page)]
    data = session_data(alice_client)
    markup += [fetch(alice_client, url) for r in data["routines"] for it in r["items"]
               for frames in it["picture"]["sides"].values() for url in frames.values()]
    assert len(markup) > 80
    for svg in markup:
        assert_csp_safe(svg)


def test_the_picture_side_of_every_plan_side(db):
    assert [present.drawing_side(s) for s in Side] == [
        {"left": "left", "right": "right"}.get(s.value) for s in Side]
    assert present.picture("no-such-exercise") == ""
    assert present.picture_file("no-such-exercise") is None
    with pytest.raises(ValueError, match="animated, still, start, end"):
        present.picture("glute-bridge", "middle")
    with pytest.raises(ValueError, match="animated, still, start, end"):
        present.picture_file("glute-bridge", "middle")


def test_a_left_side_only_item_has_only_left_side_pictures_in_the_player(alice_client, inflare):
    plan = plan_of(inflare)
    index, routine = next((i, r) for i, r in enumerate(plan.days[0].routines)
                          if any(it.side is Side.LEFT for it in r.items))
    data = session_data(alice_client, index)
    lefts = [shown for shown in data["routines"][0]["items"] if shown["side"] == "left"]
    assert lefts
    for shown in lefts:
        assert list(shown["picture"]["sides"]) == ["left"]
        assert "Shown for the left side." in fetch(alice_client, shown["picture"]["sides"]["left"]["end"])
