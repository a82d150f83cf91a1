"""The .ics export: parsed back with icalendar and compared with the plan it came from."""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo

import pytest
from icalendar import Calendar

from export_helpers import NOW
from sijcoach.exports import ExportError
from sijcoach.exports.calendar import plan_to_ics

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def events(data: bytes):
    return [c for c in Calendar.from_ical(data).walk("VEVENT")]


def ics(plan, **changes):
    options = {"reminder": dt.time(7, 30), "tz": "Europe/Berlin", "stamp": NOW, "owner": "alice",
               "uid_domain": "coach.test"} | changes
    return plan_to_ics(plan, **options)


def test_there_is_one_event_per_planned_routine_per_day_titled_by_the_routine(plan):
    found = events(ics(plan))
    expected = [(day.date, routine.title) for day in plan.days for routine in day.routines]
    assert [(e.decoded("dtstart").date(), str(e["summary"])) for e in found] == expected


def test_the_first_routine_starts_at_the_reminder_and_the_next_ones_follow_it(plan):
    found = events(ics(plan))
    first_day = [e for e in found if e.decoded("dtstart").date() == plan.days[0].date]
    assert first_day[0].decoded("dtstart") == dt.datetime(2026, 11, 23, 7, 30, tzinfo=BERLIN)
    for before, after in zip(first_day, first_day[1:]):
        assert after.decoded("dtstart") == before.decoded("dtstart") + before.decoded("duration")


def test_each_event_lasts_the_routine_minutes_times_its_rounds_and_lists_its_exercises(plan):
    found = iter(events(ics(plan)))
    for day in plan.days:
        for routine in day.routines:
            event = next(found)
            assert event.decoded("duration") == dt.timedelta(minutes=math.ceil(routine.minutes * routine.times_per_day))
            description = str(event["description"])
            for n, item in enumerate(routine.items, 1):
                assert f"{n}. {item.name}: " in description
            assert "not a diagnosis" in description


def test_one_alarm_rings_a_day_at_the_start_of_the_days_first_routine(plan):
    found = events(ics(plan))
    assert any(len(day.routines) > 1 for day in plan.days)  # days where the old way rang more than once
    for day in plan.days:
        of_day = [e for e in found if e.decoded("dtstart").date() == day.date]
        first, *others = of_day
        (alarm,) = first.walk("VALARM")
        assert str(alarm["action"]) == "DISPLAY"
        assert alarm.decoded("trigger") == dt.timedelta(0)
        assert all(not e.walk("VALARM") for e in others)


def test_the_alarm_names_every_routine_of_the_day_and_their_minutes(plan):
    day = plan.days[0]
    first = events(ics(plan))[0]
    (alarm,) = first.walk("VALARM")
    text = str(alarm["description"])
    assert all(routine.title in text for routine in day.routines)
    assert f"about {math.ceil(day.minutes)} minutes" in text


def test_the_side_and_dose_are_in_the_description(plan):
    relief = events(ics(plan))[0]
    assert "each side" in str(relief["description"])
    assert "hold 45 s" in str(relief["description"])


def test_uids_are_stable_across_exports_and_unique_within_one(plan):
    first = [str(e["uid"]) for e in events(ics(plan))]
    later = [str(e["uid"]) for e in events(ics(plan, stamp=NOW + dt.timedelta(days=3), reminder=dt.time(18)))]
    assert first == later
    assert len(set(first)) == len(first)
    assert all(uid.endswith("@coach.test") for uid in first)


def test_two_people_never_share_a_uid(plan):
    alice = {str(e["uid"]) for e in events(ics(plan, owner="alice"))}
    bob = {str(e["uid"]) for e in events(ics(plan, owner="bob"))}
    assert not alice & bob


def test_the_same_inputs_give_the_same_bytes(plan):
    assert ics(plan) == ics(plan)


def test_dtstamp_is_the_given_time_in_utc(plan):
    for event in events(ics(plan)):
        assert event.decoded("dtstamp") == NOW


def test_the_calendar_carries_its_name_and_the_time_zone_definition(plan):
    cal = Calendar.from_ical(ics(plan, calendar_name="Alice's exercises"))
    assert str(cal["x-wr-calname"]) == "Alice's exercises"
    assert [str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_without_a_reminder_time_the_events_are_all_day_and_silent(plan):
    found = events(ics(plan, reminder=None))
    assert len(found) == sum(len(day.routines) for day in plan.days)
    for event in found:
        start = event.decoded("dtstart")
        assert isinstance(start, dt.date) and not isinstance(start, dt.datetime)
        assert event.decoded("dtend") == start + dt.timedelta(days=1)
        assert not event.walk("VALARM")


def test_an_unknown_time_zone_is_refused_with_the_field_named(plan):
    with pytest.raises(ExportError, match="tz: 'Mars/Olympus' is not a known time zone"):
        ics(plan, tz="Mars/Olympus")


def test_a_naive_stamp_is_refused(plan):
    with pytest.raises(ExportError, match="stamp"):
        ics(plan, stamp=dt.datetime(2026, 11, 22))
