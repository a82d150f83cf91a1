"""The planner: screen, assess, adapt, then lay out the days. Pure and deterministic: `start` is the
only notion of today, and the same profile, logs and start always give the same plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sijcoach.engine import adjust
from sijcoach.engine.adaptation import Adaptation, adapt
from sijcoach.engine.alignment import NOTE as ALIGNMENT_NOTE
from sijcoach.engine.alignment import protocol
from sijcoach.engine.assessment import ACUTE_DAYS, assess
from sijcoach.engine.catalog import catalog
from sijcoach.engine.dosing import LOWEST_STEP, SETUP_S, timed_dose
from sijcoach.engine.library import library
from sijcoach.engine.plan_types import (
    Advice,
    Assessment,
    Day,
    Pattern,
    Plan,
    Routine,
    RoutineKind,
    TriageLevel,
)
from sijcoach.engine.profile import Distortion, Intensity, Pregnancy, Profile, SessionLog, Sex
from sijcoach.engine.routines import Builder, Pick, make_item
from sijcoach.engine.screening import blocks_plan, screen
from sijcoach.engine.suitability import base_context
from sijcoach.engine.vocab import Side, Situation

MAX_DAYS = 366
MIN_RELIEF_ITEMS = 2
WALK_SLUG = "walking"
PAIN_NOW_FLARE = 7
# Preferred weekday offsets for n strength days in a 7-day window: spread out, never adjacent.
PREFERRED_OFFSETS = {1: (0,), 2: (0, 3), 3: (0, 2, 4), 4: (0, 2, 4, 6)}
WALK_WHY = "A gentle walk keeps the joint moving and the muscles around it working without strain."


@dataclass(frozen=True)
class _Programs:
    """Everything chosen for one kind of day, before budgeting."""

    relief: list[Pick]
    relief_notes: list[str]
    alignment: list[Pick]
    alignment_notes: list[str]
    strength: list[Pick]
    strength_missing: list


def make_plan(
    profile: Profile,
    logs: tuple[SessionLog, ...] = (),
    start: dt.date | None = None,
    days: int = 7,
    adjustments: adjust.Adjustments | None = None,
) -> Plan:
    """`adjustments`: a coach's pins, left-out exercises and doses (engine/adjust.py), if any."""
    if start is None:
        raise ValueError("start is required: the engine has no clock")
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be from 1 to {MAX_DAYS}")
    cat = catalog()
    triage = screen(profile)
    if blocks_plan(triage):
        return Plan(start, triage, None, (), (), (), ())
    assessment = assess(profile)
    warnings = _input_warnings(profile, assessment)
    base = base_context(profile, assessment, gentle=triage.level == TriageLevel.SEE_DOCTOR_SOON)
    if adjustments is not None:
        base = base.with_avoided(adjust.avoided(adjustments))
    adaptation = adapt(cat, logs, base, start)
    warnings += adaptation.warnings
    ctx = base.with_avoided(adaptation.swapped_why)
    flare = set(adaptation.flare_days)
    if profile.pain_now >= PAIN_NOW_FLARE:
        flare |= {start, start + dt.timedelta(days=1)}
    dates = [start + dt.timedelta(days=i) for i in range(days)]
    acute = {d for i, d in enumerate(dates) if profile.onset_days_ago + i <= ACUTE_DAYS}
    with_alignment = profile.distortion in (Distortion.INFLARE, Distortion.OUTFLARE)

    cache: dict[bool, _Programs] = {}

    def programs(is_acute: bool) -> _Programs:
        if is_acute not in cache:
            day_ctx = ctx.with_situation(Situation.ACUTE) if is_acute else ctx
            b = Builder(cat, day_ctx, adaptation, assessment)
            key = "acute" if is_acute else assessment.plans_as.value
            relief, relief_notes = b.relief(key)
            alignment, alignment_notes = protocol(b, profile.sore_side.value) if with_alignment else ([], [])
            strength, missing = b.strength(0)
            if adjustments is not None:
                relief, strength, left_out = adjust.pin(
                    b, relief, strength, adjustments, frozenset(p.item.exercise for p in alignment))
                relief, alignment, strength = (adjust.dose(b, p, adjustments) for p in (relief, alignment, strength))
                relief_notes = relief_notes + left_out
            cache[is_acute] = _Programs(relief, relief_notes, alignment, alignment_notes, strength, missing)
        return cache[is_acute]

    strength_ok = not programs(False).strength_missing
    if not strength_ok and profile.strength_days_per_week:
        names = ", ".join(g.value for g in programs(False).strength_missing)
        warnings.append(
            f"No strength days are planned: no exercise that suits your situation and equipment trains {names}, "
            "and every strength day must cover all three muscle groups. More equipment or a professional's "
            "program can fill the gap."
        )
    blocked, reasons = _blocked_days(profile, dates, flare | acute)
    strength_days = (
        _strength_days(dates, profile.strength_days_per_week, blocked) if strength_ok else set()
    )
    if strength_ok and profile.strength_days_per_week:
        _warn_short_weeks(dates, strength_days, profile.strength_days_per_week, warnings)
    lowered_date = min((d for d in strength_days), default=None) if adaptation.lower_next_strength else None

    walk = cat[WALK_SLUG] if WALK_SLUG in cat else None
    busy = {a.date for a in profile.planned_activities}
    out_days = []
    for date in dates:
        progs = programs(date in acute)
        notes = list(reasons.get(date, ()))
        if date in flare:
            notes.append("Flare-up day: relief and realignment only, no strength work.")
        if date in acute:
            notes.append("First days after the pain began: gentle relief only; cold packs help most now.")
        strength = None
        if date in strength_days:
            strength = progs.strength
            if date == lowered_date:
                strength = _lowered(Builder(cat, ctx, adaptation, assessment), progs.strength)
                notes.append("Lighter strength session: the morning after your last session was clearly worse.")
        day_ctx = ctx.with_situation(Situation.ACUTE) if date in acute else ctx
        walk_ok = walk is not None and date not in flare and date not in busy and day_ctx.allows(walk)
        day, day_warnings = _fit_day(
            cat, date, profile.minutes_per_day, progs, strength, walk if walk_ok else None, notes
        )
        warnings += day_warnings
        out_days.append(day)

    advice = _advice(profile, assessment, triage, adaptation, out_days)
    return Plan(
        start=start,
        triage=triage,
        assessment=assessment,
        advice=advice,
        days=tuple(out_days),
        changes=tuple(adaptation.changes) + tuple(adjust.changes(cat, adjustments) if adjustments else ()),
        warnings=tuple(dict.fromkeys(warnings)),
    )


