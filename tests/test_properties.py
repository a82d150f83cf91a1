"""Invariants that must hold for every profile and every set of logs (hypothesis; 1,000 cases each in CI).

The situations an exercise must never appear in are worked out here from the profile on their own,
not through the engine's suitability code, so a bug there cannot hide itself.
"""

import datetime as dt

from hypothesis import given

from sijcoach.engine import make_plan, parse_logs, parse_profile
from sijcoach.engine.catalog import catalog
from sijcoach.engine.plan_types import RoutineKind, TriageLevel
from sijcoach.engine.vocab import PILLARS, Laterality

from situations import forbidden as _forbidden
from situations import fracture_suspected as _fracture_suspected
from strategies import START, logs, profiles

CAT = catalog()
EMERGENCY = {"saddle_numbness", "bladder_bowel_change", "sexual_dysfunction_new", "both_legs_symptoms",
             "progressive_leg_weakness", "major_trauma", "chest_pain", "pregnancy_emergency_sign"}
URGENT = {"fever_or_unwell", "unexplained_weight_loss", "back_lump_or_deformity", "unrelenting_night_pain",
          "infection_risk", "one_leg_weakness_or_numbness_new", "pregnancy_warning_sign", "pregnancy_maternity_sign"}
RANK = {"beginner": 0, "intermediate": 1, "advanced": 2}


def _planned(raw, sessions=()):
    return make_plan(parse_profile(raw), parse_logs(sessions), start=START, days=14)


@given(profiles())
def test_emergency_and_urgent_answers_never_get_a_plan(raw):
    plan = _planned(raw)
    flags = set(raw["red_flags"])
    if flags & EMERGENCY:
        assert plan.triage.level == TriageLevel.EMERGENCY
    elif flags & URGENT:
        assert plan.triage.level == TriageLevel.URGENT
    if flags & (EMERGENCY | URGENT):
        assert plan.days == () and plan.assessment is None and plan.advice == ()
        assert plan.triage.action
    else:
        assert len(plan.days) == 14


@given(profiles(red_flags=False), logs())
def test_no_plan_ever_contains_an_exercise_the_situation_rules_out(raw, sessions):
    plan = _planned(raw, sessions)
    soon = plan.triage.level == TriageLevel.SEE_DOCTOR_SOON
    progressed = {c.replacement for c in plan.changes if c.kind.value == "progress_variant"}
    painful = {c.exercise for c in plan.changes if c.kind.value == "swap"}
    top = 0 if soon and plan.triage.gentle else RANK[raw["level"]]
    fracture = _fracture_suspected(raw)
    for index, day in enumerate(plan.days):
        forbidden = _forbidden(raw, index)
        for routine in day.routines:
            for item in routine.items:
                if fracture:  # breathing and short walks only
                    assert item.exercise in ("diaphragmatic-breathing", "walking"), item.exercise
                    assert item.exercise != "walking" or item.hold_s <= 5 * 60
                ex = CAT[item.exercise]
                assert not (set(ex.unsuitable_for) & forbidden), (item.exercise, ex.unsuitable_for, forbidden)
                assert set(ex.equipment) <= set(raw["equipment"]), item.exercise
                assert item.exercise not in raw["avoid"]
                assert item.exercise not in painful
                allowed_rank = top + 1 if item.exercise in progressed else top
                assert RANK[ex.difficulty] <= allowed_rank, (item.exercise, raw["level"], soon)


@given(profiles(red_flags=False), logs())
def test_strength_days_are_never_consecutive_and_always_cover_the_three_pillars(raw, sessions):
    plan = _planned(raw, sessions)
    strength_dates = []
    for day in plan.days:
        for routine in day.routines:
            if routine.kind == RoutineKind.STRENGTH:
                strength_dates.append(day.date)
                covered = {g for item in routine.items for g in CAT[item.exercise].groups}
                assert set(PILLARS) <= covered, (day.date, [i.exercise for i in routine.items])
    for a, b in zip(strength_dates, strength_dates[1:]):
        assert (b - a).days >= 2
    high = {dt.date.fromisoformat(a["date"]) for a in raw["planned_activities"] if a["intensity"] == "high"}
    for date in strength_dates:
        assert date not in high and date + dt.timedelta(days=1) not in high
        assert date - dt.timedelta(days=1) not in high


