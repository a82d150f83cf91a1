"""The closed vocabularies shared by knowledge, profile, logs and plan."""

import datetime as dt
from enum import StrEnum


class Group(StrEnum):
    CORE = "core"
    BACK_OF_HIP = "back_of_hip"
    LOW_BACK = "low_back"
    HIP_FLEXORS = "hip_flexors"
    HAMSTRINGS = "hamstrings"
    ADDUCTORS = "adductors"
    QUADRICEPS = "quadriceps"
    QUADRATUS_LUMBORUM = "quadratus_lumborum"
    PIRIFORMIS = "piriformis"
    PELVIC_FLOOR = "pelvic_floor"
    UPPER_BODY = "upper_body"


PILLARS = (Group.CORE, Group.BACK_OF_HIP, Group.LOW_BACK)


class Kind(StrEnum):
    RELEASE = "release"
    STRETCH = "stretch"
    MOBILIZATION = "mobilization"
    ACTIVATION = "activation"
    STRENGTH = "strength"
    STABILITY = "stability"
    YOGA = "yoga"
    CARDIO = "cardio"


# Kinds that count as strengthening work for the three pillars.
STRENGTH_KINDS = frozenset({Kind.ACTIVATION, Kind.STRENGTH, Kind.STABILITY})


class Difficulty(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"

    @property
    def rank(self) -> int:
        return _DIFFICULTY_RANK[self]


_DIFFICULTY_RANK = {Difficulty.BEGINNER: 0, Difficulty.INTERMEDIATE: 1, Difficulty.ADVANCED: 2}


class Position(StrEnum):
    SUPINE = "supine"
    PRONE = "prone"
    SIDE_LYING = "side-lying"
    QUADRUPED = "quadruped"
    KNEELING = "kneeling"
    STANDING = "standing"
    SEATED = "seated"
    ON_BALL = "on-ball"
    IN_WATER = "in-water"


class Laterality(StrEnum):
    BILATERAL = "bilateral"
    EACH_SIDE = "each-side"
    SORE_SIDE = "sore-side"
    NOT_SORE_SIDE = "not-sore-side"


class Equipment(StrEnum):
    MAT = "mat"
    WALL = "wall"
    DOORWAY = "doorway"
    CHAIR = "chair"
    SWISS_BALL = "swiss_ball"
    KETTLEBELL = "kettlebell"
    RESISTANCE_BAND = "resistance_band"
    CABLE_MACHINE = "cable_machine"
    POOL = "pool"
    MASSAGE_BALL = "massage_ball"


DEFAULT_EQUIPMENT = (Equipment.MAT, Equipment.WALL, Equipment.DOORWAY, Equipment.CHAIR)


class Situation(StrEnum):
    """Situations an exercise can be unsuitable for (its `unsuitable_for` list)."""

    UNSTABLE_PATTERN = "unstable_pattern"  # opens or shears the pelvis: wide stances, figure-4
    HYPERMOBILITY = "hypermobility"  # pushes joints to end range
    PREGNANCY = "pregnancy"  # any stage of pregnancy (NHS pelvic girdle pain advice, ACOG)
    # From the second trimester: lying flat on the back, standing on one leg (supported or not), wall
    # sits and deep squats (ACOG; NHS pelvic girdle pain advice).
    PREGNANCY_AFTER_FIRST_TRIMESTER = "pregnancy_after_first_trimester"
    POSTPARTUM_EARLY = "postpartum_early"  # first 6 weeks after birth: high abdominal pressure
    POSTPARTUM_FIRST_12_WEEKS = "postpartum_first_12_weeks"  # banded hip hinge, one-leg stance or bridge
    CAESAREAN_RECOVERY = "caesarean_recovery"  # until the postnatal check clears: loaded abdominal or hip-hinge work
    ACUTE = "acute"  # first two days after onset
    SHOULDER_PROBLEM = "shoulder_problem"
    WRIST_PROBLEM = "wrist_problem"
    KNEE_PROBLEM = "knee_problem"
    OSTEOPOROSIS = "osteoporosis"
    BALANCE_PROBLEM = "balance_problem"
    LUMBAR_FUSION = "lumbar_fusion"  # loaded end-range spinal bending or twisting


class Side(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    EACH = "each"
    BOTH = "both"
    NONE = "none"


class SchemaKind(StrEnum):
    """The documents of the JSON contract, each with a JSON Schema (engine/contract.py)."""

    PROFILE = "profile"
    LOGS = "logs"
    PLAN = "plan"
    EXERCISE = "exercise"


HALF_A_YEAR_DAYS = 182


def day_words(day: dt.date, near: dt.date | None = None) -> str:
    """A date in a sentence the person reads: "Fri 4 Dec" (the contract's date fields keep the ISO form
    for programs). Most of the engine's sentences look weeks back; one that can look further passes the
    day it is read on as `near`, and a date more than half a year from it gets its year: "Fri 4 Dec 2025"."""
    words = f"{day:%a} {day.day} {day:%b}"
    return f"{words} {day.year}" if near is not None and abs((near - day).days) > HALF_A_YEAR_DAYS else words
