"""Strength days on the programme's calendar, over what was really done (clinical-notes 6).

Each calendar week (Monday to Sunday, in the person's own dates) has its strength days on fixed
weekdays (three a week: Monday, Wednesday, Friday). A day that is blocked (a flare, the first days
after onset, next to a hard activity) or that follows a strength day moves its session to the next
free day of the same week; a planned session that was not logged moves on the same way. Every day
is decided from the days before it only, so tomorrow's plan keeps today's days unless the logs
changed something. Four a week (Monday, Wednesday, Friday, Sunday) falls to three in a week that
follows a Sunday session, as two days in a row are never both strength days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sijcoach.engine.programme import monday
from sijcoach.engine.vocab import day_words

PREFERRED_WEEKDAYS = {1: (2,), 2: (0, 3), 3: (0, 2, 4), 4: (0, 2, 4, 6)}
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class ShortWeek:
    monday: dt.date
    planned: int
    asked: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class StrengthSchedule:
    days: frozenset[dt.date]  # strength days from the plan's first day on (today's too when done)
    missed: tuple[dt.date, ...]  # days before the plan's first day when a session was due and not logged
    short_weeks: tuple[ShortWeek, ...]


def _targets(week_days: list[dt.date], per_week: int) -> list[dt.date]:
    """The days the week's sessions are due: its fixed weekdays. A first part-week keeps the fixed
    weekdays it still has, or starts on its first day (unless that is a Sunday, which would push the
    next Monday's session back)."""
    fixed = [d for d in week_days if d.weekday() in PREFERRED_WEEKDAYS[per_week]]
    if fixed or len(week_days) == 7 or week_days[0].weekday() == 6:
        return fixed
    return week_days[:1]


def plan_strength_days(
    programme_start: dt.date, start: dt.date, end: dt.date, per_week: int,
    done: frozenset[dt.date], blocked: dict[dt.date, str],
) -> StrengthSchedule:
    """`done`: days a strength session was logged; `blocked`: days with no strength work, and why."""
    if per_week == 0:
        return StrengthSchedule(frozenset(), (), ())
    first = max(programme_start, monday(start))
    last = first - ONE_DAY if first - ONE_DAY in done else None
    chosen: set[dt.date] = set()
    missed: list[dt.date] = []
    short: list[ShortWeek] = []
    week_start = monday(first)
    while week_start <= end:
        week = [week_start + dt.timedelta(days=i) for i in range(7)]
        in_programme = [d for d in week if d >= programme_start]
        targets = _targets(in_programme, per_week)
        quota = len(targets)
        after_sunday = last == week_start - ONE_DAY
        placed = 0
        missed_here = []
        for day in in_programme:
            if day > end:
                break
            due = sum(t <= day for t in targets)
            free = day not in blocked and last != day - ONE_DAY
            if day < start or (day == start and day in done):
                if day in done:
                    placed += 1
                    last = day
                    if day == start and day not in blocked:  # done today: it stays on today's plan
                        chosen.add(day)
                elif placed < min(due, quota) and free:
                    missed_here.append(day)
                continue
            if placed < min(due, quota) and free:
                chosen.add(day)
                placed += 1
                last = day
        # Said of the days a session was planned (each later day it could still have been done is not
        # a session of its own: a developer read Monday to Saturday as six missed sessions).
        planned_missed = [d for d in missed_here if d in targets] or missed_here[:1]
        missed += planned_missed
        if week[-1] <= end and placed < quota and not (per_week == 4 and after_sunday and placed == 3):
            reasons = [f"{day_words(d)}: {blocked[d]}" for d in in_programme if d in blocked]
            reasons += [f"{day_words(d)}: the planned session was not logged" for d in planned_missed]
            if after_sunday:
                reasons.append("the week began the day after a strength session")
            short.append(ShortWeek(week_start, placed, quota, tuple(reasons)))
        week_start += dt.timedelta(days=7)
    return StrengthSchedule(frozenset(chosen), tuple(missed), tuple(short))