@given(profiles(red_flags=False), logs())
def test_every_day_fits_the_minutes_and_has_a_relief_routine(raw, sessions):
    plan = _planned(raw, sessions)
    for day in plan.days:
        assert day.minutes <= raw["minutes_per_day"]
        total = sum(r.minutes * r.times_per_day for r in day.routines)
        assert abs(total - day.minutes) <= 0.1 * len(day.routines) + 0.05
        for routine in day.routines:
            assert abs(sum(i.minutes for i in routine.items) - routine.minutes) <= 0.1 * len(routine.items) + 0.05
        has_relief = any(r.kind == RoutineKind.RELIEF and r.items for r in day.routines)
        assert has_relief or any("No relief exercise suits" in n or "No time for the relief" in n
                                 for n in day.notes), (day.date, day.notes)
        for routine in day.routines:
            if routine.kind == RoutineKind.RELIEF:
                assert all(CAT[i.exercise].kind.value != "strength" for i in routine.items)
            if routine.times_per_day > 1:
                assert all(CAT[i.exercise].dose.times_per_day.high >= routine.times_per_day for i in routine.items)
        slugs = [i.exercise for r in day.routines if r.kind != RoutineKind.ALIGNMENT for i in r.items]
        slugs += list(dict.fromkeys(i.exercise for r in day.routines if r.kind == RoutineKind.ALIGNMENT for i in r.items))
        assert len(slugs) == len(set(slugs)), (day.date, slugs)


@given(profiles(red_flags=False), logs())
def test_realignment_comes_before_strength_and_respects_the_sore_side(raw, sessions):
    plan = _planned(raw, sessions)
    sore = raw["sore_side"]
    affected = sore if sore in ("left", "right") else (raw.get("distortion_side") if sore != "both" else None)
    other = {"left": "right", "right": "left"}.get(affected)
    for day in plan.days:
        kinds = [r.kind for r in day.routines]
        if RoutineKind.ALIGNMENT in kinds and RoutineKind.STRENGTH in kinds:
            assert kinds.index(RoutineKind.ALIGNMENT) < kinds.index(RoutineKind.STRENGTH)
        if RoutineKind.ALIGNMENT in kinds:
            assert raw["distortion"] in ("inflare", "outflare")
        for routine in day.routines:
            for item in routine.items:
                lat = CAT[item.exercise].laterality
                if item.exercise == "inflare-correction" or lat == Laterality.SORE_SIDE:
                    assert raw["distortion"] == "inflare" and sore != "both"
                    assert item.side.value == (raw.get("distortion_side") or sore)
                if lat == Laterality.NOT_SORE_SIDE:
                    if other:
                        assert item.side.value == other, (item.exercise, sore, item.side)
                    else:
                        assert item.exercise != "plank-leg-lift"
                        assert item.side.value == "each"


@given(profiles(), logs())
def test_the_same_input_always_gives_the_same_plan(raw, sessions):
    assert _planned(raw, sessions) == _planned(raw, sessions)


@given(profiles(red_flags=False), logs())
def test_every_item_says_why_and_where_it_comes_from(raw, sessions):
    plan = _planned(raw, sessions)
    titles = {s.title for s in CAT.sources.values()}
    for day in plan.days:
        for routine in day.routines:
            for item in routine.items:
                assert item.why.strip() and item.source in titles
    for advice in plan.advice:
        assert advice.text and advice.source in titles
    for change in plan.changes:
        assert change.reason and change.source in titles
