"""Plain words for the engine's coded values, for forms and pages.

Each table is keyed by the members of one engine enum, in the order a form lists them; a test checks
that every member has its words. Django forms take a table as `choices` as it is.
"""

from sijcoach.engine.profile import (
    Birth, Cause, Condition, Distortion, DistortionSide, History, InflammatorySign, Intensity, Pregnancy, Sex, SoreSide,
)
from sijcoach.engine.plan_types import ChangeKind
from sijcoach.engine.vocab import Difficulty, Equipment, Group

SEX = {Sex.FEMALE: "Female", Sex.MALE: "Male", Sex.OTHER: "Other", Sex.UNSPECIFIED: "Prefer not to say"}
PREGNANCY = {Pregnancy.NONE: "No", Pregnancy.PREGNANT: "Pregnant now",
             Pregnancy.POSTPARTUM: "Gave birth in the last two years"}
SORE_SIDE = {SoreSide.LEFT: "Left", SoreSide.RIGHT: "Right", SoreSide.BOTH: "Both sides", SoreSide.UNSURE: "Not sure"}
CAUSE = {
    Cause.FALL: "A fall", Cause.LIFTING: "Lifting something", Cause.CAR_ACCIDENT: "A car accident",
    Cause.SPORT: "Sport", Cause.PREGNANCY: "Pregnancy or birth", Cause.GRADUAL: "It came on gradually",
    Cause.UNKNOWN: "I don't know",
}
HISTORY = {
    History.SEDENTARY: "I sit most of the day",
    History.PERSISTENT_LOW_BACK_PAIN: "Low-back pain for months or years",
    History.FALL_ON_BUTTOCKS: "I once fell hard onto my buttocks",
    History.ARTHRITIS: "Arthritis in the spine or pelvis",
    History.VERY_FLEXIBLE: "I am very flexible",
    History.CONNECTIVE_TISSUE_DISORDER: "A connective-tissue condition (e.g. Ehlers-Danlos)",
    History.JOINT_GOES_OUT: "My SI joint ‘goes out’ or slips",
    History.LUMBAR_FUSION: "A lumbar spinal fusion",
    History.LEG_LENGTH_DIFFERENCE: "One leg is longer than the other",
    History.SCOLIOSIS: "Scoliosis",
}
CONDITIONS = {
    Condition.SHOULDER_PROBLEM: "A shoulder problem", Condition.WRIST_PROBLEM: "A wrist problem",
    Condition.KNEE_PROBLEM: "A knee problem", Condition.OSTEOPOROSIS: "Osteoporosis",
    Condition.BALANCE_PROBLEM: "Poor balance",
    Condition.LONG_TERM_STEROIDS: "I take steroid tablets long term (e.g. prednisolone)",
}
BIRTH = {Birth.UNKNOWN: "Not sure / rather not say", Birth.VAGINAL: "Vaginal birth", Birth.CAESAREAN: "Caesarean"}
INFLAMMATORY_SIGNS = {
    InflammatorySign.MORNING_STIFFNESS: "My back is stiff for more than half an hour after getting up",
    InflammatorySign.BETTER_WITH_MOVEMENT: "Moving about eases it; resting does not",
    InflammatorySign.WAKES_SECOND_HALF_OF_NIGHT: "The pain wakes me in the second half of the night",
    InflammatorySign.ALTERNATING_BUTTOCK_PAIN: "Pain deep in the buttock that switches from one side to the other",
    InflammatorySign.FAMILY_HISTORY: "A parent, brother or sister has spondyloarthritis (e.g. ankylosing spondylitis)",
}
DISTORTION_SIDE = {DistortionSide.LEFT: "Left", DistortionSide.RIGHT: "Right"}
DISTORTION = {
    Distortion.NONE: "None found / not checked", Distortion.UNKNOWN: "Something was found, I don't know what",
    Distortion.INFLARE: "Inflare", Distortion.OUTFLARE: "Outflare", Distortion.ANTERIOR_ROTATION: "Anterior rotation",
    Distortion.POSTERIOR_ROTATION: "Posterior rotation", Distortion.UPSLIP: "Upslip",
}
DIFFICULTY = {Difficulty.BEGINNER: "Beginner", Difficulty.INTERMEDIATE: "Intermediate", Difficulty.ADVANCED: "Advanced"}
EQUIPMENT_NAMES = {e: e.value.replace("_", " ").capitalize() for e in Equipment}
# What counts, where a home has it without buying anything (a new user with "no equipment" ticked nothing).
EQUIPMENT_NAMES |= {Equipment.MAT: "Mat (or a rug or carpet)", Equipment.WALL: "Wall (any clear wall)",
                    Equipment.DOORWAY: "Doorway", Equipment.CHAIR: "Chair (a sturdy one)"}
GROUP_WORDS = {
    Group.CORE: "core", Group.BACK_OF_HIP: "back of hip", Group.LOW_BACK: "low-back stabilisers",
    Group.HIP_FLEXORS: "hip flexors", Group.HAMSTRINGS: "hamstrings", Group.ADDUCTORS: "inner thighs",
    Group.QUADRICEPS: "front of thigh", Group.QUADRATUS_LUMBORUM: "quadratus lumborum",
    Group.PIRIFORMIS: "piriformis", Group.PELVIC_FLOOR: "pelvic floor", Group.UPPER_BODY: "upper body",
}
GROUP_NAMES = {g: words.capitalize() for g, words in GROUP_WORDS.items()}


def choices(table: dict) -> list[tuple[str, str]]:
    """A table as a list of (value, words), for lists of choices built by adding to them."""
    return [(member.value, words) for member, words in table.items()]


# As lists, for the exercise library's filter form (plans/views.py), which adds "Any" in front.
GROUPS, EQUIPMENT, LEVEL = choices(GROUP_NAMES), choices(EQUIPMENT_NAMES), choices(DIFFICULTY)

# How the plan changed (Progress, the coach's client page): what kind of change, before its reason.
CHANGE_KIND = {
    ChangeKind.SWAP: "Swapped", ChangeKind.LOWER_DOSE: "Dose lowered", ChangeKind.LOWER_SESSION: "Lighter session",
    ChangeKind.PROGRESS_DOSE: "Dose raised", ChangeKind.PROGRESS_VARIANT: "Harder version",
    ChangeKind.FLARE_UP: "Flare-up", ChangeKind.RETRY: "Tried again", ChangeKind.RESCHEDULE: "Moved",
    ChangeKind.PHASE: "New phase", ChangeKind.SEE_PROFESSIONAL: "See a professional", ChangeKind.COACH: "Coach",
}

INTENSITY = {Intensity.LIGHT: "Light (a gentle walk, gardening)", Intensity.MODERATE: "Moderate (a brisk hike, a game of tennis)",
             Intensity.HIGH: "Hard (a long hike, a race, moving house)"}
