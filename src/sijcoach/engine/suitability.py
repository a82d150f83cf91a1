"""What a person's situation rules out: one function decides, and always says why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from sijcoach.engine.assessment import Assessment, assess
from sijcoach.engine.catalog import Exercise
from sijcoach.engine.plan_types import Pattern
from sijcoach.engine.profile import POSTNATAL_CHECK_WEEKS, Birth, Condition, History, Pregnancy, Profile, profile_on
from sijcoach.engine.screening import fracture_why
from sijcoach.engine.vocab import Difficulty, Equipment, Position, Situation

POSTPARTUM_BUILD_UP_WEEKS = 12  # harder work builds up over the first twelve weeks after the birth
BREATHING_SLUG = "diaphragmatic-breathing"
WALK_SLUG = "walking"
# While a fracture is suspected (clinical-notes 2): slow breathing and short comfortable walks only.
FRACTURE_ALLOWED = frozenset({BREATHING_SLUG, WALK_SLUG})

SITUATION_WHY = {
    Situation.UNSTABLE_PATTERN: "it opens or shears the pelvis, which a loose or uncertain joint should avoid",
    Situation.HYPERMOBILITY: "it takes joints to the end of their range, which hypermobile joints should avoid",
    Situation.PREGNANCY: "it is not advised in pregnancy (pressure on the belly, such as both knees pulled in "
    "or a sit-up hold; wide or one-legged stances; lying face down; deep squats; heavy or uneven loads)",
    Situation.PREGNANCY_AFTER_FIRST_TRIMESTER: "it is done lying flat on the back, which is best avoided "
    "after the first three months of pregnancy",
    Situation.POSTPARTUM_EARLY: "it puts high pressure on the abdomen, too much in the first six weeks after birth",
    Situation.POSTPARTUM_FIRST_12_WEEKS: "it loads the pelvis on one leg or through a loaded hip hinge, which "
    "waits until twelve weeks after the birth",
    Situation.CAESAREAN_RECOVERY: "it loads the abdomen or the hip hinge, which after a caesarean waits until a "
    "check-in says the postnatal check (6-8 weeks after the birth) has given the all-clear",
    Situation.ACUTE: "it is too demanding for the first two days after the pain started",
    Situation.SHOULDER_PROBLEM: "it loads the shoulders, and you have a shoulder problem",
    Situation.WRIST_PROBLEM: "it puts weight on the hands, and you have a wrist problem",
    Situation.KNEE_PROBLEM: "it needs kneeling or deep knee bending, and you have a knee problem",
    Situation.OSTEOPOROSIS: "it bends the spine fully forward (both knees hugged to the chest, a forward fold) or twists "
    "or bends it under load, which osteoporosis makes risky",
    Situation.BALANCE_PROBLEM: "it needs good balance on one leg or an unstable stance",
    Situation.LUMBAR_FUSION: "it bends or twists the low back to its end range, which a lumbar fusion rules out",
}

# Short names for the situations, for lists ("Not for: ...").
SITUATION_WORDS = {
    Situation.UNSTABLE_PATTERN: "a loose or uncertain SI joint",
    Situation.HYPERMOBILITY: "hypermobile joints",
    Situation.PREGNANCY: "pregnancy",
    Situation.PREGNANCY_AFTER_FIRST_TRIMESTER: "pregnancy after the first three months",
    Situation.POSTPARTUM_EARLY: "the first six weeks after a birth",
    Situation.POSTPARTUM_FIRST_12_WEEKS: "the first twelve weeks after a birth",
    Situation.CAESAREAN_RECOVERY: "the weeks after a caesarean, before the postnatal check",
    Situation.ACUTE: "the first two days after the pain began",
    Situation.SHOULDER_PROBLEM: "a shoulder problem",
    Situation.WRIST_PROBLEM: "a wrist problem",
    Situation.KNEE_PROBLEM: "a knee problem",
    Situation.OSTEOPOROSIS: "osteoporosis or long-term steroids",
    Situation.BALANCE_PROBLEM: "poor balance",
    Situation.LUMBAR_FUSION: "a lumbar fusion",
}

# Later pregnancy rules out more than lying on the back; the reason names what this exercise does.
_LATER_PREGNANCY_WHY = {  # by the exercise's position; lying on the back (SITUATION_WHY) otherwise
    Position.PRONE: "it is done face down or in a plank over the bump, which is best avoided after the first "
    "three months of pregnancy",
    Position.SIDE_LYING: "it holds your weight up on one forearm with the tummy braced (a side plank), which is "
    "best avoided after the first three months of pregnancy",
    Position.KNEELING: "it folds the body forward over the thighs, which a growing bump does not leave room for "
    "after the first three months of pregnancy",
    Position.STANDING: "it is done standing on one leg or in a low squat, which is best avoided after the "
    "first three months of pregnancy (keep your weight even on both legs)",
    Position.SEATED: "it is done standing on one leg or in a low squat, which is best avoided after the "
    "first three months of pregnancy (keep your weight even on both legs)",
}


def situation_why(situation: Situation, ex: Exercise) -> str:
    if situation == Situation.PREGNANCY_AFTER_FIRST_TRIMESTER:
        return _LATER_PREGNANCY_WHY.get(ex.position, SITUATION_WHY[situation])
    return SITUATION_WHY[situation]


_CONDITION_SITUATION = {
    Condition.SHOULDER_PROBLEM: Situation.SHOULDER_PROBLEM,
    Condition.WRIST_PROBLEM: Situation.WRIST_PROBLEM,
    Condition.KNEE_PROBLEM: Situation.KNEE_PROBLEM,
    Condition.OSTEOPOROSIS: Situation.OSTEOPOROSIS,
    Condition.BALANCE_PROBLEM: Situation.BALANCE_PROBLEM,
    Condition.LONG_TERM_STEROIDS: Situation.OSTEOPOROSIS,  # steroids thin the bones the same way
}


@dataclass(frozen=True)
class Context:
    """Everything that decides suitability on one day. Hashable, so decisions can be cached."""

    situations: frozenset[Situation]
    equipment: frozenset[Equipment]
    max_difficulty: Difficulty
    avoided: tuple[tuple[str, str], ...] = ()  # (slug, why) pairs
    gentle: bool = False  # a see-a-doctor-soon plan: beginner only, no progression to harder variants
    fracture: str | None = None  # a fracture not yet ruled out: why everything but FRACTURE_ALLOWED waits
    _avoid_map: dict = field(default=None, compare=False, hash=False, repr=False)
    _decided: dict = field(default=None, compare=False, hash=False, repr=False)  # one context, one answer

    def __post_init__(self):
        object.__setattr__(self, "_avoid_map", dict(self.avoided))
        object.__setattr__(self, "_decided", {})

    def why_not(self, ex: Exercise, earned_variant: bool = False) -> str | None:
        """None when the exercise is allowed; otherwise the reason it is left out.

        `earned_variant`: the person progressed to this harder variant from logs, which may take them
        one step above their stated level (never in a gentle plan).
        """
        key = (ex.slug, earned_variant)
        if key not in self._decided:
            self._decided[key] = self._why_not(ex, earned_variant)
        return self._decided[key]

    def _why_not(self, ex: Exercise, earned_variant: bool) -> str | None:
        if self.fracture and ex.slug not in FRACTURE_ALLOWED:
            return self.fracture  # before any other reason: it is why nothing else is planned
        if ex.slug in self._avoid_map:
            return self._avoid_map[ex.slug]
        for situation in ex.unsuitable_for:
            if situation in self.situations:
                return situation_why(situation, ex)
        missing = [e.value for e in ex.equipment if e not in self.equipment]
        if missing:
            return f"it needs equipment you do not have ({', '.join(missing)})"
        top = self.max_difficulty.rank + (1 if earned_variant and not self.gentle else 0)
        if ex.difficulty.rank > top:
            return f"it is {ex.difficulty.value}, above your current level ({self.max_difficulty.value})"
        return None

    def allows(self, ex: Exercise) -> bool:
        return self.why_not(ex) is None

    def with_situation(self, situation: Situation) -> Context:
        return replace(self, situations=self.situations | {situation})

    def with_avoided(self, extra: dict[str, str]) -> Context:
        merged = dict(self.avoided)
        for slug, why in extra.items():
            merged.setdefault(slug, why)
        return replace(self, avoided=tuple(sorted(merged.items())))


def base_situations(profile: Profile, assessment: Assessment) -> frozenset[Situation]:
    found = {_CONDITION_SITUATION[c] for c in profile.conditions}
    if assessment.plans_as == Pattern.UNSTABLE:
        found.add(Situation.UNSTABLE_PATTERN)
    if assessment.hypermobile:
        found.add(Situation.HYPERMOBILITY)
    stage = assessment.pregnancy_stage
    if stage in ("first_trimester", "after_first_trimester"):
        found.add(Situation.PREGNANCY)
    if stage == "after_first_trimester":
        found.add(Situation.PREGNANCY_AFTER_FIRST_TRIMESTER)
    if stage == "postpartum_early":
        found.add(Situation.POSTPARTUM_EARLY)
    if profile.pregnancy == Pregnancy.POSTPARTUM:
        # Unknown weeks or an unknown kind of birth: the stricter reading (NICE NG194, NG210).
        weeks = profile.pregnancy_weeks
        if weeks is None or weeks < POSTPARTUM_BUILD_UP_WEEKS:
            found.add(Situation.POSTPARTUM_FIRST_12_WEEKS)
        # Loaded tummy and hip-hinge work waits for the postnatal check itself, not for a date (NICE NG210).
        if profile.birth != Birth.VAGINAL and (
                not profile.postnatal_check_done or weeks is None or weeks < POSTNATAL_CHECK_WEEKS):
            found.add(Situation.CAESAREAN_RECOVERY)
    if History.LUMBAR_FUSION in profile.history:
        found.add(Situation.LUMBAR_FUSION)
    # The acute phase is added day by day by the planner, as it ends while the plan runs.
    return frozenset(found)


def base_context(profile: Profile, assessment: Assessment, gentle: bool, answers: Profile | None = None) -> Context:
    """`gentle` (a see-a-doctor-soon triage) limits the plan to beginner exercises. A suspected fracture
    rules out everything but slow breathing and walks, so a coach's pin of a loaded exercise is refused
    with the reason (engine/adjust.py `ruled_out`), as the plan leaves it out. It is judged on `answers`,
    the answers as given, when `profile` is them moved on to a later day (see context_on)."""
    avoided = tuple((slug, "you asked to leave it out") for slug in sorted(profile.avoid))
    return Context(
        situations=base_situations(profile, assessment),
        equipment=frozenset(profile.equipment),
        max_difficulty=Difficulty.BEGINNER if gentle else profile.level,
        avoided=avoided,
        gentle=gentle,
        fracture=fracture_why(answers or profile),
    )


def context_on(answers: Profile, day: dt.date | None, gentle: bool) -> Context:
    """The situation on `day` of answers given earlier (with the day they describe, `answered_on`), as
    the planner judges it: what changes with time moves on to `day` (weeks of pregnancy, days since
    onset), while a suspected fracture is judged on the answers as given, so it stays until a doctor
    rules it out, however long ago (clinical-notes 2). Answers without a day (or no `day`) are taken as
    they are."""
    now = profile_on(answers, day) if answers.answered_on is not None and day is not None else answers
    return base_context(now, assess(now), gentle=gentle, answers=answers)
