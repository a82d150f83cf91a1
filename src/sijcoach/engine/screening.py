"""Red-flag screening (clinical-notes section 2): single items suffice, the most serious level wins."""

from __future__ import annotations

from sijcoach.engine.catalog import catalog
from sijcoach.engine.library import library
from sijcoach.engine.plan_types import Reason, Triage, TriageLevel
from sijcoach.engine.profile import Profile

_ORDER = (TriageLevel.NONE, TriageLevel.SEE_DOCTOR_SOON, TriageLevel.URGENT, TriageLevel.EMERGENCY)
NEW_PAIN_DAYS = 90
PAIN_NOW_SOON = 8


def derived_flags(profile: Profile) -> list[str]:
    """Flags raised by other answers: very high pain now, and new pain at an age where it is atypical."""
    found = []
    if profile.pain_now >= PAIN_NOW_SOON:
        found.append("pain_now_high")
    if profile.onset_days_ago < NEW_PAIN_DAYS and (profile.age < 20 or profile.age > 50):
        found.append("new_pain_young_or_older")
    return found


def flags_level(ids: list[str]) -> TriageLevel:
    """The most serious level among these flags (a single one suffices)."""
    flags = library().flags
    return max((flags[i].level for i in ids if i in flags), key=_ORDER.index, default=TriageLevel.NONE)


def screen(profile: Profile) -> Triage:
    lib = library()
    ids = [flag.value for flag in profile.red_flags] + derived_flags(profile)
    hits = [lib.flags[i] for i in ids]
    level = flags_level(ids)
    # Only the reasons that set the level lead; lesser ones follow so nothing is hidden.
    hits.sort(key=lambda h: -_ORDER.index(h.level))
    reasons = tuple(Reason(h.id, h.reason, catalog().source_title(h.source)) for h in hits)
    action = lib.actions.get(level, "No warning signs in your answers. Start gently and stop anything that hurts.")
    return Triage(level=level, reasons=reasons, action=action)


STOPPING = (TriageLevel.URGENT, TriageLevel.EMERGENCY)  # no plan: get help first


def blocks_plan(triage: Triage) -> bool:
    return triage.level in STOPPING
