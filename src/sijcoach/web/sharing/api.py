"""The exports in the JSON API: /api/v1/me/handout, /calendar and /fhir answer with the file itself."""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import Http404
from ninja import Query, Router

from sijcoach.web.api.routes import NO_CHECKIN, NOT_FOUND, PERSON_READ, PROBLEMS
from sijcoach.web.api.schemas import MessageOut
from sijcoach.web.plans import services as plans
from sijcoach.web.sharing import handouts, services
from sijcoach.web.sharing.views import file_response

router = Router()


def openapi_file(content_type: str, description: str, schema: dict | None = None) -> dict:
    schema = schema or {"type": "string", "format": "binary"}
    return {"responses": {200: {"description": description, "content": {content_type: {"schema": schema}}}}}


NoControls = Annotated[str, Query(max_length=60, pattern=r"^[^\x00-\x1f\x7f]*$")]


@router.get("/handout", tags=["exports"], response={**PERSON_READ, **NOT_FOUND, **PROBLEMS, 429: MessageOut},
            openapi_extra=openapi_file("application/pdf", "The handout as PDF"), summary="Your printable handout (PDF)")
def handout(request, paper: Literal["a4", "letter"] = "a4", name: NoControls = ""):
    """Two weeks of your plan: pictures, steps, doses, the schedule, warning signs and a log sheet.
    429 with Retry-After while your handout, or many others, are being made."""
    user = request.auth
    pdf = services.handout_pdf(user, plans.today_for(user), paper, name.strip())
    if pdf is None:
        raise Http404(NO_CHECKIN)
    return file_response(pdf, "application/pdf", "si-joint-coach-handout.pdf")


@router.get("/calendar", tags=["exports"], response={**PERSON_READ, **NOT_FOUND},
            openapi_extra=openapi_file("text/calendar", "The next four weeks as iCalendar"), summary="Your plan as a calendar (.ics)")
def calendar(request):
    """One event per routine for four weeks, alarms at your reminder time."""
    user = request.auth
    ics = services.calendar_ics(user, plans.today_for(user), f"user-{user.pk}", request.get_host())
    if ics is None:
        raise Http404(NO_CHECKIN)
    return file_response(ics, "text/calendar; charset=utf-8", "si-joint-coach.ics")


@router.get("/fhir", tags=["exports"], response={**PERSON_READ, **NOT_FOUND, **PROBLEMS},
            openapi_extra=openapi_file("application/fhir+json", "A FHIR R4 Bundle (JSON)", {"type": "object"}), summary="Your health record (FHIR R4)")
def fhir(request,
         share_name: bool = Query(False, description="put your name in Patient.name: the account's email "
                                                     "address, as the share page says (the app asks no other name)"),
         share_birth_year: bool = Query(False, description="put the year you were born, from your age, in "
                                                           "Patient.birthDate"),
         share_sex: bool = Query(False, description="put the sex in your answers in Patient.gender")):
    """The plan as a CarePlan, pain scores at each check-in and session (LOINC 72514-3), functional ratings and the warning-sign
    answers. Only an opaque id names you unless you choose to share more."""
    body = services.fhir_json(request.auth, share_name=share_name, share_birth_year=share_birth_year,
                              share_sex=share_sex)
    if body is None:
        raise Http404(NO_CHECKIN)
    return file_response(body, "application/fhir+json", "si-joint-coach-fhir.json")
