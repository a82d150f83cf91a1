"""Plain words for the engine's coded values, for forms and pages."""

from sijcoach.engine.vocab import Equipment, Group

SEX = [("female", "Female"), ("male", "Male"), ("other", "Other"), ("unspecified", "Prefer not to say")]
PREGNANCY = [("none", "No"), ("pregnant", "Pregnant now"), ("postpartum", "Gave birth in the last two years")]
SORE_SIDE = [("left", "Left"), ("right", "Right"), ("both", "Both sides"), ("unsure", "Not sure")]
CAUSE = [
    ("fall", "A fall"), ("lifting", "Lifting something"), ("car_accident", "A car accident"),
    ("sport", "Sport"), ("pregnancy", "Pregnancy or birth"), ("gradual", "It came on gradually"),
    ("unknown", "I don't know"),
]
HISTORY = [
    ("sedentary", "I sit most of the day"),
    ("persistent_low_back_pain", "Low-back pain for months or years"),
    ("fall_on_buttocks", "I once fell hard onto my buttocks"),
    ("arthritis", "Arthritis in the spine or pelvis"),
    ("very_flexible", "I am very flexible"),
    ("connective_tissue_disorder", "A connective-tissue condition (e.g. Ehlers-Danlos)"),
    ("joint_goes_out", "My SI joint ‘goes out’ or slips"),
    ("lumbar_fusion", "A lumbar spinal fusion"),
    ("leg_length_difference", "One leg is longer than the other"),
    ("scoliosis", "Scoliosis"),
]
CONDITIONS = [
    ("shoulder_problem", "A shoulder problem"), ("wrist_problem", "A wrist problem"),
    ("knee_problem", "A knee problem"), ("osteoporosis", "Osteoporosis"),
    ("balance_problem", "Poor balance"),
    ("long_term_steroids", "I take steroid tablets long term (e.g. prednisolone)"),
]
BIRTH = [("unknown", "Not sure / rather not say"), ("vaginal", "Vaginal birth"), ("caesarean", "Caesarean")]
INFLAMMATORY_SIGNS = [
    ("morning_stiffness", "My back is stiff for more than half an hour after getting up"),
    ("better_with_movement", "Moving about eases it; resting does not"),
    ("wakes_second_half_of_night", "The pain wakes me in the second half of the night"),
    ("alternating_buttock_pain", "Pain deep in the buttock that switches from one side to the other"),
    ("family_history", "A parent, brother or sister has spondyloarthritis (e.g. ankylosing spondylitis)"),
]
DISTORTION_SIDE = [("", "The sore side / not told"), ("left", "Left"), ("right", "Right")]
DISTORTION = [
    ("none", "None found / not checked"), ("unknown", "Something was found, I don't know what"),
    ("inflare", "Inflare"), ("outflare", "Outflare"), ("anterior_rotation", "Anterior rotation"),
    ("posterior_rotation", "Posterior rotation"), ("upslip", "Upslip"),
]
LEVEL = [("beginner", "Beginner"), ("intermediate", "Intermediate"), ("advanced", "Advanced")]
EQUIPMENT = [(e.value, e.value.replace("_", " ").capitalize()) for e in Equipment]
GROUP_WORDS = {
    Group.CORE: "core", Group.BACK_OF_HIP: "back of hip", Group.LOW_BACK: "low-back stabilisers",
    Group.HIP_FLEXORS: "hip flexors", Group.HAMSTRINGS: "hamstrings", Group.ADDUCTORS: "inner thighs",
    Group.QUADRICEPS: "front of thigh", Group.QUADRATUS_LUMBORUM: "quadratus lumborum",
    Group.PIRIFORMIS: "piriformis", Group.PELVIC_FLOOR: "pelvic floor", Group.UPPER_BODY: "upper body",
}
GROUPS = [(g.value, GROUP_WORDS[g].capitalize()) for g in Group]


def word(choices, value) -> str:
    return dict(choices).get(value, str(value).replace("_", " "))
