"""A person following their programme day by day, and the invariants their real timeline must keep.

Each simulated morning the person answers how yesterday's sessions left them, asks for the plan from
that day with every log so far, and does day 0 of it (or skips it, hurts, flares, has the joint go
out, as their behaviour says). The invariants are checked on what was really done, not on any single
plan: a plan can pass every check alone and still break them over weeks. The web walk
(tests/web/test_web_walk.py) drives the same person through the app and checks the same invariants.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field

from hypothesis import strategies as st

from sijcoach.engine import parse_logs
from sijcoach.engine.catalog import catalog
from sijcoach.engine.plan_types import ChangeKind, Day, Plan, RoutineKind
from sijcoach.engine.profile import SessionLog
from sijcoach.engine.vocab import PILLARS, Kind, day_words

CAT = catalog()
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Behaviour:
    skip: float = 0.0  # chance of doing nothing on a day
    hurt: float = 0.0  # chance that one exercise of a session hurts 6-8/10
    flare: float = 0.0  # chance that pain after a session reaches 7/10
    joint_out: float = 0.0  # chance that the joint goes out on a day
    sore_morning: float = 0.0  # chance that the next morning is 2 points worse than before the session


behaviours = st.builds(
    Behaviour,
    skip=st.sampled_from([0.0, 0.0, 0.1, 0.3]),
    hurt=st.sampled_from([0.0, 0.0, 0.05, 0.15]),
    flare=st.sampled_from([0.0, 0.0, 0.03, 0.1]),
    joint_out=st.sampled_from([0.0, 0.0, 0.03, 0.1]),
    sore_morning=st.sampled_from([0.0, 0.05, 0.2]),
)


@dataclass
class Record:
    """What happened: every plan asked for, and the sessions really done."""

    plans: dict[dt.date, Plan] = field(default_factory=dict)
    done: dict[dt.date, list[SessionLog]] = field(default_factory=dict)
    skipped: set[dt.date] = field(default_factory=set)

    def strength_days(self) -> list[dt.date]:
        return sorted(d for d, logs in self.done.items() if any(s.routine == RoutineKind.STRENGTH for s in logs))

    def joint_out_days(self) -> list[dt.date]:
        return sorted(d for d, logs in self.done.items() if any(s.joint_went_out for s in logs))


def do_day(day: Day, rnd: random.Random, behaviour: Behaviour, base_pain: int) -> list[dict]:
    """The sessions of a day as the person does them: one log per routine, doses as planned."""
    out = []
    joint_out = rnd.random() < behaviour.joint_out
    for routine in day.routines:
        hurt_at = rnd.randrange(len(routine.items)) if routine.items and rnd.random() < behaviour.hurt else None
        items = []
        for n, item in enumerate(routine.items):
            pain = rnd.randint(6, 8) if n == hurt_at else rnd.randint(0, 2)
            items.append({"exercise": item.exercise, "side": item.side.value, "sets_done": item.sets,
                          "reps_done": item.reps, "hold_s_done": min(item.hold_s, 7200), "pain": pain,
                          "effort": "easy" if pain <= 2 else "hard"})
        out.append({
            "date": day.date.isoformat(), "routine": routine.kind.value, "pain_before": base_pain,
            "pain_after": 7 if rnd.random() < behaviour.flare else base_pain,
            "joint_went_out": joint_out, "items": items,
        })
        joint_out = False  # once a day is enough
    return out


def morning_after(logs: list[SessionLog], day: dt.date, rnd: random.Random, behaviour: Behaviour) -> list[SessionLog]:
    """Answer the next-morning question for yesterday's sessions."""
    worse = rnd.random() < behaviour.sore_morning
    out = []
    for s in logs:
        if s.date == day - ONE_DAY and s.pain_next_day is None:
            before = s.pain_before or 0
            s = s.model_copy(update={"pain_next_day": min(10, before + 2) if worse else before})
        out.append(s)
    return out


def simulate(profile, behaviour: Behaviour, first: dt.date, weeks: int, seed: int, plan_for) -> Record:
    """`plan_for(profile, logs, day)` returns the plan from `day`: the engine, or the web app."""
    rnd = random.Random(seed)
    record = Record()
    logs: list[SessionLog] = []
    base_pain = min(profile.pain_now, 5)
    for k in range(weeks * 7):
        day = first + dt.timedelta(days=k)
        logs = morning_after(logs, day, rnd, behaviour)
        plan = plan_for(profile, tuple(logs), day)
        record.plans[day] = plan
        # Nothing to do (no plan, or a day with nothing that suits) is logged as nothing, like a skip.
        if not plan.days or not plan.days[0].routines or rnd.random() < behaviour.skip:
            record.skipped.add(day)
            continue
        done = list(parse_logs(do_day(plan.days[0], rnd, behaviour, base_pain)))
        record.done[day] = done
        logs += done
    return record


# ---- invariants on the realised timeline ---------------------------------------------------------

def _signature(day: Day) -> tuple:
    return tuple((r.kind, r.times_per_day, tuple((i.exercise, i.side, i.sets, i.reps, i.hold_s) for i in r.items))
                 for r in day.routines)


def check_no_consecutive_strength(record: Record) -> None:
    days = record.strength_days()
    for a, b in zip(days, days[1:]):
        assert (b - a).days >= 2, f"strength on consecutive days {a} and {b}"


