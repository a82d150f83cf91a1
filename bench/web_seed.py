"""Seeding for the web benchmark: 2,000 people with their histories, made with bulk_create before the
server starts.

Needs Django set up (DJANGO_SETTINGS_MODULE and the same environment as the server). Three cohorts:
1,400 people new or under a month (checked in 0-29 days ago), 500 with three months and 100 with
five years of daily sessions. Each person has one check-in (the engine's profile, as the check-in
stores it), a session every day since (the items of their plan's routine, logged item by item with
pain and effort; yesterday's still waits for its next-morning answer), the planned days, the
functional scale every two weeks, and a signed-in browser session (the cookie of an earlier visit).
Everyone shares one password, hashed once with the site's own hasher, so any of them can sign in.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from importlib import import_module

from django.utils import timezone

PASSWORD = "bench horse battery staple"
PSFS = ("putting on socks", "sitting an hour", "walking 30 min")
BASE_PROFILE = {
    "age": 38, "sex": "female", "pain_now": 3, "onset_days_ago": 60, "sore_side": "left",
    "history": ["persistent_low_back_pain"], "hypermobility_answers": [False] * 5,
    "equipment": ["mat", "wall", "chair", "resistance_band"], "minutes_per_day": 20, "strength_days_per_week": 3,
}
# A few different people, so the plans differ (sides, ages, equipment, time and strength days).
VARIANTS = (
    {},
    {"age": 52, "sex": "male", "sore_side": "right", "pain_now": 2, "equipment": ["mat"], "minutes_per_day": 15},
    {"age": 29, "sore_side": "both", "pain_now": 4, "strength_days_per_week": 2},
    {"age": 45, "sex": "male", "pain_now": 1, "minutes_per_day": 30, "equipment": ["mat", "chair"]},
)


@dataclass(frozen=True)
class Cohort:
    name: str
    count: int
    min_days: int  # days of history: from the check-in to yesterday
    max_days: int


def cohorts(scale: float = 1.0, five_years: int = 100) -> tuple[Cohort, ...]:
    """The issue's 2,000 people; `scale` shrinks the first two cohorts (the quick mode)."""
    def n(full: int) -> int:
        return max(1, round(full * scale))

    return (Cohort("new", n(1400), 0, 29), Cohort("three_months", n(500), 91, 91),
            Cohort("five_years", five_years, 5 * 365, 5 * 365))


def _weeks(today: dt.date) -> list[list]:
    """Per variant: a week of its real plan (routines with their items), repeated over the history."""
    from sijcoach.engine import make_plan
    from sijcoach.engine.inputs import parse_profile

    return [list(make_plan(parse_profile({**BASE_PROFILE, **v}), (), today, 7).days) for v in VARIANTS]


def _profiles() -> list[tuple[dict, str]]:
    """Per variant: the check-in's stored profile and its triage level, as CheckIn.from_engine makes them."""
    from sijcoach.engine.inputs import parse_profile
    from sijcoach.engine.screening import screen

    out = []
    for v in VARIANTS:
        profile = parse_profile({**BASE_PROFILE, **v})
        out.append((profile, screen(profile).level.value))
    return out


