"""The rolling simulation through the web app: a person checks in, then each morning the clock moves
on a day, they answer how yesterday's sessions left them, read Today and their plan, and do the day's
sessions through the JSON API, for six weeks. The realised timeline keeps the same invariants as the
engine's simulation (tests/simulation.py), and a new check-in in week 4 does not restart the programme.
"""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
import time_machine
from pydantic import TypeAdapter
from test_api import bearer, send

from conftest import make_user
from sijcoach.engine import parse_logs
from sijcoach.engine.plan_types import Plan
from simulation import (
    Behaviour, Record, check_days, check_no_consecutive_strength, check_no_dose_rises_in_a_flare,
    check_no_strength_after_the_joint_goes_out, check_rest_around_hard_activities, check_stable_from_day_to_day,
    check_strength_weeks, do_day,
)
from situations import forbidden

FIRST = dt.date(2026, 3, 4)  # a Wednesday
WEEKS = 6
PLAN = TypeAdapter(Plan)
HIKES = (FIRST + dt.timedelta(days=9), FIRST + dt.timedelta(days=20))  # the second the day before a new check-in
RAW = {
    "age": 41, "sex": "female", "pregnancy": "none", "pain_now": 4, "onset_days_ago": 120, "sore_side": "left",
    "cause": "gradual", "history": ["sedentary", "persistent_low_back_pain"], "minutes_per_day": 20,
    "strength_days_per_week": 3, "equipment": ["mat", "wall", "doorway", "chair"],
    "planned_activities": [{"date": d.isoformat(), "kind": "hike", "intensity": "high"} for d in HIKES],
}


def _payload(log: dict, routine_title: str, day_items) -> dict:
    """The API's session body for one of the simulation's logs, with what was planned beside it."""
    items = []
    for done, planned in zip(log["items"], day_items):
        items.append({**done, "planned": {"sets": planned.sets, "reps": planned.reps, "hold_s": planned.hold_s}})
    return {"date": log["date"], "routine_kind": log["routine"], "routine_title": routine_title,
            "pain_before": log["pain_before"], "pain_after": log["pain_after"],
            "joint_went_out": log["joint_went_out"], "items": items}


@pytest.mark.parametrize("behaviour, seed", [
    (Behaviour(), 1),
    (Behaviour(skip=0.15, hurt=0.05, flare=0.05, joint_out=0.05, sore_morning=0.2), 7),
], ids=["does-everything", "skips-hurts-flares"])
def test_six_weeks_through_the_web_app_keep_every_invariant(client, db, behaviour, seed):
    rnd = random.Random(seed)
    record = Record()
    start = dt.datetime.combine(FIRST, dt.time(8, 0), tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        person = make_user("walker@example.org")
        auth = bearer(person)
        assert send(client, "put", "/api/v1/me/profile", RAW, headers=auth).status_code == 201
        yesterday: list[int] = []
        for k in range(WEEKS * 7):
            day = FIRST + dt.timedelta(days=k)
            worse = rnd.random() < behaviour.sore_morning
            for sid in yesterday:  # the next-morning question, for each of yesterday's sessions
                before = client.get(f"/api/v1/me/sessions/{sid}", headers=auth).json()["pain_before"] or 0
                r = send(client, "post", f"/api/v1/me/sessions/{sid}/morning",
                         {"pain_next_day": min(10, before + 2) if worse else before}, headers=auth)
                assert r.status_code == 200, r.content
            if k == 21:  # a new check-in in week 4: the programme goes on, it does not restart
                again = {**RAW, "pain_now": 3, "onset_days_ago": RAW["onset_days_ago"] + k}
                assert send(client, "put", "/api/v1/me/profile", again, headers=auth).status_code == 201
            client.force_login(person)
            today = client.get("/today/")
            assert today.status_code == 200
            r = client.get("/api/v1/me/plan", headers=auth)
            assert r.status_code == 200, r.content
            plan = PLAN.validate_python(r.json())
            assert plan.start == day and plan.programme.start == FIRST
            assert plan.programme.title in today.content.decode()
            record.plans[day] = plan
            yesterday = []
            if not plan.days[0].routines or rnd.random() < behaviour.skip:
                record.skipped.add(day)
            else:
                logs = do_day(plan.days[0], rnd, behaviour, base_pain=3)
                for log, routine in zip(logs, plan.days[0].routines):
                    r = send(client, "post", "/api/v1/me/sessions", _payload(log, routine.title, routine.items),
                             headers=auth)
                    assert r.status_code == 201, r.content
                    yesterday.append(r.json()["id"])
                record.done[day] = list(parse_logs(json.loads(json.dumps(logs))))
            clock.shift(dt.timedelta(days=1))
    assert record.plans[FIRST + dt.timedelta(days=WEEKS * 7 - 1)].programme.week == WEEKS
    check_no_consecutive_strength(record)
    check_rest_around_hard_activities(record, set(HIKES))
    check_no_strength_after_the_joint_goes_out(record)
    check_no_dose_rises_in_a_flare(record)
    check_strength_weeks(record, FIRST, RAW["strength_days_per_week"])
    check_days(record, RAW["minutes_per_day"], lambda d: forbidden(RAW, (d - FIRST).days))
    check_stable_from_day_to_day(record)
    assert len(record.strength_days()) >= 3 * (WEEKS - 2)
