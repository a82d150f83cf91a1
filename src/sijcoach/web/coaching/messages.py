"""Messages between a client and their coach: reading, sending, marking read, the unread counts and
the email notice of new messages.

A client reads every message of their links, past coaches' too (leaving keeps the history); a coach
reads only those of an active link, through `access.client_link`, and each read is written to the
client's access log. Nothing here is marked read by opening a page (no GET writes): the reader's
"Mark as read" button or their reply marks the other side's messages read, up to the newest one the
page showed them, so a message that arrived meanwhile stays new.

The notice: when a message arrives, its recipient gets an email through the reminders' mail set-up,
at most one an hour, only if they turned on the email reminder (there is no separate choice for
messages). The hour is claimed in the database with one conditional UPDATE before the mail goes, so
two messages arriving at once send one notice. A message that arrives within the hour after a notice
is told about by the reminder sender's next run once the hour is over, if it is still unread.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.db.models import Count, Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from sijcoach.engine.catalog import catalog
from sijcoach.engine.inputs import InputError, Problem
from sijcoach.web import access
from sijcoach.web.coaching.models import AccessLog, CoachLink, Message, MessageNotice
from sijcoach.web.coaching.services import active_link
from sijcoach.web.plans.models import Session

log = logging.getLogger(__name__)

MESSAGE_MAX = 1000  # characters: short messages, and room for every note written before
NOTICE_EVERY = dt.timedelta(hours=1)
SHOWN = 200  # the newest messages a page shows, oldest first
SESSION_CHOICES = 30  # the client's latest sessions a message may point at, from the form
NO_COACH = "You have no coach to write to: your earlier messages stay here to read."


class NoCoach(Exception):
    """The client has no coach to write to; the message says so."""


@dataclass(frozen=True)
class Conversation:
    link: CoachLink | None  # the active link a reply goes on; None: the history can only be read
    messages: list[Message]
    unread: int  # the other side's messages the reader has not marked read
    newest_id: int  # the newest message shown: "Mark as read" marks up to it, not beyond


def _conversation(link: CoachLink | None, rows, reader_is_coach: bool) -> Conversation:
    newest = rows.select_related("link__coach", "link__client", "session").order_by("-sent_at", "-id")[:SHOWN]
    shown = list(reversed(newest))
    unread = sum(1 for m in shown if m.read_at is None and m.from_coach != reader_is_coach)
    return Conversation(link, shown, unread, max((m.id for m in shown), default=0))


def for_client(client) -> Conversation:
    """Every message of the client's links, past coaches' included."""
    return _conversation(active_link(client), Message.objects.filter(link__client_id=client.pk), reader_is_coach=False)


def for_coach(coach, client_id: int) -> Conversation:
    """The messages of the coach's active link with the client (404 otherwise), written to the
    client's access log."""
    link = access.client_link(coach, client_id)
    found = _conversation(link, link.messages.all(), reader_is_coach=True)
    n = len(found.messages)
    AccessLog.objects.create(client=link.client, coach=coach, coach_email=coach.email,
                             what=f"messages: the conversation with you ({n} message{'s' if n != 1 else ''})")
    return found


def recent_sessions(client_id: int) -> list[Session]:
    return list(Session.objects.filter(user_id=client_id)[:SESSION_CHOICES])


def exercises_done(sessions: list[Session]) -> set[str]:
    """The exercises logged in `sessions` (the form's recent ones): what a message is most likely about."""
    return set(Session.objects.filter(pk__in=[s.pk for s in sessions], items__exercise__isnull=False)
               .values_list("items__exercise", flat=True))


# Sending -----------------------------------------------------------------------------------------

