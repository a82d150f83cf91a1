"""The realignment protocol for an inflare or outflare (clinical-notes 1.4), with its side rules.

Order: knee brace, inflare correction (an inflare on one side only), plank lifting the leg that is
not sore (plain plank when both sides are sore), ball superman (not-sore leg; both sides equally when
both are sore), knee brace again. If step 1 alone relieves the pain, steps 2 and 3 are skipped. It is
done before any strengthening that day.

A step that is ruled out or hurt is done as a true variant of that step (listed below, each with its
own instruction) or left out with the reason; never replaced by whatever trains the same muscles.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sijcoach.engine.catalog import INFLARE_CORRECTION, KNEE_BRACE
from sijcoach.engine.profile import Distortion, Profile
from sijcoach.engine.routines import Builder, Pick
from sijcoach.engine.vocab import Side

SKIP_IF_RELIEVED = "Skip this step if step 1 already eased the pain."
NOTE = (
    "Do the steps in order. If step 1 alone eases the pain, skip steps 2 and 3 and go on to step 4. "
    "Repeat the routine up to three times a day if it helps, always before strengthening."
)
MIN_STEPS = 2  # fewer steps than this are not the protocol any more


@dataclass(frozen=True)
class Sides:
    """Which side each step works on, from the sore side and where a professional found the distortion."""

    sore: Side | None  # the single sore side, if there is one
    free: Side | None  # the side that is not sore
    both_sore: bool
    distortion: Side | None  # the side of the inflare or outflare

    @classmethod
    def of(cls, profile: Profile) -> Sides:
        single = {"left": Side.LEFT, "right": Side.RIGHT}
        sore = single.get(profile.sore_side.value)
        found = single.get(profile.distortion_side.value) if profile.distortion_side else None
        affected = sore or found
        free = {Side.LEFT: Side.RIGHT, Side.RIGHT: Side.LEFT}.get(affected) if affected else None
        both = profile.sore_side.value == "both"
        return cls(affected if not both else None, free if not both else None, both, found or (None if both else sore))


def _variants(s: Sides) -> dict[str, list[tuple[str, Side, str]]]:
    """Each step's exercise and its true variants, in order, with the side and the instruction."""
    if s.free is not None:
        plank = [
            ("plank-leg-lift", s.free,
             f"Step 3: lifting the {s.free.value} (not sore) leg while the pelvis stays still makes the muscles on the "
             "sore side hold the pelvis and spine in line. Never lift the sore side's leg."),
            ("plank", Side.NONE,
             f"Step 3, without the leg lift: hold the plank with the pelvis level and, if you can, push the "
             f"{s.sore.value} (sore) side's toes down into the mat, holding 6 to 10 s."),
            ("knee-plank", Side.NONE,
             f"Step 3 from the knees: hold with the pelvis level and push the {s.sore.value} (sore) side's knee "
             "down into the mat, holding 6 to 10 s."),
        ]
    else:
        plank = [
            ("plank", Side.NONE,
             "Step 3: with no single sore side, a plain plank without a leg lift trains the same holding muscles evenly."),
            ("knee-plank", Side.NONE,
             "Step 3 from the knees: with no single sore side, hold evenly without lifting a leg."),
        ]
    leg = f"the {s.free.value} (not sore) leg" if s.free is not None else "each leg in turn, equally"
    lift = s.free if s.free is not None else Side.EACH
    superman = [
        ("swiss-ball-superman", lift,
         f"Step 4: over the ball, lift {leg}, then the opposite arm, with the trunk and ball still, to connect the "
         "deep stabilisers of the sacrum."),
        ("bird-dog", lift,
         f"Step 4 on hands and knees (no ball): reach back {leg} and the opposite arm with the trunk still."),
        ("quadruped-leg-slide", lift,
         f"Step 4 on hands and knees, gentler: slide back {leg} along the floor with the trunk still."),
    ]
    return {"plank": plank, "superman": superman}


def _step(b: Builder, options: list[tuple[str, Side, str]], label: str, notes: list[str],
          condition: str | None = None, optional: bool = False) -> Pick | None:
    """The first of the step's variants that suits the person, or None with the reason noted."""
    for slug, side, why in options:
        if b.ctx.why_not(b.cat[slug]) is None and slug not in b.adapt.swaps:
            pick = b.pick(b.cat[slug], side, why, condition=condition)
            return replace(pick, optional=optional)
    first = options[0][0]
    also = " or any true variant of it" if len(options) > 1 else ""
    notes.append(f"{label} ({b.cat[first].name}) is left out because {b.why_left_out(first)}, and no version{also} "
                 "suits you now.")
    return None


def _inflare_step(b: Builder, profile: Profile, s: Sides, notes: list[str]) -> Pick | None:
    if profile.distortion == Distortion.OUTFLARE:
        notes.append("Step 2, the inflare correction, is left out: it is meant for a hip bone found turned inward, "
                     "and yours was found turned outward.")
        return None
    if s.both_sore:
        notes.append("Step 2, the inflare correction, is left out: it is done on a single sore side, and both sides "
                     "are sore.")
        return None
    side = s.distortion
    if side is None:
        notes.append("Step 2, the inflare correction, is left out: the side of the inflare is not known. Add the side "
                     "a professional found it on (or your sore side) in your check-in.")
        return None
    sore = profile.sore_side.value
    where = f"{side.value} (sore) side only" if sore == side.value else (
        f"{side.value} side only, where the inflare was found" + (f" (your sore side is {sore})" if sore in ("left", "right") else ""))
    # What it may do, not a bone put back: the joint moves only a few degrees (the plan's caveat).
    why = (f"Step 2, {where}: pushing the knee out against the wall works the hip rotators against the "
           "inward turn a professional found, which often eases the pain.")
    return _step(b, [(INFLARE_CORRECTION, side, why)], "Step 2, the inflare correction", notes, SKIP_IF_RELIEVED)


def protocol(b: Builder, profile: Profile) -> tuple[list[Pick], list[str]]:
    notes: list[str] = []
    s = Sides.of(profile)
    variants = _variants(s)
    brace_why = ("Step 1: pressing the heel into the door frame works the buttock and hamstrings against the "
                 "pelvis, which often eases SI joint pain (the joint itself moves only a few degrees).")
    first = _step(b, [(KNEE_BRACE, Side.EACH, brace_why)], "The knee brace (steps 1 and 5)", [])
    if first is None:
        notes.append(f"The knee brace (steps 1 and 5) is left out because {b.why_left_out(KNEE_BRACE)}; the steps "
                     "that suit you are done on their own.")
    picks = [first] if first else []
    second = _inflare_step(b, profile, s, notes)
    third = _step(b, variants["plank"], "Step 3", notes, SKIP_IF_RELIEVED)
    fourth = _step(b, variants["superman"], "Step 4", notes)
    picks += [p for p in (second, third, fourth) if p is not None]
    if first is not None:
        # The closing knee brace is a suggestion in the source, so it is the first step dropped on a short day.
        picks.append(_step(b, [(KNEE_BRACE, Side.EACH, "Step 5: finish with the knee brace again to settle the pelvis.")],
                           "Step 5", [], optional=True))
    if len(picks) < MIN_STEPS:
        # The inflare or outflare is a professional's finding: ask them (or the coach), not "a physiotherapist".
        who = b.adviser or f"the professional who found the {profile.distortion.value}"
        return [], notes + [
            f"The realignment routine is left out: too few of its steps suit you now to make it up. Ask {who} "
            "for a version that does."]
    return picks, notes
