"""Building the three routine programs: relief (daily), strength (three pillars), realignment protocol.

Each builder returns plan items with their reasons; budgets are applied later by the planner.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sijcoach.engine.adaptation import Adaptation
from sijcoach.engine.catalog import Catalog, Exercise
from sijcoach.engine.dosing import Dosed, dose_at
from sijcoach.engine.library import library
from sijcoach.engine.plan_types import Assessment, PlanItem
from sijcoach.engine.suitability import Context
from sijcoach.engine.vocab import PILLARS, STRENGTH_KINDS, Group, Kind, Laterality, Side

PILLAR_WHY = {
    Group.CORE: "Trains the deep core (transverse abdominis), the front of the muscular ring that holds the pelvis.",
    Group.BACK_OF_HIP: "Trains the back of the hip (gluteus maximus and medius), which presses the SI joint closed.",
    Group.LOW_BACK: "Trains the low-back stabilisers (multifidus, erector spinae) that steady the sacrum.",
}
RELIEF_KINDS = frozenset({Kind.RELEASE, Kind.STRETCH, Kind.MOBILIZATION, Kind.ACTIVATION})
STRETCH_KINDS = frozenset({Kind.RELEASE, Kind.STRETCH, Kind.MOBILIZATION, Kind.YOGA})


@dataclass(frozen=True, slots=True)
class Pick:
    """A chosen item before budgeting; `optional` items are dropped first when time is short."""

    item: PlanItem
    seconds: int
    optional: bool = False


def make_item(
    cat: Catalog, ex: Exercise, side: Side, dosed: Dosed, why: str, condition: str | None = None
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
    return Pick(item, dosed.seconds)


def default_side(ex: Exercise) -> Side:
    return Side.EACH if ex.laterality == Laterality.EACH_SIDE else Side.NONE


def _sides(side: Side) -> int:
    return 2 if side == Side.EACH else 1


class Builder:
    """Chooses exercises for one day's context, applying the person's adaptations."""

    def __init__(self, cat: Catalog, ctx: Context, adaptation: Adaptation, assessment: Assessment):
        self.cat, self.ctx, self.adapt, self.assessment = cat, ctx, adaptation, assessment

    def _final(self, slug: str) -> tuple[Exercise | None, str]:
        """The exercise to do in place of `slug` after swaps and progressions, and a note on why."""
        final = self.adapt.resolve(slug)
        if final is None:
            return None, ""
        ex = self.cat[final]
        earned = final in self.adapt.variants.values()
        if self.ctx.why_not(ex, earned_variant=earned) is not None:
            return None, ""
        if final == slug:
            return ex, ""
        original = self.cat[slug]
        if slug in self.adapt.swaps:
            return ex, f" In place of {original.name}, because {self.adapt.swapped_why.get(slug, 'it hurt')}."
        return ex, f" Progressed from {original.name}."

    def allowed_or_gentler(self, slug: str) -> tuple[Exercise | None, str]:
        """`slug` after adaptations, or else the first allowed exercise down its regression chain."""
        ex, note = self._final(slug)
        seen = {slug}
        current = self.cat[slug]
        while ex is None and current.regression and current.regression not in seen:
            seen.add(current.regression)
            current = self.cat[current.regression]
            ex, note = self._final(current.slug)
            if ex is not None:
                note = f" The gentler {ex.name} stands in for {self.cat[slug].name}."
        return ex, note

    def pick(self, ex: Exercise, side: Side, why: str, step_shift: int = 0, condition: str | None = None) -> Pick:
        step = self.adapt.steps.get(ex.slug, 0) + step_shift
        return make_item(self.cat, ex, side, dose_at(ex, step, _sides(side)), why, condition)

    # ---- relief -------------------------------------------------------------------------------
    def relief(self, key: str) -> tuple[list[Pick], list[str]]:
        lib = library()
        picks: list[Pick] = []
        notes: list[str] = []
        used: set[str] = set()
        for slot in lib.relief[key]:
            left_out = []
            for slug in slot.options:
                ex, note = self._final(slug)
                if ex is None or ex.slug in used:
                    if ex is None:
                        reason = self.ctx.why_not(self.cat[slug]) or self.adapt.swapped_why.get(slug)
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
        if not picks:
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
                item = replace(already.item, why=already.item.why + " " + pair.why)
                targeted.append(Pick(item, already.seconds))
                continue
            info = lib.pairs.get(pair.tight)
            options = info.stretch if info else ()
            for slug in options:
                ex, note = self._final(slug)
                if ex is not None and ex.slug not in used:
                    targeted.append(self.pick(ex, default_side(ex), pair.why + note))
                    used.add(ex.slug)
                    break
            else:
                if options:
                    first = self.cat[options[0]]
                    reason = self.ctx.why_not(first) or self.adapt.swapped_why.get(first.slug, "it does not suit you now")
                    notes.append(
                        f"No stretch for the tight {pair.tight.value.replace('_', ' ')} is planned: {first.name} "
                        f"is left out because {reason}. Ask a physiotherapist for a version that suits you."
                    )
        return picks[:2] + targeted + picks[2:], notes

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
    def _candidates(self, group: Group) -> list[Exercise]:
        top = self.ctx.max_difficulty.rank
        found = [
            ex
            for ex in self.cat
            if ex.kind in STRENGTH_KINDS
            and group in ex.groups
            and ex.laterality in (Laterality.BILATERAL, Laterality.EACH_SIDE)
        ]
        return sorted(found, key=lambda ex: (abs(top - ex.difficulty.rank), ex.priority, ex.slug))

    def _choose(self, group: Group, used: set[str]) -> tuple[Exercise | None, str]:
        for candidate in self._candidates(group):
            ex, note = self._final(candidate.slug)
            if ex is not None and ex.slug not in used and group in ex.groups:
                return ex, note
        return None, ""

    def strength(self, step_shift: int) -> tuple[list[Pick], list[Group]]:
        """One exercise per pillar (required), then one extra for each weak group (optional).

        Returns the picks and the pillars that no allowed exercise could cover.
        """
        picks: list[Pick] = []
        used: set[str] = set()
        missing = []
        for pillar in PILLARS:
            ex, note = self._choose(pillar, used)
            if ex is None:
                missing.append(pillar)
                continue
            used.add(ex.slug)
            picks.append(self.pick(ex, default_side(ex), PILLAR_WHY[pillar] + note, step_shift))
        weak_why = {g: p for p in self.assessment.tight_weak for g in p.weak}
        for group in self.assessment.weak_groups:
            ex, note = self._choose(group, used)
            if ex is None:
                continue
            used.add(ex.slug)
            pair = weak_why.get(group)
            why = (
                f"Extra work for the {group.value.replace('_', ' ')}, the weak partner of tight "
                f"{pair.tight.value.replace('_', ' ')}: strength here keeps the pelvis balanced."
                if pair
                else f"Extra work for the {group.value.replace('_', ' ')}, which needs strengthening."
            ) + note
            pick = self.pick(ex, default_side(ex), why, step_shift)
            picks.append(Pick(pick.item, pick.seconds, optional=True))
        return picks, missing
