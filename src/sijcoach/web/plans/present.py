"""Turning plan items into the words and numbers pages and the player show."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

from sijcoach import illustrate
from sijcoach.engine.catalog import catalog
from sijcoach.engine.plan_types import PlanItem
from sijcoach.engine.vocab import Side
from sijcoach.web.plans.labels import GROUP_WORDS, SIDE_WORDS

PICTURE_KINDS = ("animated", "still", "start", "end")


def dose_text(item: PlanItem) -> str:
    parts = []
    if item.reps == 1 and item.sets == 1 and item.hold_s >= 60:
        parts.append(f"{round(item.hold_s / 60)} min")
    else:
        reps = f"{item.reps} rep" + ("" if item.reps == 1 else "s")
        parts.append(f"{item.sets} × {item.reps}" if item.sets > 1 else reps)
        if item.hold_s:
            parts.append(f"hold {item.hold_s} s")
        if item.rest_s and item.sets > 1:
            parts.append(f"rest {item.rest_s} s")
    side = SIDE_WORDS.get(item.side.value, "")
    if side:
        parts.append(side)
    return ", ".join(parts)


def groups_text(item: PlanItem) -> str:
    return ", ".join(GROUP_WORDS.get(g, str(g)) for g in item.groups)


def item_card(item: PlanItem) -> dict:
    return {"item": item, "dose": dose_text(item), "groups": groups_text(item)}


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
    else:
        markup = illustrate.frame_svg(slug, kind, drawn)
    return mark_safe(markup)  # drawn by sijcoach.illustrate, escaped there


def player_picture(slug: str, side: Side) -> dict | None:
    """The player's pictures for one item: per side it runs (each: left, then right), the loop, the
    start and the end frame, and the loop's timeline so the player can keep the figure in step."""
    if not illustrate.has_picture(slug):
        return None
    sides = ("left", "right") if side is Side.EACH else (side.value,)
    return {
        "timeline": [[p.frame, p.seconds, p.moving] for p in illustrate.timeline(slug)],
        "sides": {s: {kind: str(picture(slug, kind, s)) for kind in ("animated", "start", "end")} for s in sides},
    }


def player_item(item: PlanItem) -> dict:
    """The JSON the session player reads for one exercise."""
    ex = catalog()[item.exercise]
    return {
        "exercise": item.exercise, "name": item.name, "side": item.side.value, "sets": item.sets,
        "reps": item.reps, "hold_s": item.hold_s, "rest_s": item.rest_s, "rep_s": item.rep_s,
        "minutes": item.minutes, "why": item.why, "source": item.source, "steps": list(ex.steps),
        "stop_if": list(ex.stop_if), "condition": item.condition, "picture": player_picture(item.exercise, item.side),
    }
