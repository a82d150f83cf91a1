"""Daily email reminders, sent through Django's SMTP backend to a real SMTP server (aiosmtpd) started
here, and read as that server received them: due at the person's time in their own zone, once a day
however often and however many senders run, with today's session, a link to Today and a signed
one-click unsubscribe link; no session for someone without a check-in or with an open warning sign."""

from __future__ import annotations

import asyncio
import datetime as dt
import email
import re
import subprocess
import sys
import threading
from email import policy
from zoneinfo import ZoneInfo

import pytest
import time_machine
from conftest import check_in, make_user
from django.core.management import CommandError, call_command
from django.template.defaultfilters import floatformat
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sijcoach.web.plans import services as plans
from sijcoach.web.plans.models import Preferences, RedFlagReport
from sijcoach.web.reminders import services
from sijcoach.web.reminders.models import EmailReminder
from live_app import free_port
from test_kill import server_env  # noqa: F401  (a fixture: this run's database, migrated, for real processes)

BASE_URL = "https://coach.example.org"
UTC = dt.timezone.utc


class Inbox:
    """An aiosmtpd handler that keeps every message it is given, as a parsed email."""

    def __init__(self, delay_s: float = 0.0):
        self.delay_s = delay_s
        self.received: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(self.delay_s)  # a slow server keeps concurrent senders overlapping
        message = email.message_from_bytes(envelope.content, policy=policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        with self.lock:
            self.received.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.received if m["X-Envelope-To"] == address]


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, controller.port
    controller.stop()


@pytest.fixture
def inbox(smtp, settings):
    """Django sends through its SMTP backend to the server above (the tests' locmem outbox is not used)."""
    inbox, port = smtp
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.BASE_URL = BASE_URL
    return inbox


def remind(user, at: str, zone: str = "UTC", email_on: bool = True) -> None:
    plans.set_preferences(user, reminder_time=dt.time.fromisoformat(at), time_zone=zone)
    services.set_email_reminders(user, email_on)


def utc_today_at(hhmm: str) -> dt.datetime:
    """Today (the real date, as the check-ins are made today) at this time in UTC."""
    return dt.datetime.combine(timezone.now().astimezone(UTC).date(), dt.time.fromisoformat(hhmm), tzinfo=UTC)


def body(message) -> str:
    return message.get_content()


def links(message) -> list[str]:
    return re.findall(r"https?://\S+", body(message))


# Who is due, and when ------------------------------------------------------------------------------

def test_each_person_is_reminded_at_their_own_time_in_their_own_zone(inbox, alice, bob):
    remind(alice, "07:30", "Europe/London")
    remind(bob, "07:30", "America/New_York")
    services.send_due(utc_today_at("07:31"))  # 07:31 in London (winter: UTC), 02:31 in New York
    assert [m["To"] for m in inbox.received] == ["alice@example.org"]
    services.send_due(utc_today_at("12:31"))  # 07:31 in New York
    assert [m["To"] for m in inbox.received] == ["alice@example.org", "bob@example.org"]


def test_nothing_goes_before_the_time_or_for_someone_who_did_not_ask_for_email(inbox, alice, bob):
    remind(alice, "07:30", "Europe/London")
    remind(bob, "07:00", "Europe/London", email_on=False)  # a calendar alarm only
    services.send_due(utc_today_at("07:29"))
    services.send_due(utc_today_at("07:45"))
    assert [m["To"] for m in inbox.received] == ["alice@example.org"]


@pytest.mark.parametrize("zone, at, now, due", [
    ("Europe/London", "07:30", dt.datetime(2026, 7, 1, 6, 30, tzinfo=UTC), dt.date(2026, 7, 1)),  # summer time
    ("Europe/London", "07:30", dt.datetime(2026, 7, 1, 7, 30, tzinfo=UTC), dt.date(2026, 7, 1)),  # an hour late
    ("Europe/London", "07:30", dt.datetime(2026, 7, 1, 6, 29, tzinfo=UTC), None),  # a minute early
    ("Europe/London", "07:30", dt.datetime(2026, 7, 1, 9, 30, tzinfo=UTC), None),  # three hours late: not any more
    ("Asia/Tokyo", "07:30", dt.datetime(2026, 6, 30, 22, 45, tzinfo=UTC), dt.date(2026, 7, 1)),  # UTC's day before
    ("America/New_York", "23:30", dt.datetime(2026, 12, 6, 5, 0, tzinfo=UTC), None),  # past midnight: not the next day
    ("Pacific/Kiritimati", "06:00", dt.datetime(2026, 12, 5, 16, 30, tzinfo=UTC), dt.date(2026, 12, 6)),  # UTC+14
])
def test_due_means_from_the_time_to_three_hours_after_it_on_the_persons_own_day(zone, at, now, due):
    assert services.due_day(dt.time.fromisoformat(at), ZoneInfo(zone), now) == due


