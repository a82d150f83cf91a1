"""The API's plans, exercise library and /v1/me/* endpoints, on one ninja Router (api/app.py mounts it).

Each endpoint parses its input, calls one service and returns the result. Bodies are read with the
engine's parsers, so a refused field is named the same way as in the CLI: 422 with field, value,
what is allowed and why. /v1/me/* is the signed-in person's own data (token or session cookie).
"""

from __future__ import annotations

import json
import re
from functools import partial

from django.http import Http404, JsonResponse
from ninja import Path, Query, Router, Status
from ninja.responses import NinjaJSONEncoder

from sijcoach.engine import make_plan
from sijcoach.engine.catalog import Exercise, catalog, filter_catalog
from sijcoach.engine.contract import plan_to_dict
from sijcoach.engine.inputs import InputError, parse_model, parse_profile
from sijcoach.engine.plan_types import Plan
from sijcoach.engine.profile import Profile
from sijcoach.engine.vocab import Difficulty, Equipment, Group, Kind, Position
from sijcoach.web.access import get_visible, visible
from sijcoach.web.accounts.export import export_person
from sijcoach.web.api.openapi import body
from sijcoach.web.api.problems import beyond_the_edge, refuse, too_large
from sijcoach.web.api.schemas import (
    MAX_PLAN_BODY, MAX_PLAN_DAYS, MAX_PLAN_LOGS, CheckInOut, ExportOut, MessageOut, PainAnswerOut, PlanRequest, ProblemsOut, ProgressOut,
    SavedCheckInOut, SessionOut, SessionPageOut, StoppedOut, Weeks,
)
from sijcoach.web.api.serializers import checkin_out, pain_out, progress_out, session_out
from sijcoach.web.plans import checkin_service, progress, services
from sijcoach.web.plans.models import Session
from sijcoach.web.plans.payloads import MorningAnswer, PainQuestion, SessionDone
from sijcoach.web.sharing.services import stopped_plan

router = Router()

NO_CHECKIN = "No check-in yet: send your answers with PUT /api/v1/me/profile first."
MAX_ID = 2**63 - 1  # the database's largest id; a bigger number could not name a row
MAX_OFFSET = 1_000_000

PROBLEMS = {422: ProblemsOut}
PERSON_READ = {401: MessageOut}
PERSON_WRITE = {401: MessageOut, 403: MessageOut, 413: ProblemsOut, 422: ProblemsOut}  # 413: over DATA_UPLOAD_MAX_MEMORY_SIZE
NOT_FOUND = {404: MessageOut}


# Helpers ----------------------------------------------------------------------------------------

def _read(request, parse):
    """The body, parsed by `parse` (an engine parser), refusing what the app could not store or plan."""
    value = parse(request.body)
    problems = beyond_the_edge(value)
    if problems:
        raise InputError("request", problems)
    return value


def as_sent(data, status: int = 200) -> JsonResponse:
    """`data` as JSON, not validated against the response schema again (already in its shape)."""
    return JsonResponse(data, status=status, encoder=NinjaJSONEncoder, safe=False,
                        content_type="application/json; charset=utf-8")


def _plan_json(plan: Plan):
    # Exactly the engine's JSON contract (`plan_to_dict`); the response schema is the contract's Plan.
    return as_sent(plan_to_dict(plan))


def _own_session(user, session_id: int) -> Session:
    try:
        return get_visible(user, Session.objects.prefetch_related("items"), pk=session_id)
    except Http404:
        raise Http404(f"No session {session_id} among yours.") from None


# Public: plans without an account, and the exercise library ----------------------------------------

def _too_large(request):
    """413 for a body over MAX_PLAN_BODY (known from Content-Length before anything is read), or None."""
    declared = request.META.get("CONTENT_LENGTH") or ""
    size = int(declared) if declared.isdigit() and int(declared) > MAX_PLAN_BODY else len(request.body)
    if size <= MAX_PLAN_BODY:
        return None
    return too_large(f"{size} bytes", MAX_PLAN_BODY,
                     f"the request is too large: a plan request holds at most {MAX_PLAN_LOGS} logs")


def _count_logs(body: bytes) -> None:
    """Refuses too many logs before each of them is validated (the parser reports anything else)."""
    try:
        logs = json.loads(body).get("logs")
    except (ValueError, AttributeError, RecursionError):  # not JSON, not an object, or nested too deep
        return
    if isinstance(logs, list) and len(logs) > MAX_PLAN_LOGS:
        raise refuse("logs", f"{len(logs)} sessions", f"at most {MAX_PLAN_LOGS} sessions",
                     "too many logs for one plan: send the most recent ones", "plan request")


