"""The programme over time (clinical-notes 6): its weeks, its phases and how far the walks have grown.

A plan is one day of a programme that began on `programme_start`. Days before the plan's first day
are what the person did (their logs); days from it on are projected as planned, so the plan made
tomorrow from today's log agrees with today's plan unless the log gave a reason.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from dataclasses import dataclass, field
from enum import StrEnum

from sijcoach.engine.history import History
from sijcoach.engine.vocab import day_words

TOLERANCE_DAYS = 14  # a phase is entered after two settled weeks of the last one
TOLERANCE_SESSIONS = 3  # ... with at least this many sessions in them
WALK_START_MIN = 5  # a walk starts short: at first, after a flare and in the first painful days
WALK_STEP_MIN = 3  # and grows by this much a week
POOL_START_MIN = 10  # water walking: the catalog's shortest bout


class ProgrammePhase(StrEnum):
    LEARN = "learn_and_activate"
    BUILD = "build_strength"
    FUNCTION = "function_and_upkeep"


PHASE_ORDER = (ProgrammePhase.LEARN, ProgrammePhase.BUILD, ProgrammePhase.FUNCTION)
FIRST_WEEK = {ProgrammePhase.LEARN: 1, ProgrammePhase.BUILD: 3, ProgrammePhase.FUNCTION: 9}
PHASE_WORDS = {
    ProgrammePhase.LEARN: "learning and activating",
    ProgrammePhase.BUILD: "building strength",
    ProgrammePhase.FUNCTION: "function and upkeep",
}
PHASE_AIM = {
    ProgrammePhase.LEARN: "finding and holding the deep core and buttock muscles, with gentle relief every day",
    ProgrammePhase.BUILD: "strengthening the three muscle groups with more load, spaced by rest days",
    ProgrammePhase.FUNCTION: "standing, one-leg and carrying work where it suits you, with fewer relief minutes",
}


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Timeline:
    """The programme's calendar as seen from the plan's first day (`start`)."""

    programme_start: dt.date
    start: dt.date
    history: History
    setbacks: dict[dt.date, str]  # flares: the day it happened -> what happened
    hurt_days: frozenset[dt.date]  # days an exercise hurt 6 or more
    # Days outside the pain traffic light that were no flare: pain of 6 after a session, or a next
    # morning 2 or more points worse. They hold the next phase back (it follows settled weeks), but do
    # not start the walks again from short, as a flare does.
    strained: dict[dt.date, str] = field(default_factory=dict)
    _phases: dict = field(default_factory=dict, compare=False, repr=False)
    _logged: list = field(default_factory=list, compare=False, repr=False)

    def __post_init__(self):
        self._logged.extend(sorted(self.history.session_days))

    def week(self, day: dt.date) -> int:
        return (day - self.programme_start).days // 7 + 1

    def _sessions_before(self, day: dt.date) -> int:
        """Sessions in the two weeks before `day`: logged ones before the plan's first day, and every
        planned day from it on (projected as done)."""
        since = day - dt.timedelta(days=TOLERANCE_DAYS)
        logged = max(0, bisect_left(self._logged, min(day, self.start)) - bisect_left(self._logged, since))
        projected = max(0, (day - max(since, self.start)).days)
        return logged + projected

    def _unsettled(self, day: dt.date) -> str | None:
        """Why the last two weeks before `day` were not settled, or None."""
        since = day - dt.timedelta(days=TOLERANCE_DAYS)
        setbacks = sorted(d for d in self.setbacks if since <= d < day)
        if setbacks:
            return f"on {day_words(setbacks[-1])} {self.setbacks[setbacks[-1]]}"
        hurt = sorted(d for d in self.hurt_days if since <= d < day)
        if hurt:
            return f"an exercise hurt 6/10 or more on {day_words(hurt[-1])}"
        strained = sorted(d for d in self.strained if since <= d < day)
        if strained:
            return f"on {day_words(strained[-1])} {self.strained[strained[-1]]}"
        if self._sessions_before(day) < TOLERANCE_SESSIONS:
            return f"fewer than {TOLERANCE_SESSIONS} sessions were logged in the two weeks before"
        return None

    def phase(self, day: dt.date) -> tuple[ProgrammePhase, str]:
        """The phase on `day` and why: its weeks have come and the two weeks before were settled."""
        if day not in self._phases:
            self._phases[day] = self._phase(day)
        return self._phases[day]

    def _phase(self, day: dt.date) -> tuple[ProgrammePhase, str]:
        week = self.week(day)
        due = [p for p in PHASE_ORDER if week >= FIRST_WEEK[p]][-1]
        if due == ProgrammePhase.LEARN:
            return due, f"Week {week}: {PHASE_WORDS[due]}, {PHASE_AIM[due]}."
        why_not = self._unsettled(day)
        if why_not is None:
            return due, f"Week {week}: {PHASE_WORDS[due]}, {PHASE_AIM[due]}."
        lower = PHASE_ORDER[PHASE_ORDER.index(due) - 1]
        return lower, (
            f"Week {week}: still {PHASE_WORDS[lower]}, {PHASE_AIM[lower]}. {PHASE_WORDS[due].capitalize()} "
            f"follows two settled weeks: {why_not}."
        )

    def _since_setback(self, day: dt.date) -> int:
        """Whole weeks since the programme began or the last setback before `day`, whichever is later."""
        base = self.programme_start
        earlier = [d for d in self.setbacks if d < day]
        if earlier:
            base = max(base, max(earlier) + dt.timedelta(days=1))
        return max(0, (day - base).days) // 7

    def walk_minutes(self, day: dt.date, acute: bool, first_minutes: int = WALK_START_MIN) -> int:
        """Built up a few minutes a week from a short first walk; short again after a flare and while acute."""
        if acute:
            return first_minutes
        return first_minutes + WALK_STEP_MIN * self._since_setback(day)
