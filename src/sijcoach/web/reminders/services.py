"""The daily email reminder: who is due, claiming the day, the message, and the unsubscribe link.

A person is due from their reminder time (Preferences.reminder_time, in their own time zone) for up
to LATE_BY, on the same day: a sender that was stopped for a while catches up, but never sends
yesterday's reminder today. Each person's day is claimed with one conditional UPDATE before the
message goes out, so any number of senders, run as often as you like and at the same time, send one
message a day at most. A message that could not be sent gives its day back for the next run.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import mail, signing
from django.db.models import Q
from django.template.defaultfilters import floatformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from sijcoach.engine.plan_types import TriageLevel
from sijcoach.engine.screening import flags_action
from sijcoach.web.plans import services as plans
from sijcoach.web.reminders.models import EmailReminder
from sijcoach.web.timezones import zone_named

log = logging.getLogger(__name__)

LATE_BY = dt.timedelta(hours=3)
UNSUBSCRIBE_SALT = "sijcoach.reminders.unsubscribe"
UNSUBSCRIBE_MAX_AGE = dt.timedelta(days=90)  # the newest reminder always carries a fresh link


class BadLink(ValueError):
    """An unsubscribe link that was altered or is too old; the message says which, for the page."""


# Turning it on and off ---------------------------------------------------------------------------

def wants_email(user_id: int) -> bool:
    return EmailReminder.objects.filter(pk=user_id, enabled=True).exists()


def set_email_reminders(user, enabled: bool) -> None:
    row, made = EmailReminder.objects.get_or_create(user=user, defaults={"enabled": enabled})
    if not made and row.enabled != enabled:
        EmailReminder.objects.filter(pk=row.pk).update(enabled=enabled, changed_at=timezone.now())


def unsubscribe_token(user_id: int) -> str:
    return signing.dumps(user_id, salt=UNSUBSCRIBE_SALT)


def unsubscribed_user(token: str) -> int:
    """The id the link was made for; BadLink when it was altered or is older than UNSUBSCRIBE_MAX_AGE."""
    try:
        return int(signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE))
    except signing.SignatureExpired:
        raise BadLink(f"This link is more than {UNSUBSCRIBE_MAX_AGE.days} days old. The link in your newest "
                      "reminder works, or sign in and untick the email reminder in Settings.") from None
    except (signing.BadSignature, TypeError, ValueError):
        raise BadLink("This link is not one we sent: it may have been cut short when it was copied. Use the "
                      "link in your newest reminder, or sign in and untick the email reminder in Settings.") from None


def unsubscribe(user_id: int) -> None:
    EmailReminder.objects.filter(pk=user_id, enabled=True).update(enabled=False, changed_at=timezone.now())


def reminder_export(user) -> dict:
    """The person's email reminder, for their data export."""
    row = EmailReminder.objects.filter(user=user).first()
    return {"enabled": bool(row and row.enabled),
            "last_sent_at": row.sent_at.isoformat() if row and row.sent_at else None}


# Who is due --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Due:
    reminder: EmailReminder
    day: dt.date  # the person's own date
    zone_name: str


def due_day(at: dt.time, zone, now: dt.datetime) -> dt.date | None:
    """The person's date when `now` is from their reminder time to LATE_BY after it, that same day."""
    day = now.astimezone(zone).date()
    start = dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.timezone.utc)
    return day if start <= now < start + LATE_BY else None


def _in_window(zone_name: str, now: dt.datetime) -> Q:
    """People of one zone whose reminder time may be due now and who were not reminded today: a wall-
    clock window an hour wider on each side than LATE_BY (for the hour a summer-time change moves),
    within the day; due_day then decides exactly."""
    local = now.astimezone(zone_named(zone_name))
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=None)
    wall = local.replace(tzinfo=None)
    earliest = max(wall - LATE_BY - dt.timedelta(hours=1), midnight).time()
    latest = min(wall + dt.timedelta(hours=1), midnight + dt.timedelta(days=1, microseconds=-1)).time()
    return (Q(user__preferences__time_zone=zone_name, user__preferences__reminder_time__range=(earliest, latest))
            & (Q(last_day__isnull=True) | Q(last_day__lt=local.date())))


def due_reminders(now: dt.datetime) -> list[Due]:
    """Everyone due now. The database narrows it to the few whose time is near, zone by zone (one
    statement for the zones in use, one for the people), so a run costs little however many people
    have a reminder."""
    wanted = (EmailReminder.objects.filter(enabled=True, user__is_active=True,
                                           user__preferences__reminder_time__isnull=False)
              .exclude(user__email=""))
    zones = set(wanted.values_list("user__preferences__time_zone", flat=True).distinct())
    if not zones:
        return []
    near = Q()
    for name in sorted(zones):
        near |= _in_window(name, now)
    found = []
    for row in wanted.filter(near).select_related("user", "user__preferences").order_by("pk"):
        prefs = row.user.preferences
        zone = zone_named(prefs.time_zone)
        day = due_day(prefs.reminder_time, zone, now)
        if day is not None and (row.last_day is None or row.last_day < day):
            found.append(Due(row, day, str(zone)))
    return found


