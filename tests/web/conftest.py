"""Personas and helpers for the web tests: Alice and Bob have plans; Charlie has only an account;
Cora is a coach, and Alice is her client."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from sijcoach.web.coaching import services as coaching
from sijcoach.web.plans import services

PASSWORD = "correct horse battery staple"

BASE_PROFILE = {
    "age": 38, "sex": "female", "pain_now": 3, "onset_days_ago": 60, "sore_side": "left",
    "history": ["persistent_low_back_pain"], "hypermobility_answers": [False] * 5,
}


def make_user(email: str):
    return get_user_model().objects.create_user(username=email, email=email, password=PASSWORD)


def check_in(user, on: dt.date | None = None, **changes):
    on = on or services.today_for(user)
    return services.save_checkin(user, {**BASE_PROFILE, **changes}, on,
                                 psfs=[("putting on socks", 4), ("sitting an hour", 5), ("walking 30 min", 6)])


# A Monday morning everywhere from UTC-11 to UTC+11. A programme that starts on a Monday has strength
# work on its first day and the rest of its week ahead; one that starts on a Sunday, for one, has
# neither (its strength work starts the next day, in the next week: clinical-notes 6).
A_MONDAY = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def on_a_monday():
    """For a test that needs today's plan to hold strength work, or tomorrow to be in this week: the
    clock starts on a Monday (and runs on), whatever day the suite runs. Ask for it before the
    personas, so that their check-ins are made that day."""
    with time_machine.travel(A_MONDAY, tick=True):
        yield A_MONDAY.date()


@pytest.fixture
def alice(db):
    user = make_user("alice@example.org")
    check_in(user)
    return user


@pytest.fixture
def bob(db):
    user = make_user("bob@example.org")
    check_in(user, age=52, sex="male", sore_side="right", pain_now=2)
    return user


@pytest.fixture
def charlie(db):
    return make_user("charlie@example.org")


def make_coach(email: str, *clients):
    """A coach (granted by an administrator) whose invites `clients` have accepted."""
    coach = make_user(email)
    coaching.grant_coach(coach, "administrator")
    for client in clients:
        coaching.accept_invite(client, coaching.create_invite(coach).code)
    return coach


@pytest.fixture
def cora(db, alice):
    return make_coach("cora@example.org", alice)


@pytest.fixture
def as_user(db):
    """A browser signed in as `user`."""
    def make(user):
        web = Client()
        web.force_login(user)
        return web
    return make


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def session_payload(items=None, **extra) -> dict:
    return {
        "pain_before": 3, "pain_after": 2,
        "items": items if items is not None else [
            {"exercise": "bird-dog", "side": "each", "planned": {"sets": 2, "reps": 8, "hold_s": 5},
             "sets_done": 2, "reps_done": 8, "hold_s_done": 5, "effort": "ok"},
        ],
        **extra,
    }


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres run on the PostgreSQL run (make test-postgres, which CI always runs);
    on the SQLite run they are left out rather than skipped."""
    from django.conf import settings

    if "postgres" in settings.DATABASES["default"]["ENGINE"]:
        return
    kept = [item for item in items if item.get_closest_marker("postgres") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept
