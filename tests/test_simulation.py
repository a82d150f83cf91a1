"""Rolling simulation (hypothesis): generated people follow their programme day by day for weeks,
and the invariants hold on what they really did (tests/simulation.py says which and why).

Sizes are set here, not by the CI profile (1,000 cases of 8 weeks would take too long): in CI,
300 people x 8 weeks and 60 people x 4-12 weeks; a developer's run does a tenth of that.
"""

from __future__ import annotations

import datetime as dt
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sijcoach.engine import make_plan, parse_profile
from situations import forbidden
from simulation import (
    Behaviour, behaviours, check_days, check_no_consecutive_strength, check_no_dose_rises_in_a_flare,
    check_no_strength_after_the_joint_goes_out, check_dates_in_words, check_rest_around_hard_activities,
    check_stable_from_day_to_day, check_strength_weeks, simulate,
)
from strategies import profiles

CI = bool(os.environ.get("CI"))
FIRST = dt.date(2026, 1, 5)  # a Monday; the offset below moves it through the week


@st.composite
def people(draw):
    raw = draw(profiles(red_flags=False))
    offset = draw(st.integers(0, 6))
    first = FIRST + dt.timedelta(days=offset)
    hikes = draw(st.lists(st.integers(0, 83), max_size=4, unique=True))
    raw["planned_activities"] = [
        {"date": (first + dt.timedelta(days=d)).isoformat(), "kind": "hike", "intensity": "high"} for d in hikes
    ]
    raw["answered_on"] = first.isoformat()
    return raw, first


def _engine_plan(first):
    def plan_for(profile, logs, day):
        return make_plan(profile, logs, start=day, days=7, programme_start=first)
    return plan_for


def _run(raw, first, behaviour: Behaviour, weeks: int, seed: int):
    profile = parse_profile(raw)
    record = simulate(profile, behaviour, first, weeks, seed, _engine_plan(first))
    hard = {dt.date.fromisoformat(a["date"]) for a in raw["planned_activities"] if a["intensity"] == "high"}
    check_no_consecutive_strength(record)
    check_rest_around_hard_activities(record, hard)
    check_no_strength_after_the_joint_goes_out(record)
    check_no_dose_rises_in_a_flare(record)
    check_strength_weeks(record, first, raw["strength_days_per_week"])
    check_days(record, raw["minutes_per_day"], lambda day: forbidden(raw, (day - first).days))
    check_stable_from_day_to_day(record)
    check_dates_in_words(record)
    return record


SIM = settings(max_examples=300 if CI else 30, deadline=None, derandomize=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SIM
@given(people(), behaviours, st.integers(0, 2**16))
def test_eight_weeks_of_following_the_plan_keep_every_invariant(person, behaviour, seed):
    raw, first = person
    _run(raw, first, behaviour, 8, seed)


@settings(max_examples=60 if CI else 6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(people(), behaviours, st.integers(4, 12), st.integers(0, 2**16))
def test_four_to_twelve_weeks_keep_every_invariant(person, behaviour, weeks, seed):
    raw, first = person
    _run(raw, first, behaviour, weeks, seed)


def test_a_person_who_does_everything_has_strength_three_times_every_full_week():
    """The plain case, spelled out: nothing goes wrong, and every calendar week has its three days."""
    raw = {"age": 40, "pain_now": 3, "onset_days_ago": 200, "history": ["sedentary"], "answered_on": "2026-01-07",
           "minutes_per_day": 20, "strength_days_per_week": 3, "planned_activities": [], "pregnancy": "none",
           "cause": "gradual"}
    first = dt.date(2026, 1, 7)  # a Wednesday
    record = _run(raw, first, Behaviour(), 6, 1)
    strength = record.strength_days()
    full_weeks = [d for d in strength if dt.date(2026, 1, 12) <= d < dt.date(2026, 2, 16)]
    assert [d.weekday() for d in full_weeks] == [0, 2, 4] * 5
    assert [d.weekday() for d in strength if d < dt.date(2026, 1, 12)] == [2, 4]  # the first part-week
    assert not record.skipped