def claim(due: Due) -> bool:
    """Take the person's day for this sender: one UPDATE that only one sender can win."""
    return bool(EmailReminder.objects.filter(pk=due.reminder.pk, enabled=True)
                .filter(Q(last_day__isnull=True) | Q(last_day__lt=due.day))
                .update(last_day=due.day))


def give_back(due: Due) -> None:
    """The day back to a later run, after a message that could not be sent."""
    EmailReminder.objects.filter(pk=due.reminder.pk, last_day=due.day).update(last_day=due.reminder.last_day)


# The message -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reminder:
    subject: str
    template: str
    context: dict
    red_flag_id: int | None = None  # a warning-sign notice: told once per report


def reminder_for(user, day: dt.date, red_flag_told_id: int | None = None) -> Reminder | None:
    """What to say today, or None when there is nothing to say (the warning sign of report
    `red_flag_told_id` was told about already)."""
    checkin = plans.latest_checkin(user)
    report = plans.open_red_flag(user, checkin)
    if report is not None:
        # No exercise is suggested until the person checks in again after getting help; saying so
        # every day would nag, so the notice goes once and the reminders wait for a new check-in.
        if red_flag_told_id == report.pk:
            return None
        return Reminder("No exercises for now: get help first", "reminders/red_flag.txt",
                        {"action": flags_action(report.flags)},
                        red_flag_id=report.pk)
    if checkin is None:
        return Reminder("Your plan starts with a check-in", "reminders/check_in.txt", {})
    plan = plans.current_plan(user, day, checkin=checkin).plan
    today = plan.days[0] if plan.days and plan.days[0].date == day else None
    if today is None or not today.routines:
        return Reminder("Nothing planned today", "reminders/rest.txt", {})
    subject = f"Today's exercises: about {floatformat(today.minutes, 0)} minutes"
    return Reminder(subject, "reminders/plan.txt", {
        "day": today, "gentle": plan.triage.level == TriageLevel.SEE_DOCTOR_SOON, "triage": plan.triage})


def message(due: Due, reminder: Reminder) -> mail.EmailMessage:
    user, prefs = due.reminder.user, due.reminder.user.preferences
    site = settings.BASE_URL
    stop_url = site + reverse("reminders_unsubscribe", args=[unsubscribe_token(user.pk)])
    context = {**reminder.context, "on": due.day, "at": prefs.reminder_time, "zone": due.zone_name,
               "today_url": site + reverse("today"), "settings_url": site + reverse("settings"),
               "checkin_url": site + reverse("checkin_start"), "stop_url": stop_url}
    text = render_to_string(reminder.template, context).strip() + "\n"
    return mail.EmailMessage(
        subject=reminder.subject, body=text, to=[user.email],
        headers={
            # One-click unsubscribe (RFC 8058): mail apps show a button that POSTs to the link.
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",  # RFC 3834: no out-of-office replies, please
        })


# Sending -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Outcome:
    sent: int = 0
    quiet: int = 0  # claimed, with nothing to say
    failed: int = 0


def send_due(now: dt.datetime | None = None) -> Outcome:
    """Send every reminder due at `now` (the clock's time by default), over one connection opened
    when the first message is ready."""
    now = now or timezone.now()
    sent = quiet = failed = 0
    connection = mail.get_connection()
    try:
        for due in due_reminders(now):
            if not claim(due):
                continue  # another sender has it
            try:
                reminder = reminder_for(due.reminder.user, due.day, due.reminder.red_flag_told_id)
                if reminder is None:
                    quiet += 1
                    continue
                connection.open()  # once: a connection already open is kept
                if connection.send_messages([message(due, reminder)]) != 1:
                    raise RuntimeError("the mail server did not take the message")
            except Exception:  # the day goes back, and the next person is still reminded
                log.exception("The reminder to person %s for %s was not sent", due.reminder.pk, due.day)
                give_back(due)
                connection.close()  # the next message opens a new connection
                failed += 1
                continue
            told = {"red_flag_told_id": reminder.red_flag_id} if reminder.red_flag_id else {}
            EmailReminder.objects.filter(pk=due.reminder.pk).update(sent_at=timezone.now(), **told)
            sent += 1
    finally:
        connection.close()
    return Outcome(sent, quiet, failed)
