"""Sharing a day's minutes by priority (clinical-notes 6): realignment, then the three pillars on
strength days, then relief, then the walk.

Relief is trimmed first. Strength is never dropped silently: its doses are shortened to fit, and if
even the shortest does not fit, the day says so. A coach's doses are never shortened: when they make
the day longer than the person's minutes, relief yields first, and the day runs long with a warning
both the person and the coach see. When realignment and strength do not both fit,
realignment moves to the days between strength days, and the day says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sijcoach.engine.plan_types import Day, Routine, RoutineKind
from sijcoach.engine.routines import Pick

CORE_RELIEF_ITEMS = 2  # relief items that come before optional strength extras
WALK_TITLES = {"walking": "Gentle walk", "pool-walking": "Walking in the pool"}


@dataclass
class DayPlan:
    """One day's chosen routines, before they are fitted to the minutes."""

    alignment: list[Pick]
    strength: list[Pick]
    relief: list[Pick]
    relief_twice: bool  # every relief item may be done twice a day, and the phase wants it


def seconds(picks: list[Pick]) -> int:
    return sum(p.seconds for p in picks)


def _routine(kind: RoutineKind, title: str, picks: list[Pick], times: int = 1, note: str | None = None) -> Routine:
    return Routine(kind, title, round(seconds(picks) / 60, 1), tuple(p.item for p in picks), times, note)


def _shorten_all(picks: list[Pick], room: int, shorter: Callable[[Pick], Pick | None]) -> list[Pick]:
    """Shorten the longest item a notch at a time until the picks fit in `room` seconds or none can shrink."""
    picks = list(picks)
    while seconds(picks) > room:
        options = [(p.seconds, i) for i, p in enumerate(picks) if not p.fixed]
        for _, i in sorted(options, reverse=True):
            less = shorter(picks[i])
            if less is not None and less.seconds < picks[i].seconds:
                picks[i] = less
                break
        else:
            break
    return picks


@dataclass(frozen=True)
class Fitted:
    """A day's routines fitted to its minutes, before the walk takes what is left."""

    routines: tuple[Routine, ...]
    seconds: int
    notes: tuple[str, ...]
    warnings: tuple[str, ...]  # without the date: the caller names it


def fit_routines(minutes: int, plan: DayPlan, shorter: Callable[[Pick], Pick | None], alignment_note: str) -> Fitted:
    """`shorter(pick)`: the same exercise one notch shorter, or None."""
    budget = minutes * 60
    warnings: list[str] = []
    notes: list[str] = []
    alignment = list(plan.alignment)
    required = [p for p in plan.strength if not p.optional]
    extras = [p for p in plan.strength if p.optional]
    relief_required = [p for p in plan.relief if p.required]
    relief = [p for p in plan.relief if not p.required]

    def fixed_part() -> int:
        return seconds(alignment) + seconds(required) + seconds(relief_required)

    if fixed_part() > budget and alignment:
        alignment = [p for p in alignment if not p.optional]
    if required and fixed_part() > budget and alignment:
        alignment = []
        notes.append(f"Realignment is not planned today: with {minutes} minutes, strength work takes the time, "
                     "so realignment is done on the days between strength days.")
    if fixed_part() > budget:
        # Strength and the relief that must stay (pelvic-floor work after a birth) shrink together.
        before = seconds(required)
        both = _shorten_all(required + relief_required, budget - seconds(alignment), shorter)
        required, relief_required = both[:len(required)], both[len(required):]
        if seconds(required) < before:
            notes.append(f"The strength doses are shortened to fit your {minutes} minutes.")
    if required and fixed_part() > budget and not any(p.fixed for p in required):
        required, extras = [], []
        notes.append("Strength work did not fit in your daily minutes today, even shortened.")
        warnings.append(f"the strength routine did not fit in {minutes} minutes, even with shortened doses; "
                        "raise the daily minutes to get it.")
    elif required and fixed_part() > budget:
        over = max(1, round((fixed_part() - budget) / 60))
        notes.append(f"Today runs about {over} min over your {minutes} minutes: the doses your coach set are kept "
                     "as they are, and relief gives way first.")
        warnings.append(f"the day runs long: the doses your coach set take about {over} min more than the "
                        f"{minutes} minutes a day; relief is left out first. Ask your coach, or raise the daily minutes.")
    if alignment and fixed_part() > budget:
        alignment = []
        warnings.append(f"the realignment routine did not fit in {minutes} minutes; raise the daily minutes to get it.")

    used = fixed_part()
    kept_relief: list[Pick] = []
    # A coach's set dose or pin is kept before the app's own relief items, which give way first; the
    # routine keeps its order (relief_all below).
    relief = [p for p in relief if p.fixed or p.pinned_by] + [p for p in relief if not (p.fixed or p.pinned_by)]
    for p in relief[:CORE_RELIEF_ITEMS]:
        if used + p.seconds <= budget:
            kept_relief.append(p)
            used += p.seconds
    kept_extras = []
    for p in extras:
        if used + p.seconds <= budget:
            kept_extras.append(p)
            used += p.seconds
    for p in relief[CORE_RELIEF_ITEMS:]:
        if used + p.seconds <= budget:
            kept_relief.append(p)
            used += p.seconds
    kept = {id(p) for p in kept_relief}
    relief_all = relief_required + [p for p in plan.relief if not p.required and id(p) in kept]
    for p in relief:
        if p.fixed and id(p) not in kept:
            notes.append(f"{p.item.name} ({p.item.dose_by or 'a set dose'}) does not fit in your {minutes} minutes "
                         "today: relief gives way to the work above.")
        elif p.pinned_by and id(p) not in kept:
            notes.append(f"{p.item.name}, pinned by {p.pinned_by}, does not fit in your {minutes} minutes today: "
                         "relief gives way to the work above.")
    if relief and not kept_relief and not relief_required:
        notes.append("No time for the relief routine today: your minutes go to the work above. Do it on the "
                     "days in between, or add a few minutes.")
    relief_times = 1
    # The stretches do most good at least twice a day, so a second round comes before the walk.
    if relief_all and plan.relief_twice and used + seconds(relief_all) <= budget:
        relief_times = 2
        used += seconds(relief_all)
    routines = []
    if relief_all:
        routines.append(_routine(
            RoutineKind.RELIEF, "Daily relief", relief_all, relief_times,
            "Do it twice: morning and evening." if relief_times == 2 else None,
        ))
    if alignment:
        routines.append(_routine(RoutineKind.ALIGNMENT, "Realignment (before strengthening)", alignment, 1, alignment_note))
    strength = required + kept_extras
    if strength:
        routines.append(_routine(RoutineKind.STRENGTH, "Strength: core, back of hip, low back", strength))
    return Fitted(tuple(routines), used, tuple(notes), tuple(warnings))


def with_walk(date, minutes: int, fitted: Fitted, walk_pick: Pick | None, notes: tuple[str, ...],
              week: int, phase: str) -> Day:
    """The day: the fitted routines, then the walk (given the seconds left, see `room`)."""
    routines, used = fitted.routines, fitted.seconds
    if walk_pick is not None:
        title = WALK_TITLES.get(walk_pick.item.exercise, walk_pick.item.name)
        routines += (_routine(RoutineKind.WALK, title, [walk_pick]),)
        used += walk_pick.seconds
    return Day(date, routines, round(used / 60, 1), tuple(dict.fromkeys(notes + fitted.notes)), week, phase)


def room(minutes: int, fitted: Fitted) -> int:
    """The seconds left for the walk."""
    return minutes * 60 - fitted.seconds
