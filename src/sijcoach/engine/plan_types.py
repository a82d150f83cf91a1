"""The engine's outputs: triage, assessment and plan, as frozen dataclasses (the JSON contract)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from sijcoach.engine.vocab import Group, Side


class TriageLevel(StrEnum):
    NONE = "none"
    SEE_DOCTOR_SOON = "see_doctor_soon"
    URGENT = "urgent"
    EMERGENCY = "emergency"


class Pattern(StrEnum):
    STIFF = "stiff"
    UNSTABLE = "unstable"
    MIXED = "mixed"
    UNCLEAR = "unclear"


class Phase(StrEnum):
    ACUTE = "acute"
    SUBACUTE = "subacute"
    CHRONIC = "chronic"


class RoutineKind(StrEnum):
    RELIEF = "relief"
    ALIGNMENT = "alignment"
    STRENGTH = "strength"
    WALK = "walk"


class ChangeKind(StrEnum):
    SWAP = "swap"
    LOWER_DOSE = "lower_dose"
    LOWER_SESSION = "lower_session"
    PROGRESS_DOSE = "progress_dose"
    PROGRESS_VARIANT = "progress_variant"
    FLARE_UP = "flare_up"
    RETRY = "retry"  # an exercise that hurt long enough ago is offered again
    RESCHEDULE = "reschedule"  # a planned strength session was not logged: it moves on
    PHASE = "phase"  # the programme moved to another phase
    SEE_PROFESSIONAL = "see_professional"
    COACH = "coach"  # a coach's pin, leaving out or dose (engine/adjust.py)


@dataclass(frozen=True, slots=True)
class Reason:
    id: str
    text: str
    source: str


@dataclass(frozen=True, slots=True)
class Triage:
    level: TriageLevel
    reasons: tuple[Reason, ...]
    action: str
    gentle: bool = False  # the plan keeps to beginner exercises until a professional has seen the person
    notes: tuple[str, ...] = ()  # answers that did not fit together, and how they were read
    heading: str = ""  # the leading signs' own heading, when they share one (else the level's words)


@dataclass(frozen=True, slots=True)
class MusclePair:
    tight: Group
    weak: tuple[Group, ...]
    why: str
    source: str


@dataclass(frozen=True, slots=True)
class Assessment:
    pattern: Pattern
    plans_as: Pattern  # stiff or unstable: what the plan is built for
    reasons: tuple[str, ...]
    caveat: str
    side: str
    phase: Phase
    pregnancy_stage: str  # none, first_trimester, after_first_trimester, postpartum_early, postpartum
    hypermobile: bool
    hypermobility_reasons: tuple[str, ...]
    distortion: str
    tight_weak: tuple[MusclePair, ...]
    weak_groups: tuple[Group, ...]


@dataclass(frozen=True, slots=True)
class Advice:
    topic: str
    text: str
    source: str


@dataclass(frozen=True, slots=True)
class PlanItem:
    exercise: str
    name: str
    side: Side
    sets: int
    reps: int
    hold_s: int
    rest_s: int
    rep_s: int
    minutes: float
    groups: tuple[Group, ...]
    why: str
    source: str
    condition: str | None = None  # when set, the step is done only if this holds (protocol branch)
    dose_by: str | None = None  # who set the dose, in words shown after it: "set by your coach"
    cue: str | None = None  # the coach's note on this exercise, shown beside its steps


@dataclass(frozen=True, slots=True)
class Routine:
    kind: RoutineKind
    title: str
    minutes: float
    items: tuple[PlanItem, ...]
    times_per_day: int = 1
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Day:
    date: dt.date
    routines: tuple[Routine, ...]
    minutes: float  # the day's total: each routine's minutes times its rounds
    notes: tuple[str, ...] = ()
    week: int = 1  # the programme's week this day falls in (week 1 begins on the programme's first day)
    phase: str = "learn_and_activate"  # learn_and_activate, build_strength or function_and_upkeep


@dataclass(frozen=True, slots=True)
class Programme:
    """Where the person is in their programme on the plan's first day, and why."""

    start: dt.date  # the programme's first day: the first logged session or check-in
    week: int
    phase: str  # learn_and_activate, build_strength, function_and_upkeep
    title: str  # "Week 3: building strength"
    why: str


@dataclass(frozen=True, slots=True)
class Change:
    kind: ChangeKind
    reason: str
    source: str
    exercise: str | None = None
    replacement: str | None = None
    date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    start: dt.date
    triage: Triage
    assessment: Assessment | None
    advice: tuple[Advice, ...]
    days: tuple[Day, ...]
    changes: tuple[Change, ...]
    warnings: tuple[str, ...]
    programme: Programme | None = None
    disclaimer: str = field(
        default=(
            "SI Joint Coach gives general exercise guidance from your answers. It is not a diagnosis "
            "and does not replace a doctor or physiotherapist. Stop and seek help if you feel worse."
        )
    )