def _checked(link: CoachLink, text: str, session_id: int | None, exercise: str) -> tuple[str, int | None, str]:
    """The message's parts, or InputError naming each part at fault in plain words."""
    text, exercise = (text or "").strip(), (exercise or "").strip()
    problems = []
    if not 1 <= len(text) <= MESSAGE_MAX:
        problems.append(Problem("message", f"{len(text)} characters", f"1 to {MESSAGE_MAX} characters",
                                "a message needs some words, and no more than the limit"))
    if session_id is not None and not Session.objects.filter(pk=session_id, user_id=link.client_id).exists():
        problems.append(Problem("session", session_id, "one of the client's own sessions, or none",
                                "no session of the client has this number"))
    if exercise and exercise not in catalog():
        problems.append(Problem("exercise", exercise, "an exercise of the library, or none",
                                "the library has no exercise of this name"))
    if problems:
        raise InputError("message", problems)
    return text, session_id, exercise


def _send(link: CoachLink, from_coach: bool, text: str, session_id: int | None, exercise: str,
          seen: int | None) -> Message:
    text, session_id, exercise = _checked(link, text, session_id, exercise)
    with transaction.atomic():
        message = Message.objects.create(link=link, from_coach=from_coach, text=text, session_id=session_id,
                                         exercise=exercise)
        if seen:  # a reply: the other side's messages the writer had on the page are read
            _mark(link.messages.filter(from_coach=not from_coach), seen)
    # After the commit: a slow mail server holds no lock, and a refusing one loses no message.
    send_notices(to=link.client_id if from_coach else link.coach_id)
    return message


def send_as_coach(coach, client_id: int, text: str, session_id: int | None = None, exercise: str = "",
                  seen: int | None = None) -> Message:
    return _send(access.client_link(coach, client_id), True, text, session_id, exercise, seen)


def send_as_client(client, text: str, session_id: int | None = None, exercise: str = "",
                   seen: int | None = None) -> Message:
    link = active_link(client)
    if link is None:
        raise NoCoach(NO_COACH)
    return _send(link, False, text, session_id, exercise, seen)


# Marking read ------------------------------------------------------------------------------------

def _mark(messages, upto: int) -> int:
    return messages.filter(read_at=None, id__lte=upto).update(read_at=timezone.now())


def mark_read_by_client(client, upto: int) -> int:
    """The coaches' messages to the client, up to message `upto` (the newest the page showed)."""
    return _mark(Message.objects.filter(link__client_id=client.pk, from_coach=True), upto)


def mark_read_by_coach(coach, client_id: int, upto: int) -> int:
    link = access.client_link(coach, client_id)
    return _mark(link.messages.filter(from_coach=False), upto)


# Unread counts -----------------------------------------------------------------------------------

def unread_from_coach(client) -> int:
    """For Today: the current coach's messages the client has not marked read."""
    return Message.objects.filter(link__client_id=client.pk, link__ended_at=None, from_coach=True,
                                  read_at=None).count()


def unread_by_client(coach) -> dict[int, int]:
    """For the client list: each active client's unread messages to the coach, in one query."""
    rows = (Message.objects.filter(link__coach_id=coach.pk, link__ended_at=None, from_coach=False, read_at=None)
            .values("link__client_id").annotate(n=Count("id")))
    return {r["link__client_id"]: r["n"] for r in rows}


# The email notice --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Due:
    """A person to tell about new messages: from whom, how many, and since when their last notice."""

    user_id: int
    email: str
    senders: tuple[tuple[str, int, int], ...]  # (coach or client email, client id, unread count)
    to_coach: bool
    last_sent: dt.datetime | None


