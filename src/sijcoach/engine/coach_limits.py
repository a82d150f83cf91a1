"""The safety limits on a coach's doses, per kind of exercise (knowledge/coach_limits.toml).

A coach may set any dose inside these wide limits, not only the catalog's self-care range. Each limit
carries its reason and source, and must hold the catalog's own range for every exercise of its kind,
so a coach can always set what the app itself would give. Checked at load, like the other knowledge.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from sijcoach.engine.catalog import Catalog, Exercise, KnowledgeError, Range, catalog
from sijcoach.engine.dosing import Dosed
from sijcoach.engine.vocab import Kind, Laterality
from sijcoach.knowledge import DIR

FIELDS = ("sets", "reps", "hold_s", "rest_s")
NOT_SET_BY_HAND = frozenset({Kind.CARDIO})  # walking is fitted to the day's free minutes
KIND_WORDS = {Kind.ACTIVATION: "activation exercises", Kind.STRENGTH: "strength exercises",
              Kind.STABILITY: "stability exercises", Kind.MOBILIZATION: "mobilisations",
              Kind.STRETCH: "stretches", Kind.YOGA: "yoga poses", Kind.RELEASE: "self-massage and release",
              Kind.CARDIO: "walks"}


class Limit(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Kind
    sets: Range
    reps: Range
    hold_s: Range
    rest_s: Range
    minutes: int  # the longest one exercise may take at a coach's dose (sets, sides and rests together)
    reason: str
    source: str


def dose_minutes(ex: Exercise, given: dict[str, int | None], own_end: str = "low") -> float:
    """The minutes `ex` takes at a dose with the values `given` (sets, reps, hold_s, rest_s) and, for
    any value not given, the low (or high) end of the catalog's own range for it."""
    own = {name: getattr(getattr(ex.dose, name), own_end) for name in FIELDS}
    values = {name: given.get(name) if given.get(name) is not None else own[name] for name in FIELDS}
    sides = 1 if ex.laterality == Laterality.BILATERAL else 2
    return Dosed(**values, rep_s=ex.dose.rep_s, sides=sides).seconds / 60


def _check(limits: list[Limit], cat: Catalog) -> list[str]:
    problems = []
    kinds = [lim.kind for lim in limits]
    problems += [f"kind {k.value} is listed twice" for k in set(kinds) if kinds.count(k) > 1]
    problems += [f"kind {k.value} has no limits" for k in Kind if k not in kinds and k not in NOT_SET_BY_HAND]
    problems += [f"kind {k.value} is not set by hand and has no limits" for k in kinds if k in NOT_SET_BY_HAND]
    for lim in limits:
        if lim.source not in cat.sources:
            problems.append(f"{lim.kind.value}: unknown source {lim.source!r}")
        if not lim.reason.strip():
            problems.append(f"{lim.kind.value}: a limit needs its reason")
        if lim.sets.low < 1 or lim.reps.low < 1:
            problems.append(f"{lim.kind.value}: at least one set of at least one repetition")
        for ex in cat:
            if ex.kind != lim.kind:
                continue
            if (widest := dose_minutes(ex, {}, "high")) > lim.minutes:
                problems.append(f"{lim.kind.value}: minutes {lim.minutes} does not hold {ex.slug}'s widest dose "
                                f"({widest:.1f} minutes)")
            for name in FIELDS:
                own, wide = getattr(ex.dose, name), getattr(lim, name)
                if own.low < wide.low or own.high > wide.high:
                    problems.append(f"{lim.kind.value}: {name} [{wide.low}, {wide.high}] does not hold the range "
                                    f"[{own.low}, {own.high}] of {ex.slug}")
    return problems


def load_limits(directory: Path = DIR, cat: Catalog | None = None) -> dict[Kind, Limit]:
    try:
        with (directory / "coach_limits.toml").open("rb") as fh:
            rows = tomllib.load(fh).get("limit", [])
        limits = [Limit.model_validate(row) for row in rows]
    except (tomllib.TOMLDecodeError, ValidationError) as exc:
        raise KnowledgeError(f"coach_limits.toml: {exc}") from exc
    problems = _check(limits, cat or catalog())
    if problems:
        raise KnowledgeError("coach_limits.toml: " + "; ".join(problems))
    return {lim.kind: lim for lim in limits}


@cache
def coach_limits() -> dict[Kind, Limit]:
    """The packaged limits, loaded once per process."""
    return load_limits()