def test_the_databases_narrowing_finds_exactly_whom_the_rule_says_is_due(db):
    """Zone by zone, the statement that picks people near their time agrees with due_day, every 37
    minutes over two days around Europe's change to summer time, in zones from UTC-5 to UTC+14."""
    zones = ["Europe/London", "America/New_York", "Asia/Kathmandu", "Pacific/Kiritimati", ""]
    times = ["00:00", "01:30", "07:30", "12:00", "23:30"]
    people = {}
    for i, (zone, at) in enumerate((z, t) for z in zones for t in times):
        person = make_user(f"p{i}@example.org")
        remind(person, at, zone)
        people[person.pk] = (dt.time.fromisoformat(at), ZoneInfo(zone or "UTC"))
    start = dt.datetime(2026, 3, 28, 0, 0, tzinfo=UTC)
    for step in range(0, 2 * 24 * 60, 37):
        now = start + dt.timedelta(minutes=step)
        expected = {pk for pk, (at, zone) in people.items() if services.due_day(at, zone, now)}
        assert {due.reminder.pk for due in services.due_reminders(now)} == expected, now


def test_an_empty_zone_means_the_servers(inbox, alice, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    remind(alice, "16:30", "")
    services.send_due(utc_today_at("07:31"))  # 16:31 in Tokyo
    assert len(inbox.received) == 1


# Once a day --------------------------------------------------------------------------------------

def due_now(user) -> None:
    """A reminder due at this very minute (UTC), for the command, which reads the clock itself."""
    remind(user, timezone.now().astimezone(UTC).strftime("%H:%M"), "UTC")


def test_running_the_command_again_and_again_sends_once(inbox, alice, bob):
    due_now(alice)
    due_now(bob)
    for _ in range(3):
        call_command("send_reminders")
    assert sorted(m["To"] for m in inbox.received) == ["alice@example.org", "bob@example.org"]
    assert EmailReminder.objects.get(user=alice).last_day == timezone.now().astimezone(UTC).date()


def test_the_next_day_brings_the_next_reminder(inbox, alice):
    remind(alice, "07:30", "UTC")
    services.send_due(utc_today_at("07:30"))
    services.send_due(utc_today_at("07:30") + dt.timedelta(days=1))
    assert len(inbox.received) == 2


def test_a_reminder_the_mail_server_refused_is_sent_by_the_next_run(inbox, alice, settings):
    remind(alice, "07:30", "UTC")
    working = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there
    assert services.send_due(utc_today_at("07:31")).failed == 1
    assert EmailReminder.objects.get(user=alice).last_day is None  # the day was given back
    settings.EMAIL_PORT = working
    assert services.send_due(utc_today_at("07:32")).sent == 1
    assert [m["To"] for m in inbox.received] == ["alice@example.org"]


def test_without_the_sites_address_the_command_says_what_to_set(inbox, settings):
    settings.BASE_URL = ""
    with pytest.raises(CommandError, match="SIJCOACH_BASE_URL is not set"):
        call_command("send_reminders")


def test_too_short_an_interval_is_refused_naming_the_option(inbox):
    with pytest.raises(CommandError, match="--every: 1 is too often"):
        call_command("send_reminders", every=1)


def test_senders_running_at_once_send_each_person_one_message(server_env, smtp):  # noqa: F811
    """Four real processes on one database, started together against a slow mail server: each of the
    ten people gets one message."""
    inbox, port = smtp
    inbox.delay_s = 0.3  # a round of ten takes 3 s: the senders, starting together, overlap
    env = {**server_env, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(port), "SIJCOACH_BASE_URL": BASE_URL}
    setup = (
        "import datetime as dt\n"
        "from django.contrib.auth import get_user_model\n"
        "from sijcoach.web.plans import services as plans\n"
        "from sijcoach.web.reminders import services\n"
        "now = dt.datetime.now(dt.timezone.utc)\n"
        "for n in range(10):\n"
        "    user = get_user_model().objects.create_user(f'p{n}@example.org', f'p{n}@example.org', 'x' * 12)\n"
        "    plans.set_preferences(user, reminder_time=dt.time(now.hour, now.minute), time_zone='UTC')\n"
        "    services.set_email_reminders(user, True)\n")
    subprocess.run([sys.executable, "-m", "sijcoach.web", "shell", "-c", setup], env=env, check=True, timeout=120)
    senders = [subprocess.Popen([sys.executable, "-m", "sijcoach.web", "send_reminders"], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
    outputs = [s.communicate(timeout=120) for s in senders]
    assert [s.returncode for s in senders] == [0] * 4, outputs
    assert sorted(m["To"] for m in inbox.received) == sorted(f"p{n}@example.org" for n in range(10))
    sent = sum(int(out.split()[0]) for out, _ in outputs if out)
    assert sent == 10, outputs


# What the message says ---------------------------------------------------------------------------

def test_the_message_gives_todays_session_its_minutes_and_a_link_to_today(inbox, alice):
    remind(alice, "07:30", "UTC")
    services.send_due(utc_today_at("07:31"))
    (message,) = inbox.received
    day = plans.current_plan(alice, utc_today_at("07:31").date()).plan.days[0]
    text = body(message)
    assert message["Subject"] == f"Today's exercises: about {floatformat(day.minutes, 0)} minutes"
    for routine in day.routines:
        assert f"- {routine.title} · {floatformat(routine.minutes, 0)} min" in text
    assert f"Start from Today: {BASE_URL}/today/" in text
    assert "not a diagnosis" in text and "07:30 (UTC)" in text
    assert message["From"] == "SI Joint Coach <reminders@localhost>"


def test_the_message_carries_no_sign_in_token_and_its_links_do_not_sign_in(inbox, alice):
    remind(alice, "07:30", "UTC")
    services.send_due(utc_today_at("07:31"))
    (message,) = inbox.received
    found = links(message)
    assert {u.split(BASE_URL, 1)[1].split("/")[1] for u in found} == {"today", "settings", "reminders"}
    raw = message.as_string()
    assert "sessionid" not in raw and "sij_" not in raw and not any("?" in u for u in found)
    visitor = Client()
    for url in found:
        r = visitor.get(url.removeprefix(BASE_URL))
        assert "_auth_user_id" not in visitor.session
        assert r.status_code in (200, 302)
    assert visitor.get("/today/")["Location"].startswith(reverse("signin"))


def test_someone_without_a_check_in_is_asked_to_check_in_not_given_a_session(inbox, charlie):
    remind(charlie, "07:30", "UTC")
    services.send_due(utc_today_at("07:31"))
    (message,) = inbox.received
    assert message["Subject"] == "Your plan starts with a check-in"
    assert f"Check in: {BASE_URL}/check-in/" in body(message) and "minutes of exercise" not in body(message)


def test_an_open_warning_sign_gives_one_notice_without_exercises_then_quiet_until_a_new_check_in(inbox, alice):
    remind(alice, "07:30", "UTC")
    RedFlagReport.objects.create(user=alice, level="emergency", flags=["saddle_numbness"])
    services.send_due(utc_today_at("07:31"))
    (notice,) = inbox.received
    text = body(notice)
    assert notice["Subject"] == "No exercises for now: get help first"
    assert "no exercises until a professional has seen you" in text and "What to do: " in text
    plan = plans.current_plan(alice, utc_today_at("07:31").date()).plan
    assert not any(r.title in text for d in plan.days for r in d.routines)
    # The next days: nothing, until the person checks in again.
    outcome = services.send_due(utc_today_at("07:31") + dt.timedelta(days=1))
    assert (outcome.sent, outcome.quiet, len(inbox.received)) == (0, 1, 1)
    check_in(alice, on=utc_today_at("07:31").date())
    services.send_due(utc_today_at("07:31") + dt.timedelta(days=2))
    assert inbox.received[-1]["Subject"].startswith("Today's exercises")


def test_a_gentle_plan_says_so_in_the_reminder(inbox, alice):
    check_in(alice, age=72)  # new back pain over 50: see a doctor soon, with a gentle plan
    remind(alice, "07:30", "UTC")
    services.send_due(utc_today_at("07:31"))
    plan = plans.current_plan(alice, utc_today_at("07:31").date()).plan
    assert "Your plan stays gentle for now. " + plan.triage.action in body(inbox.received[0])


# Unsubscribing -----------------------------------------------------------------------------------

def unsubscribe_path(message) -> str:
    header = str(message["List-Unsubscribe"]).strip()  # a long header may be folded onto its next line
    assert header.startswith(f"<{BASE_URL}/reminders/stop/") and header.endswith("/>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header[1:-1] in links(message)
    return header[1:-1].removeprefix(BASE_URL)


def sent_to_alice(inbox, alice):
    remind(alice, "07:30", "UTC")
    services.send_due(utc_today_at("07:31"))
    return inbox.received[-1]


def test_one_click_unsubscribe_works_without_signing_in_or_a_csrf_token(inbox, alice):
    path = unsubscribe_path(sent_to_alice(inbox, alice))
    mail_app = Client(enforce_csrf_checks=True)
    r = mail_app.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert r.status_code == 200 and "no more reminder emails" in r.content.decode()
    assert not EmailReminder.objects.get(user=alice).enabled
    assert services.send_due(utc_today_at("07:31") + dt.timedelta(days=1)).sent == 0


def test_opening_the_link_only_asks_and_the_button_unsubscribes(inbox, alice):
    path = unsubscribe_path(sent_to_alice(inbox, alice))
    visitor = Client()
    page = visitor.get(path)
    assert page.status_code == 200 and "Stop reminder emails" in page.content.decode()
    assert EmailReminder.objects.get(user=alice).enabled  # a GET (a mail scanner) changes nothing
    assert "no-store" in page["Cache-Control"] and "script-src 'self';" in page["Content-Security-Policy"]
    visitor.post(path)
    assert not EmailReminder.objects.get(user=alice).enabled
    assert "already stopped" in visitor.get(path).content.decode()


def test_a_tampered_link_is_refused_and_changes_nothing(inbox, alice, bob):
    path = unsubscribe_path(sent_to_alice(inbox, alice))
    token = path.split("/")[3]
    # Bob's id with the signature made for Alice's
    forged = services.unsubscribe_token(bob.pk).split(":", 1)[0] + ":" + token.split(":", 1)[1]
    for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), forged, "1", "not-a-token"):
        r = Client().post(reverse("reminders_unsubscribe", args=[bad]))
        assert r.status_code == 400 and "is not one we sent" in r.content.decode()
    assert EmailReminder.objects.get(user=alice).enabled


def test_an_expired_link_says_so_and_points_to_settings(inbox, alice):
    path = unsubscribe_path(sent_to_alice(inbox, alice))
    with time_machine.travel(timezone.now() + dt.timedelta(days=91)):
        r = Client().post(path)
    assert r.status_code == 400 and "more than 90 days old" in r.content.decode() and "/settings/" in r.content.decode()
    assert EmailReminder.objects.get(user=alice).enabled
    with time_machine.travel(timezone.now() + dt.timedelta(days=89)):
        assert Client().post(path).status_code == 200


# Settings and sign-up ----------------------------------------------------------------------------

def settings_form(**changes) -> dict:
    return {"equipment": ["mat"], "level": "beginner", "minutes_per_day": "20", "strength_days_per_week": "2",
            "reminder_time": "07:30", "time_zone": "Europe/Paris", **changes}


def test_settings_turn_the_email_on_and_off(alice_client, alice):
    alice_client.post(reverse("settings"), settings_form(email_reminders="on"))
    assert EmailReminder.objects.get(user=alice).enabled
    page = alice_client.get(reverse("settings")).content.decode()
    assert re.search(r'<input type="checkbox" name="email_reminders"[^>]* checked', page)
    alice_client.post(reverse("settings"), settings_form())
    assert not EmailReminder.objects.get(user=alice).enabled


def test_the_time_zone_is_chosen_from_the_list_of_zones(alice_client):
    page = alice_client.get(reverse("settings")).content.decode()
    assert '<select name="time_zone"' in page
    assert '<option value="America/New_York">America/New York</option>' in page
    assert len(re.findall(r'<option value="[A-Z][^"]*/', page)) > 300


def test_sign_up_keeps_the_time_zone_and_its_page_loads_the_preset_script(client, db):
    page = client.get(reverse("signup")).content.decode()
    assert re.search(r'<select name="time_zone"[^>]*data-browser-zone', page)
    assert re.search(r'<script src="/static/sijcoach/timezone\.js" defer></script>', page)
    r = client.post(reverse("signup"), {"email": "dora@example.org", "password": "correct horse battery staple",
                                        "understood": "on", "time_zone": "Asia/Kolkata"})
    assert r.status_code == 302
    assert Preferences.objects.get(user__email="dora@example.org").time_zone == "Asia/Kolkata"


def test_sign_up_refuses_a_made_up_time_zone_naming_the_field(client, db):
    r = client.post(reverse("signup"), {"email": "dora@example.org", "password": "correct horse battery staple",
                                        "understood": "on", "time_zone": "Mars/Olympus_Mons"})
    assert r.status_code == 400 and "Time zone: not one of the listed time zones" in r.content.decode()
    assert not Preferences.objects.filter(user__email="dora@example.org").exists()


def test_the_data_export_says_whether_email_reminders_are_on(alice_client, alice):
    services.set_email_reminders(alice, True)
    exported = alice_client.get(reverse("export")).json()
    assert exported["preferences"]["email_reminders"] == {"enabled": True, "last_sent_at": None}


def test_email_reminders_are_off_until_the_person_turns_them_on(db):
    assert not services.wants_email(make_user("erin@example.org").pk)
