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
from sijcoach.engine.plan_types import RoutineKind
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
    LONG_TERM_STEROIDS = "long_term_steroids"  # weakens bone like osteoporosis (fracture screen)


class DistortionSide(StrEnum):
    LEFT = "left"
    RIGHT = "right"


class Birth(StrEnum):
    VAGINAL = "vaginal"
    CAESAREAN = "caesarean"
    UNKNOWN = "unknown"


class InflammatorySign(StrEnum):
    """Signs of inflammatory back pain (NICE NG65), asked at check-in."""

    MORNING_STIFFNESS = "morning_stiffness"  # more than 30 minutes
    BETTER_WITH_MOVEMENT = "better_with_movement"  # and not with rest
    WAKES_SECOND_HALF_OF_NIGHT = "wakes_second_half_of_night"
    ALTERNATING_BUTTOCK_PAIN = "alternating_buttock_pain"
    FAMILY_HISTORY = "family_history"  # of spondyloarthritis




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
    PREGNANCY_EMERGENCY_SIGN = "pregnancy_emergency_sign"
    # urgent
    FEVER_OR_UNWELL = "fever_or_unwell"
    UNEXPLAINED_WEIGHT_LOSS = "unexplained_weight_loss"
    BACK_LUMP_OR_DEFORMITY = "back_lump_or_deformity"
    UNRELENTING_NIGHT_PAIN = "unrelenting_night_pain"
    INFECTION_RISK = "infection_risk"
    ONE_LEG_WEAKNESS_OR_NUMBNESS_NEW = "one_leg_weakness_or_numbness_new"
    PREGNANCY_MATERNITY_SIGN = "pregnancy_maternity_sign"  # the maternity unit or midwife now
    PREGNANCY_WARNING_SIGN = "pregnancy_warning_sign"  # retired (split in two); still honoured
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


POSTPARTUM_WEEKS_MAX = 104  # two years after the birth
POSTNATAL_CHECK_WEEKS = 6  # the postnatal check comes 6-8 weeks after the birth: not said done before
PREGNANT_WEEKS_MAX = 43
RECENTLY_PREGNANT_WEEKS = 52  # the year after a birth, while the pelvis may still be loosened by the pregnancy
DAYS_PER_YEAR = 365.25


