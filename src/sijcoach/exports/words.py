"""The words for a plan item's dose and side, used everywhere a dose is shown (the terminal, the web
pages, the handout, the calendar and the FHIR record), so a dose reads the same wherever it is seen."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from sijcoach.engine.plan_types import Day, PlanItem, Routine

SIDE_WORDS = {"each": "each side", "left": "left side only", "right": "right side only", "both": "both sides",
              "none": ""}


def dose_text(item: PlanItem) -> str:
    """'3 sets × 10, hold 5 s, rest 60 s', '8 times, hold 2 s', or '10 min' for one long hold (a walk):
    whole minutes, or rounded to the minute from two minutes on. A dose a coach set says so:
    '3 sets × 10, rest 60 s (set by your coach)'."""
    text = _amount(item)
    return f"{text} ({item.dose_by})" if item.dose_by else text


def _amount(item: PlanItem) -> str:
    if item.sets == 1 and item.reps == 1 and item.hold_s >= 60 and (item.hold_s % 60 == 0 or item.hold_s >= 120):
        return f"{round(item.hold_s / 60)} min"
    parts = []
    if item.sets > 1 and item.reps > 1:
        parts.append(f"{item.sets} sets × {item.reps}")
    elif item.sets * item.reps > 1:
        parts.append(f"{item.sets * item.reps} times")
    if item.hold_s:
        parts.append(f"hold {item.hold_s} s")
    if item.rest_s and item.sets > 1:  # a rest between sets: one set has none (the player rests none)
        parts.append(f"rest {item.rest_s} s")
    return ", ".join(parts) or "once"


def side_text(item: PlanItem) -> str:
    return SIDE_WORDS.get(item.side.value, item.side.value)


def dose_and_side(item: PlanItem) -> str:
    """'3 sets × 10, hold 5 s, rest 60 s, each side': the dose, then the side when there is one."""
    side = side_text(item)
    return dose_text(item) + (f", {side}" if side else "")


def item_line(item: PlanItem) -> str:
    """One line for a list: name, dose and side, and the condition of a protocol step."""
    line = f"{item.name}: {dose_and_side(item)}"
    return line + (f" ({item.condition})" if item.condition else "")


def whole_minutes(minutes: float) -> int:
    """Minutes as every page, the handout and the calendar show them: to the nearest minute, a half up
    (as Django's floatformat, not Python's round, which takes 14.5 to 14), and at least 1."""
    return max(1, math.floor(minutes + 0.5))


def routine_minutes(routine: Routine) -> float:
    """A routine's time on its day: its minutes times its rounds."""
    return routine.minutes * routine.times_per_day


def rounds_text(routine: Routine) -> str:
    return "" if routine.times_per_day == 1 else f"{routine.times_per_day} times a day"


REPEATED_NOTE_DAYS = 3  # a note on this many days or more is said once, with its days


@dataclass(frozen=True)
class DayNotes:
    """The notes of some days, each said once where it recurs: an exercise left out for pregnancy is on
    every day; a pin waiting for a strength day on some."""

    every_day: list[str]
    some_days: dict[str, list[dt.date]]  # a note on REPEATED_NOTE_DAYS days or more, but not every one

    def own(self, day: Day) -> list[str]:
        """The day's notes not said once above it."""
        return [n for n in day.notes if n not in self.every_day and n not in self.some_days]


def day_notes(days: Sequence[Day]) -> DayNotes:
    on_days: dict[str, list[dt.date]] = {}
    for day in days:
        for note in dict.fromkeys(day.notes):
            on_days.setdefault(note, []).append(day.date)
    every_day = [n for n, dates in on_days.items() if len(dates) == len(days) > 1]
    some_days = {n: dates for n, dates in on_days.items() if REPEATED_NOTE_DAYS <= len(dates) < len(days)}
    return DayNotes(every_day, some_days)
