"""Adapting the plan from session logs (clinical-notes 4 and 6), each change with its reason.

Reads the last eight weeks (engine/history.py, `DETAIL_DAYS`). Progression keeps each routine's
purpose: a relief exercise grows in hold or moves to a harder exercise of its own kind, never into
strength work; strength work moves on within strength work.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from bisect import bisect_left
from collections.abc import Callable
from functools import cache

from sijcoach.engine.catalog import PROTOCOL_ONLY, Catalog, Exercise
from sijcoach.engine.dosing import LOWERED_SHARE, LOWEST_STEP, TOP_STEP
from sijcoach.engine.history import DETAIL_DAYS, HURT_PAIN, History
from sijcoach.engine.plan_types import Change, ChangeKind
from sijcoach.engine.profile import Effort
from sijcoach.engine.questionnaires import pain_direction
from sijcoach.engine.referral import GENERAL, Referral
from sijcoach.engine.sources import SourceId
from sijcoach.engine.suitability import Context
from sijcoach.engine.vocab import STRENGTH_KINDS, Kind, Laterality, day_words

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

COACH_LOWERED = (f"the dose your coach set is about {100 - round(LOWERED_SHARE * 100)}% lower until it settles "
                 f"({EASY_SESSIONS} easy sessions in a row)")

_EASY = Effort.EASY  # bound once: the loop over every logged exercise compares with it
_PAIN_SOURCE = SourceId.PAIN_MONITORING
_SWAP_SOURCE = SourceId.MUSCLE_GROUPS
_FLARE_SOURCE = SourceId.MOBILIZATIONS
_CHANGE_SOURCE = SourceId.PAIN_CHANGE


@dataclass
class Adaptation:
    steps: dict[str, int] = field(default_factory=dict)
    swaps: dict[str, str | None] = field(default_factory=dict)  # painful slug -> replacement (None: none fits)
    swapped_why: dict[str, str] = field(default_factory=dict)
    variants: dict[str, str] = field(default_factory=dict)  # strength work: mastered slug -> harder variant
    relief_variants: dict[str, str] = field(default_factory=dict)  # relief: only to a harder one of its kind
    rise_days: list[dt.date] = field(default_factory=list)  # sessions whose next morning was clearly worse
    flare_days: set[dt.date] = field(default_factory=set)  # the relief-only days after every flare read, past ones too
    rising: bool = False  # pain rose meaningfully over three weeks: a lighter load until it settles
    hurt_days: frozenset[dt.date] = frozenset()  # days an exercise hurt 6 or more
    coach_flare: dt.date | None = None  # a flare after which no session has settled: a coach's doses are lower
    _earned: frozenset[str] | None = field(default=None, repr=False)
    see_professional: bool = False
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def easier_hurt(self, cat: Catalog, slug: str) -> str | None:
        """Why `slug` waits when an easier version of it (down its progression ladder) hurt and is
        swapped out: a harder version of an exercise that hurt is no safer than it, as no stand-in is
        harder (`_stand_ins`). None when no easier version hurt. For what a coach pins: the plan's own
        picks never climb past an exercise that hurt."""
        for painful, why in self.swapped_why.items():
            if painful in cat and slug in _harder_versions(cat, cat[painful]):
                return f"{cat[painful].name}, an easier version of it, {why.removeprefix('it ')}"  # "hurt (7/10) on …"
        return None

    def resolve(self, slug: str, relief: bool = False, allowed: Callable[[str], bool] = lambda _: True) -> str | None:
        """Follow progressions and pain swaps to the exercise to do now (None: leave out). With
        `allowed`, a harder variant that is not allowed today gives way to the easier one it came
        from; an exercise that hurt never comes back."""
        variants = self.relief_variants if relief else self.variants
        seen, found = set(), None
        while slug is not None and slug not in seen:
            seen.add(slug)
            if slug in self.swaps:
                found, slug = None, self.swaps[slug]
                continue
            if allowed(slug):
                found = slug
            slug = variants.get(slug)
        return found

    def earned(self, slug: str) -> bool:
        """Reached by progressing from an easier exercise (so it may be one level above the person's)."""
        return slug in self._earned if self._earned is not None else (
            slug in self.variants.values() or slug in self.relief_variants.values())

    def done(self) -> Adaptation:
        """No more changes: remember which exercises were earned, for the many questions that follow."""
        self._earned = frozenset(self.variants.values()) | frozenset(self.relief_variants.values())
        return self


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


# What an exercise is for: easing (massage, stretches, gentle movement, finding a muscle) or
# strengthening (finding a muscle, strength and stability work). A stand-in serves the same purpose: a
# walk-through found a wall hip hinge offered in place of a self-massage ("trains the same muscles").
_EASING = frozenset({Kind.RELEASE, Kind.STRETCH, Kind.MOBILIZATION, Kind.YOGA, Kind.ACTIVATION})


def _same_purpose(ex: Exercise, c: Exercise) -> bool:
    if ex.kind == Kind.CARDIO or c.kind == Kind.CARDIO:
        return ex.kind == c.kind  # a walk only for a walk (the day's own routine, not an exercise of another)
    return (ex.kind in STRENGTH_KINDS and c.kind in STRENGTH_KINDS) or (ex.kind in _EASING and c.kind in _EASING)


def _may_stand_in(ex: Exercise, c: Exercise) -> bool:
    """Could `c` stand in for `ex` at all: another exercise for the same purpose sharing a primary
    group, done on both sides or each side in turn, and not one of the realignment protocol's own
    corrections (a walk-through was offered the DonTigny knee brace for a self-massage)."""
    return (
        c.slug != ex.slug
        and c.slug not in PROTOCOL_ONLY
        and _same_purpose(ex, c)
        and c.laterality in (Laterality.BILATERAL, Laterality.EACH_SIDE)
        and bool(set(c.groups) & set(ex.groups))
    )


def _harder_versions(cat: Catalog, ex: Exercise) -> set[str]:
    """The exercises up `ex`'s progression ladder: the same movement with more load."""
    harder, step = set(), ex.progression
    while step and step in cat and step not in harder and step != ex.slug:
        harder.add(step)
        step = cat[step].progression
    return harder


@cache
def _stand_ins(cat: Catalog, slug: str) -> tuple[Exercise, ...]:
    """Every possible stand-in for `slug` after it hurt, closest first: its own family, more shared
    groups, then priority. Never a harder one: not one of a higher level, nor a step up its own ladder
    (a clamshell with a band for a clamshell that hurt)."""
    ex = cat[slug]
    harder = _harder_versions(cat, ex)
    return tuple(sorted(
        (c for c in cat if _may_stand_in(ex, c) and c.slug not in harder and c.difficulty.rank <= ex.difficulty.rank),
        key=lambda c: (
            _family(c) != _family(ex),
            -len(set(c.groups) & set(ex.groups)),
            c.priority,
            c.slug,
        ),
    ))


def find_swap(cat: Catalog, ex: Exercise, ctx: Context, excluded: set[str]) -> Exercise | None:
    """An allowed exercise that shares a primary group; the gentler regression first, then the closest match."""
    if ex.regression and ex.regression in cat:
        gentler = cat[ex.regression]
        if _may_stand_in(ex, gentler) and gentler.slug not in excluded and ctx.allows(gentler):
            return gentler
    for c in _stand_ins(cat, ex.slug):
        if c.slug not in excluded and ctx.allows(c):
            return c
    return None


class _Reader:
    """One pass over the logs, oldest first, building the Adaptation."""

    def __init__(self, cat: Catalog, context_on: Callable[[dt.date], Context], start: dt.date,
                 held: frozenset[str] = frozenset()):
        self.cat, self.context_on, self.start = cat, context_on, start
        self.held = held  # exercises whose dose a coach set: pain lowers them, progression never raises them
        self.out = Adaptation()
        self.streak: dict[str, int] = {}
        self.comfortable: dict[str, dt.date] = {}  # exercise -> first day done without real pain
        self.hurt_days: set[dt.date] = set()  # days an exercise hurt 6 or more
        self.last_seen: dict[str, dt.date] = {}  # exercise -> last day it was logged
        self.topped: set[str] = set()  # exercises at their top dose that can progress no further
        self.first_day: dt.date | None = None
        self.unsettled: frozenset[dt.date] = frozenset()  # a flare's day and its relief-only days: nothing is easy

    def change(self, kind, reason, source_id, date, exercise=None, replacement=None):
        self.out.changes.append(Change(kind, reason, self.cat.source_title(source_id), exercise, replacement, date))

    def session(self, session) -> None:
        """Each exercise of one session, oldest session first. The common case (done without real
        pain) stays in this loop; the rest goes to `painful`."""
        swaps, streak, comfortable = self.out.swaps, self.streak, self.comfortable
        date, pain_after = session.date, session.pain_after
        last_seen, topped = self.last_seen, self.topped
        # The joint going out, or pain of 7 or more, and the relief-only days after: no session then is
        # easy, and every run of easy sessions starts again after them (clinical-notes 4 and 6).
        counting = date not in self.unsettled
        if not counting:
            streak.clear()
        for item in session.items:
            slug, pain = item.exercise, item.pain
            last_seen[slug] = date
            if pain is not None and pain >= SETTLE_PAIN:
                if pain >= SWAP_PAIN:
                    self.hurt_days.add(date)
                self.painful(item, session)
                continue
            # A skipped exercise counts only for its pain (above); a swapped-out one no more.
            if item.skipped or slug in swaps:
                continue
            if slug not in comfortable:
                comfortable[slug] = date
            if slug in topped or not counting:  # at its top dose, or a flare's days: nothing to count
                continue
            felt = pain if pain is not None else pain_after
            if item.effort is _EASY and felt is not None and felt <= EASY_PAIN:
                count = streak.get(slug, 0) + 1
                if count >= EASY_SESSIONS:
                    del streak[slug]
                    self.progress(self.cat[slug], date)
                else:
                    streak[slug] = count
            elif slug in streak:
                del streak[slug]

    def painful(self, item, session) -> None:
        """Pain of 4 or more: 6+ swaps the exercise; 4-5 lowers its dose unless it settled by the morning."""
        out, slug, pain = self.out, item.exercise, item.pain
        if slug in out.swaps:
            return
        ex = self.cat[slug]
        if pain >= SWAP_PAIN:
            done_instead = next((it.exercise for it in session.items if it.swapped_from == slug), None)
            self.swap(ex, pain, session.date, done_instead)
            return
        if item.skipped:
            return
        settled = session.pain_next_day is not None and session.pain_before is not None and (
            session.pain_next_day <= session.pain_before)
        # A session of the plan's first day has no next morning yet: the morning answer decides, in the
        # plan made from then on (and no answer by then counts as not settled).
        waiting = session.pain_next_day is None and session.date >= self.start
        if settled or waiting:
            self.streak.pop(slug, None)
            return
        out.steps[slug] = max(LOWEST_STEP, out.steps.get(slug, 0) - 1)
        self.topped.discard(slug)
        why = ("pain the next morning was not back to the level before the session"
               if session.pain_next_day is not None
               else "next-morning pain was not recorded, so it is treated as not settled")
        what = (COACH_LOWERED if slug in self.held else "its dose is lowered")
        self.change(ChangeKind.LOWER_DOSE, f"{ex.name} reached {pain}/10 on {day_words(session.date)} and {why}: {what}.",
                    _PAIN_SOURCE, session.date, slug)
        self.streak.pop(slug, None)

    def swap(self, ex: Exercise, pain: int, date: dt.date, done_instead: str | None = None) -> None:
        """`done_instead`: the exercise the person did in its place that session (the player's answer
        to "this hurts"): kept as the stand-in where it may stand in and still suits them, so the plan
        names the exercise they were told to do and did."""
        out = self.out
        used = set(out.swaps) | {s for s in out.swaps.values() if s}
        ctx = self.context_on(date)
        kept = self.cat[done_instead] if done_instead in self.cat else None
        if kept is not None and kept.slug not in used and _may_stand_in(ex, kept) and ctx.allows(kept):
            repl = kept
        else:
            repl = find_swap(self.cat, ex, ctx, used)
        out.swaps[ex.slug] = repl.slug if repl else None
        out.swapped_why[ex.slug] = f"it hurt ({pain}/10) on {day_words(date)}"
        target = f"swapped for {repl.name}, which trains the same muscles" if repl else (
            "left out: nothing else suitable trains the same muscles")
        self.change(ChangeKind.SWAP, f"{ex.name} hurt ({pain}/10) on {day_words(date)}: {target}.",
                    _SWAP_SOURCE, date, ex.slug, repl.slug if repl else None)
        self.streak.pop(ex.slug, None)

    def progress(self, ex: Exercise, date: dt.date) -> None:
        out = self.out
        step = out.steps.get(ex.slug, 0)
        if ex.slug in self.held:
            self.progress_held(ex, step, date)
            return
        if step < TOP_STEP:
            out.steps[ex.slug] = step + 1
            self.change(ChangeKind.PROGRESS_DOSE,
                        f"{ex.name} was easy with pain of {EASY_PAIN}/10 or less in {EASY_SESSIONS} sessions in a row: its dose goes up a step.",
                        _PAIN_SOURCE, date, ex.slug)
            return
        nxt = self.cat[ex.progression] if ex.progression and ex.progression in self.cat else None
        if nxt is None or nxt.slug in out.swaps or nxt.slug in (out.variants.get(ex.slug), out.relief_variants.get(ex.slug)):
            self.topped.add(ex.slug)
            return
        # A harder variant only after the first week of logs (a beginner's first week stays beginner).
        if date < self.first_day + dt.timedelta(days=7):
            return
        where = self.adopt(ex, nxt, date)
        if where is not None:
            self.change(ChangeKind.PROGRESS_VARIANT,
                        f"{ex.name} was easy at its top dose in {EASY_SESSIONS} sessions in a row: move on to {nxt.name}"
                        f"{where}.", _PAIN_SOURCE, date, ex.slug, nxt.slug)

    def progress_held(self, ex: Exercise, step: int, date: dt.date) -> None:
        """A coach's dose: back up to it after pain lowered it, and never beyond (nor to a harder
        exercise); the coach decides the next step, and is told once that it is due."""
        easy = f"{ex.name} was easy with pain of {EASY_PAIN}/10 or less in {EASY_SESSIONS} sessions in a row"
        if step < 0:
            self.out.steps[ex.slug] = step + 1
            self.change(ChangeKind.PROGRESS_DOSE, f"{easy}: it is back to the dose your coach set.",
                        _PAIN_SOURCE, date, ex.slug)
            return
        self.topped.add(ex.slug)  # nothing further to count until pain lowers it again
        self.change(ChangeKind.COACH, f"{easy}: it stays at the dose your coach set, since the app never raises a "
                                      "coach's dose; your coach decides when it goes up.", _PAIN_SOURCE, date, ex.slug)

    def adopt(self, ex: Exercise, nxt: Exercise, date: dt.date) -> str | None:
        """Record `nxt` as the harder variant of `ex` where the routine's purpose allows it and the
        person's situation on `date` did. Returns None when it is not taken, else where it applies in
        words to end the change's reason: "" everywhere, or " in strength sessions" when `ex` stays as
        it is in the daily relief (relief stays relief: a strength exercise never stands in there)."""
        if self.context_on(date).why_not(nxt, earned_variant=True) is not None:
            return None
        out = self.out
        relief = nxt.kind == ex.kind  # relief stays relief: a harder exercise of the same kind
        strength = ex.kind in STRENGTH_KINDS and nxt.kind in STRENGTH_KINDS
        if relief:
            out.relief_variants[ex.slug] = nxt.slug
        if strength:
            out.variants[ex.slug] = nxt.slug
        if not (relief or strength):
            return None
        out.steps.setdefault(nxt.slug, 0)  # never resets a dose the harder exercise already earned
        return "" if relief else f" in strength sessions ({ex.name} stays as it is in the daily relief)"

    def inherit(self, trimmed: bool) -> None:
        """When older sessions are no longer read (`trimmed`), the sessions that earned a harder exercise
        may be gone: a harder exercise done comfortably since the easier one was last done keeps its
        place. An easier exercise still in use beside the harder one keeps its own place."""
        for slug, day in sorted(self.comfortable.items()):
            for easier in _progressed_from(self.cat).get(slug, ()):
                if easier in self.out.swaps or easier in self.held or self.out.resolve(easier) == slug:
                    continue
                last = self.last_seen.get(easier)
                if not trimmed or (last is not None and last >= day):
                    continue
                ex, nxt = self.cat[easier], self.cat[slug]
                where = self.adopt(ex, nxt, day)
                if where is not None:
                    self.change(ChangeKind.PROGRESS_VARIANT,
                                f"You have been doing {nxt.name} comfortably since {day_words(day)}: it stands in for the easier "
                                f"{ex.name}{where}.", _PAIN_SOURCE, day, easier, slug)

    def run(self, history: History, trimmed: bool) -> Adaptation:
        self.first_day = history.first_day
        self.unsettled = frozenset(flare + dt.timedelta(days=k) for flare in history.flares
                                   for k in range(FLARE_DAYS + 1))
        for session in history.sessions:
            self.session(session)
            if (session.pain_next_day is not None and session.pain_before is not None
                    and session.pain_next_day - session.pain_before >= NEXT_DAY_RISE):
                self.out.rise_days.append(session.date)
        self.inherit(trimmed)
        self.flares(history)
        if self.held:
            self.coach_settling(history)
        self.retries(history)
        self.out.hurt_days = frozenset(self.hurt_days)
        return self.out

    def retries(self, history: History) -> None:
        """An exercise that hurt on the day that has just left the window is offered again."""
        for session in history.just_left:
            for item in session.items:
                if item.pain is not None and item.pain >= SWAP_PAIN and item.exercise not in self.out.swaps:
                    ex = self.cat[item.exercise]
                    self.change(ChangeKind.RETRY,
                                f"{ex.name} hurt ({item.pain}/10) on {day_words(session.date)}, {DETAIL_DAYS // 7} weeks ago: it is "
                                "offered again. Stop at once if it hurts again.", _SWAP_SOURCE, self.start, ex.slug)

    def flares(self, history: History) -> None:
        """Every flare of the logs read: the plan's history keeps the earlier ones (a review needs every
        flare of the period), said together in one change once their relief-only days are over."""
        past = []
        for date, what in sorted(history.flares.items()):
            days = {date + dt.timedelta(days=k) for k in range(1, FLARE_DAYS + 1)}
            # Past ones too: a strength day that fell in a flare's days was not missed (engine/schedule.py).
            self.out.flare_days |= days
            if any(d >= self.start for d in days):
                self.change(ChangeKind.FLARE_UP,
                            f"On {day_words(date)} {what}: the next {FLARE_DAYS} days are relief and realignment only, no strength work.",
                            _FLARE_SOURCE, date)
            else:
                past.append((date, what))
        if past:
            said = "; ".join(f"{day_words(date)}, {what}" for date, what in past)
            self.change(ChangeKind.FLARE_UP,
                        f"{'Earlier flares' if len(past) > 1 else 'An earlier flare'} in the weeks read ({said}): "
                        f"{'each was' if len(past) > 1 else 'it was'} followed by {FLARE_DAYS} days of relief and "
                        "realignment only.", _FLARE_SOURCE, past[-1][0])


    def coach_settling(self, history: History) -> None:
        """After a flare, the doses a coach set are about 30% lower until it settles: sessions on
        three days after it whose next morning was recorded and no worse than before them (a worse
        morning starts the count anew, a flare starts it all again; a morning not yet told, neither)."""
        flare, calm = None, set()
        for s in history.sessions:
            if s.date in history.flares:
                if flare != s.date:
                    self.change(ChangeKind.LOWER_DOSE,
                                f"On {day_words(s.date)} {history.flares[s.date]}: the doses your coach set are about "
                                f"{100 - round(LOWERED_SHARE * 100)}% lower until it settles (sessions on "
                                f"{EASY_SESSIONS} days settled by the next morning).", _FLARE_SOURCE, s.date)
                flare, calm = s.date, set()
            elif flare is not None and s.date > flare:
                if s.pain_next_day is None or s.pain_before is None:
                    continue
                if s.pain_next_day > s.pain_before:
                    calm = set()
                    continue
                calm.add(s.date)
                if len(calm) >= EASY_SESSIONS:
                    self.change(ChangeKind.PROGRESS_DOSE,
                                f"Sessions on {EASY_SESSIONS} days since the flare on {day_words(flare)} settled by the next "
                                "morning: the doses your coach set are back.", _PAIN_SOURCE, s.date)
                    flare = None
        self.out.coach_flare = flare


def _mean(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _rated(history: History) -> list[tuple[dt.date, int]]:
    """Each session's pain (before it, else after it), oldest first."""
    out = []
    for s in history.sessions:
        pain = s.pain_before if s.pain_before is not None else s.pain_after
        if pain is not None:
            out.append((s.date, pain))
    return out


def rising_pain(rated: list[tuple[dt.date, int]], day: dt.date) -> tuple[float, float] | None:
    """(first week's, last week's) mean pain when pain rose meaningfully over the three weeks before `day`."""
    first, last = day - dt.timedelta(days=RISING_DAYS), day - dt.timedelta(days=7)
    early, late = [], []
    for d, p in rated:
        if d >= last:
            if d < day:
                late.append(p)
        elif first <= d < day - dt.timedelta(days=14):
            early.append(p)
    if not early or not late or pain_direction(_mean(early), _mean(late)) != "worse":
        return None
    return _mean(early), _mean(late)


def _watch(cat: Catalog, history: History, start: dt.date, out: Adaptation, refer: Referral = GENERAL) -> None:
    """The warning signs in the logs over weeks (clinical-notes 6), each with its advice; `refer` says
    whom to see (the maternity team too in pregnancy and after a birth, engine/referral.py)."""
    def add(kind, reason, source, date):
        out.changes.append(Change(kind, reason, cat.source_title(source), None, None, date))

    rated = _rated(history)
    last = rated[-1][0] if rated else start
    recent = rated[bisect_left(rated, (start - dt.timedelta(days=RISING_DAYS + 1),)):]  # in date order
    rise = rising_pain(recent, start + dt.timedelta(days=1))
    if rise is not None:
        out.rising = out.see_professional = True
        add(ChangeKind.LOWER_SESSION,
            f"Your pain rose over three weeks, from about {rise[0]:.1f} to {rise[1]:.1f}/10, a meaningful rise: "
            f"strength work is one step lighter until it settles, and please {refer.ask}.",
            _CHANGE_SOURCE, last)
    elif rising_pain(recent, start) is not None:
        add(ChangeKind.PROGRESS_DOSE,
            "Your pain is no longer rising over three weeks: strength work is back to its usual dose.",
            _CHANGE_SOURCE, last)
    since = start - dt.timedelta(days=JOINT_OUT_DAYS)
    outs = [d for d in history.joint_out_days if d > since]
    if len(outs) >= JOINT_OUT_TIMES:
        out.see_professional = True
        add(ChangeKind.SEE_PROFESSIONAL,
            f"The joint went out {len(outs)} times in four weeks ({', '.join(day_words(d) for d in outs)}) although you "
            f"do the stabilising work: something else may be going on, such as a difference in leg length. Please "
            f"{refer.ask}.", _FLARE_SOURCE, outs[-1])
    _check_progress(cat, rated, out, refer)


def _check_progress(cat: Catalog, rated: list[tuple[dt.date, int]], out: Adaptation,
                    refer: Referral = GENERAL) -> None:
    """Four weeks of sessions without a meaningful fall in pain (2 points or 30%) -> see a professional."""
    if not rated or (rated[-1][0] - rated[0][0]).days < NO_PROGRESS_DAYS:
        return
    first, last = rated[0][0], rated[-1][0]
    early = rated[:bisect_left(rated, (first + dt.timedelta(days=7),))]  # rated is in date order
    late = rated[bisect_left(rated, (last - dt.timedelta(days=6),)):]
    baseline, recent = _mean([p for _, p in early]), _mean([p for _, p in late])
    direction = pain_direction(baseline, recent)
    if baseline == 0 or direction == "better":
        return
    out.see_professional = True
    days = (last - first).days
    said = (f"Over {days} days your pain rose from about {baseline:.1f} to {recent:.1f}/10, a meaningful rise: "
            if direction == "worse" else
            f"Over {days} days your pain went from about {baseline:.1f} to {recent:.1f}/10, less than the 2-point or "
            "30% fall that counts as real change: ")
    out.changes.append(Change(
        ChangeKind.SEE_PROFESSIONAL, f"{said}to check what else may be going on, please {refer.ask}.",
        cat.source_title(_CHANGE_SOURCE), None, None, last,
    ))


def adapt(cat: Catalog, history: History, context_on: Callable[[dt.date], Context], start: dt.date,
          trimmed: bool = False, held: frozenset[str] = frozenset(), refer: Referral = GENERAL) -> Adaptation:
    """`context_on(date)`: what the person's situation allowed on a day; each swap and progression is
    decided with the situation of the day it happened, so a plan made on any later day agrees on it.
    `trimmed`: the programme goes back further than the logs read (engine/history.py), so a harder
    exercise done lately may have been earned by sessions no longer read. `held`: the exercises whose
    dose a coach set (engine/adjust.py). `refer`: whom the warning signs in the logs send the person to
    (engine/referral.py)."""
    out = _Reader(cat, context_on, start, held).run(history, trimmed or history.trimmed)
    if history.ignored_future:
        out.warnings.append(
            f"{history.ignored_future} logged session(s) dated after the plan start ({day_words(start)}) were not used."
        )
    _watch(cat, history, start, out, refer)
    return out.done()
