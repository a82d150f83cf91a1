"""The web hands the engine the answers as given, with the day they describe, and the engine moves them
on itself, as it does on the command line: a check-in's pain stays the pain of that day, and a suspected
fracture stays until a doctor rules it out, however many weeks later the plan is asked for."""

from __future__ import annotations

import datetime as dt

import time_machine
from conftest import A_MONDAY, check_in, make_coach
from django.urls import reverse

from sijcoach.engine.catalog import catalog
from sijcoach.engine.inputs import InputError
from sijcoach.engine.plan_types import RoutineKind
from sijcoach.web.coaching import services as coaching
from sijcoach.web.plans import services


def strength_today(user) -> bool:
    plan = services.current_plan(user, services.today_for(user)).plan
    return any(r.kind == RoutineKind.STRENGTH for r in plan.days[0].routines)


def test_a_check_in_with_pain_of_seven_eases_two_days_not_every_day_after(charlie, as_user):
    # Found in review: answers moved on to each day made "pain 7 today" of every later day, so the two
    # days of relief after the check-in slid along and Today never showed strength work again.
    with time_machine.travel(A_MONDAY, tick=False):
        check_in(charlie, pain_now=7)
        assert not strength_today(charlie)  # the check-in's day: relief only
    with time_machine.travel(A_MONDAY + dt.timedelta(days=7), tick=False):  # the next Monday
        assert strength_today(charlie)
        assert "Strength" in as_user(charlie).get(reverse("today")).content.decode()


def test_a_suspected_fracture_holds_weeks_later_for_the_plan_the_library_this_hurts_and_the_coach(charlie, as_user):
    # Found in review: the engine keeps it "until a doctor rules it out", but the web moved the answers
    # on, so six weeks after a car accident the full plan came back and a coach could pin a wall sit.
    with time_machine.travel(A_MONDAY, tick=False):
        check_in(charlie, cause="car_accident", onset_days_ago=7)
        cora = make_coach("cora@example.org", charlie)
    with time_machine.travel(A_MONDAY + dt.timedelta(days=60), tick=False):
        current = services.current_plan(charlie, services.today_for(charlie))
        assert "suspected_fracture" in {r.id for r in current.plan.triage.reasons}
        planned = {i.exercise for d in current.plan.days for r in d.routines for i in r.items}
        assert planned <= {"diaphragmatic-breathing", "walking"}
        assert current.profile.onset_days_ago == 67  # the answers as they stand today, to show them
        assert services.situation_of(charlie).why_not(catalog()["wall-sit"]).startswith("a doctor has not yet excluded a fracture")
        said = services.pain_during_session(charlie, {"exercise": "walking", "pain": 6}, services.today_for(charlie))
        assert said.replacement is None or said.replacement.exercise in {"diaphragmatic-breathing", "walking"}
        try:
            coaching.change(cora, charlie.pk, "pin", exercise="wall-sit")
        except InputError as refused:
            assert "fracture" in refused.problems[0].message
        else:
            raise AssertionError("a coach's wall sit was accepted while a fracture is suspected")
