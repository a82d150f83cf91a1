"""Questionnaires and their scores, with the meaningful-change thresholds of clinical-notes section 3.

Only free instruments are here: pain 0-10, the Patient-Specific Functional Scale and the five-part
hypermobility questionnaire (questions in the project's own words). The Oswestry index, Keele STarT
Back and the Pelvic Girdle Questionnaire are licensed or of unknown licence and are not shipped.
"""

from __future__ import annotations

from dataclasses import dataclass

from sijcoach.engine.catalog import catalog
from sijcoach.engine.sources import SourceId

HYPERMOBILITY_QUESTIONS = (
    "Can you now (or could you ever) put your palms flat on the floor while keeping your knees straight?",
    "Can you now (or could you ever) bend a thumb back far enough to touch your forearm?",
    "As a child, could you do the splits or bend into unusual positions that others could not?",
    "Has a shoulder or a kneecap dislocated (popped out) more than once?",
    "Do you think of yourself as 'double-jointed'?",
)
HYPERMOBILITY_YES_THRESHOLD = 2  # Hakim and Grahame 2003: 2 or more "yes" of the 5
PAIN_POINTS = 2  # Ostelo 2008: 2 points or 30%
PAIN_SHARE = 0.30
PSFS_POINTS = 2.0  # Stratford 1995, for the mean score
PSFS_MIN_ACTIVITIES, PSFS_MAX_ACTIVITIES = 1, 5


@dataclass(frozen=True, slots=True)
class HypermobilityResult:
    yes: int
    unsure: int  # answers left "not sure" (None)
    threshold: int  # the "yes" answers that suggest hypermobility, given how many were answered
    suggests_hypermobility: bool
    explanation: str
    source: str


