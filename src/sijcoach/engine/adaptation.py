"""Adapting the plan from session logs (clinical-notes 4 and 6), each change with its reason.

Reads the last twelve weeks (engine/history.py). Progression keeps each routine's purpose: a relief
exercise grows in hold or moves to a harder exercise of its own kind, never into strength work;
strength work moves on within strength work.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache

from sijcoach.engine.catalog import Catalog, Exercise
from sijcoach.engine.dosing import LOWEST_STEP, TOP_STEP
from sijcoach.engine.history import HURT_PAIN, History
from sijcoach.engine.plan_types import Change, ChangeKind
from sijcoach.engine.profile import Effort
from sijcoach.engine.questionnaires import pain_direction
from sijcoach.engine.suitability import Context
from sijcoach.engine.vocab import STRENGTH_KINDS, Kind, Laterality

SWAP_PAIN = HURT_PAIN  # 6-10 during an exercise: stop and swap
SETTLE_PAIN = 4  # 4-5 is acceptable only if it settles by the next day
EASY_PAIN = 3  # easy and at most 3 counts towards progression
EASY_SESSIONS = 3
FLARE_DAYS = 2
NEXT_DAY_RISE = 2
NO_PROGRESS_DAYS = 28
RISING_DAYS = 21  # pain compared over three weeks: the first week against the last
JOINT_OUT_DAYS = 28
JOINT_OUT_TIMES = 3

_PAIN_SOURCE = "silbernagel-2007"
_SWAP_SOURCE = "three-muscle-groups"
_FLARE_SOURCE = "mobilizations"
_CHANGE_SOURCE = "ostelo-2008"
_PROGRAMME_SOURCE = "programme-practice"


@dataclass
class Adaptation:
    steps: dict[str, int] = field(default_factory=dict)
    swaps: dict[str, str | None] = field(default_factory=dict)  # painful slug -> replacement (None: none fits)
    swapped_why: dict[str, str] = field(default_factory=dict)
    variants: dict[str, str] = field(default_factory=dict)  # strength work: mastered slug -> harder variant
    relief_variants: dict[str, str] = field(default_factory=dict)  # relief: only to a harder one of its kind
    rise_days: list[dt.date] = field(default_factory=list)  # sessions whose next morning was clearly worse
    flare_days: set[dt.date] = field(default_factory=set)
    rising: bool = False  # pain rose meaningfully over three weeks: a lighter load until it settles
    see_professional: bool = False
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def resolve(self, slug: str, relief: bool = False) -> str | None:
        """Follow progressions and pain swaps to the exercise to do now (None: leave out)."""
        variants = self.relief_variants if relief else self.variants
        seen = set()
        while slug is not None and slug not in seen:
            seen.add(slug)
            if slug in self.swaps:
                slug = self.swaps[slug]
            elif slug in variants:
                slug = variants[slug]
            else:
                return slug
        return slug

    def earned(self, slug: str) -> bool:
        return slug in self.variants.values() or slug in self.relief_variants.values()


def _family(ex: Exercise) -> str:
    return "strength" if ex.kind in STRENGTH_KINDS else "relief"


@cache
def _progressed_from(cat: Catalog) -> dict[str, tuple[str, ...]]:
    """Harder exercise -> the exercises it is the next step of."""
    out: dict[str, list[str]] = {}
    for ex in cat:
        if ex.progression:
            out.setdefault(ex.progression, []).append(ex.slug)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def find_swap(cat: Catalog, ex: Exercise, ctx: Context, excluded: set[str]) -> Exercise | None:
    """An allowed exercise that shares a primary group; the gentler regression first, then the closest match.
    A walk stands in only for a walk: it is the day's own routine, not an exercise of another."""
    def ok(c: Exercise) -> bool:
        return (
            c.slug != ex.slug
            and (c.kind == Kind.CARDIO) == (ex.kind == Kind.CARDIO)
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


class _Reader:
    """One pass over the logs, oldest first, building the Adaptation."""

    def __init__(self, cat: Catalog, ctx: Context, start: dt.date):
        self.cat, self.ctx, self.start = cat, ctx, start
        self.out = Adaptation()
        self.streak: dict[str, int] = {}
        self.comfortable: dict[str, dt.date] = {}  # exercise -> first day done without real pain
        self.first_day: dt.date | None = None

    def change(self, kind, reason, source_id, date, exercise=None, replacement=None):
        self.out.changes.append(Change(kind, reason, self.cat.source_title(source_id), exercise, replacement, date))

    def item(self, item, session) -> None:
        out, slug = self.out, item.exercise
        pain = item.pain
        # A painful exercise counts even when it was then skipped: the pain is what matters.
        if slug in out.swaps or (item.skipped and (pain is None or pain < SWAP_PAIN)):
            return
        ex = self.cat[slug]
        if pain is not None and pain >= SWAP_PAIN:
            self.swap(ex, pain, session.date)
            return
        settled = session.pain_next_day is not None and session.pain_before is not None and (
            session.pain_next_day <= session.pain_before)
        if pain is not None and pain >= SETTLE_PAIN and not settled:
            out.steps[slug] = max(LOWEST_STEP, out.steps.get(slug, 0) - 1)
            why = ("pain the next morning was not back to the level before the session"
                   if session.pain_next_day is not None
                   else "next-morning pain was not recorded, so it is treated as not settled")
            self.change(ChangeKind.LOWER_DOSE, f"{ex.name} reached {pain}/10 on {session.date} and {why}: its dose is lowered.",
                        _PAIN_SOURCE, session.date, slug)
            self.streak.pop(slug, None)
            return
        if pain is None or pain < SETTLE_PAIN:
            self.comfortable.setdefault(slug, session.date)
        felt = pain if pain is not None else session.pain_after
        if not (item.effort == Effort.EASY and felt is not None and felt <= EASY_PAIN):
            self.streak.pop(slug, None)
            return
        self.streak[slug] = self.streak.get(slug, 0) + 1
        if self.streak[slug] >= EASY_SESSIONS:
            self.streak.pop(slug)
            self.progress(ex, session.date)

    def swap(self, ex: Exercise, pain: int, date: dt.date) -> None:
        out = self.out
        used = set(out.swaps) | {s for s in out.swaps.values() if s}
        repl = find_swap(self.cat, ex, self.ctx.with_avoided({s: "" for s in out.swaps}), used)
        out.swaps[ex.slug] = repl.slug if repl else None
        out.swapped_why[ex.slug] = f"it hurt ({pain}/10) on {date}"
        target = f"swapped for {repl.name}, which trains the same muscles" if repl else (
            "left out: nothing else suitable trains the same muscles")
        self.change(ChangeKind.SWAP, f"{ex.name} hurt ({pain}/10) on {date}: {target}.",
                    _SWAP_SOURCE, date, ex.slug, repl.slug if repl else None)
        self.streak.pop(ex.slug, None)

    def progress(self, ex: Exercise, date: dt.date) -> None:
        out = self.out
        step = out.steps.get(ex.slug, 0)
        if step < TOP_STEP:
            out.steps[ex.slug] = step + 1
            self.change(ChangeKind.PROGRESS_DOSE,
                        f"{ex.name} was easy with pain of {EASY_PAIN}/10 or less in {EASY_SESSIONS} sessions in a row: its dose goes up a step.",
                        _PAIN_SOURCE, date, ex.slug)
            return
        nxt = self.cat[ex.progression] if ex.progression and ex.progression in self.cat else None
        # A harder variant only after the first week of logs (a beginner's first week stays beginner).
        if nxt is None or date < self.first_day + dt.timedelta(days=7) or nxt.slug in out.swaps:
            return
        if self.adopt(ex, nxt):
            self.change(ChangeKind.PROGRESS_VARIANT,
                        f"{ex.name} was easy at its top dose in {EASY_SESSIONS} sessions in a row: move on to {nxt.name}.",
                        _PAIN_SOURCE, date, ex.slug, nxt.slug)

    def adopt(self, ex: Exercise, nxt: Exercise) -> bool:
        """Record `nxt` as the harder variant of `ex` where the routine's purpose allows it."""
        if self.ctx.why_not(nxt, earned_variant=True) is not None:
            return False
        out, adopted = self.out, False
        if nxt.kind == ex.kind:  # relief stays relief: a harder exercise of the same kind
            out.relief_variants[ex.slug] = nxt.slug
            adopted = True
        if ex.kind in STRENGTH_KINDS and nxt.kind in STRENGTH_KINDS:
            out.variants[ex.slug] = nxt.slug
            adopted = True
        if adopted:
            out.steps.setdefault(nxt.slug, 0)  # never resets a dose the harder exercise already earned
        return adopted

    def inherit(self) -> None:
        """A harder exercise done comfortably lately keeps its place when the sessions that earned it
        are older than twelve weeks (the easier one no longer appears in the logs read)."""
        logged = {i.exercise for s in self.sessions for i in s.items}
        for slug, day in sorted(self.comfortable.items()):
            for easier in _progressed_from(self.cat).get(slug, ()):
                if easier in logged or easier in self.out.swaps or self.out.resolve(easier) == slug:
                    continue
                ex, nxt = self.cat[easier], self.cat[slug]
                if self.adopt(ex, nxt):
                    self.change(ChangeKind.PROGRESS_VARIANT,
                                f"You have been doing {nxt.name} comfortably since {day}: it stands in for the easier {ex.name}.",
                                _PAIN_SOURCE, day, easier, slug)

    def run(self, history: History, trimmed: bool) -> Adaptation:
        self.sessions = history.sessions
        if not history.sessions:
            return self.out
        self.first_day = history.sessions[0].date
        for session in history.sessions:
            for item in session.items:
                self.item(item, session)
            if (session.pain_next_day is not None and session.pain_before is not None
                    and session.pain_next_day - session.pain_before >= NEXT_DAY_RISE):
                self.out.rise_days.append(session.date)
        if trimmed:
            self.inherit()
        self.flares(history)
        return self.out

    def flares(self, history: History) -> None:
        for date, what in sorted(history.flares.items()):
            days = {date + dt.timedelta(days=k) for k in range(1, FLARE_DAYS + 1)}
            if any(d >= self.start for d in days):
                self.out.flare_days |= days
                self.change(ChangeKind.FLARE_UP,
                            f"On {date} {what}: the next {FLARE_DAYS} days are relief and realignment only, no strength work.",
                            _FLARE_SOURCE, date)


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _rated(history: History) -> list[tuple[dt.date, int]]:
    out = []
    for s in history.sessions:
        pain = s.pain_before if s.pain_before is not None else s.pain_after
        if pain is not None:
            out.append((s.date, pain))
    return out


def rising_pain(rated: list[tuple[dt.date, int]], day: dt.date) -> tuple[float, float] | None:
    """(first week's, last week's) mean pain when pain rose meaningfully over the three weeks before `day`."""
    early = _mean([p for d, p in rated if day - dt.timedelta(days=RISING_DAYS) <= d < day - dt.timedelta(days=14)])
    late = _mean([p for d, p in rated if day - dt.timedelta(days=7) <= d < day])
    if early is None or late is None or pain_direction(early, late) != "worse":
        return None
    return early, late


def _watch(cat: Catalog, history: History, start: dt.date, out: Adaptation) -> None:
    """The warning signs in the logs over weeks (clinical-notes 6), each with its advice."""
    def add(kind, reason, source, date):
        out.changes.append(Change(kind, reason, cat.source_title(source), None, None, date))

    rated = _rated(history)
    last = rated[-1][0] if rated else start
    rise = rising_pain(rated, start + dt.timedelta(days=1))
    if rise is not None:
        out.rising = out.see_professional = True
        add(ChangeKind.LOWER_SESSION,
            f"Your pain rose over three weeks, from about {rise[0]:.1f} to {rise[1]:.1f}/10, a meaningful rise: "
            "strength work is one step lighter until it settles, and please see a doctor or physiotherapist.",
            _CHANGE_SOURCE, last)
    elif rising_pain(rated, start) is not None:
        add(ChangeKind.PROGRESS_DOSE,
            "Your pain is no longer rising over three weeks: strength work is back to its usual dose.",
            _CHANGE_SOURCE, last)
    since = start - dt.timedelta(days=JOINT_OUT_DAYS)
    outs = [d for d in history.joint_out_days if d > since]
    if len(outs) >= JOINT_OUT_TIMES:
        out.see_professional = True
        add(ChangeKind.SEE_PROFESSIONAL,
            f"The joint went out {len(outs)} times in four weeks ({', '.join(str(d) for d in outs)}) although you "
            "do the stabilising work: something else may be going on, such as a difference in leg length. Please "
            "see a doctor or physiotherapist.", _FLARE_SOURCE, outs[-1])
    _check_progress(cat, rated, out)


def _check_progress(cat: Catalog, rated: list[tuple[dt.date, int]], out: Adaptation) -> None:
    """Four weeks of sessions without a meaningful fall in pain (2 points or 30%) -> see a professional."""
    if not rated or (rated[-1][0] - rated[0][0]).days < NO_PROGRESS_DAYS:
        return
    first, last = rated[0][0], rated[-1][0]
    baseline = _mean([p for d, p in rated if d < first + dt.timedelta(days=7)])
    recent = _mean([p for d, p in rated if d > last - dt.timedelta(days=7)])
    if baseline == 0 or pain_direction(baseline, recent) == "better":
        return
    out.see_professional = True
    out.changes.append(Change(
        ChangeKind.SEE_PROFESSIONAL,
        f"Over {(last - first).days} days your pain went from about {baseline:.1f} to {recent:.1f}/10, less than the "
        "2-point or 30% fall that counts as real change: please see a doctor or physiotherapist to check what "
        "else may be going on.",
        cat.source_title(_CHANGE_SOURCE), None, None, last,
    ))


def adapt(cat: Catalog, history: History, ctx: Context, start: dt.date, trimmed: bool = False) -> Adaptation:
    """`trimmed`: the programme goes back further than the logs read (engine/history.py), so a harder
    exercise done lately may have been earned by sessions no longer read."""
    out = _Reader(cat, ctx, start).run(history, trimmed or history.trimmed)
    if history.ignored_future:
        out.warnings.append(
            f"{history.ignored_future} logged session(s) dated after the plan start {start} were not used."
        )
    _watch(cat, history, start, out)
    return out
