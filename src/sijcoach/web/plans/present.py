"""Turning plan items into the words and numbers pages and the player show."""

from __future__ import annotations

from sijcoach.engine.catalog import catalog
from sijcoach.engine.plan_types import PlanItem
from sijcoach.web.plans.labels import GROUP_WORDS, SIDE_WORDS


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


def player_item(item: PlanItem) -> dict:
    """The JSON the session player reads for one exercise."""
    ex = catalog()[item.exercise]
    return {
        "exercise": item.exercise, "name": item.name, "side": item.side.value, "sets": item.sets,
        "reps": item.reps, "hold_s": item.hold_s, "rest_s": item.rest_s, "rep_s": item.rep_s,
        "minutes": item.minutes, "why": item.why, "source": item.source, "steps": list(ex.steps),
        "stop_if": list(ex.stop_if), "condition": item.condition,
    }