def check_rest_around_hard_activities(record: Record, hard: set[dt.date]) -> None:
    for d in record.strength_days():
        assert not ({d - ONE_DAY, d, d + ONE_DAY} & hard), f"strength on {d}, next to a hard activity"


def check_no_strength_after_the_joint_goes_out(record: Record) -> None:
    strength = set(record.strength_days())
    for d in record.joint_out_days():
        assert not ({d + ONE_DAY, d + 2 * ONE_DAY} & strength), f"strength within two days after the joint went out on {d}"


def check_no_dose_rises_in_a_flare(record: Record) -> None:
    """No dose or variant goes up for a session on a flare's day (the joint out, pain 7 or more) or on
    the two relief-only days after it: none of those sessions was easy."""
    flares = {d for d, logs in record.done.items()
              if any(s.joint_went_out or (s.pain_after or 0) >= 7 for s in logs)}
    unsettled = {f + k * ONE_DAY for f in flares for k in range(3)}
    for day, plan in record.plans.items():
        for c in plan.changes:
            if c.kind in (ChangeKind.PROGRESS_DOSE, ChangeKind.PROGRESS_VARIANT):
                assert c.date not in unsettled, f"{c.reason} on {c.date}, in a flare's days (plan of {day})"


def check_strength_weeks(record: Record, first: dt.date, asked: int) -> None:
    """Each full calendar week in the programme has the strength days asked for (four may fall to
    three after a Sunday session), or the plan of that Sunday warned about that week and said why, or
    the person skipped a day that offered strength work (their choice, not the plan's)."""
    strength = set(record.strength_days())
    monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
    last = max(record.plans)
    while monday + 6 * ONE_DAY <= last:
        week = [monday + i * ONE_DAY for i in range(7)]
        count = sum(d in strength for d in week)
        after_sunday = monday - ONE_DAY in strength
        declined = any(d in record.skipped and record.plans[d].days and any(
            r.kind == RoutineKind.STRENGTH for r in record.plans[d].days[0].routines) for d in week)
        if count < asked and not (asked == 4 and after_sunday and count == 3) and not declined:
            sunday = record.plans[week[-1]]
            warned = [w for w in sunday.warnings if w.startswith(f"The week from {day_words(monday)} has")
                      or w.startswith("No strength days are planned:")]
            assert warned, f"week from {monday}: {count} strength days of {asked}, and no warning says why"
            assert warned[0].split(": ", 1)[1].strip(" ."), warned[0]
        assert count <= asked, f"week from {monday}: {count} strength days, more than the {asked} asked"
        monday += 7 * ONE_DAY


def check_days(record: Record, minutes: int, forbidden_on) -> None:
    """Day 0 of every plan: within its minutes, relief without strength work, strength days that
    cover the pillars, and nothing the person's situation rules out that day."""
    for day_date, plan in record.plans.items():
        if not plan.days:
            continue
        day = plan.days[0]
        assert day.minutes <= minutes, (day_date, day.minutes, minutes)
        forbidden = forbidden_on(day_date)
        for routine in day.routines:
            for item in routine.items:
                ex = CAT[item.exercise]
                assert not (set(ex.unsuitable_for) & forbidden), (day_date, item.exercise, forbidden)
                if routine.kind == RoutineKind.RELIEF:
                    assert ex.kind not in (Kind.STRENGTH, Kind.CARDIO), (day_date, item.exercise)
            if routine.kind == RoutineKind.STRENGTH:
                covered = {g for i in routine.items for g in CAT[i.exercise].groups}
                assert set(PILLARS) <= covered, (day_date, [i.exercise for i in routine.items])


def check_stable_from_day_to_day(record: Record) -> None:
    """The plan made the next day agrees with today's for the days both cover, unless a log gave a
    reason, and then the new plan's changes say so (a change the earlier plan did not have)."""
    dates = sorted(record.plans)
    for today, tomorrow in zip(dates, dates[1:]):
        if today in record.skipped:
            continue
        a, b = record.plans[today], record.plans[tomorrow]
        if not a.days or not b.days:
            continue
        new = set(b.changes) - set(a.changes)
        overlap = {d.date: d for d in a.days[1:]}
        for day in b.days:
            if day.date in overlap and _signature(day) != _signature(overlap[day.date]):
                assert new, (f"the plan of {tomorrow} differs from the plan of {today} on {day.date} "
                             f"with no change saying why:\n{_signature(overlap[day.date])}\n{_signature(day)}")
                break


ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def sentences(plan: Plan) -> list[str]:
    """Every sentence of a plan that a person reads (the contract's date fields are not sentences)."""
    said = [plan.triage.action, *plan.triage.notes, *(r.text for r in plan.triage.reasons), *plan.warnings,
            *(c.reason for c in plan.changes), *(a.text for a in plan.advice)]
    for day in plan.days:
        said += day.notes
        for routine in day.routines:
            said += [routine.title, routine.note or ""]
            said += [part for item in routine.items for part in (item.why, item.cue or "")]
    return said


def check_dates_in_words(record: Record) -> None:
    """No sentence in any plan of the timeline shows a date as 2026-01-05: people read "Mon 5 Jan"."""
    for day, plan in record.plans.items():
        iso = [s for s in sentences(plan) if ISO_DATE.search(s)]
        assert not iso, f"the plan of {day} says: {iso[0]}"