def hypermobility_threshold(answered: int) -> int:
    """How many "yes" answers suggest hypermobility when `answered` of the five questions have a yes
    or a no. All five: 2 (Hakim and Grahame 2003). Fewer: the same share (2 in 5) of the answered
    questions, rounded down, and never less than one "yes". Rounding down is the safer reading: an
    unsure answer may be a "yes", so with 1 to 4 answered, one "yes" is enough."""
    return max(1, HYPERMOBILITY_YES_THRESHOLD * answered // len(HYPERMOBILITY_QUESTIONS))


def score_hypermobility(answers: tuple[bool | None, ...]) -> HypermobilityResult:
    """The five-part questionnaire scored on what is answered: True yes, False no, None not sure."""
    total = len(HYPERMOBILITY_QUESTIONS)
    if len(answers) != total:
        raise ValueError(f"hypermobility_answers: exactly {total} answers are allowed (true, false or null)")
    yes = sum(a is True for a in answers)
    unsure = sum(a is None for a in answers)
    threshold = hypermobility_threshold(total - unsure)
    suggests = yes >= threshold
    if not unsure:
        text = (
            f"{yes} of 5 'yes': two or more suggests generally flexible (hypermobile) joints."
            if suggests
            else f"{yes} of 5 'yes': fewer than two, so no sign of general hypermobility."
        )
    elif unsure == total:
        text = ("Not sure of any of the five flexibility questions: they give no sign either way, so the plan "
                "assumes no general hypermobility unless a professional measured it (the Beighton score).")
    elif yes >= hypermobility_threshold(total):  # enough without counting on the unsure ones
        text = (f"{yes} 'yes' of the {total - unsure} flexibility questions answered ({unsure} not sure): two or "
                "more suggests generally flexible (hypermobile) joints.")
    elif suggests:
        text = (f"{yes} 'yes' of the {total - unsure} flexibility questions answered ({unsure} not sure). "
                f"With some answers unsure, {threshold} 'yes' is enough, since an unsure answer may be a yes: "
                "the plan takes the safer reading and treats your joints as possibly hypermobile.")
    else:
        text = (f"No 'yes' among the {total - unsure} flexibility questions answered ({unsure} not sure): the "
                "plan assumes no general hypermobility, since nothing you answered points to it.")
    return HypermobilityResult(yes, unsure, threshold, suggests, text, catalog().source_title(SourceId.HYPERMOBILITY))


@dataclass(frozen=True, slots=True)
class ChangeResult:
    before: float
    after: float
    change: float  # after - before (negative = less pain / for PSFS positive = better)
    meaningful: bool
    direction: str  # better, worse, same
    explanation: str
    source: str


def meaningful_step(before: float) -> float:
    """How far pain must move from `before` to count (Ostelo 2008): 2 points or 30% of `before`,
    whichever is less (from no pain at all, 2 points)."""
    return min(PAIN_POINTS, PAIN_SHARE * before) if before else PAIN_POINTS


def pain_direction(before: float, after: float) -> str:
    """The meaningful-change rule for pain, for single scores and averages alike: "better" or
    "worse" when the change is at least `meaningful_step(before)`, else "same"."""
    change = after - before
    # Rounded so that an average 30% lower counts, as the rule says, despite binary fractions.
    if change == 0 or round(abs(change), 9) < round(meaningful_step(before), 9):
        return "same"
    return "better" if change < 0 else "worse"


PAIN_RULE = f"{PAIN_POINTS} points or {int(PAIN_SHARE * 100)}%"  # the rule in words, wherever it is shown


def meaningful_pain(before: float) -> float:
    """The pain that is meaningfully better than `before`: the first level `pain_direction` calls better."""
    return before - meaningful_step(before)


def meaningful_function(before: float) -> float:
    """The functional-scale mean that is meaningfully better than `before` (Stratford 1995)."""
    return before + PSFS_POINTS


_MEANINGFULLY = {"better": "meaningfully better", "worse": "meaningfully worse"}  # a change past the rule's line


def pain_change(before: int, after: int) -> ChangeResult:
    """Pain 0-10: a fall of 2 points or 30% of the starting score is a meaningful improvement."""
    for name, value in (("before", before), ("after", after)):
        if not 0 <= value <= 10:
            raise ValueError(f"pain {name}: {value} is not allowed; use a whole number from 0 to 10")
    drop = before - after
    verdict = pain_direction(before, after)
    meaningful = verdict != "same"
    direction = verdict if meaningful else ("same" if drop == 0 else ("better" if drop > 0 else "worse"))
    text = (
        f"Pain {before} -> {after}: "
        + (_MEANINGFULLY[verdict] if meaningful else "not yet a meaningful change")
        + f" (it takes {PAIN_RULE})."
    )
    return ChangeResult(before, after, after - before, meaningful, direction, text,
                        catalog().source_title(SourceId.PAIN_CHANGE))


@dataclass(frozen=True, slots=True)
class PsfsActivity:
    activity: str
    score: int  # 0 = unable, 10 = as before the problem


def psfs_score(activities: tuple[PsfsActivity, ...]) -> float:
    """The mean of the person's own activities, each rated 0 (unable) to 10 (as before)."""
    if not PSFS_MIN_ACTIVITIES <= len(activities) <= PSFS_MAX_ACTIVITIES:
        raise ValueError(
            f"activities: {len(activities)} given; rate from {PSFS_MIN_ACTIVITIES} to {PSFS_MAX_ACTIVITIES} activities"
        )
    for a in activities:
        if not a.activity.strip():
            raise ValueError("activity: a name is required")
        if not 0 <= a.score <= 10:
            raise ValueError(f"score for {a.activity!r}: {a.score} is not allowed; use a whole number from 0 to 10")
    return round(sum(a.score for a in activities) / len(activities), 2)


def psfs_change(before: float, after: float) -> ChangeResult:
    diff = round(after - before, 2)
    meaningful = abs(diff) >= PSFS_POINTS
    direction = "same" if diff == 0 else ("better" if diff > 0 else "worse")
    text = (
        f"Function {before:g} -> {after:g}: "
        + (_MEANINGFULLY[direction] if meaningful else "not yet a meaningful change")
        + f" (it takes about {PSFS_POINTS:g} points on the mean)."
    )
    return ChangeResult(before, after, diff, meaningful, direction, text,
                        catalog().source_title(SourceId.FUNCTION_CHANGE))
