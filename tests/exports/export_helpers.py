"""A person with a realistic plan and a few logged sessions, shared by the export tests."""

from __future__ import annotations

import datetime as dt
import json

from sijcoach.engine.inputs import parse_profile
from sijcoach.engine.planner import make_plan
from sijcoach.engine.profile import LoggedItem, Profile, SessionLog

START = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 22, 18, 30, tzinfo=dt.timezone.utc)

PROFILE = {
    "age": 38, "sex": "female", "pain_now": 4, "onset_days_ago": 60, "sore_side": "left", "cause": "gradual",
    "history": ["sedentary", "persistent_low_back_pain"], "distortion": "inflare", "tight_muscles": ["hip_flexors"],
    "equipment": ["mat", "wall", "doorway", "chair", "resistance_band"], "minutes_per_day": 30,
    "red_flags": ["history_of_cancer"],
    "planned_activities": [{"date": "2026-11-28", "kind": "hike", "intensity": "high"}],
}
# Two sessions on one day (a morning and an evening routine) and one rating left out.
LOGS = (
    SessionLog(date=dt.date(2026, 11, 18), pain_before=5, pain_after=4, pain_next_day=4),
    SessionLog(date=dt.date(2026, 11, 20), pain_before=4, pain_after=3, pain_next_day=None,
               items=(LoggedItem(exercise="glute-bridge", sets_done=3, reps_done=2, pain=6),)),
    SessionLog(date=dt.date(2026, 11, 20), pain_before=3, pain_after=None, pain_next_day=2),
)


def person(**changes) -> Profile:
    return parse_profile(json.dumps(PROFILE | changes))


def plan_for(profile: Profile, days: int = 14):
    return make_plan(profile, LOGS, start=START, days=days)
