"""Decisions taken during a guided session: "this hurts" with a pain score (clinical-notes 4).

6 or more out of 10 stops the exercise and swaps in another that trains the same group; a second
exercise at 6 or more in one session ends the session (rest, not a third exercise); 4-5 may go on
only if it settles by the next morning; 0-3 is acceptable. Pure: the caller passes the profile, the
date and what the session has already used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sijcoach.engine.adaptation import SETTLE_PAIN, SWAP_PAIN, find_swap
from sijcoach.engine.assessment import ACUTE_DAYS
from sijcoach.engine.catalog import catalog
from sijcoach.engine.dosing import dose_at
from sijcoach.engine.guidance import library
from sijcoach.engine.plan_types import PlanItem
from sijcoach.engine.profile import Profile
from sijcoach.engine.routines import default_side, make_item
from sijcoach.engine.screening import blocks_plan, screen, suspected_fracture
from sijcoach.engine.sources import SourceId
from sijcoach.engine.suitability import Context, context_on
from sijcoach.engine.vocab import Side, Situation

_PAIN_SOURCE = SourceId.PAIN_MONITORING
_SWAP_SOURCE = SourceId.MUSCLE_GROUPS


class Verdict:
    CARRY_ON = "carry_on"  # 0-3
    WATCH = "watch"  # 4-5: go on gently, only if it settles by the next morning
    SWAP = "swap"  # 6+: stop; a replacement that trains the same group
    STOP = "stop"  # 6+ and nothing suitable trains the same group: the session goes on without it
    END = "end"  # end the session now: a second exercise at 6+, or a warning sign that needs help first


@dataclass(frozen=True, slots=True)
class LiveDecision:
    verdict: str
    message: str
    source: str
    replacement: PlanItem | None = None


def _days_after_answers(profile: Profile, on: dt.date | None) -> int:
    """How many days after the answers `on` is (0 without either, or for a day before them)."""
    return max(0, (on - profile.answered_on).days) if on is not None and profile.answered_on else 0


def person_context(profile: Profile, on: dt.date | None = None) -> Context:
    """What the person's situation allows on the day `on`, by the rules every pick follows (conditions,
    pregnancy, pattern, equipment, level, the first painful days); the exercise library marks what it
    rules out. `profile`: the answers as given at the check-in (with `answered_on`), moved on to `on` as
    the planner moves them (suitability.context_on); without `on`, the day they were answered."""
    days = _days_after_answers(profile, on)
    day = profile.answered_on + dt.timedelta(days=days) if profile.answered_on else None
    ctx = context_on(profile, day, gentle=screen(profile).gentle)
    if profile.onset_days_ago + days <= ACUTE_DAYS:
        ctx = ctx.with_situation(Situation.ACUTE)
    return ctx


def on_pain(
    profile: Profile, slug: str, pain: int, on: dt.date | None = None, excluded: frozenset[str] = frozenset(),
    avoided: Mapping[str, str] | None = None, hurt_earlier: frozenset[str] = frozenset(),
) -> LiveDecision:
    """What to do when `slug` hurts `pain`/10 during a session on the day `on` (without it, the day the
    answers were given).

    `excluded`: exercises already in or swapped out of this session, never offered again. `avoided`:
    exercises left out of the plan with the reason (a coach's, engine/adjust.py `avoided`), never
    offered in place of another. `hurt_earlier`: the exercises that already hurt 6 or more in this
    session; with one, 6 or more ends the session.
    """
    cat = catalog()
    if slug not in cat:
        raise KeyError(slug)
    if not 0 <= pain <= 10:
        raise ValueError("pain must be from 0 to 10")
    ex = cat[slug]
    source = cat.source_title(_PAIN_SOURCE)
    triage = screen(profile)
    if blocks_plan(triage):  # a warning sign that needs help first: no exercise, whatever the pain
        return LiveDecision(Verdict.END, f"Stop the session. {triage.action}", triage.reasons[0].source)
    if pain < SETTLE_PAIN:
        return LiveDecision(Verdict.CARRY_ON, f"{pain}/10 is acceptable: carry on, and stop if it climbs.", source)
    if pain < SWAP_PAIN:
        return LiveDecision(
            Verdict.WATCH,
            f"{pain}/10 is acceptable only if it settles by tomorrow morning. Carry on gently, "
            "and stop if it climbs to 6 or more.",
            source,
        )
    if suspected_fracture(profile):
        # Only breathing and short walks are planned until a doctor has checked: pain of 6 or more in them
        # is no exercise to swap but a reason to be seen, as the hold's own advice says.
        flag = library().flags["suspected_fracture"]
        return LiveDecision(
            Verdict.END,
            f"Stop the session here: {ex.name} hurt {pain}/10 while a fracture is not yet ruled out. Rest in a "
            "comfortable position, and contact a doctor today (your GP or an urgent care service) to be checked.",
            cat.source_title(flag.source),
        )
    earlier = [cat[e].name for e in sorted(hurt_earlier - {slug}) if e in cat]
    if earlier:
        return LiveDecision(
            Verdict.END,
            f"Stop the session here: {ex.name} hurt {pain}/10, and {' and '.join(earlier)} hurt {SWAP_PAIN}/10 "
            "or more earlier in it. Two painful exercises in one session call for rest, not another exercise. Save the "
            "session so the plan can ease off; if the pain has not settled by tomorrow morning, tell a doctor or "
            "physiotherapist (or your coach).",
            source,
        )
    ctx = person_context(profile, on).with_avoided({**(avoided or {}), slug: f"it hurt ({pain}/10) today"})
    repl = find_swap(cat, ex, ctx, set(excluded) | {slug})
    if repl is None:
        return LiveDecision(
            Verdict.STOP,
            f"Stop {ex.name}: {pain}/10 is too much. Nothing else that suits you trains the same muscles, "
            "so it is left out today; tell a doctor or physiotherapist (or your coach) if it keeps happening.",
            cat.source_title(_SWAP_SOURCE),
        )
    side = default_side(repl)
    item = make_item(
        cat, repl, side, dose_at(repl, 0, 2 if side == Side.EACH else 1),
        f"In place of {ex.name}, which hurt ({pain}/10): it trains the same muscles "
        f"({', '.join(g.value.replace('_', ' ') for g in set(repl.groups) & set(ex.groups))}) more gently.",
    ).item
    return LiveDecision(
        Verdict.SWAP,
        f"Stop {ex.name}: {pain}/10 is a signal to stop, not to push through. {repl.name} trains the same "
        "muscles; it comes next.",
        cat.source_title(_SWAP_SOURCE),
        item,
    )
