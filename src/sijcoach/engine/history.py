"""What the person actually did: the session logs read once, for every rule that looks back.

Only the last eight weeks of logs are read (`DETAIL_DAYS`). Every rule that looks back needs no
more: progression needs three easy sessions in a row, and a harder exercise done lately keeps its
place when the sessions that earned it are no longer read; a painful exercise is offered again after
eight quiet weeks; no-progress looks back four weeks, rising pain three, the joint going out four,
phases two, spacing one; and the walk, built up again week by week after a flare, is within one
weekly step of its longest by the time that flare leaves the window. The programme's first day
comes separately (`programme_start`), so a year of logs plans as fast as a month.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from operator import attrgetter
from dataclasses import dataclass

from sijcoach.engine.catalog import Catalog
from sijcoach.engine.plan_types import RoutineKind
from sijcoach.engine.profile import SessionLog
from sijcoach.engine.vocab import Kind

DETAIL_DAYS = 56  # eight weeks
FLARE_PAIN = 7  # pain of 7 or more before, after or the morning after a session is a flare
HURT_PAIN = 6  # an exercise that hurt this much was stopped and swapped (engine/adaptation.py)


def counts_as_strength(log: SessionLog, cat: Catalog) -> bool:
    """A strength session: logged as one, or, without a routine, holding an exercise of kind strength."""
    if log.routine is not None:
        return log.routine == RoutineKind.STRENGTH
    return holds_strength(log.items, cat)


def holds_strength(items, cat: Catalog) -> bool:
    """Whether logged `items` (each with `exercise` and `skipped`) hold an exercise of kind strength done."""
    return any(cat[i.exercise].kind == Kind.STRENGTH for i in items if not i.skipped)


def flare_pain(log: SessionLog) -> int:
    """The highest pain recorded around a session (before, after, the next morning)."""
    return max(log.pain_before or 0, log.pain_after or 0, log.pain_next_day or 0)


@dataclass(frozen=True)
class History:
    """The logs of the last eight weeks up to the plan's first day, summarised once per plan."""

    sessions: tuple[SessionLog, ...]  # oldest first, dated on or before the plan's first day
    session_days: frozenset[dt.date]
    strength_days: frozenset[dt.date]  # days a strength session was done
    flares: dict[dt.date, str]  # day of the session -> what happened (joint out, pain 7+)
    joint_out_days: tuple[dt.date, ...]
    ignored_future: int  # sessions dated after the plan's first day
    trimmed: bool  # some sessions were older than the window and not read
    just_left: tuple[SessionLog, ...] = ()  # the sessions of the day that has just left the window
    earliest: dt.date | None = None  # the first session ever logged, read or not

    @property
    def first_day(self) -> dt.date | None:
        return self.sessions[0].date if self.sessions else None


class Logs(tuple):
    """Session logs in date order, oldest first (one day's sessions keep the order they were given).
    The engine reads the window it needs from them by bisection, without visiting every session."""

    __slots__ = ()


def in_date_order(logs) -> Logs:
    return logs if isinstance(logs, Logs) else Logs(sorted(logs, key=_DATE))


_DATE = attrgetter("date")
_STRENGTH = RoutineKind.STRENGTH


def read_history(cat: Catalog, logs: tuple[SessionLog, ...], start: dt.date) -> History:
    since = start - dt.timedelta(days=DETAIL_DAYS)
    logs = in_date_order(logs)
    first, last = bisect_left(logs, since, key=_DATE), bisect_right(logs, start, key=_DATE)
    kept, future, trimmed = logs[first:last], len(logs) - last, first > 0
    earliest = logs[0].date if logs else None
    # The day that has just left the window: what it held stops counting from today.
    gone = logs[bisect_left(logs, since - dt.timedelta(days=1), key=_DATE):first]
    strength, flares, out = set(), {}, []
    for s in kept:
        if s.routine is _STRENGTH if s.routine is not None else counts_as_strength(s, cat):
            strength.add(s.date)
        if s.joint_went_out:
            flares[s.date] = "the joint went out"
            out.append(s.date)
        elif s.date not in flares:
            pain = flare_pain(s)
            if pain >= FLARE_PAIN:
                flares[s.date] = f"pain reached {pain}/10"
    return History(
        sessions=tuple(kept),
        session_days=frozenset(s.date for s in kept),
        strength_days=frozenset(strength),
        flares=flares,
        joint_out_days=tuple(out),
        ignored_future=future,
        trimmed=trimmed,
        just_left=tuple(gone),
        earliest=earliest,
    )