class Profile(_Input):
    answered_on: Annotated[dt.date, AfterValidator(_plausible_date)] | None = Field(
        default=None,
        description="the day these answers describe: onset_days_ago, pregnancy_weeks and pain_now count "
        "from it (empty: the plan's first day)",
    )
    age: int = Field(ge=12, le=110)
    sex: Sex = Sex.UNSPECIFIED
    pregnancy: Pregnancy = Pregnancy.NONE
    pregnancy_weeks: int | None = Field(
        default=None, ge=0, le=POSTPARTUM_WEEKS_MAX,
        description="weeks pregnant (0-43), or weeks since the birth when postpartum (0-104)",
    )
    birth: Birth = Field(default=Birth.UNKNOWN, description="how the baby was born, when postpartum")
    postnatal_check_done: bool = Field(
        default=False, description="after a caesarean (or a birth whose kind is not given): the postnatal check "
        "(6-8 weeks after the birth) has been done and cleared a return to harder exercise; until then, loaded "
        "tummy and hip-hinge work waits, whatever the weeks",
    )
    sore_side: SoreSide = SoreSide.UNSURE
    pain_now: Pain
    onset_days_ago: int = Field(ge=0, le=36500, description="days since this episode of pain began")
    cause: Cause = Cause.UNKNOWN
    fracture_ruled_out: bool = Field(
        default=False, description="a doctor has ruled out a fracture since the fall or accident"
    )
    inflammatory_signs: Annotated[tuple[InflammatorySign, ...], AfterValidator(_unique)] = ()
    red_flags: Annotated[tuple[RedFlag, ...], AfterValidator(_unique)] = ()
    history: Annotated[tuple[History, ...], AfterValidator(_unique)] = ()
    hypermobility_answers: tuple[bool | None, ...] | None = Field(
        default=None, min_length=5, max_length=5,
        description="the five answers of the hypermobility questionnaire, in order: true (yes), false (no) or "
        "null (not sure); scored on the answered ones",
    )
    beighton_score: int | None = Field(default=None, ge=0, le=9, description="measured by a professional")
    distortion: Distortion = Distortion.NONE
    distortion_side: DistortionSide | None = Field(
        default=None, description="the side of an inflare or outflare, when it is not simply the sore side"
    )
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
    def _plausible(self):
        if self.pregnancy_weeks is not None and self.pregnancy == Pregnancy.NONE:
            raise PydanticCustomError(
                "weeks_without_pregnancy",
                "pregnancy_weeks is only meaningful when pregnancy is 'pregnant' or 'postpartum'",
            )
        if self.pregnancy == Pregnancy.PREGNANT and (self.pregnancy_weeks or 0) > PREGNANT_WEEKS_MAX:
            raise PydanticCustomError(
                "pregnancy_weeks_range", "pregnancy_weeks while pregnant must be 0 to 43"
            )
        if self.postnatal_check_done and (self.pregnancy != Pregnancy.POSTPARTUM or self.birth == Birth.VAGINAL):
            raise PydanticCustomError(
                "postnatal_check_not_asked",
                "postnatal_check_done is asked only after a caesarean or a birth not described (pregnancy "
                "'postpartum', birth 'caesarean' or 'unknown')",
            )
        if self.postnatal_check_done and self.pregnancy_weeks is not None and self.pregnancy_weeks < POSTNATAL_CHECK_WEEKS:
            raise PydanticCustomError(
                "postnatal_check_too_early",
                "postnatal_check_done at {weeks} weeks after the birth: the postnatal check comes 6-8 weeks after "
                "it; answer true once it has given the all-clear",
                {"weeks": self.pregnancy_weeks},
            )
        if self.onset_days_ago > self.age * DAYS_PER_YEAR:
            raise PydanticCustomError(
                "onset_before_birth",
                "onset_days_ago ({days}) is longer ago than your age ({age} years): the pain cannot have begun "
                "before you were born",
                {"days": self.onset_days_ago, "age": self.age},
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
    swapped_from: Slug | None = Field(
        default=None, description="the exercise this one stood in for in the session (after \"this hurts\"): "
        "the plan keeps that stand-in, where it still suits the person")


class SessionLog(_Input):
    date: dt.date
    routine: RoutineKind | None = Field(
        default=None,
        description="which routine this session was; without it, a session counts as strength only when "
        "it holds an exercise of kind strength",
    )
    pain_before: Pain | None = None
    pain_after: Pain | None = None
    pain_next_day: Pain | None = Field(default=None, description="pain on waking the next morning")
    joint_went_out: bool = False
    items: tuple[LoggedItem, ...] = ()


def recently_pregnant(profile: Profile) -> bool:
    """A birth in the last year; weeks since the birth not given count as within it (the safer reading)."""
    return profile.pregnancy == Pregnancy.POSTPARTUM and (
        profile.pregnancy_weeks is None or profile.pregnancy_weeks <= RECENTLY_PREGNANT_WEEKS)


def profile_on(profile: Profile, day: dt.date) -> Profile:
    """The answers as they stand on `day`: days since onset and weeks of pregnancy (or since the birth)
    move on from the day they were given (`answered_on`). Pain now stays the last pain given."""
    passed = (day - profile.answered_on).days if profile.answered_on is not None else 0
    update: dict = {"answered_on": day}
    if passed > 0:
        update["onset_days_ago"] = min(36500, profile.onset_days_ago + passed)
        if profile.pregnancy_weeks is not None:
            limit = PREGNANT_WEEKS_MAX if profile.pregnancy == Pregnancy.PREGNANT else POSTPARTUM_WEEKS_MAX
            update["pregnancy_weeks"] = min(limit, profile.pregnancy_weeks + passed // 7)
    return profile.model_copy(update=update)
