"""The exercise catalog: its model, loading plus validating the TOML knowledge base, and filtering it."""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sijcoach.engine.vocab import (
    Difficulty,
    Equipment,
    Group,
    Kind,
    PILLARS,
    STRENGTH_KINDS,
    Laterality,
    Position,
    Situation,
)
from sijcoach.knowledge import DIR as KNOWLEDGE_DIR


class KnowledgeError(Exception):
    """The curated knowledge base is inconsistent; raised at load, never at plan time."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Range(_Strict):
    """An inclusive range; `low` is the starting dose, `high` the most it progresses to."""

    low: int = Field(ge=0)
    high: int = Field(ge=0)

    @model_validator(mode="before")
    @classmethod
    def _from_pair(cls, value):
        if isinstance(value, list | tuple):
            if len(value) != 2:
                raise ValueError("a range is written [low, high]")
            return {"low": value[0], "high": value[1]}
        if isinstance(value, int):
            return {"low": value, "high": value}
        return value

    @model_validator(mode="after")
    def _ordered(self):
        if self.low > self.high:
            raise ValueError(f"low {self.low} is above high {self.high}")
        return self

    def __str__(self) -> str:
        """"3" or "8-15", as a dose or a limit is printed."""
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"


class Dose(_Strict):
    """How much of an exercise is done. Time per side = sets x reps x (rep_s + hold_s) + sets x rest_s."""

    sets: Range
    reps: Range
    hold_s: Range = Range(low=0, high=0)
    rest_s: Range = Range(low=0, high=0)
    rep_s: int = Field(default=3, ge=0, le=60, description="seconds one repetition takes, hold excluded")
    per_side: bool = False
    times_per_day: Range = Range(low=1, high=1)


class Source(_Strict):
    id: str
    title: str
    kind: str  # article, guideline, study, practice
    note: str = ""


class Exercise(_Strict):
    slug: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name: str
    other_names: tuple[str, ...] = ()
    kind: Kind
    difficulty: Difficulty
    groups: tuple[Group, ...] = Field(min_length=1)
    secondary_groups: tuple[Group, ...] = ()
    stretches: tuple[str, ...] = ()  # muscles stretched, in plain words
    equipment: tuple[Equipment, ...] = ()
    position: Position
    laterality: Laterality
    dose: Dose
    steps: tuple[str, ...] = Field(min_length=2)
    feel: str
    mistakes: tuple[str, ...] = Field(min_length=1)
    stop_if: tuple[str, ...] = Field(min_length=1)
    regression: str | None = None
    progression: str | None = None
    unsuitable_for: tuple[Situation, ...] = ()
    cautions: tuple[str, ...] = ()
    source: str
    priority: int = Field(default=50, ge=0, le=100, description="lower is chosen first among equals")

    @model_validator(mode="after")
    def _consistent(self):
        if self.dose.per_side != (self.laterality != Laterality.BILATERAL):
            raise ValueError("dose.per_side must be true exactly when laterality is not bilateral")
        if self.dose.hold_s.high == 0 and self.dose.rep_s == 0:
            raise ValueError("a repetition must take time: set rep_s or hold_s")
        return self

    @property
    def is_pillar_work(self) -> bool:
        return self.kind in STRENGTH_KINDS and any(g in PILLARS for g in self.groups)


class Catalog:
    """All exercises and sources, cross-checked. Immutable once built."""

    def __init__(self, exercises: list[Exercise], sources: list[Source]):
        self.sources = {s.id: s for s in sources}
        self.exercises: dict[str, Exercise] = {}
        problems = []
        for ex in exercises:
            if ex.slug in self.exercises:
                problems.append(f"exercise {ex.slug}: slug appears twice")
            self.exercises[ex.slug] = ex
        for ex in exercises:
            if ex.source not in self.sources:
                problems.append(f"exercise {ex.slug}: unknown source {ex.source!r}")
            for field in ("regression", "progression"):
                target = getattr(ex, field)
                if target is not None and target not in self.exercises:
                    problems.append(f"exercise {ex.slug}: {field} {target!r} is not an exercise")
                if target == ex.slug:
                    problems.append(f"exercise {ex.slug}: {field} points to itself")
        if problems:
            raise KnowledgeError("; ".join(problems))
        self.slugs = tuple(sorted(self.exercises))

    def __getitem__(self, slug: str) -> Exercise:
        return self.exercises[slug]

    def __contains__(self, slug: str) -> bool:
        return slug in self.exercises

    def __iter__(self):
        return iter(self.exercises.values())

    def __len__(self) -> int:
        return len(self.exercises)

    def source_title(self, source_id: str) -> str:
        return self.sources[source_id].title

    def closest(self, slug: str) -> str | None:
        match = difflib.get_close_matches(slug, self.slugs, n=1, cutoff=0.5)
        return match[0] if match else None


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeError(f"{path.name}: {exc}") from exc


def load_catalog(directory: Path = KNOWLEDGE_DIR) -> Catalog:
    """Read every exercise file and the sources, validating each entry; fail loudly on any error."""
    sources = [Source(**row) for row in _read(directory / "sources.toml").get("source", [])]
    exercises = []
    problems = []
    for path in sorted((directory / "exercises").glob("*.toml")):
        for index, row in enumerate(_read(path).get("exercise", [])):
            try:
                exercises.append(Exercise.model_validate(row))
            except ValidationError as exc:
                label = row.get("slug", f"entry {index + 1}")
                for err in exc.errors():
                    where = ".".join(str(p) for p in err["loc"])
                    problems.append(f"{path.name}: {label}: {where}: {err['msg']}")
    if problems:
        raise KnowledgeError("\n".join(problems))
    return Catalog(exercises, sources)


@cache
def catalog() -> Catalog:
    """The packaged knowledge base, loaded once per process."""
    return load_catalog()


NO_EQUIPMENT = "none"  # as the equipment filter: only exercises that need no equipment
# The realignment protocol's own corrections (engine/alignment.py), done only as its steps for a
# distortion a professional found: never offered in another exercise's place after pain.
KNEE_BRACE = "dontigny-knee-brace"
INFLARE_CORRECTION = "inflare-correction"
PROTOCOL_ONLY = frozenset({KNEE_BRACE, INFLARE_CORRECTION})


def filter_catalog(
    exercises: Iterable[Exercise],
    *,
    group: Group | str | None = None,
    kind: Kind | str | None = None,
    position: Position | str | None = None,
    equipment: Equipment | Literal["none"] | None = None,
    level: Difficulty | str | None = None,
) -> list[Exercise]:
    """The exercises that pass every filter given, easiest first, then by name: the one filter behind
    `sijcoach exercises`, the library page and `GET /api/v1/exercises`.

    `group` matches primary and secondary groups; `equipment` keeps the exercises that use it, or,
    given as "none", those that need nothing. Values are the enums or their values; a value outside
    the vocabulary raises ValueError (each front end checks its input first and names the field).
    """
    group = None if group is None else Group(group)
    kind = None if kind is None else Kind(kind)
    position = None if position is None else Position(position)
    needs_nothing = equipment == NO_EQUIPMENT
    equipment = None if equipment is None or needs_nothing else Equipment(equipment)
    level = None if level is None else Difficulty(level)
    found = [
        ex for ex in exercises
        if (group is None or group in ex.groups or group in ex.secondary_groups)
        and (kind is None or ex.kind == kind)
        and (position is None or ex.position == position)
        and (equipment is None or equipment in ex.equipment)
        and (not needs_nothing or not ex.equipment)
        and (level is None or ex.difficulty == level)
    ]
    return sorted(found, key=lambda ex: (ex.difficulty.rank, ex.name))
