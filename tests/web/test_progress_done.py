"""One rule for a routine done (its session has an exercise done: not skipped, and some of it done), read three ways: in SQL for the
coach's list (`done_by_day`), from the current plan's logs for Today and the player (`done_in_logs`),
and from the rows Progress reads. The three must agree on a history with every case the rule has."""

from __future__ import annotations

import datetime as dt

from conftest import session_payload

from sijcoach.web.plans import progress, services
from sijcoach.web.plans.models import PlannedDay

DAY = dt.timedelta(days=1)
DONE = {"exercise": "bird-dog", "side": "each", "planned": {"sets": 2, "reps": 8}, "sets_done": 2, "reps_done": 8}
SKIPPED = {**DONE, "sets_done": 0, "reps_done": 0, "skipped": True}
# Stopped for pain before a set: the player logs the pain (so the plan swaps the exercise), nothing done.
HURT = {**DONE, "sets_done": 0, "reps_done": 0, "pain": 7}
HELD = {**DONE, "sets_done": 0, "reps_done": 0, "hold_s_done": 20}  # a hold counted in seconds only


def log(user, on: dt.date, kind: str, items: list[dict]) -> None:
    payload = {**session_payload(items), "date": on.isoformat(), "routine_kind": kind}
    services.save_session(user, services.parse_session(payload), on)


def test_sql_the_plans_logs_and_progress_count_the_same_routines_done(alice):
    on = services.today_for(alice)
    log(alice, on - 1 * DAY, "strength", [DONE, DONE])  # done
    log(alice, on - 1 * DAY, "relief", [SKIPPED, SKIPPED])  # every exercise skipped: not done
    log(alice, on - 2 * DAY, "relief", [SKIPPED, DONE])  # one done is enough
    log(alice, on - 2 * DAY, "strength", [])  # no exercises: not done
    log(alice, on - 3 * DAY, "strength", [SKIPPED])  # skipped, then done again the same day: done
    log(alice, on - 3 * DAY, "strength", [DONE])
    log(alice, on - 4 * DAY, "alignment", [SKIPPED])
    log(alice, on - 4 * DAY, "relief", [HURT, SKIPPED])  # one stopped for pain, the other skipped: not done
    log(alice, on - 5 * DAY, "relief", [HURT, HELD])  # a hold done: done
    log(alice, on, "alignment", [DONE])
    expected = {on - 1 * DAY: {"strength"}, on - 2 * DAY: {"relief"}, on - 3 * DAY: {"strength"},
                on - 5 * DAY: {"relief"}, on: {"alignment"}}
    start = on - 6 * DAY

    assert progress.done_by_day(alice, start, on) == expected
    current = services.current_plan(alice, on)
    assert dict(progress.done_in_logs(current.logs, start, on)) == expected
    assert dict(progress.done_in_logs(current.logs, on - 2 * DAY, on - DAY)) == {
        day: kinds for day, kinds in expected.items() if on - 2 * DAY <= day <= on - DAY}

    # Progress: with relief and strength planned on each of those days, every day's status is the one
    # the SQL rule gives, and so is the week's count.
    PlannedDay.objects.filter(user=alice, date__lt=on).delete()
    PlannedDay.objects.bulk_create([
        PlannedDay(user=alice, date=day, checkin=current.checkin,
                   routines=[{"kind": k, "title": k, "minutes": 10} for k in ("relief", "strength", "alignment")])
        for day in (on - n * DAY for n in range(1, 7))])
    data = progress.build_for(alice, on, 4, current)
    by_sql = progress.done_by_day(alice, data.start, on)
    planned = progress.planned_by_day_for([alice.pk], data.start, data.end)[alice.pk]
    statuses = {c.date: c.status for c in data.calendar if c.date <= on}
    assert statuses == {day: progress._status(planned.get(day, []), by_sql.get(day, set()), day, on)
                        for day in statuses}
    assert {statuses[on - n * DAY] for n in (1, 2, 3, 5)} == {"partial"} and statuses[on - 4 * DAY] == "missed"
    assert data.week == progress.week_completion(alice, on, current.plan.days)
