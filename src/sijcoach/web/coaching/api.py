"""Coach mode in the JSON API: GET /api/v1/coach/clients, the client list a coach sees on /coach/."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema

from sijcoach.web.api.routes import NOT_FOUND, PERSON_READ
from sijcoach.web.coaching import services

router = Router()

Flag = Literal["red_flag", "see_doctor", "joint_out", "hurt", "pain_worse", "no_session"]


class ClientOut(Schema):
    client_id: int
    email: str
    last_session: dt.date | None
    done_this_week: int = Field(description="routines done this week (Monday to Sunday)")
    planned_this_week: int
    pain_trend: Literal["better", "same", "worse"] | None = Field(
        description="first against last pain rating of four weeks, by the meaningful-change rule; null: too few")
    open_triage: list[str] = Field(description="warning signs the client has open")
    flags: list[Flag] = Field(description="what needs the coach, most urgent first")


@router.get("/clients", tags=["coach"], response={200: list[ClientOut], **PERSON_READ, **NOT_FOUND},
            summary="Your clients, the one who needs attention most first (coaches only)")
def clients(request):
    """Each read is written to the client's access log, as on the client list page."""
    if not services.is_coach(request.auth):
        raise Http404("Not found: only coaches have clients.")
    return [ClientOut(client_id=r.client_id, email=r.email, last_session=r.last_session, done_this_week=r.done_week,
                      planned_this_week=r.planned_week, pain_trend=r.trend, open_triage=r.open_triage,
                      flags=[code for code, _ in r.flags])
            for r in services.client_list(request.auth)]
