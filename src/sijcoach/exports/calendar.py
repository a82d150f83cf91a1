"""The plan as an iCalendar file: one event per planned routine per day, and one reminder a day.

UIDs are derived from the owner, the date and the routine's kind (not its title, which can change
as the plan adapts), so a subscribed calendar updates its events instead of adding duplicates.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
import zoneinfo

from icalendar import Alarm, Calendar, Event

from sijcoach.engine.plan_types import Day, Plan, Routine
from sijcoach.exports import ExportError
from sijcoach.exports.words import item_line, rounds_text, routine_minutes, whole_minutes

PRODID = "-//SI Joint Coach//Exercise plan//EN"
_UID_NAMESPACE = uuid.UUID("3f1d7a52-8f0e-4d47-9a43-2c1f63e0b6a4")  # fixed: UIDs must never change


def _zone(tz: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ExportError(
            f"tz: {tz!r} is not a known time zone; use an IANA name such as 'Europe/London' or 'UTC'"
        ) from None


def event_uid(owner: str, date: dt.date, kind: str, index: int, uid_domain: str) -> str:
    """Stable across re-exports: the same owner, date and routine kind always give the same UID."""
    key = f"{owner}|{date.isoformat()}|{kind}|{index}"
    return f"{uuid.uuid5(_UID_NAMESPACE, key)}@{uid_domain}"


def _description(routine: Routine) -> str:
    lines = [f"{n}. {item_line(item)}" for n, item in enumerate(routine.items, 1)]
    minutes = f"About {whole_minutes(routine_minutes(routine))} minutes"
    rounds = rounds_text(routine)
    head = [minutes + (f" ({rounds})" if rounds else "") + "."]
    if routine.note:
        head.append(routine.note)
    tail = ["", "Stop any exercise that causes sharp or rising pain. This is general guidance, not a "
            "diagnosis: warning signs such as new numbness or bladder trouble need a doctor at once."]
    return "\n".join(head + [""] + lines + tail)


def _day_alarm(day: Day) -> Alarm:
    """The day's one alarm: every routine of the day and the minutes they take together."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    titles = ", ".join(routine.title for routine in day.routines)
    alarm.add("description", f"Today: {titles} (about {whole_minutes(day.minutes)} minutes)")
    alarm.add("trigger", dt.timedelta(0))
    return alarm


def _day_events(day: Day, reminder: dt.time | None, zone, owner: str, uid_domain: str, stamp: dt.datetime):
    # Routines follow one another from the reminder time, in the plan's order (realignment before strength).
    start = dt.datetime.combine(day.date, reminder, tzinfo=zone) if reminder else None
    seen: dict[str, int] = {}
    for routine in day.routines:
        index = seen.get(routine.kind.value, 0)
        seen[routine.kind.value] = index + 1
        event = Event()
        event.add("uid", event_uid(owner, day.date, routine.kind.value, index, uid_domain))
        event.add("dtstamp", stamp)
        event.add("summary", routine.title)
        event.add("description", _description(routine))
        event.add("categories", ["SI Joint Coach", routine.kind.value])
        length = dt.timedelta(minutes=math.ceil(routine_minutes(routine)))
        if start is None:
            event.add("dtstart", day.date)
            event.add("dtend", day.date + dt.timedelta(days=1))
            event.add("transp", "TRANSPARENT")
        else:
            event.add("dtstart", start)
            event.add("duration", length)
            if routine is day.routines[0]:
                # One alarm a day, on the day's first routine: the others follow it without ringing.
                event.add_component(_day_alarm(day))
            start += length
        yield event


def plan_to_ics(
    plan: Plan,
    *,
    reminder: dt.time | None,
    tz: str,
    stamp: dt.datetime,
    calendar_name: str = "SI Joint Coach",
    uid_domain: str = "sijcoach.invalid",
    owner: str = "",
) -> bytes:
    """The plan's days as iCalendar bytes.

    reminder: the time the first routine of each day starts (with one alarm a day, at that start),
    in the time zone `tz` (an IANA name); None gives all-day events without alarms.
    stamp: the DTSTAMP of every event (when the export was made; pass an aware datetime).
    owner: something stable and unique per person (e.g. a feed token's id) so that two people's
    events never share a UID; uid_domain: the right-hand side of every UID (the site's host).
    """
    zone = _zone(tz)
    if reminder is not None and reminder.tzinfo is not None:
        raise ExportError("reminder: give a plain local time such as 07:30; the time zone goes in tz")
    if stamp.tzinfo is None:
        raise ExportError("stamp: give a time-zone-aware datetime (e.g. in UTC)")
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", calendar_name)
    cal.add("x-wr-calname", calendar_name)
    cal.add("x-wr-timezone", tz)
    cal.add("refresh-interval", dt.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")
    for day in plan.days:
        for event in _day_events(day, reminder, zone, owner, uid_domain, stamp.astimezone(dt.timezone.utc)):
            cal.add_component(event)
    if reminder is not None:
        cal.add_missing_timezones()
    return cal.to_ical()