@router.post("/plan", auth=None, tags=["plans"], response={200: Plan, 413: ProblemsOut, **PROBLEMS},
          openapi_extra=body(PlanRequest, "The profile, past session logs, first day and number of days."),
          summary="Make a plan (nothing is stored)",
          description=f"The same plan the CLI prints for the same profile, logs, start and days. At most "
                      f"{MAX_PLAN_LOGS} logs, in a body of at most {MAX_PLAN_BODY} bytes (413 otherwise).")
def make_plan_now(request):
    refused = _too_large(request)
    if refused is not None:
        return refused
    _count_logs(request.body)
    req = _read(request, partial(parse_model, PlanRequest, what="plan request"))
    return _plan_json(make_plan(req.profile, req.logs, req.start, req.days,
                                         programme_start=req.programme_start))


@router.get("/exercises", auth=None, tags=["exercises"], response={200: list[Exercise], **PROBLEMS},
            summary="The exercise library, filtered")
def exercises(request, group: Group | None = None, kind: Kind | None = None, position: Position | None = None,
              equipment: Equipment | None = None, level: Difficulty | None = None):
    """Easiest first. `group` matches primary and secondary muscle groups."""
    return filter_catalog(catalog(), group=group, kind=kind, position=position, equipment=equipment, level=level)


@router.get("/exercises/{slug}", auth=None, tags=["exercises"], response={200: Exercise, **NOT_FOUND},
            summary="One exercise")
def exercise(request, slug: str):
    cat = catalog()
    if slug not in cat:
        closest = cat.closest(slug)
        raise Http404(f"No exercise {slug!r}" + (f"; the closest is {closest!r}." if closest else "."))
    return cat[slug]


# The signed-in person ---------------------------------------------------------------------------

@router.get("/me/profile", tags=["me"], response={200: CheckInOut, **PERSON_READ, **NOT_FOUND},
            summary="Your newest check-in")
def my_profile(request):
    checkin = services.latest_checkin(request.auth)
    if checkin is None:
        raise Http404(NO_CHECKIN)
    return checkin_out(checkin, services.open_red_flag(request.auth, checkin))


@router.put("/me/profile", tags=["me"], response={200: StoppedOut, 201: SavedCheckInOut, **PERSON_WRITE},
            openapi_extra=body(Profile, "All your answers, as for `sijcoach plan` (a full profile)."),
            summary="Check in with new answers")
def check_in(request):
    """201: saved as your new check-in. 200 with `saved: false`: a warning sign needs help now; it is
    recorded, no check-in is saved and your plan shows what to do instead of exercises."""
    user = request.auth
    outcome = checkin_service.check_in(user, _read(request, parse_profile), services.today_for(user))
    if isinstance(outcome, checkin_service.Stopped):
        return Status(200, {"saved": False, "triage": outcome.triage})
    return Status(201, {**checkin_out(outcome.checkin), "saved": True})


@router.get("/me/plan", tags=["me"], response={200: Plan, **PERSON_READ, **NOT_FOUND, **PROBLEMS},
            summary="Your plan from today")
def my_plan(request, days: int = Query(7, ge=1, le=MAX_PLAN_DAYS)):
    """From your newest check-in and your recent sessions. A warning sign reported after that check-in
    stops the plan: its triage says what to do, and there are no exercise days."""
    user = request.auth
    on = services.today_for(user)
    checkin = services.latest_checkin(user)
    report = services.open_red_flag(user, checkin)
    if report is not None:
        return _plan_json(stopped_plan(checkin, report.flags, on, days))
    if checkin is None:
        raise Http404(NO_CHECKIN)
    return _plan_json(services.current_plan(user, on, days).plan)


@router.get("/me/sessions", tags=["me"], response={200: SessionPageOut, **PERSON_READ, **PROBLEMS},
            summary="Your sessions, newest first")
def my_sessions(request, limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    rows = visible(request.auth, Session.objects.all())
    page = rows.order_by("-date", "-id").prefetch_related("items")[offset:offset + limit]
    return {"count": rows.count(), "limit": limit, "offset": offset, "sessions": [session_out(s) for s in page]}


IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,100}$")
_KEY_ALLOWED = "8 to 100 letters, digits, '-', '_', '.' or ':' (a UUID will do)"
_KEY_HEADER = {"parameters": [{
    "in": "header", "name": "Idempotency-Key", "required": False, "schema": {"type": "string", "pattern": IDEMPOTENCY_KEY.pattern},
    "description": "Made once per session by the client, and sent again with every retry of it: a session whose "
                   "key is already saved is not saved again; the saved one is answered (200, with the header "
                   "`Idempotent-Replayed: true`) instead, whatever the body sent this time.",
}]}