def _lowered(b: Builder, picks: list[Pick]) -> list[Pick]:
    out = []
    for p in picks:
        ex = b.cat[p.item.exercise]
        step = b.adapt.steps.get(ex.slug, 0)
        shift = max(LOWEST_STEP, step - 1) - step
        lowered = b.pick(ex, p.item.side, p.item.why, shift)
        out.append(Pick(lowered.item, lowered.seconds, p.optional))
    return out


def _blocked_days(profile: Profile, dates: list[dt.date], no_strength: set[dt.date]):
    """Days with no strength work: flare-ups, the acute phase, and the day before, of and after a hard activity.

    The issue asks for the day of and the day before; the day after is blocked too because the source
    article's overload came from hard days back to back in either order.
    """
    blocked = set(no_strength)
    reasons: dict[dt.date, list[str]] = {}
    for activity in profile.planned_activities:
        if activity.intensity == Intensity.HIGH:
            for delta, when in ((-1, "tomorrow"), (0, "today"), (1, "yesterday")):
                day = activity.date + dt.timedelta(days=delta)
                blocked.add(day)
                reasons.setdefault(day, []).append(
                    f"{activity.kind} ({activity.intensity.value}) {when}: no strength work, to leave the muscles rested."
                )
        else:
            reasons.setdefault(activity.date, []).append(f"Planned today: {activity.kind} ({activity.intensity.value}).")
    return blocked, reasons


def _strength_days(dates: list[dt.date], per_week: int, blocked: set[dt.date]) -> set[dt.date]:
    """Place up to `per_week` strength days in each 7-day window from the start, never on consecutive days."""
    chosen: set[dt.date] = set()
    if per_week == 0:
        return chosen

    def free(day: dt.date) -> bool:
        return (
            day not in blocked
            and day - dt.timedelta(days=1) not in chosen
            and day + dt.timedelta(days=1) not in chosen
        )

    for week_start in range(0, len(dates), 7):
        window = dates[week_start : week_start + 7]
        placed = 0
        for offset in PREFERRED_OFFSETS[per_week]:
            # The preferred day or the first free day after it within the window.
            for day in window[offset:]:
                if placed < per_week and day not in chosen and free(day):
                    chosen.add(day)
                    placed += 1
                    break
        for day in window:  # fill any shortfall with remaining free days
            if placed >= per_week:
                break
            if day not in chosen and free(day):
                chosen.add(day)
                placed += 1
    return chosen


