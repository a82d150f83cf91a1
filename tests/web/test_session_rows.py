"""Saving a session with statements built once (plans/session_rows.py): the rows are the ORM's, value
for value, for no item, one, several and the most a session may hold; the data version goes up by
one (a first save makes the preferences row); and a save that fails leaves nothing, checked with
real commits rather than inside a test's transaction. Runs on SQLite and on the PostgreSQL run."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError
from django.utils import timezone

from sijcoach.web.plans import services, session_rows
from sijcoach.web.plans.models import Preferences, Session, SessionItem
from sijcoach.web.plans.payloads import SessionDone

from conftest import make_user

pytestmark = pytest.mark.django_db

MOST_ITEMS = SessionDone.model_fields["items"].metadata[0].max_length
WHEN = dt.datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=dt.timezone.utc)


def new_session(user, n_items: int, **changes) -> tuple[Session, list[SessionItem]]:
    session = Session(user=user, date=dt.date(2026, 3, 4), routine_kind="strength", routine_title="Strength A",
                      pain_before=4, pain_after=None, joint_went_out=True, created_at=WHEN, changed_at=WHEN,
                      **changes)
    items = [SessionItem(position=i, exercise=f"exercise-{i}", side=("left", "right", "each", "none")[i % 4],
                         planned_sets=3, planned_reps=10 + i, planned_hold_s=5, sets_done=i % 4, reps_done=8,
                         hold_s_done=i, pain=(None, 0, 7)[i % 3], effort=(None, "easy", "hard")[i % 3],
                         skipped=i % 5 == 0, swapped_from=None if i % 2 else "bird-dog",
                         swap_reason=None if i % 2 else "it hurt ('6/10'); swapped; \"quotes\" \\ too")
             for i in range(n_items)]
    return session, items


def rows_of(session_pk) -> tuple[dict, list[dict]]:
    s = Session.objects.filter(pk=session_pk).values().get()
    items = list(SessionItem.objects.filter(session_id=session_pk).order_by("position").values())
    return ({k: v for k, v in s.items() if k != "id"},
            [{k: v for k, v in it.items() if k not in ("id", "session_id")} for it in items])


def version(user) -> int | None:
    return Preferences.objects.filter(user=user).values_list("data_version", flat=True).first()


@pytest.mark.parametrize("n_items", [0, 1, 3, MOST_ITEMS])
def test_the_rows_are_the_orms_value_for_value(n_items):
    user = make_user("rows@example.org")
    services.touch(user)
    orm_session, orm_items = new_session(user, n_items)
    orm_session.save()
    for it in orm_items:
        it.session = orm_session
    SessionItem.objects.bulk_create(orm_items)

    session, items = new_session(user, n_items)
    before = version(user)
    session_rows.insert(session, items)
    assert version(user) == before + 1

    assert rows_of(session.pk) == rows_of(orm_session.pk)
    assert session.pk != orm_session.pk and not session._state.adding
    # Each item knows its own new row, and its session.
    stored = dict(SessionItem.objects.filter(session_id=session.pk).values_list("position", "id"))
    assert {it.position: it.pk for it in items} == stored
    assert all(it.session is session and not it._state.adding for it in items)


def test_a_first_save_makes_the_preferences_row_at_version_one():
    user = make_user("fresh@example.org")
    session, items = new_session(user, 2)
    session_rows.insert(session, items)
    assert version(user) == 1
    prefs = Preferences.objects.get(user=user)
    assert prefs.time_zone == "" and prefs.reminder_time is None  # the model's defaults
    session_rows.insert(*new_session(user, 0))
    assert version(user) == 2


def test_the_service_saves_a_first_session_and_its_items():
    user = make_user("first@example.org")
    done = services.parse_session({"pain_before": 2, "items": [
        {"exercise": "bird-dog", "side": "each", "planned": {"sets": 2, "reps": 8, "hold_s": 5},
         "sets_done": 2, "reps_done": 8, "hold_s_done": 5}]})
    saved = services.save_session(user, done, timezone.localdate())
    assert version(user) == 1
    assert [i.exercise for i in saved.items.all()] == ["bird-dog"]
    assert saved.items.all()[0].pk == SessionItem.objects.get(session=saved).pk


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first_save", [False, True])
def test_a_save_that_fails_leaves_nothing_and_the_version_as_it_was(first_save):
    """Committed for real (no test transaction around it): the save's own atomicity is what is checked."""
    user = make_user(f"fails-{first_save}@example.org")
    if not first_save:
        services.touch(user)
    before, count = version(user), Session.objects.count()
    session, items = new_session(user, 3)
    items[2].position = 1  # two items at one position: the database refuses the last insert
    with pytest.raises(IntegrityError):
        session_rows.insert(session, items)
    assert version(user) == before
    assert Session.objects.count() == count
    assert not SessionItem.objects.filter(session__user=user).exists()
    session_rows.insert(*new_session(user, 1))  # and the connection goes on working
    assert Session.objects.filter(user=user).count() == 1
