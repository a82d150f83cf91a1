"""Doses: a ladder of steps inside each exercise's range, and the minutes a dose takes."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sijcoach.engine.catalog import Exercise, Range

TOP_STEP = 3  # step 0 is the range's low end, TOP_STEP its high end
LOWEST_STEP = -1  # one step below the range: the "lowered" dose after a flare
SETUP_S = 15  # getting into position and changing sides
LOWERED_SHARE = 0.7  # a dose lowered after pain keeps about 70% of its work (see `lowered`)


@dataclass(frozen=True, slots=True)
class Dosed:
    sets: int
    reps: int
    hold_s: int
    rest_s: int
    rep_s: int
    sides: int  # 2 when each side is done in turn

    @property
    def seconds(self) -> int:
        per_side = self.sets * self.reps * (self.rep_s + self.hold_s) + self.sets * self.rest_s
        return self.sides * per_side + SETUP_S

    @property
    def minutes(self) -> float:
        return round(self.seconds / 60, 1)


def _at(r: Range, step: int, floor: int) -> int:
    if step < 0:
        return max(floor, (r.low * 7) // 10) if r.low else 0
    return r.low + round((r.high - r.low) * min(step, TOP_STEP) / TOP_STEP)


def dose_at(ex: Exercise, step: int, sides: int) -> Dosed:
    d = ex.dose
    return Dosed(
        sets=max(1, d.sets.low - 1) if step < 0 else _at(d.sets, step, 1),
        reps=_at(d.reps, step, 1),
        hold_s=_at(d.hold_s, step, 1),
        # A lowered dose rests longest; otherwise rest stays at the low end.
        rest_s=d.rest_s.high if step < 0 else d.rest_s.low,
        rep_s=d.rep_s,
        sides=sides,
    )


def lowered(d: Dosed) -> Dosed:
    """About 30% less work in each set: fewer repetitions, or a shorter hold when there is one
    repetition, or fewer sets when neither can shrink. For a dose someone set by hand (a coach's),
    which is not on the ladder."""
    def cut(n: int) -> int:
        return max(1, round(n * LOWERED_SHARE))

    if d.reps > 1:
        return replace(d, reps=cut(d.reps))
    if d.hold_s > 1:
        return replace(d, hold_s=cut(d.hold_s))
    return replace(d, sets=cut(d.sets))


def timed_dose(ex: Exercise, seconds: int) -> Dosed:
    """A single timed bout (walking) fitted to `seconds`, within the exercise's hold range."""
    hold = max(ex.dose.hold_s.low, min(ex.dose.hold_s.high, seconds))
    return Dosed(sets=1, reps=1, hold_s=hold, rest_s=0, rep_s=0, sides=1)