def _signed_in(user) -> str:
    """A session cookie value, as signing in leaves it: the app's own session store."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _history(people: list[tuple], today: dt.date, weeks: list[list], rnd: random.Random) -> int:
    """Sessions, their items, planned days and functional-scale ratings of `people` (user, variant,
    first day, check-in); returns the number of sessions made."""
    from sijcoach.web.plans.models import PlannedDay, PsfsActivity, PsfsRating, Session, SessionItem

    planned, done = [], []
    for user, variant, first, checkin in people:
        week = weeks[variant]
        trend_start = rnd.randint(3, 6)
        for n, day in enumerate(first + dt.timedelta(days=k) for k in range((today - first).days)):
            plan_day = week[day.toordinal() % 7]
            planned.append(PlannedDay(user=user, date=day, checkin=checkin, routines=[
                {"kind": r.kind.value, "title": r.title, "minutes": r.minutes} for r in plan_day.routines]))
            routines = [r for r in plan_day.routines if r.items]
            if not routines:
                continue
            routine = routines[n % len(routines)]
            trend = max(0, trend_start - n // 300)  # pain eases over the months, with day-to-day noise
            at = _at(day, 18, 30)
            yesterday = day == today - dt.timedelta(days=1)
            done.append((Session(
                user=user, date=day, routine_kind=routine.kind.value, routine_title=routine.title,
                created_at=at, changed_at=at if yesterday else at + dt.timedelta(hours=14),
                pain_before=min(10, trend + rnd.randint(0, 3)), pain_after=min(10, trend + rnd.randint(0, 2)),
                # Yesterday's session still waits for the morning question (Today asks it).
                pain_next_day=None if yesterday else min(10, trend + rnd.randint(0, 3)),
                joint_went_out=rnd.random() < 0.01,
            ), routine.items))
    PlannedDay.objects.bulk_create(planned, batch_size=2000)
    sessions = Session.objects.bulk_create([s for s, _ in done], batch_size=2000)
    items = []
    for session, (_, plan_items) in zip(sessions, done):
        for position, it in enumerate(plan_items):
            skipped = rnd.random() < 0.03
            items.append(SessionItem(
                session=session, position=position, exercise=it.exercise, side=it.side.value,
                planned_sets=it.sets, planned_reps=it.reps, planned_hold_s=it.hold_s,
                sets_done=0 if skipped else it.sets, reps_done=0 if skipped else it.reps,
                hold_s_done=0 if skipped else it.hold_s, skipped=skipped,
                pain=None if skipped else rnd.choice([0, 0, 1, 1, 2, 2, 3, 4]),
                effort=None if skipped else rnd.choice(["easy", "easy", "ok", "ok", "ok", "hard"]),
            ))
    SessionItem.objects.bulk_create(items, batch_size=2000)

    activities = PsfsActivity.objects.bulk_create([
        PsfsActivity(user=user, name=name, position=i) for user, _, _, _ in people for i, name in enumerate(PSFS)])
    firsts = {user.pk: first for user, _, first, _ in people}
    ratings = []
    for act in activities:
        first = firsts[act.user_id]
        for n in range(0, (today - first).days + 1, 14):
            ratings.append(PsfsRating(activity=act, date=first + dt.timedelta(days=n),
                                      score=min(10, 3 + act.position + n // 365 + rnd.randint(0, 1))))
    PsfsRating.objects.bulk_create(ratings, batch_size=2000)
    return len(sessions)


def seed(today: dt.date, scale: float = 1.0, five_years: int = 100, chunk: int = 40, seed: int = 14) -> dict:
    """Every cohort's people, `chunk` at a time (a five-year history is about 9,000 rows). Returns the
    people as the load generator needs them (email, cohort, session cookie) and what was made."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, connections, transaction

    from sijcoach.web.plans.models import CheckIn, Preferences

    rnd = random.Random(seed)
    User = get_user_model()
    password = make_password(PASSWORD)  # once: every person gets the same hash (and salt)
    weeks, profiles = _weeks(today), _profiles()
    wanted = [(c, i, rnd.randint(c.min_days, c.max_days)) for c in cohorts(scale, five_years) for i in range(c.count)]
    people, sessions = [], 0
    for start in range(0, len(wanted), chunk):
        with transaction.atomic():
            part = wanted[start:start + chunk]
            users = User.objects.bulk_create([
                User(username=f"{c.name}{i}@bench.example", email=f"{c.name}{i}@bench.example", password=password,
                     date_joined=_at(today - dt.timedelta(days=days), 8))
                for c, i, days in part])
            Preferences.objects.bulk_create([Preferences(user=u) for u in users])
            checkins = []
            for u, (c, i, days) in zip(users, part):
                first = today - dt.timedelta(days=days)
                profile, level = profiles[i % len(profiles)]
                checkin = CheckIn.from_engine(u, profile, first, level, CheckIn.Source.CHECK_IN)
                checkin.created_at = _at(first, 8)
                checkins.append(checkin)
            checkins = CheckIn.objects.bulk_create(checkins)
            sessions += _history([(u, i % len(VARIANTS), today - dt.timedelta(days=days), ch)
                                  for u, (c, i, days), ch in zip(users, part, checkins)], today, weeks, rnd)
            for u, (c, i, days) in zip(users, part):
                people.append({"email": u.email, "cohort": c.name, "days": days, "cookie": _signed_in(u)})
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load, before the copies are made from this database:
        # without statistics the planner guesses at every table's size.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    connections.close_all()  # nothing held open (SQLite locks, PostgreSQL template copies) while serving
    return {"today": today.isoformat(), "people": people, "sessions": sessions, "password": PASSWORD}
