"""What the person actually did: the session logs read once, for every rule that looks back.

Only the last twelve weeks of logs are read (`DETAIL_DAYS`). Every rule that looks back needs no
more: progression needs three easy sessions in a row and a harder exercise done lately keeps its
place; a painful exercise is offered again after twelve quiet weeks; no-progress looks back four
weeks, rising pain three, the joint going out four, phases two, spacing one; and the walk reaches its
longest within twelve weeks. The programme's first day comes separately (`programme_start`), so a
year of logs plans as fast as a month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sijcoach.engine.catalog import Catalog
from sijcoach.engine.plan_types import RoutineKind
from sijcoach.engine.profile import SessionLog
from sijcoach.engine.vocab import Kind

DETAIL_DAYS = 84  # twelve weeks
FLARE_PAIN = 7  # pain of 7 or more before, after or the morning after a session is a flare
HURT_PAIN = 6  # an exercise that hurt this much was stopped and swapped


def counts_as_strength(log: SessionLog, cat: Catalog) -> bool:
    """A strength session: logged as one, or, without a routine, holding an exercise of kind strength."""
    if log.routine is not None:
        return log.routine == RoutineKind.STRENGTH
    return any(cat[i.exercise].kind == Kind.STRENGTH for i in log.items if not i.skipped)


def flare_pain(log: SessionLog) -> int:
    return max((p for p in (log.pain_before, log.pain_after, log.pain_next_day) if p is not None), default=0)


@dataclass(frozen=True)
class History:
    """The logs of the last twelve weeks up to the plan's first day, summarised once per plan."""

    sessions: tuple[SessionLog, ...]  # oldest first, dated on or before the plan's first day
    session_days: frozenset[dt.date]
    strength_days: frozenset[dt.date]  # days a strength session was done
    flares: dict[dt.date, str]  # day of the session -> what happened (joint out, pain 7+)
    hurt_days: frozenset[dt.date]  # days an exercise hurt 6 or more
    joint_out_days: tuple[dt.date, ...]
    ignored_future: int  # sessions dated after the plan's first day
    trimmed: bool  # some sessions were older than twelve weeks and not read

    @property
    def first_day(self) -> dt.date | None:
        return self.sessions[0].date if self.sessions else None


def read_history(cat: Catalog, logs: tuple[SessionLog, ...], start: dt.date) -> History:
    since = start - dt.timedelta(days=DETAIL_DAYS)
    kept = sorted((s for s in logs if since <= s.date <= start), key=lambda s: s.date)
    strength, flares, hurt, out = set(), {}, set(), []
    for s in kept:
        if counts_as_strength(s, cat):
            strength.add(s.date)
        if s.joint_went_out:
            flares[s.date] = "the joint went out"
            out.append(s.date)
        elif s.date not in flares and flare_pain(s) >= FLARE_PAIN:
            flares[s.date] = f"pain reached {flare_pain(s)}/10"
        if any(i.pain is not None and i.pain >= HURT_PAIN for i in s.items):
            hurt.add(s.date)
    return History(
        sessions=tuple(kept),
        session_days=frozenset(s.date for s in kept),
        strength_days=frozenset(strength),
        flares=flares,
        hurt_days=frozenset(hurt),
        joint_out_days=tuple(out),
        ignored_future=sum(s.date > start for s in logs),
        trimmed=any(s.date < since for s in logs),
    )
