"""Seeding for the web benchmark: people made straight through the ORM, before the server starts.

Needs Django set up (DJANGO_SETTINGS_MODULE and the same environment as the server). Returns what
the load generator needs to act as each person: a signed-in session cookie and an API token.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from importlib import import_module

from django.utils import timezone

YEARS_DAYS = 5 * 365
PSFS = [("putting on socks", 3), ("sitting an hour", 4), ("walking 30 min", 5)]
PROFILE = {
    "age": 38, "sex": "female", "pain_now": 3, "onset_days_ago": 60, "sore_side": "left",
    "history": ["persistent_low_back_pain"], "hypermobility_answers": [False] * 5,
    "equipment": ["mat", "wall", "chair", "resistance_band"], "minutes_per_day": 20, "strength_days_per_week": 3,
}


@dataclass(frozen=True)
class Person:
    email: str
    user_id: int
    session_cookie: str
    token: str
    sessions: int


def _user(email: str):
    from django.contrib.auth import get_user_model

    # No usable password: nobody signs in with one here, and hashing would only slow seeding down.
    return get_user_model().objects.create_user(username=email, email=email, password=None)


def _signed_in(user, token_name: str = "bench") -> tuple[str, str]:
    """A session cookie value, as signing in would leave, and a fresh API token."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from sijcoach.web.accounts.models import ApiToken

    store = import_module(settings.SESSION_ENGINE).SessionStore()  # the app's own session table
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    _, key = ApiToken.issue(user, token_name)
    return store.session_key, key


def _person(user, sessions: int) -> Person:
    cookie, token = _signed_in(user)
    return Person(user.email, user.pk, cookie, token, sessions)


def new_person(today: dt.date) -> Person:
    """Checked in today, nothing done yet."""
    from sijcoach.web.plans import services

    user = _user("new@bench.example")
    services.save_checkin(user, dict(PROFILE), today, psfs=PSFS)
    return _person(user, 0)


def five_year_person(today: dt.date, seed: int = 5) -> Person:
    """Checked in five years ago, then one session every day since, each logged item by item with
    pain and effort, next-morning pain, the planned days, and the functional scale every two weeks."""
    from sijcoach.engine import make_plan
    from sijcoach.web.plans import services
    from sijcoach.web.plans.models import CheckIn, PlannedDay, PsfsActivity, PsfsRating, Session, SessionItem

    rnd = random.Random(seed)
    user = _user("fiveyear@bench.example")
    first = today - dt.timedelta(days=YEARS_DAYS + 1)
    checkin = services.save_checkin(user, dict(PROFILE), first, psfs=PSFS)
    started = timezone.make_aware(dt.datetime.combine(first, dt.time(8, 0)))
    CheckIn.objects.filter(pk=checkin.pk).update(created_at=started)
    PsfsRating.objects.filter(activity__user=user).update(date=first)

    # A week of the person's real plan, repeated: real exercises, doses, routine kinds and titles.
    week = make_plan(checkin.to_engine(first), (), first, 7).days
    planned, done = [], []
    for n in range(1, YEARS_DAYS + 1):
        day = first + dt.timedelta(days=n)
        plan_day = week[n % len(week)]
        planned.append(PlannedDay(user=user, date=day, checkin=checkin, routines=[
            {"kind": r.kind.value, "title": r.title, "minutes": r.minutes} for r in plan_day.routines]))
        routines = [r for r in plan_day.routines if r.kind.value != "walk"] or list(plan_day.routines)
        routine = routines[n % len(routines)]
        at = timezone.make_aware(dt.datetime.combine(day, dt.time(18, 30)))
        trend = max(0, 5 - n // 300)  # pain eases over the years, with day-to-day noise
        done.append((Session(
            user=user, date=day, routine_kind=routine.kind.value, routine_title=routine.title,
            created_at=at, changed_at=at + dt.timedelta(hours=14),
            pain_before=min(10, trend + rnd.randint(0, 3)), pain_after=min(10, trend + rnd.randint(0, 2)),
            pain_next_day=min(10, trend + rnd.randint(0, 3)), joint_went_out=rnd.random() < 0.01,
        ), routine.items[:7] or ()))
    PlannedDay.objects.bulk_create(planned, batch_size=500)
    sessions = Session.objects.bulk_create([s for s, _ in done], batch_size=500)
    items = []
    for session, (_, plan_items) in zip(sessions, done):
        for position, it in enumerate(plan_items):
            skipped = rnd.random() < 0.03
            items.append(SessionItem(
                session=session, position=position, exercise=it.exercise, side=it.side.value,
                planned_sets=it.sets, planned_reps=it.reps, planned_hold_s=it.hold_s,
                sets_done=0 if skipped else it.sets, reps_done=0 if skipped else it.reps,
                hold_s_done=0 if skipped else it.hold_s, skipped=skipped,
                pain=None if skipped else min(10, rnd.choice([0, 0, 1, 1, 2, 2, 3, 4])),
                effort=None if skipped else rnd.choice(["easy", "easy", "ok", "ok", "ok", "hard"]),
            ))
    SessionItem.objects.bulk_create(items, batch_size=1000)

    activities = list(PsfsActivity.objects.filter(user=user))
    ratings = []
    for n in range(14, YEARS_DAYS + 1, 14):
        for act in activities:
            start = next(score for name, score in PSFS if name == act.name)
            ratings.append(PsfsRating(activity=act, date=first + dt.timedelta(days=n),
                                      score=min(10, start + n // 365 + rnd.randint(0, 1))))
    PsfsRating.objects.bulk_create(ratings, batch_size=1000)
    return _person(user, len(sessions))


def writers(today: dt.date, count: int) -> list[Person]:
    """People who only save sessions during the benchmark, so the people being read stay as seeded."""
    from sijcoach.web.plans import services

    out = []
    for i in range(count):
        user = _user(f"writer{i}@bench.example")
        services.save_checkin(user, dict(PROFILE), today)
        out.append(_person(user, 0))
    return out


def seed(writer_count: int) -> dict:
    from django.db import connections

    from sijcoach.web.plans import services
    from sijcoach.web.plans.models import SessionItem

    today = services.today_for(_AnonymousDay())
    people = {"new": new_person(today), "five_year": five_year_person(today)}
    people_out = {k: vars(v) for k, v in people.items()}
    people_out["five_year"]["items"] = SessionItem.objects.filter(session__user_id=people["five_year"].user_id).count()
    out = {"today": today.isoformat(), "people": people_out,
           "writers": [vars(w) for w in writers(today, writer_count)]}
    connections.close_all()  # nothing held open (SQLite locks) while the server runs
    return out


class _AnonymousDay:
    """Stands in for a person without preferences: today in the server's time zone."""

    is_authenticated = False
