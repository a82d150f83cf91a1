"""The person's answers (the profile) and their session logs: the engine's inputs.

Both are validated strictly at the edge: unknown fields, wrong types, out-of-range values and
unknown exercise slugs are rejected with the field, the value and what is allowed.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic_core import PydanticCustomError

from sijcoach.engine.catalog import catalog
from sijcoach.engine.vocab import DEFAULT_EQUIPMENT, Difficulty, Equipment, Group, Side


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNSPECIFIED = "unspecified"


class Pregnancy(StrEnum):
    NONE = "none"
    PREGNANT = "pregnant"
    POSTPARTUM = "postpartum"


class SoreSide(StrEnum):
    LEFT = "left"
    RIGHT = "right"
    BOTH = "both"
    UNSURE = "unsure"


class Cause(StrEnum):
    FALL = "fall"
    LIFTING = "lifting"
    CAR_ACCIDENT = "car_accident"
    SPORT = "sport"
    PREGNANCY = "pregnancy"
    GRADUAL = "gradual"
    UNKNOWN = "unknown"


class History(StrEnum):
    SEDENTARY = "sedentary"
    PERSISTENT_LOW_BACK_PAIN = "persistent_low_back_pain"
    FALL_ON_BUTTOCKS = "fall_on_buttocks"
    ARTHRITIS = "arthritis"
    VERY_FLEXIBLE = "very_flexible"
    CONNECTIVE_TISSUE_DISORDER = "connective_tissue_disorder"
    JOINT_GOES_OUT = "joint_goes_out"
    LUMBAR_FUSION = "lumbar_fusion"
    LEG_LENGTH_DIFFERENCE = "leg_length_difference"
    SCOLIOSIS = "scoliosis"


class Distortion(StrEnum):
    NONE = "none"
    UNKNOWN = "unknown"
    INFLARE = "inflare"
    OUTFLARE = "outflare"
    ANTERIOR_ROTATION = "anterior_rotation"
    POSTERIOR_ROTATION = "posterior_rotation"
    UPSLIP = "upslip"


class Condition(StrEnum):
    SHOULDER_PROBLEM = "shoulder_problem"
    WRIST_PROBLEM = "wrist_problem"
    KNEE_PROBLEM = "knee_problem"
    OSTEOPOROSIS = "osteoporosis"
    BALANCE_PROBLEM = "balance_problem"


class Intensity(StrEnum):
    LIGHT = "light"
    MODERATE = "moderate"
    HIGH = "high"


class RedFlag(StrEnum):
    # emergency
    SADDLE_NUMBNESS = "saddle_numbness"
    BLADDER_BOWEL_CHANGE = "bladder_bowel_change"
    SEXUAL_DYSFUNCTION_NEW = "sexual_dysfunction_new"
    BOTH_LEGS_SYMPTOMS = "both_legs_symptoms"
    PROGRESSIVE_LEG_WEAKNESS = "progressive_leg_weakness"
    MAJOR_TRAUMA = "major_trauma"
    CHEST_PAIN = "chest_pain"
    # urgent
    FEVER_OR_UNWELL = "fever_or_unwell"
    UNEXPLAINED_WEIGHT_LOSS = "unexplained_weight_loss"
    BACK_LUMP_OR_DEFORMITY = "back_lump_or_deformity"
    UNRELENTING_NIGHT_PAIN = "unrelenting_night_pain"
    INFECTION_RISK = "infection_risk"
    ONE_LEG_WEAKNESS_OR_NUMBNESS_NEW = "one_leg_weakness_or_numbness_new"
    PREGNANCY_WARNING_SIGN = "pregnancy_warning_sign"
    # see a doctor soon
    HISTORY_OF_CANCER = "history_of_cancer"
    OSTEOPOROSIS_MINOR_FALL = "osteoporosis_minor_fall"
    PAIN_TOO_SEVERE = "pain_too_severe"
    MOBILITY_DRASTICALLY_REDUCED = "mobility_drastically_reduced"
    GAIT_CHANGE = "gait_change"
    NO_IMPROVEMENT_6_WEEKS = "no_improvement_6_weeks"
    KEEPS_GOING_OUT = "keeps_going_out"


class Effort(StrEnum):
    EASY = "easy"
    OK = "ok"
    HARD = "hard"


def _known_slug(slug: str) -> str:
    cat = catalog()
    if slug not in cat:
        closest = cat.closest(slug)
        hint = f"; did you mean {closest!r}?" if closest else ""
        raise PydanticCustomError(
            "unknown_exercise",
            "unknown exercise '{slug}'{hint}",
            {"slug": slug, "hint": hint, "closest": closest or ""},
        )
    return slug


Slug = Annotated[str, AfterValidator(_known_slug)]
Pain = Annotated[int, Field(ge=0, le=10, description="0 = no pain, 10 = worst imaginable")]


def _unique(values: tuple) -> tuple:
    # Repeats carry no meaning; keep the first of each, in order, so plans stay deterministic.
    return tuple(dict.fromkeys(values))


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


# Plain text: no control characters (PostgreSQL refuses NUL, and nothing a person types needs them).
Text = Annotated[str, Field(pattern=r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$")]


def _plausible_date(value: dt.date) -> dt.date:
    if not 1900 <= value.year <= 2999:
        raise PydanticCustomError("date_range", "the date must be between 1900-01-01 and 2999-12-31")
    return value


class PlannedActivity(_Input):
    date: Annotated[dt.date, AfterValidator(_plausible_date)]
    kind: Text = Field(min_length=1, max_length=80, description="e.g. hike, tennis, moving house")
    intensity: Intensity


class Profile(_Input):
    age: int = Field(ge=12, le=110)
    sex: Sex = Sex.UNSPECIFIED
    pregnancy: Pregnancy = Pregnancy.NONE
    pregnancy_weeks: int | None = Field(
        default=None, ge=0, le=104, description="weeks pregnant (0-43), or weeks since the birth when postpartum (0-104)"
    )
    sore_side: SoreSide = SoreSide.UNSURE
    pain_now: Pain
    onset_days_ago: int = Field(ge=0, le=36500, description="days since this episode of pain began")
    cause: Cause = Cause.UNKNOWN
    red_flags: Annotated[tuple[RedFlag, ...], AfterValidator(_unique)] = ()
    history: Annotated[tuple[History, ...], AfterValidator(_unique)] = ()
    hypermobility_answers: tuple[bool, ...] | None = Field(
        default=None, min_length=5, max_length=5, description="the five yes/no answers of the hypermobility questionnaire, in order"
    )
    beighton_score: int | None = Field(default=None, ge=0, le=9, description="measured by a professional")
    distortion: Distortion = Distortion.NONE
    tight_muscles: Annotated[tuple[Group, ...], AfterValidator(_unique)] = ()
    conditions: Annotated[tuple[Condition, ...], AfterValidator(_unique)] = ()
    equipment: Annotated[tuple[Equipment, ...], AfterValidator(_unique)] = DEFAULT_EQUIPMENT
    level: Difficulty = Difficulty.BEGINNER
    minutes_per_day: int = Field(default=20, ge=10, le=120)
    strength_days_per_week: int = Field(
        default=3, ge=0, le=4, description="at most 4: strength days are never on consecutive days"
    )
    avoid: Annotated[tuple[Slug, ...], AfterValidator(_unique)] = ()
    planned_activities: tuple[PlannedActivity, ...] = ()

    @model_validator(mode="after")
    def _weeks_need_pregnancy(self):
        if self.pregnancy_weeks is not None and self.pregnancy == Pregnancy.NONE:
            raise PydanticCustomError(
                "weeks_without_pregnancy",
                "pregnancy_weeks is only meaningful when pregnancy is 'pregnant' or 'postpartum'",
            )
        if self.pregnancy == Pregnancy.PREGNANT and (self.pregnancy_weeks or 0) > 43:
            raise PydanticCustomError(
                "pregnancy_weeks_range", "pregnancy_weeks while pregnant must be 0 to 43"
            )
        return self


class LoggedItem(_Input):
    exercise: Slug
    side: Side = Side.NONE
    sets_done: int = Field(default=0, ge=0, le=50)
    reps_done: int = Field(default=0, ge=0, le=500)
    hold_s_done: int = Field(default=0, ge=0, le=7200)
    pain: Pain | None = None
    effort: Effort | None = None
    skipped: bool = False


class SessionLog(_Input):
    date: dt.date
    pain_before: Pain | None = None
    pain_after: Pain | None = None
    pain_next_day: Pain | None = Field(default=None, description="pain on waking the next morning")
    joint_went_out: bool = False
    items: tuple[LoggedItem, ...] = ()