def _warn_short_weeks(dates, strength_days, per_week, warnings) -> None:
    for week_start in range(0, len(dates), 7):
        window = dates[week_start : week_start + 7]
        count = sum(d in strength_days for d in window)
        expected = min(per_week, (len(window) + 1) // 2)
        if count < expected:
            warnings.append(
                f"The week from {window[0]} has {count} strength day(s) instead of {per_week}: flare-ups, the first "
                "days after onset, hard activities or spacing rules left no room."
            )


def _seconds(picks: list[Pick]) -> int:
    return sum(p.seconds for p in picks)


def _routine(kind: RoutineKind, title: str, picks: list[Pick], times: int = 1, note: str | None = None) -> Routine:
    return Routine(kind, title, round(_seconds(picks) / 60, 1), tuple(p.item for p in picks), times, note)


def _fit_day(cat, date, minutes_per_day, progs: _Programs, strength, walk, notes):
    """Fit the day into the time budget, trimming in a fixed order of importance."""
    budget = minutes_per_day * 60
    warnings: list[str] = []
    relief = list(progs.relief)
    alignment = list(progs.alignment)
    strength = list(strength) if strength else []

    def total() -> int:
        return _seconds(relief) + _seconds(alignment) + _seconds(strength)

    while total() > budget and strength and strength[-1].optional:
        strength.pop()
    while total() > budget and len(relief) > MIN_RELIEF_ITEMS:
        relief.pop()
    while total() > budget and alignment and alignment[-1].optional:
        alignment.pop()
    while total() > budget and strength and len(relief) > 1:
        relief.pop()
    if total() > budget and strength:
        strength = []
        notes.append("Strength work did not fit in your daily minutes today.")
        warnings.append(
            f"{date}: the strength routine did not fit in {minutes_per_day} minutes; raise the daily minutes to get it."
        )
    while total() > budget and len(relief) > 1:
        relief.pop()
    if total() > budget and alignment:
        alignment = []
        warnings.append(
            f"{date}: the realignment routine did not fit in {minutes_per_day} minutes; raise the daily minutes to get it."
        )
    routines = []
    used = total()
    relief_times = 1
    # The stretches do most good at least twice a day, so a second round comes before the walk.
    if relief and used + _seconds(relief) <= budget:
        relief_times = 2
        used += _seconds(relief)
    walk_pick = None
    if walk is not None:
        dosed = timed_dose(walk, budget - used - SETUP_S)
        if dosed.seconds <= budget - used:
            walk_pick = make_item(cat, walk, Side.NONE, dosed, WALK_WHY)
            used += walk_pick.seconds
    if relief:
        routines.append(_routine(
            RoutineKind.RELIEF, "Daily relief", relief, relief_times,
            "Do it twice today, morning and evening." if relief_times == 2 else None,
        ))
    if alignment:
        routines.append(_routine(RoutineKind.ALIGNMENT, "Realignment (before strengthening)", alignment, 1, ALIGNMENT_NOTE))
    if strength:
        routines.append(_routine(RoutineKind.STRENGTH, "Strength: core, back of hip, low back", strength))
    if walk_pick:
        routines.append(_routine(RoutineKind.WALK, "Gentle walk", [walk_pick]))
    if progs.relief_notes or progs.alignment_notes:
        notes.extend(progs.relief_notes + (progs.alignment_notes if alignment else []))
    return Day(date, tuple(routines), round(used / 60, 1), tuple(dict.fromkeys(notes))), warnings


def _input_warnings(profile: Profile, assessment: Assessment) -> list[str]:
    w = []
    if profile.pregnancy != Pregnancy.NONE and profile.sex == Sex.MALE:
        w.append("Sex is 'male' but pregnancy is set: the plan follows the pregnancy answers, the safer reading.")
    if profile.pregnancy == Pregnancy.PREGNANT and profile.pregnancy_weeks is None:
        w.append("Weeks of pregnancy not given: the plan assumes you are past the first trimester (the safer choice).")
    if profile.pregnancy == Pregnancy.POSTPARTUM and profile.pregnancy_weeks is None:
        w.append("Weeks since the birth not given: the plan treats you as in the first six weeks (the safer choice).")
    if profile.distortion in (Distortion.INFLARE, Distortion.OUTFLARE) and profile.sore_side.value == "unsure":
        w.append("Sore side unknown: the side-specific realignment steps use their both-sides versions.")
    if profile.distortion == Distortion.UNKNOWN:
        w.append("A pelvic distortion was mentioned but not named: no realignment routine is planned without a professional's finding.")
    if assessment.pattern in (Pattern.MIXED, Pattern.UNCLEAR):
        w.append(f"Pattern {assessment.pattern.value}: the plan is built for stability, the safer choice.")
    return w


def _advice(profile, assessment, triage, adaptation: Adaptation, days) -> tuple[Advice, ...]:
    lib = library()
    cat = catalog()
    kinds = {r.kind for d in days for r in d.routines}
    stage = assessment.pregnancy_stage
    active = {
        "always": True,
        "acute": assessment.phase.value == "acute",
        "not_acute": assessment.phase.value != "acute",
        "pregnant": stage in ("first_trimester", "after_first_trimester"),
        "not_pregnant": stage not in ("first_trimester", "after_first_trimester"),
        "pregnant_after_first_trimester": stage == "after_first_trimester",
        "strength": RoutineKind.STRENGTH in kinds,
        "alignment": RoutineKind.ALIGNMENT in kinds,
        "tight_weak": bool(assessment.tight_weak),
        "hip_flexors_tight": any(p.tight.value == "hip_flexors" for p in assessment.tight_weak),
        "hypermobile": assessment.hypermobile,
    }
    first: list[Advice] = []
    if triage.level == TriageLevel.SEE_DOCTOR_SOON:
        reasons = " ".join(r.text for r in triage.reasons)
        first.append(Advice("see_a_professional", f"{triage.action} {reasons}", triage.reasons[0].source))
    for change in adaptation.changes:
        if change.kind.value == "see_professional":
            first.append(Advice("see_a_professional", change.reason, change.source))
    rest = [Advice(a.topic, a.text, cat.source_title(a.source)) for a in lib.advice if active[a.when]]
    return tuple(first + rest)
