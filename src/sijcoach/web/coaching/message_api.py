"""The client's messages in the JSON API (/api/v1/me/messages), as on their "Your coach" page: read
them, write to their coach, mark the coach's as read. A coach reads and writes on the client page."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Literal

from django.http import Http404
from ninja import Router, Schema, Status
from pydantic import Field

from sijcoach.engine.inputs import InputError, parse_model
from sijcoach.engine.profile import Slug, Text, _Input
from sijcoach.web.api.openapi import body
from sijcoach.web.api.routes import MAX_ID, NOT_FOUND, PERSON_READ, PERSON_WRITE
from sijcoach.web.coaching import messages as talk

router = Router()


class NewMessage(_Input):
    message: Text = Field(min_length=1, max_length=talk.MESSAGE_MAX)
    session_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="one of your sessions")
    exercise: Slug | None = None


class ReadUpTo(_Input):
    upto: int = Field(ge=0, le=MAX_ID, description="the newest message you have read: later ones stay new")


class CoachMessageOut(Schema):
    id: int
    sent_at: dt.datetime
    sender: Literal["coach", "you"]
    coach: str = Field(description="the coach of this conversation (an earlier coach's messages stay yours)")
    text: str
    session_id: int | None
    session_date: dt.date | None
    exercise: str | None
    read_at: dt.datetime | None


class ConversationOut(Schema):
    coach: str | None = Field(description="your coach now; null: you have none, and cannot write")
    unread: int
    newest_id: int
    messages: list[CoachMessageOut] = Field(description=f"the newest {talk.SHOWN}, oldest first")


class MarkedOut(Schema):
    marked: int


def _out(m) -> CoachMessageOut:
    return CoachMessageOut(id=m.id, sent_at=m.sent_at, sender="coach" if m.from_coach else "you",
                           coach=m.link.coach.email, text=m.text, session_id=m.session_id,
                           session_date=m.session.date if m.session else None, exercise=m.exercise or None,
                           read_at=m.read_at)


@router.get("/messages", tags=["me"], response={200: ConversationOut, **PERSON_READ},
            summary="Your messages with your coach")
def my_messages(request):
    found = talk.for_client(request.auth)
    return ConversationOut(coach=found.link.coach.email if found.link else None, unread=found.unread,
                           newest_id=found.newest_id, messages=[_out(m) for m in found.messages])


@router.post("/messages", tags=["me"], response={201: CoachMessageOut, **PERSON_WRITE, **NOT_FOUND},
             openapi_extra=body(NewMessage, "A message to your coach, perhaps about a session or an exercise."),
             summary="Write to your coach")
def write_to_coach(request):
    """404 when you have no coach. Your coach may get an email notice (at most one an hour)."""
    new = parse_model(NewMessage, request.body, "message")
    try:
        sent = talk.send_as_client(request.auth, new.message, new.session_id, new.exercise or "")
    except talk.NoCoach as exc:
        raise Http404(str(exc)) from None
    except InputError as exc:  # named as in the body
        raise InputError(exc.what, [replace(p, field="session_id") if p.field == "session" else p
                                    for p in exc.problems]) from None
    return Status(201, _out(sent))


@router.post("/messages/read", tags=["me"], response={200: MarkedOut, **PERSON_WRITE},
             openapi_extra=body(ReadUpTo, "The newest message you have read."),
             summary="Mark your coach's messages as read")
def mark_messages_read(request):
    upto = parse_model(ReadUpTo, request.body, "read").upto
    return MarkedOut(marked=talk.mark_read_by_client(request.auth, upto))
