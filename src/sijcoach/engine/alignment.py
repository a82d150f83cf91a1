"""The realignment protocol for an inflare or outflare (clinical-notes 1.4), with its side rules.

Order: knee brace, inflare correction (single sore side only), plank with leg lift (lifting the leg
that is not sore; plain plank when both sides are sore), ball superman (not-sore leg; both sides
equally when both are sore), knee brace again. If step 1 alone relieves the pain, steps 2 and 3 are
skipped. It is done before any strengthening that day.
"""

from __future__ import annotations

from sijcoach.engine.routines import Builder, Pick, default_side
from sijcoach.engine.vocab import Laterality, Side

SKIP_IF_RELIEVED = "Skip this step if step 1 already eased the pain."
NOTE = (
    "Do the steps in order. If step 1 alone eases the pain, skip steps 2 and 3 and go on to step 4. "
    "Repeat the routine up to three times a day if it helps, always before strengthening."
)


def _single_side(sore: str) -> tuple[Side | None, Side | None]:
    """(sore side, not-sore side) when exactly one side is sore, else (None, None)."""
    if sore == "left":
        return Side.LEFT, Side.RIGHT
    if sore == "right":
        return Side.RIGHT, Side.LEFT
    return None, None


def protocol(b: Builder, sore: str) -> tuple[list[Pick], list[str]]:
    cat = b.cat
    picks: list[Pick] = []
    notes: list[str] = []
    sore_side, free_side = _single_side(sore)
    unknown = sore not in ("left", "right", "both")

    def add(slug: str, side: Side, why: str, condition: str | None = None, keep_side: bool = False,
            optional: bool = False, stand_in_why: str | None = None) -> None:
        ex, note = b.allowed_or_gentler(slug)
        if ex is None:
            reason = b.ctx.why_not(cat[slug]) or b.adapt.swapped_why.get(slug, "it does not suit you now")
            notes.append(f"{cat[slug].name} is left out because {reason}, and no gentler version suits you either.")
            return
        if ex.slug != slug:
            why = stand_in_why or why
            if not (keep_side and ex.laterality != Laterality.BILATERAL):
                side = default_side(ex)  # a stand-in keeps its own side rule unless it lifts the same leg
        pick = b.pick(ex, side, why + note, condition=condition)
        picks.append(Pick(pick.item, pick.seconds, optional))

    add("dontigny-knee-brace", Side.EACH,
        "Step 1: pressing the heel into the door frame uses the buttock and hamstrings to draw the hip bone back into line.")
    if not picks:
        # The protocol hangs on step 1 (its branch and its finish), so without it nothing is planned.
        notes.append(
            "The realignment routine is left out because its first step does not suit you now; "
            "ask a physiotherapist for a version that does."
        )
        return [], notes
    if sore_side is not None:
        add("inflare-correction", sore_side,
            f"Step 2, {sore_side.value} (sore) side only: pushing the knee out against the wall uses the hip rotators "
            "to pull an inward-turned hip bone back out.", SKIP_IF_RELIEVED)
    else:
        notes.append(
            "The inflare correction is left out: it is done only on a single sore side"
            + (", and your sore side is not known." if unknown else ", and both sides are sore.")
        )
    if sore_side is not None:
        add("plank-leg-lift", free_side,
            f"Step 3: lifting the {free_side.value} (not sore) leg while the pelvis stays still makes the muscles "
            "on the sore side hold the pelvis and spine in line. Never lift the sore side's leg.", SKIP_IF_RELIEVED,
            stand_in_why=f"Step 3, gentler version: hold still with the pelvis level; if you can, press the "
            f"{sore_side.value} (sore) side's knee or toes into the floor for 6 to 10 seconds. No leg lift yet.")
    else:
        add("plank", Side.NONE,
            "Step 3: with no single sore side, a plain plank without a leg lift trains the same holding muscles evenly.",
            SKIP_IF_RELIEVED)
    superman_side = free_side if free_side is not None else Side.EACH
    superman_why = (
        f"Step 4: lifting the {free_side.value} (not sore) leg, then the opposite arm, with the trunk and ball still, "
        "connects the deep stabilisers of the sacrum."
        if free_side is not None
        else "Step 4: with no single sore side, lift each leg in turn equally, keeping trunk and ball still."
    )
    # Its stand-ins (bird-dog, then a leg slide on hands and knees) lift the same leg.
    add("swiss-ball-superman", superman_side, superman_why, keep_side=True,
        stand_in_why="Step 4, floor version: on hands and knees, reach back the "
        + (f"{free_side.value} (not sore) leg" if free_side is not None else "legs in turn, equally")
        + " with the trunk still, connecting the deep stabilisers of the sacrum.")
    # The closing knee brace is a suggestion in the source, so it is the first step dropped on a short day.
    add("dontigny-knee-brace", Side.EACH, "Step 5: finish with the knee brace again to settle the pelvis.",
        optional=True)
    return picks, notes
