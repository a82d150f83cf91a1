"""Adapting the plan from session logs (clinical-notes section 4), each change with its reason."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sijcoach.engine.catalog import Catalog, Exercise
from sijcoach.engine.dosing import LOWEST_STEP, TOP_STEP
from sijcoach.engine.plan_types import Change, ChangeKind
from sijcoach.engine.profile import Effort, SessionLog
from sijcoach.engine.suitability import Context
from sijcoach.engine.vocab import STRENGTH_KINDS, Laterality

SWAP_PAIN = 6  # 6-10 during an exercise: stop and swap
SETTLE_PAIN = 4  # 4-5 is acceptable only if it settles by the next day
EASY_PAIN = 3  # easy and at most 3 counts towards progression
EASY_SESSIONS = 3
FLARE_PAIN = 7
FLARE_DAYS = 2
NEXT_DAY_RISE = 2
NO_PROGRESS_DAYS = 28
MEANINGFUL_POINTS = 2
MEANINGFUL_SHARE = 0.30

_PAIN_SOURCE = "silbernagel-2007"
_SWAP_SOURCE = "three-muscle-groups"
_FLARE_SOURCE = "mobilizations"
_CHANGE_SOURCE = "ostelo-2008"


@dataclass
class Adaptation:
    steps: dict[str, int] = field(default_factory=dict)
    swaps: dict[str, str | None] = field(default_factory=dict)  # painful slug -> replacement (None: none fits)
    swapped_why: dict[str, str] = field(default_factory=dict)
    variants: dict[str, str] = field(default_factory=dict)  # mastered slug -> harder variant
    lower_next_strength: bool = False
    flare_days: set[dt.date] = field(default_factory=set)
    see_professional: bool = False
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def resolve(self, slug: str) -> str | None:
        """Follow variant progressions and pain swaps to the exercise to do now (None: leave out)."""
        seen = set()
        while slug is not None and slug not in seen:
            seen.add(slug)
            if slug in self.swaps:
                slug = self.swaps[slug]
            elif slug in self.variants:
                slug = self.variants[slug]
            else:
                return slug
        return slug


def _family(ex: Exercise) -> str:
    return "strength" if ex.kind in STRENGTH_KINDS else "relief"


def find_swap(cat: Catalog, ex: Exercise, ctx: Context, excluded: set[str]) -> Exercise | None:
    """An allowed exercise that shares a primary group; the gentler regression first, then the closest match."""
    def ok(c: Exercise) -> bool:
        return (
            c.slug != ex.slug
            and c.slug not in excluded
            and c.laterality in (Laterality.BILATERAL, Laterality.EACH_SIDE)
            and set(c.groups) & set(ex.groups)
            and ctx.allows(c)
        )

    if ex.regression and ex.regression in cat and ok(cat[ex.regression]):
        return cat[ex.regression]
    candidates = [c for c in cat if ok(c)]
    if not candidates:
        return None
    return min(
        candidates,
        key=lambda c: (
            _family(c) != _family(ex),
            -len(set(c.groups) & set(ex.groups)),
            c.difficulty.rank > ex.difficulty.rank,
            c.priority,
            c.slug,
        ),
    )


def _pain_of(item_pain: int | None, session: SessionLog) -> int | None:
    return item_pain if item_pain is not None else session.pain_after


def adapt(cat: Catalog, logs: tuple[SessionLog, ...], ctx: Context, start: dt.date) -> Adaptation:
    out = Adaptation()
    future = [s for s in logs if s.date > start]
    if future:
        out.warnings.append(
            f"{len(future)} logged session(s) dated after the plan start {start} were not used."
        )
    sessions = sorted((s for s in logs if s.date <= start), key=lambda s: s.date)
    if not sessions:
        return out
    first_date = sessions[0].date
    streak: dict[str, int] = {}

    def change(kind, reason, source_id, date, exercise=None, replacement=None):
        out.changes.append(Change(kind, reason, cat.source_title(source_id), exercise, replacement, date))

    for index, session in enumerate(sessions):
        settled = session.pain_next_day is not None and session.pain_before is not None and (
            session.pain_next_day <= session.pain_before
        )
        for item in session.items:
            slug = item.exercise
            # A painful exercise counts even when it was then skipped: the pain is what matters.
            if slug in out.swaps or (item.skipped and (item.pain is None or item.pain < SWAP_PAIN)):
                continue
            ex = cat[slug]
            pain = item.pain
            if pain is not None and pain >= SWAP_PAIN:
                used = set(out.swaps) | {s for s in out.swaps.values() if s}
                repl = find_swap(cat, ex, ctx.with_avoided({s: "" for s in out.swaps}), used)
                out.swaps[slug] = repl.slug if repl else None
                out.swapped_why[slug] = f"it hurt ({pain}/10) on {session.date}"
                target = f"swapped for {repl.name}, which trains the same muscles" if repl else (
                    "left out: nothing else suitable trains the same muscles"
                )
                change(ChangeKind.SWAP, f"{ex.name} hurt ({pain}/10) on {session.date}: {target}.",
                       _SWAP_SOURCE, session.date, slug, repl.slug if repl else None)
                streak.pop(slug, None)
                continue
            if pain is not None and pain >= SETTLE_PAIN and not settled:
                step = max(LOWEST_STEP, out.steps.get(slug, 0) - 1)
                out.steps[slug] = step
                why = ("pain the next morning was not back to the level before the session"
                       if session.pain_next_day is not None else "next-morning pain was not recorded, so it is treated as not settled")
                change(ChangeKind.LOWER_DOSE, f"{ex.name} reached {pain}/10 on {session.date} and {why}: its dose is lowered.",
                       _PAIN_SOURCE, session.date, slug)
                streak.pop(slug, None)
                continue
            felt = _pain_of(pain, session)
            if item.effort == Effort.EASY and felt is not None and felt <= EASY_PAIN:
                streak[slug] = streak.get(slug, 0) + 1
            else:
                streak.pop(slug, None)
                continue
            if streak[slug] < EASY_SESSIONS:
                continue
            streak.pop(slug)
            step = out.steps.get(slug, 0)
            if step < TOP_STEP:
                out.steps[slug] = step + 1
                change(ChangeKind.PROGRESS_DOSE,
                       f"{ex.name} was easy with pain of {EASY_PAIN}/10 or less in {EASY_SESSIONS} sessions in a row: its dose goes up a step.",
                       _PAIN_SOURCE, session.date, slug)
                continue
            nxt = cat[ex.progression] if ex.progression and ex.progression in cat else None
            first_week = session.date < first_date + dt.timedelta(days=7)
            # A harder variant only after the first week of logs (a beginner's first week stays beginner).
            harder_ok = nxt is not None and not first_week and nxt.slug not in out.swaps
            if harder_ok and ctx.why_not(nxt, earned_variant=True) is None:
                out.variants[slug] = nxt.slug
                out.steps[nxt.slug] = 0
                change(ChangeKind.PROGRESS_VARIANT,
                       f"{ex.name} was easy at its top dose in {EASY_SESSIONS} sessions in a row: move on to {nxt.name}.",
                       _PAIN_SOURCE, session.date, slug, nxt.slug)

        rise = (session.pain_next_day is not None and session.pain_before is not None
                and session.pain_next_day - session.pain_before >= NEXT_DAY_RISE)
        if rise and index == len(sessions) - 1:
            out.lower_next_strength = True
            change(ChangeKind.LOWER_SESSION,
                   f"The morning after {session.date} pain was {session.pain_next_day}/10, {NEXT_DAY_RISE} or more above the {session.pain_before}/10 before the session: the next strength session is lighter.",
                   _PAIN_SOURCE, session.date)
        flare_pain = max((p for p in (session.pain_before, session.pain_next_day) if p is not None), default=0)
        if session.joint_went_out or flare_pain >= FLARE_PAIN:
            days = {session.date + dt.timedelta(days=k) for k in range(1, FLARE_DAYS + 1)}
            what = "the joint went out" if session.joint_went_out else f"pain reached {flare_pain}/10"
            if any(d >= start for d in days):
                out.flare_days |= days
                change(ChangeKind.FLARE_UP,
                       f"On {session.date} {what}: the next {FLARE_DAYS} days are relief and realignment only, no strength work.",
                       _FLARE_SOURCE, session.date)

    _check_progress(cat, sessions, out)
    return out


def _check_progress(cat: Catalog, sessions: list[SessionLog], out: Adaptation) -> None:
    """Four weeks of sessions without a meaningful fall in pain (2 points or 30%) -> see a professional."""
    rated = [(s.date, s.pain_before if s.pain_before is not None else s.pain_after) for s in sessions]
    rated = [(d, p) for d, p in rated if p is not None]
    if not rated or (rated[-1][0] - rated[0][0]).days < NO_PROGRESS_DAYS:
        return
    first, last = rated[0][0], rated[-1][0]
    early = [p for d, p in rated if d < first + dt.timedelta(days=7)]
    late = [p for d, p in rated if d > last - dt.timedelta(days=7)]
    baseline, recent = sum(early) / len(early), sum(late) / len(late)
    drop = baseline - recent
    if baseline == 0 or drop >= MEANINGFUL_POINTS or drop >= MEANINGFUL_SHARE * baseline:
        return
    out.see_professional = True
    out.changes.append(Change(
        ChangeKind.SEE_PROFESSIONAL,
        f"Over {(last - first).days} days your pain went from about {baseline:.1f} to {recent:.1f}/10, less than the "
        f"{MEANINGFUL_POINTS}-point or {int(MEANINGFUL_SHARE * 100)}% fall that counts as real change: please see a "
        "doctor or physiotherapist to check what else may be going on.",
        cat.source_title(_CHANGE_SOURCE), None, None, last,
    ))