def _idempotency_key(request) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return None
    if not IDEMPOTENCY_KEY.match(key):
        raise refuse("Idempotency-Key", key[:120], _KEY_ALLOWED, "this idempotency key cannot be used", "session")
    return key


@router.post("/me/sessions", tags=["me"], response={200: SessionOut, 201: SessionOut, **PERSON_WRITE},
             openapi_extra={**body(SessionDone, "A finished session: what was planned beside what was done."),
                            **_KEY_HEADER},
             summary="Log a session")
def log_session(request):
    """`date` defaults to today, cannot be in the future nor before your account was made. 201: saved. 200: a session with this
    `Idempotency-Key` was saved before (by you); it is answered as saved then, and nothing new is stored."""
    user = request.auth
    on = services.today_for(user)
    key = _idempotency_key(request)
    done = _read(request, services.parse_session)
    joined = services.joined_on(user)
    if done.date is not None and not joined <= done.date <= on:
        raise refuse("date", done.date.isoformat(), f"a date written YYYY-MM-DD from {joined} (when your account "
                     f"was made) to today ({on})", "a session cannot be logged before it happened"
                     if done.date > on else "a session cannot be logged before your account was made", "session")
    session, saved_now = services.save_session_once(user, done, on, key)
    # session_out is already the documented SessionOut (tests check it), so it is sent as it is rather
    # than validated again: that was a sixth of a save's time in the server.
    response = as_sent(session_out(session), status=201 if saved_now else 200)
    if not saved_now:
        # As Stripe's API says it: this answer is the session saved before with this key, and the body
        # sent now (changed or not) was not stored. The player may resend after a reload with a new
        # pain answer, so a changed body is answered, not refused.
        response["Idempotent-Replayed"] = "true"
    return response


@router.get("/me/sessions/{session_id}", tags=["me"],
            response={200: SessionOut, **PERSON_READ, **NOT_FOUND, **PROBLEMS}, summary="One of your sessions")
def my_session(request, session_id: int = Path(..., ge=1, le=MAX_ID)):
    return session_out(_own_session(request.auth, session_id))


@router.post("/me/sessions/{session_id}/morning", tags=["me"],
             response={200: SessionOut, **PERSON_WRITE, **NOT_FOUND},
             openapi_extra=body(MorningAnswer, "How the back felt on waking the next morning."),
             summary="Answer the next-morning question for a session")
def answer_morning(request, session_id: int = Path(..., ge=1, le=MAX_ID)):
    """Sets the session's next-morning pain; `joint_went_out: true` is added, never taken back. From 4 am
    the day after the session (in your time zone): an answer given sooner would not describe the morning
    after, and the plan lowers or keeps doses by how that morning felt."""
    session = _own_session(request.auth, session_id)
    opens = services.morning_opens(session.date)
    if services.local_now(request.auth).replace(tzinfo=None) < opens:
        raise refuse("session_id", str(session_id), f"a session whose next morning has come (from 4 am the day after it)",
                     f"the next-morning answer for a session of {session.date} can be given from "
                     f"{opens:%Y-%m-%d %H:%M}", "morning")
    return session_out(services.answer_session_morning(session, _read(request, partial(parse_model, MorningAnswer, what="morning"))))


@router.get("/me/progress", tags=["me"], response={200: ProgressOut, **PERSON_READ, **PROBLEMS},
            summary="Your progress over the last weeks")
def my_progress(request, weeks: Weeks = Query(Weeks(progress.DEFAULT_WEEKS))):
    user = request.auth
    on = services.today_for(user)
    current = services.current_plan(user, on)
    data = progress.build_for(user, on, int(weeks), current)
    return progress_out(data)


@router.post("/me/pain", tags=["me"], response={200: PainAnswerOut, **PERSON_WRITE, **NOT_FOUND},
             openapi_extra=body(PainQuestion, "The exercise that hurts, how much (0-10), the exercises "
                                           "already in or swapped out of this session, and those that "
                                           "already hurt 6 or more in it."),
             summary="This hurts: carry on, watch, swap, stop or end the session?")
def this_hurts(request):
    user = request.auth
    try:
        decision = services.pain_during_session(user, request.body, services.today_for(user))
    except LookupError:
        raise Http404(NO_CHECKIN) from None
    return pain_out(decision)


@router.get("/me/export", tags=["me"], response={200: ExportOut, **PERSON_READ}, summary="Everything stored about you")
def export(request):
    # Returned as built, not through ExportOut, so a key added to the export is never dropped here.
    return as_sent(export_person(request.auth))
