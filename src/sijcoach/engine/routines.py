"""Choosing the exercises of a day's routines: relief (daily), strength (three pillars), and the
extras a phase, the person's time and level add. Budgets are applied later (engine/budget.py).

Priority decides who gets an exercise first: realignment, then strength, then relief, so the same
exercise is never in two routines of one day. Relief stays relief: no exercise of kind strength.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache, lru_cache

from sijcoach.engine.adaptation import Adaptation
from sijcoach.engine.catalog import Catalog, Exercise
from sijcoach.engine.dosing import LOWEST_STEP, Dosed, dose_at
from sijcoach.engine.guidance import library
from sijcoach.engine.plan_types import Assessment, PlanItem
from sijcoach.engine.programme import ProgrammePhase
from sijcoach.engine.sources import SourceId
from sijcoach.engine.suitability import Context
from sijcoach.engine.vocab import (
    PILLARS, STRENGTH_KINDS, Difficulty, Group, Kind, Laterality, Position, Side, Situation,
)

PILLAR_WHY = {
    Group.CORE: "Trains the deep core (transverse abdominis and pelvic floor), the front and floor of the muscular "
                "ring that holds the pelvis.",
    Group.BACK_OF_HIP: "Trains the back of the hip (gluteus maximus and medius), which presses the SI joint closed.",
    Group.LOW_BACK: "Trains the low-back stabilisers (multifidus, erector spinae) that steady the sacrum.",
}
SECOND_WHY = "A second exercise for the same group: your time and level allow more strength work."
FUNCTION_WHY = ("Standing work for everyday life (getting up, bending, carrying): the function phase "
                "trains the muscles the way you use them.")
SIDE_LYING_WHY = (" Done lying on your side: from the second trimester the side of the hip is trained this way "
                  "rather than standing on one leg.")
PELVIC_FLOOR_SLUG = "pelvic-floor-activation"
PELVIC_FLOOR_WHY = ("Pelvic-floor training belongs in every plan after a birth, from the first days: it "
                    "supports the pelvis from below and helps bladder control.")
RELIEF_KINDS = frozenset({Kind.RELEASE, Kind.STRETCH, Kind.MOBILIZATION, Kind.ACTIVATION})
STRETCH_KINDS = frozenset({Kind.RELEASE, Kind.STRETCH, Kind.MOBILIZATION, Kind.YOGA})

_GROUP_WORDS = {Group.BACK_OF_HIP: "back of the hip"}


def group_words(group: Group) -> str:
    """A muscle group in a sentence: "back of the hip", "hip flexors"."""
    return _GROUP_WORDS.get(group) or group.value.replace("_", " ")


EXTRA_MINUTES = 30  # from this many minutes a day, intermediate and advanced people get a second exercise per pillar


@dataclass(frozen=True, slots=True)
class Pick:
    """A chosen item before budgeting; `optional` items are dropped first when time is short, and
    `required` ones never."""

    item: PlanItem
    seconds: int
    optional: bool = False
    required: bool = False
    step: int = 0  # the dose's step on the ladder (engine/dosing.py), so a short day can lower it
    fixed: bool = False  # a dose someone set by hand (a coach): never shortened to fit
    pinned_by: str | None = None  # who pinned it ("your coach"): kept before the app's own relief, named if left out


def make_item(
    cat: Catalog, ex: Exercise, side: Side, dosed: Dosed, why: str, condition: str | None = None, step: int = 0
) -> Pick:
    item = PlanItem(
        exercise=ex.slug,
        name=ex.name,
        side=side,
        sets=dosed.sets,
        reps=dosed.reps,
        hold_s=dosed.hold_s,
        rest_s=dosed.rest_s,
        rep_s=dosed.rep_s,
        minutes=dosed.minutes,
        groups=ex.groups,
        why=why,
        source=cat.source_title(ex.source),
        condition=condition,
    )
    return Pick(item, dosed.seconds, step=step)


@lru_cache(maxsize=8192)
def ladder_item(cat: Catalog, slug: str, side: Side, step: int, why: str, condition: str | None = None) -> Pick:
    """An exercise at a step of its dose ladder, with its reason. Made once and shared: the same
    exercise, step and reason are the same item for everyone (the item is immutable)."""
    ex = cat[slug]
    return make_item(cat, ex, side, dose_at(ex, step, sides(side)), why, condition, step)


def redose(cat: Catalog, pick: Pick, step: int, sets_cap: int | None = None) -> Pick:
    """The same item at another step of its dose ladder (and at most `sets_cap` sets)."""
    item = pick.item
    if sets_cap is None:
        made = ladder_item(cat, item.exercise, item.side, step, item.why, item.condition)
    else:
        ex = cat[item.exercise]
        dosed = dose_at(ex, step, sides(item.side))
        dosed = replace(dosed, sets=max(1, min(dosed.sets, sets_cap)))
        made = replace(make_item(cat, ex, item.side, dosed, item.why, item.condition), step=step)
    if made.item.source != item.source:  # a reason's own source (pelvic-floor work after a birth)
        made = replace(made, item=replace(made.item, source=item.source))
    return replace(made, optional=pick.optional, required=pick.required)


def shorter(cat: Catalog, pick: Pick) -> Pick | None:
    """One notch shorter: a step down the ladder to its start, then one set fewer, down to one."""
    if pick.fixed:
        return None
    if pick.step > 0:
        return redose(cat, pick, pick.step - 1)
    if pick.item.sets > 1:
        return redose(cat, pick, pick.step, pick.item.sets - 1)
    return None


def lighter(cat: Catalog, picks: list[Pick]) -> list[Pick]:
    """A session one step lighter (a dose someone set by hand is lowered by adjust.lighten instead)."""
    return [p if p.fixed else redose(cat, p, max(LOWEST_STEP, p.step - 1)) for p in picks]


def default_side(ex: Exercise) -> Side:
    return Side.EACH if ex.laterality == Laterality.EACH_SIDE else Side.NONE


def sides(side: Side) -> int:
    return 2 if side == Side.EACH else 1


@cache
def relief_candidates(cat: Catalog, key: str) -> frozenset[str]:
    """Every exercise a relief routine of this kind could hold, swaps aside: its options and their
    harder variants, the stretches for tight muscles, pelvic-floor work and the gentle stand-ins."""
    lib = library()
    found = {s for slot in lib.relief[key] for s in slot.options}
    found |= {s for pair in lib.pairs.values() for s in pair.stretch} | {PELVIC_FLOOR_SLUG}
    found |= {ex.slug for ex in cat if ex.kind in RELIEF_KINDS}
    while more := {cat[s].progression for s in found if cat[s].progression} - found:
        found |= more
    return frozenset(found)


@cache
def _pillar_work(cat: Catalog, group: Group) -> tuple[Exercise, ...]:
    return tuple(
        ex for ex in cat
        if ex.kind in STRENGTH_KINDS and group in ex.groups
        and ex.laterality in (Laterality.BILATERAL, Laterality.EACH_SIDE)
    )


@cache
def _candidates(cat: Catalog, group: Group, top: Difficulty, learn: bool) -> tuple[Exercise, ...]:
    found = _pillar_work(cat, group)
    if learn:
        # Learning to find the muscles: activation work first, then the gentlest of the rest.
        key = lambda ex: (ex.kind != Kind.ACTIVATION, ex.difficulty.rank, ex.priority, ex.slug)  # noqa: E731
    else:
        key = lambda ex: (abs(top.rank - ex.difficulty.rank), ex.priority, ex.slug)  # noqa: E731
    return tuple(sorted(found, key=key))


@cache
def _functional(cat: Catalog, top: Difficulty) -> tuple[Exercise, ...]:
    found = [
        ex for ex in cat
        if ex.kind in (Kind.STRENGTH, Kind.STABILITY) and ex.position == Position.STANDING
        and ex.laterality in (Laterality.BILATERAL, Laterality.EACH_SIDE)
        and (set(ex.groups) & {*PILLARS, Group.QUADRICEPS})
    ]
    return tuple(sorted(found, key=lambda ex: (abs(top.rank - ex.difficulty.rank), ex.priority, ex.slug)))


class Builder:
    """Chooses exercises for one kind of day, applying the person's adaptations."""

    def __init__(self, cat: Catalog, ctx: Context, adaptation: Adaptation, assessment: Assessment,
                 phase: ProgrammePhase = ProgrammePhase.BUILD, adviser: str | None = None):
        """`adviser`: the professional who manages the plan (a coach's name for themselves), if any."""
        self.cat, self.ctx, self.adapt, self.assessment, self.phase = cat, ctx, adaptation, assessment, phase
        self.adviser = adviser
        self.finding = library().distortions.get(assessment.distortion)  # a professional's finding

    def ask_for_a_version(self) -> str:
        """Whom to ask for a version of an exercise that suits the person: their coach when they have
        one (not "a physiotherapist", as if no professional were involved), else a physiotherapist."""
        return f"Ask {self.adviser} for a version that suits you." if self.adviser else (
            "Ask a physiotherapist for a version that suits you.")

    def _unstretched(self, pair, first: Exercise) -> str:
        """Why a tight muscle gets no stretch, and what the plan does about it instead."""
        tight = group_words(pair.tight)
        left_out = f"{first.name} is left out because {self.why_left_out(first.slug)}"
        if self.finding is None or pair.tight not in self.finding.tight:
            return f"No stretch for the tight {tight} is planned: {left_out}. {self.ask_for_a_version()}"
        # A professional's finding (clinical-notes 1.5): stretch the tight side for now, strengthen the weak
        # side for good. When the stretch is ruled out (a loose joint: end of range, lunges and wide stances,
        # clinical-notes 1.2) the plan says so and leans on the strength side, which every strength day has
        # (the pillars); it does not send the person to "a physiotherapist", as one made the finding.
        weak = " and ".join(group_words(g) for g in self.finding.weak)
        return (f"For the {self.finding.name} a professional found: {pair.why} No stretch for the {tight} is "
                f"planned: {left_out}. Every strength day trains the {weak} instead, the lasting answer to that "
                "pull.")

    def final(self, slug: str, relief: bool = False) -> tuple[Exercise | None, str]:
        """The exercise to do in place of `slug` after swaps and progressions, and a note on why.
        A harder variant the day does not allow gives way to the easier one it came from."""
        cat, ctx, adapt = self.cat, self.ctx, self.adapt
        if slug not in adapt.swaps and slug not in (adapt.relief_variants if relief else adapt.variants):
            ex = cat[slug]  # neither swapped nor progressed: the common case
            if (relief and ex.kind in (Kind.STRENGTH, Kind.CARDIO)) or ctx.why_not(ex, adapt.earned(slug)):
                return None, ""
            return ex, ""

        def allowed(s: str) -> bool:
            ex = cat[s]
            if relief and ex.kind in (Kind.STRENGTH, Kind.CARDIO):
                return False
            return ctx.why_not(ex, earned_variant=adapt.earned(s)) is None

        final = adapt.resolve(slug, relief, allowed)
        if final is None:
            return None, ""
        ex = cat[final]
        if final == slug:
            return ex, ""
        original = cat[slug]
        if slug in adapt.swaps:
            return ex, f" In place of {original.name}, because {adapt.swapped_why.get(slug, 'it hurt')}."
        return ex, f" Progressed from {original.name}."

    def allowed_or_gentler(self, slug: str) -> tuple[Exercise | None, str]:
        """`slug` after adaptations, or else the first allowed exercise down its regression chain."""
        ex, note = self.final(slug)
        seen = {slug}
        current = self.cat[slug]
        while ex is None and current.regression and current.regression not in seen:
            seen.add(current.regression)
            current = self.cat[current.regression]
            ex, note = self.final(current.slug)
            if ex is not None:
                note = f" The gentler {ex.name} stands in for {self.cat[slug].name}."
        return ex, note

    def why_left_out(self, slug: str, default: str = "it does not suit you now") -> str:
        return self.ctx.why_not(self.cat[slug]) or self.adapt.swapped_why.get(slug, default)

    def pick(self, ex: Exercise, side: Side, why: str, step_shift: int = 0, condition: str | None = None) -> Pick:
        step = self.adapt.steps.get(ex.slug, 0) + step_shift
        return ladder_item(self.cat, ex.slug, side, step, why, condition)

    # ---- relief -------------------------------------------------------------------------------
    def relief(self, key: str, taken: frozenset[str] = frozenset()) -> tuple[list[Pick], list[str]]:
        """The day's relief routine; `taken`: exercises already in the day's realignment or strength."""
        lib = library()
        picks: list[Pick] = []
        notes: list[str] = []
        used: set[str] = set(taken)
        required = self._pelvic_floor(used, notes)
        for slot in lib.relief[key]:
            left_out = []
            for slug in slot.options:
                ex, note = self.final(slug, relief=True)
                if ex is None or ex.slug in used:
                    if ex is None:
                        reason = self.ctx.why_not(self.cat[slug]) or self.adapt.swapped_why.get(slug)
                        stand_in = self.cat[self.adapt.swaps[slug]] if self.adapt.swaps.get(slug) else None
                        if reason and stand_in is not None and stand_in.kind in (Kind.STRENGTH, Kind.CARDIO):
                            # The plan's changes name the stand-in: say why relief does not have it.
                            reason += (f"; {stand_in.name}, which replaces it, is {stand_in.kind.value} work, "
                                       "not part of the daily relief")
                        if reason:
                            left_out.append(f"{self.cat[slug].name} is left out because {reason}.")
                    continue
                why = slot.why + note
                if left_out:
                    why += " " + " ".join(left_out)
                picks.append(self.pick(ex, default_side(ex), why))
                used.add(ex.slug)
                break
            else:
                notes.extend(left_out)
        if not picks and not required:
            picks = self._fallback_relief(used)
            if not picks:
                notes.append("No relief exercise suits your situation and equipment today; a gentle walk or rest instead.")
        # Stretches for tight muscles go right after the first two slots, so that trimming a short
        # day removes general stretches before the ones aimed at this person's imbalance.
        targeted = []
        for pair in self.assessment.tight_weak:
            already = next(
                (p for p in picks if pair.tight in p.item.groups and self.cat[p.item.exercise].kind in STRETCH_KINDS),
                None,
            )
            if already is not None:  # the routine stretches it already: move it up and say why
                picks.remove(already)
                targeted.append(replace(already, item=replace(already.item, why=already.item.why + " " + pair.why)))
                continue
            info = lib.pairs.get(pair.tight)
            options = info.stretch if info else ()
            for slug in options:
                ex, note = self.final(slug, relief=True)
                if ex is not None and ex.slug not in used:
                    targeted.append(self.pick(ex, default_side(ex), pair.why + note))
                    used.add(ex.slug)
                    break
            else:
                if options:
                    notes.append(self._unstretched(pair, self.cat[options[0]]))
        return required + picks[:2] + targeted + picks[2:], notes

    def _pelvic_floor(self, used: set[str], notes: list[str]) -> list[Pick]:
        """After a birth, pelvic-floor training is in every plan (NICE NG194): first, and never trimmed."""
        if self.assessment.pregnancy_stage not in ("postpartum_early", "postpartum"):
            return []
        # Only the exercise itself: a stand-in for pelvic-floor work would train something else.
        ex, note = (self.cat[PELVIC_FLOOR_SLUG], "") if self.ctx.allows(self.cat[PELVIC_FLOOR_SLUG]) else (None, "")
        if ex is None or ex.slug in used:
            if ex is None:
                notes.append(f"Pelvic-floor training is left out because {self.why_left_out(PELVIC_FLOOR_SLUG)}; "
                             "ask your midwife or a women's health physiotherapist for a version that suits you.")
            return []
        used.add(ex.slug)
        pick = self.pick(ex, default_side(ex), PELVIC_FLOOR_WHY + note)
        return [replace(pick, required=True, item=replace(pick.item, source=self.cat.source_title(SourceId.WALKING)))]

    def _fallback_relief(self, used: set[str]) -> list[Pick]:
        """When every listed option is ruled out: the gentlest allowed relief exercises, by priority."""
        gentle = sorted(
            (ex for ex in self.cat
             if ex.kind in RELIEF_KINDS and ex.slug not in used
             and ex.laterality in (Laterality.BILATERAL, Laterality.EACH_SIDE) and self.ctx.allows(ex)),
            key=lambda ex: (ex.difficulty.rank, ex.priority, ex.slug),
        )
        why = "A gentle stand-in, as the usual relief exercises do not suit your situation or equipment."
        return [self.pick(ex, default_side(ex), why) for ex in gentle[:2]]

    # ---- strength -------------------------------------------------------------------------------
    def _choose(self, group: Group, used: set[str]) -> tuple[Exercise | None, str]:
        learn = self.phase == ProgrammePhase.LEARN
        for candidate in _candidates(self.cat, group, self.ctx.max_difficulty, learn):
            ex, note = self.final(candidate.slug)
            if ex is not None and ex.slug not in used and group in ex.groups:
                return ex, note
        return None, ""

    def _assign(self, order, used: set[str]) -> dict[Group, tuple[Exercise | None, str]]:
        used, chosen = set(used), {}
        for pillar in order:
            chosen[pillar] = self._choose(pillar, used)
            if chosen[pillar][0] is not None:
                used.add(chosen[pillar][0].slug)
        return chosen

    def _pillars(self, used: set[str]) -> dict[Group, tuple[Exercise | None, str]]:
        """A different exercise for each pillar, in the pillars' order; when that leaves one out, again
        with the scarcest pillar first (an exercise that trains two pillars may be the only one for one)."""
        chosen = self._assign(PILLARS, used)
        if all(ex is not None for ex, _ in chosen.values()):
            return chosen
        learn = self.phase == ProgrammePhase.LEARN
        count = {g: sum(self.final(c.slug)[0] is not None
                        for c in _candidates(self.cat, g, self.ctx.max_difficulty, learn)) for g in PILLARS}
        scarce_first = self._assign(sorted(PILLARS, key=lambda g: count[g]), used)
        covered = lambda c: sum(ex is not None for ex, _ in c.values())  # noqa: E731
        return scarce_first if covered(scarce_first) > covered(chosen) else chosen

    def strength(self, taken: frozenset[str] = frozenset(), more: bool = False) -> tuple[list[Pick], list[Group]]:
        """One exercise per pillar (required), then optional extras: a second per pillar when `more`,
        a standing exercise in the function phase, and work for each weak group.

        `taken`: exercises already in the day's realignment. Returns the picks and the pillars that no
        allowed exercise could cover."""
        chosen = self._pillars(set(taken))
        used: set[str] = set(taken) | {ex.slug for ex, _ in chosen.values() if ex is not None}
        missing = [pillar for pillar in PILLARS if chosen[pillar][0] is None]
        later = Situation.PREGNANCY_AFTER_FIRST_TRIMESTER in self.ctx.situations
        picks: list[Pick] = []
        for pillar in PILLARS:
            ex, note = chosen[pillar]
            if ex is None:
                continue
            why = PILLAR_WHY[pillar] + note
            if later and pillar == Group.BACK_OF_HIP and ex.position == Position.SIDE_LYING:
                why += SIDE_LYING_WHY
            picks.append(self.pick(ex, default_side(ex), why))
        extras: list[Pick] = []
        if more and not missing:
            for pillar in PILLARS:
                ex, note = self._choose(pillar, used)
                if ex is not None:
                    used.add(ex.slug)
                    extras.append(self.pick(ex, default_side(ex), PILLAR_WHY[pillar] + " " + SECOND_WHY + note))
        if self.phase == ProgrammePhase.FUNCTION and not missing:
            for candidate in _functional(self.cat, self.ctx.max_difficulty):
                ex, note = self.final(candidate.slug)
                if ex is not None and ex.slug not in used and ex.position == Position.STANDING:
                    used.add(ex.slug)
                    extras.append(self.pick(ex, default_side(ex), FUNCTION_WHY + note))
                    break
        weak_why = {g: p for p in self.assessment.tight_weak for g in p.weak}
        found = self.finding
        for group in self.assessment.weak_groups:
            ex, note = self._choose(group, used)
            if ex is None:
                continue
            used.add(ex.slug)
            pair = weak_why.get(group)
            words, tight = group_words(group), group_words(pair.tight) if pair else ""
            if found is not None and group in found.weak:  # the finding is named, so the plan is not silent on it
                why = (f"Extra work for the {words}, for the {found.name} a professional found: "
                       + (f"the weak partner of tight {tight}, strength here keeps the pelvis balanced." if pair
                          else found.why[:1].lower() + found.why[1:]))
            elif pair:
                why = f"Extra work for the {words}, the weak partner of tight {tight}: strength here keeps the pelvis balanced."
            else:
                why = f"Extra work for the {words}, which needs strengthening."
            why += note
            extras.append(self.pick(ex, default_side(ex), why))
        return picks + [replace(p, optional=True) for p in extras], missing

