"""Coach mode in the JSON API: GET /api/v1/coach/clients, the client list a coach sees on /coach/, and
GET /api/v1/coach/clients/{client_id}/fhir, a client's health record for the coach's clinic system."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import Http404
from ninja import Field, Path, Query, Router, Schema

from sijcoach.web.api.routes import MAX_ID, NOT_FOUND, PERSON_READ, PROBLEMS
from sijcoach.web.coaching import services
from sijcoach.web.sharing.api import openapi_file
from sijcoach.web.sharing.views import file_response

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


@router.get("/clients/{client_id}/fhir", tags=["coach"], response={**PERSON_READ, **NOT_FOUND, **PROBLEMS},
            openapi_extra=openapi_file("application/fhir+json", "A FHIR R4 Bundle (JSON)", {"type": "object"}),
            summary="A client's health record (FHIR R4), for your clinic's system (coaches only)")
def client_fhir(request, client_id: int = Path(..., ge=1, le=MAX_ID),
                share_name: bool = Query(False, description="put the client's email address in Patient.name"),
                share_birth_year: bool = Query(False, description="put the year they were born, from their age, in "
                                                                  "Patient.birthDate"),
                share_sex: bool = Query(False, description="put the sex in their answers in Patient.gender")):
    """The file the client's own export makes (GET /api/v1/me/fhir): the plan as a CarePlan, pain scores,
    functional ratings and the warning-sign answers. The read is written to the client's access log; 404
    for anyone who is not their coach."""
    body = services.client_record(request.auth, client_id,
                                  share_name=share_name, share_birth_year=share_birth_year, share_sex=share_sex)
    if body is None:
        raise Http404(services.NOT_CHECKED_IN)
    return file_response(body, "application/fhir+json", f"client-{client_id}-health-record.json")