def due_notices(now: dt.datetime, to: int | None = None) -> list[Due]:
    """Who has unread messages newer than their last notice, which went an hour ago or more, among
    those who turned on the email reminder (`to`: only that person)."""
    from sijcoach.web.reminders.models import EmailReminder

    unread = Message.objects.filter(read_at=None, link__ended_at=None)
    if to is not None:
        unread = unread.filter(Q(link__client_id=to, from_coach=True) | Q(link__coach_id=to, from_coach=False))
    found: dict[tuple[int, bool], list] = {}
    for side, who, other in ((True, "link__client_id", "link__coach__email"),
                             (False, "link__coach_id", "link__client__email")):
        rows = (unread.filter(from_coach=side).values(who, other, "link__client_id")
                .annotate(n=Count("id"), newest=Max("sent_at")).order_by(who, other))
        for r in rows:
            found.setdefault((r[who], not side), []).append((r[other], r["link__client_id"], r["n"], r["newest"]))
    if not found:
        return []
    ids = {user_id for user_id, _ in found}
    wanting = dict(EmailReminder.objects.filter(pk__in=ids, enabled=True, user__is_active=True)
                   .exclude(user__email="").values_list("pk", "user__email"))
    last = dict(MessageNotice.objects.filter(pk__in=ids).values_list("pk", "sent_at"))
    due = []
    for (user_id, to_coach), senders in sorted(found.items()):
        sent = last.get(user_id)
        newest = max(s[3] for s in senders)
        if user_id in wanting and (sent is None or (sent <= now - NOTICE_EVERY and newest > sent)):
            due.append(Due(user_id, wanting[user_id], tuple(s[:3] for s in senders), to_coach, sent))
    return due


def claim(due: Due, now: dt.datetime) -> bool:
    """Take the person's hour: one UPDATE that only one sender can win."""
    MessageNotice.objects.get_or_create(pk=due.user_id)
    return bool(MessageNotice.objects.filter(pk=due.user_id)
                .filter(Q(sent_at__isnull=True) | Q(sent_at__lte=now - NOTICE_EVERY)).update(sent_at=now))


def give_back(due: Due, now: dt.datetime) -> None:
    MessageNotice.objects.filter(pk=due.user_id, sent_at=now).update(sent_at=due.last_sent)


def notice(due: Due) -> mail.EmailMessage:
    """The email: who wrote and how many, with a link to the page (no sign-in in it, and not the
    messages' words: an email is less private than the app)."""
    from sijcoach.web.reminders.services import unsubscribe_token

    site = settings.BASE_URL
    count = sum(n for _, _, n in due.senders)
    senders = [(email, n, site + (reverse("coach_client", args=[client_id]) if due.to_coach
                                  else reverse("my_coach")) + "#messages")
               for email, client_id, n in due.senders]
    stop_url = site + reverse("reminders_unsubscribe", args=[unsubscribe_token(due.user_id)])
    text = render_to_string("coaching/message_notice.txt", {
        "to_coach": due.to_coach, "senders": senders, "count": count,
        "settings_url": site + reverse("settings"), "stop_url": stop_url, "every": NOTICE_EVERY,
    }).strip() + "\n"
    who = "your clients" if due.to_coach and len(senders) > 1 else "your client" if due.to_coach else "your coach"
    subject = f"{'A new message' if count == 1 else f'{count} new messages'} from {who}"
    return mail.EmailMessage(subject=subject, body=text, to=[due.email], headers={
        "List-Unsubscribe": f"<{stop_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated"})


@dataclass(frozen=True)
class Outcome:
    sent: int = 0
    failed: int = 0


def send_notices(now: dt.datetime | None = None, to: int | None = None) -> Outcome:
    """Send every notice due (`to`: only that person's); a notice that could not be sent gives its
    hour back, and the message itself is kept whatever the mail server says."""
    now = now or timezone.now()
    if not settings.BASE_URL:
        log.warning("No message notices: SIJCOACH_BASE_URL is not set, and the notice links to the site")
        return Outcome()
    sent = failed = 0
    connection = mail.get_connection()
    try:
        for due in due_notices(now, to):
            if not claim(due, now):
                continue  # another sender has it
            try:
                connection.open()
                if connection.send_messages([notice(due)]) != 1:
                    raise RuntimeError("the mail server did not take the message")
            except Exception:
                log.exception("The message notice to person %s was not sent", due.user_id)
                give_back(due, now)
                connection.close()
                failed += 1
                continue
            sent += 1
    finally:
        connection.close()
    return Outcome(sent, failed)
