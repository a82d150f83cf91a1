"""Turning plan items into the words and numbers pages and the player show."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_script_prefix, reverse
from django.utils.safestring import SafeString, mark_safe

from sijcoach import illustrate
from sijcoach.engine.catalog import catalog
from sijcoach.engine.live import LiveDecision
from sijcoach.engine.plan_types import Advice, Plan, PlanItem, Routine, RoutineKind, TriageLevel
from sijcoach.engine.vocab import Side
from sijcoach.exports.words import dose_and_side
from sijcoach.web.plans.labels import GROUP_WORDS

PICTURE_KINDS = ("animated", "still", "start", "end", "thumb")  # thumb: the end, framed on its own
FILE_SIDES = {"left": "left", "right": "right", "plain": None}  # a picture file's side -> the drawing's


def groups_text(item: PlanItem) -> str:
    return ", ".join(GROUP_WORDS.get(g, str(g)) for g in item.groups)


def item_card(item: PlanItem) -> dict:
    """A compact card: name, dose and why in sight; the steps behind "More"."""
    ex = catalog()[item.exercise]
    return {"item": item, "dose": dose_and_side(item), "groups": groups_text(item), "steps": list(ex.steps),
            "url": kept_reverse("exercise", slug=item.exercise)}


@dataclass(frozen=True)
class StartDay:
    """Today's primary action: the first routine not yet done, the minutes left of the day, and whether
    only the walk is left (the day's session then runs the walk alone, so it can be logged)."""

    index: int
    minutes: float
    walk_only: bool = False


def start_day(routines: Sequence[Routine], done_kinds: set[str]) -> StartDay | None:
    """None when every routine is done, the walk too (or there is none: a rest day). A walk left after
    the guided routines were done one by one is still offered: Progress counts it as planned."""
    left = [(i, r) for i, r in enumerate(routines) if r.kind.value not in done_kinds]
    if not left:
        return None
    guided = [i for i, r in left if r.kind is not RoutineKind.WALK]
    return StartDay((guided or [left[0][0]])[0], sum(r.minutes for _, r in left), walk_only=not guided)


@dataclass(frozen=True)
class OnceMore:
    """A routine planned more than once today, done fewer times: offered again once the rest is done."""

    index: int
    title: str
    minutes: float
    left: int


def once_more(routines: Sequence[Routine], rounds: dict[str, int]) -> OnceMore | None:
    """The first routine done today fewer times than planned (`rounds`: progress.rounds_done), if
    any was done at all (the day's session does each once)."""
    for i, r in enumerate(routines):
        done = rounds.get(r.kind.value, 0)
        if 0 < done < r.times_per_day:
            return OnceMore(i, r.title, r.minutes, r.times_per_day - done)
    return None


def tips(advice: Sequence[Advice]) -> list[Advice]:
    """The advice to show: the disclaimer is at the foot of every page already, so not again."""
    return [a for a in advice if a.topic != "not_a_diagnosis"]


def tip_of_the_day(advice: Sequence[Advice], on: dt.date) -> Advice | None:
    """One piece of advice a day, in turn (the same all day); not the advice to see a professional, which
    Today shows on its own (`referrals`, and the triage's box)."""
    shown = [a for a in tips(advice) if a.topic != "see_a_professional"]
    return shown[on.toordinal() % len(shown)] if shown else None


def referrals(plan: Plan) -> list[Advice]:
    """The plan's advice to see a professional that the triage's box does not already give: the warning
    signs in the logs (the joint going out again and again, pain rising or not improving over weeks) and
    high pain in pregnancy or after a birth. Today shows them near the top, not as a tip in turn."""
    triage = plan.triage
    return [a for a in plan.advice if a.topic == "see_a_professional" and not (
        triage.level == TriageLevel.SEE_DOCTOR_SOON and a.text.startswith(triage.action))]


def drawing_side(side: Side | str | None) -> str | None:
    """The drawing for a plan side: "left" or "right" working; each, both and none show the plain one."""
    value = side.value if isinstance(side, Side) else side
    return value if value in ("left", "right") else None


def picture(slug: str, kind: str = "animated", side: Side | str | None = None) -> SafeString:
    """An exercise's drawing as inline SVG markup, or "" where it has no pose data.

    Safe to inline: our own renderer draws it (no script, no style attribute, no id; the title and
    description are escaped there), so it may appear several times in a page under the strict CSP.
    """
    if kind not in PICTURE_KINDS:
        raise ValueError(f"picture kind must be one of {', '.join(PICTURE_KINDS)}, not {kind!r}")
    if not illustrate.has_picture(slug):
        return mark_safe("")
    drawn = drawing_side(side)
    if kind == "animated":
        markup = illustrate.animated_svg(slug, drawn)
    elif kind == "still":
        markup = illustrate.still_svg(slug, drawn)
    elif kind == "thumb":
        markup = illustrate.frame_svg(slug, "end", drawn, tight=True)
    else:
        markup = illustrate.frame_svg(slug, kind, drawn)
    return mark_safe(markup)  # drawn by sijcoach.illustrate, escaped there


@dataclass(frozen=True)
class PictureFile:
    """One drawing served as an image file (see pictures.py): its text, the hash its address carries
    and the viewBox's size, so an <img> keeps its shape before the file arrives."""

    slug: str
    kind: str
    side: str  # a key of FILE_SIDES
    svg: str
    digest: str
    width: int
    height: int

    @property
    def url(self) -> str:
        return kept_reverse("picture", slug=self.slug, kind=self.kind, side=self.side, digest=self.digest)


def kept_reverse(name: str, **kwargs: str) -> str:
    """reverse(name, kwargs=kwargs), made once: a day's pages name about sixty drawings and a dozen
    exercises (Today's cards, the player's start, end and loop per side), always the same addresses,
    and each reverse() tries the URL patterns anew."""
    return _reversed(get_script_prefix(), name, tuple(sorted(kwargs.items())))


@lru_cache(maxsize=4096)
def _reversed(prefix: str, name: str, kwargs: tuple[tuple[str, str], ...]) -> str:
    # `prefix`, the script prefix reverse() reads, is part of the key: an address kept under one
    # prefix is never given under another.
    return reverse(name, kwargs=dict(kwargs))


def picture_file(slug: str, kind: str = "animated", side: Side | str | None = None) -> PictureFile | None:
    """An exercise's drawing as a file with a content hash, or None where it has no pose data.

    The drawings are the same for everyone and change only with a deployment, so pages refer to them
    by an address the browser may keep for a year instead of carrying them in every page.
    """
    if kind not in PICTURE_KINDS:
        raise ValueError(f"picture kind must be one of {', '.join(PICTURE_KINDS)}, not {kind!r}")
    if not illustrate.has_picture(slug):
        return None
    return _picture_file(slug, kind, drawing_side(side))


@lru_cache(maxsize=1024)  # every exercise x kind x side fits: each drawing is rendered and hashed once
def _picture_file(slug: str, kind: str, drawn: str | None) -> PictureFile:
    svg = str(picture(slug, kind, drawn))
    width, height = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups()
    return PictureFile(slug, kind, drawn or "plain", svg, hashlib.sha256(svg.encode()).hexdigest()[:10],
                       int(width), int(height))


def player_picture(slug: str, side: Side) -> dict | None:
    """The player's pictures for one item: per side it runs (each: left, then right), the addresses of
    the loop, the start and the end frame (files the browser keeps, and the service worker keeps
    offline), and the loop's timeline so the player can keep the figure in step."""
    if not illustrate.has_picture(slug):
        return None
    sides = ("left", "right") if side is Side.EACH else (side.value,)
    return {
        "timeline": [[p.frame, p.seconds, p.moving] for p in illustrate.timeline(slug)],
        "sides": {s: {kind: picture_file(slug, kind, s).url for kind in ("animated", "start", "end")} for s in sides},
    }


def player_item(item: PlanItem, instead: LiveDecision | None = None) -> dict:
    """The JSON the session player reads for one exercise: its dose in the words the cards use, and
    `instead`: what "This hurts" at 6 or more answers, sent ahead so it holds offline."""
    ex = catalog()[item.exercise]
    data = {
        "exercise": item.exercise, "name": item.name, "kind": ex.kind.value, "position": ex.position.value,
        "side": item.side.value,
        "dose": dose_and_side(item), "sets": item.sets, "reps": item.reps, "hold_s": item.hold_s,
        "rest_s": item.rest_s, "rep_s": item.rep_s, "minutes": item.minutes, "why": item.why, "source": item.source,
        "steps": list(ex.steps), "stop_if": list(ex.stop_if), "condition": item.condition,
        "dose_by": item.dose_by, "cue": item.cue,
        "picture": player_picture(item.exercise, item.side),
    }
    if instead is not None:
        data["instead"] = decision_out(instead)
    return data


def decision_out(decision: LiveDecision) -> dict:
    """What "This hurts" answers: the verdict, its words and source, and the exercise to do instead."""
    return {"verdict": decision.verdict, "message": decision.message, "source": decision.source,
            "replacement": player_item(decision.replacement) if decision.replacement else None}
