"""Assessment: the likely pattern inferred from history, the phase, side, pregnancy stage and muscle balance."""

from __future__ import annotations

from sijcoach.engine.catalog import catalog
from sijcoach.engine.guidance import library
from sijcoach.engine.plan_types import Assessment, MusclePair, Pattern, Phase
from sijcoach.engine.profile import Cause, History, Pregnancy, Profile, recently_pregnant
from sijcoach.engine.questionnaires import score_hypermobility
from sijcoach.engine.screening import fall_with_weak_bones
from sijcoach.engine.vocab import Group

CAVEAT = (
    "This pattern is an inference from your history, not a finding: SI joint movement is only a few "
    "degrees and cannot be judged by feel, even by a professional's hands (European guidelines on pelvic "
    "girdle pain). When signs of both patterns are present the plan is built for stability, the safer choice."
)

_STIFF_HISTORY = {
    History.SEDENTARY: "you sit a lot (little movement stiffens the joint)",
    History.PERSISTENT_LOW_BACK_PAIN: "long-standing low back pain",
    History.FALL_ON_BUTTOCKS: "a fall onto the buttocks (a heavy impact on the sacrum)",
    History.ARTHRITIS: "arthritis",
}
_UNSTABLE_HISTORY = {
    History.VERY_FLEXIBLE: "you are very flexible",
    History.CONNECTIVE_TISSUE_DISORDER: "a connective tissue disorder",
    History.JOINT_GOES_OUT: "the joint 'goes out'",
}
ACUTE_DAYS = 2
SUBACUTE_DAYS = 84  # 12 weeks
FIRST_TRIMESTER_WEEKS = 13
POSTPARTUM_EARLY_WEEKS = 6


def phase_for(days_since_onset: int) -> Phase:
    if days_since_onset <= ACUTE_DAYS:
        return Phase.ACUTE
    return Phase.SUBACUTE if days_since_onset <= SUBACUTE_DAYS else Phase.CHRONIC


def beighton_threshold(age: int) -> int:
    # 2017 hEDS criteria: >= 6 before puberty, >= 5 for adults to 50, >= 4 over 50.
    # "Before puberty" is approximated as under 14 here (the profile holds no puberty answer).
    if age < 14:
        return 6
    return 5 if age <= 50 else 4


def hypermobility(profile: Profile) -> tuple[bool, tuple[str, ...]]:
    """Either sign is enough: the questionnaire's answers or a measured Beighton score at the threshold.
    When they disagree (the answers suggest it, a measured score does not), the plan keeps to the safer
    reading, and the reasons say so."""
    reasons = []
    threshold, measured = beighton_threshold(profile.age), profile.beighton_score
    if profile.hypermobility_answers is not None:
        score = score_hypermobility(profile.hypermobility_answers)
        if score.suggests_hypermobility:
            reasons.append(score.explanation)
            if measured is not None and measured < threshold:
                reasons.append(f"A measured Beighton score of {measured} (under {threshold} for your age) does not "
                               "confirm it; the plan keeps to the safer reading, as the answers suggest.")
    if measured is not None and measured >= threshold:
        reasons.append(f"Beighton score {measured} (at or above {threshold} for your age)")
    return bool(reasons), tuple(reasons)


def pregnancy_stage(profile: Profile) -> str:
    weeks = profile.pregnancy_weeks
    if profile.pregnancy == Pregnancy.PREGNANT:
        # Unknown weeks: assume after the first trimester, the stage with more restrictions.
        return "first_trimester" if weeks is not None and weeks < FIRST_TRIMESTER_WEEKS else "after_first_trimester"
    if profile.pregnancy == Pregnancy.POSTPARTUM:
        return "postpartum" if weeks is not None and weeks >= POSTPARTUM_EARLY_WEEKS else "postpartum_early"
    return "none"


def _pattern(profile: Profile, hypermobile: bool) -> tuple[Pattern, list[str]]:
    stiff = [text for h, text in _STIFF_HISTORY.items() if h in profile.history]
    # A fall that may have cracked a bone (weak bones, age 70+) says nothing about a stiff joint.
    if (profile.cause == Cause.FALL and History.FALL_ON_BUTTOCKS not in profile.history
            and not fall_with_weak_bones(profile)):
        stiff.append("the pain began with a fall")
    unstable = [text for h, text in _UNSTABLE_HISTORY.items() if h in profile.history]
    if profile.pregnancy == Pregnancy.PREGNANT:
        unstable.append("pregnancy (hormones loosen the pelvic ligaments)")
    elif recently_pregnant(profile):
        unstable.append("a recent pregnancy")
    elif profile.cause == Cause.PREGNANCY:
        unstable.append("the pain began with a pregnancy")
    if hypermobile:
        unstable.append("signs of joint hypermobility")
    if stiff and unstable:
        pattern = Pattern.MIXED
    elif stiff:
        pattern = Pattern.STIFF
    elif unstable:
        pattern = Pattern.UNSTABLE
    else:
        pattern = Pattern.UNCLEAR
    reasons = [f"Suggests a stiff joint: {t}." for t in stiff] + [f"Suggests a loose joint: {t}." for t in unstable]
    if pattern == Pattern.MIXED:
        reasons.append("Signs point both ways, so the plan favours stability, the safer choice.")
    elif pattern == Pattern.UNCLEAR:
        reasons.append(
            "Nothing in your history points either way, so the plan leaves out moves that could destabilise the pelvis."
        )
    return pattern, reasons


def _tight_weak(profile: Profile) -> tuple[tuple[MusclePair, ...], tuple[Group, ...]]:
    lib = library()
    cat = catalog()
    pairs: dict[Group, MusclePair] = {}
    weak: list[Group] = []
    distortion = lib.distortions.get(profile.distortion.value)
    if distortion:
        for tight in distortion.tight:
            pairs[tight] = MusclePair(tight, distortion.weak, distortion.why, cat.source_title(distortion.source))
        weak.extend(distortion.weak)
    for group in profile.tight_muscles:
        pair = lib.pairs.get(group)
        if pair and group not in pairs:
            why = (
                f"Tight {group.value.replace('_', ' ')}: stretch for short-term relief"
                + (f"; strengthen {', '.join(g.value.replace('_', ' ') for g in pair.weak)} for lasting balance."
                   if pair.weak else ".")
            )
            pairs[group] = MusclePair(group, pair.weak, why, cat.source_title(pair.source))
            weak.extend(pair.weak)
    return tuple(pairs.values()), tuple(dict.fromkeys(weak))


def assess(profile: Profile) -> Assessment:
    hypermobile, hyper_reasons = hypermobility(profile)
    pattern, reasons = _pattern(profile, hypermobile)
    pairs, weak = _tight_weak(profile)
    return Assessment(
        pattern=pattern,
        plans_as=Pattern.STIFF if pattern == Pattern.STIFF else Pattern.UNSTABLE,
        reasons=tuple(reasons),
        caveat=CAVEAT,
        side=profile.sore_side.value,
        phase=phase_for(profile.onset_days_ago),
        pregnancy_stage=pregnancy_stage(profile),
        hypermobile=hypermobile,
        hypermobility_reasons=hyper_reasons,
        distortion=profile.distortion.value,
        tight_weak=pairs,
        weak_groups=weak,
    )
