"""The JSON API under /api/v1/ (OpenAPI at /api/openapi.json, Swagger UI at /api/docs).

Each endpoint parses its input, calls one service and returns the result. Bodies are read with the
engine's parsers, so a refused field is named the same way as in the CLI: 422 with field, value,
what is allowed and why. /v1/me/* is the signed-in person's own data (token or session cookie).
"""

from __future__ import annotations

import json
from functools import partial

from django.http import Http404
from ninja import Path, Query, Status
from ninja.errors import AuthenticationError, ValidationError

from sijcoach.engine import make_plan
from sijcoach.engine.catalog import Exercise, catalog
from sijcoach.engine.contract import plan_to_dict
from sijcoach.engine.inputs import InputError, parse_model, parse_profile
from sijcoach.engine.plan_types import Plan
from sijcoach.engine.profile import Profile
from sijcoach.engine.screening import blocks_plan, screen
from sijcoach.engine.vocab import Difficulty, Equipment, Group, Kind, Position
from sijcoach.web.access import get_visible, visible
from sijcoach.web.accounts.export import export_person
from sijcoach.web.api.auth import PERSON, TokenRefused
from sijcoach.web.api.openapi import CoachAPI
from sijcoach.web.api.problems import beyond_the_edge, problem_dicts, refuse
from sijcoach.web.api.schemas import (
    MAX_PLAN_BODY, MAX_PLAN_DAYS, MAX_PLAN_LOGS, CheckInOut, ExportOut, MessageOut, PainAnswerOut, PlanRequest, ProblemsOut, ProgressOut,
    SavedCheckInOut, SessionOut, SessionPageOut, StoppedOut, Weeks,
)
from sijcoach.web.api.serializers import checkin_out, pain_out, progress_out, session_out
from sijcoach.web.plans import progress, services
from sijcoach.web.plans.models import CheckIn, Session
from sijcoach.web.plans.payloads import MorningAnswer, PainQuestion, SessionDone
from sijcoach.web.sharing.services import stopped_plan

api = CoachAPI(
    title="SI Joint Coach API", version="1", docs_url="/docs", openapi_url="/openapi.json", auth=PERSON,
    description=(
        "Exercise plans for sacroiliac-joint pain, as JSON. Not a diagnosis: the plan says when to get help "
        "first. /v1/me/* needs `Authorization: Bearer <token>` (made on the account page) or the "
        "signed-in session cookie (then unsafe methods need the X-CSRFToken header). Every refused input "
        "answers 422 with the field, the value sent, what is allowed and why."
    ),
)

NO_CHECKIN = "No check-in yet: send your answers with PUT /api/v1/me/profile first."
MAX_ID = 2**63 - 1  # the database's largest id; a bigger number could not name a row
MAX_OFFSET = 1_000_000

PROBLEMS = {422: ProblemsOut}
PERSON_READ = {401: MessageOut}
PERSON_WRITE = {401: MessageOut, 403: MessageOut, 422: ProblemsOut}
NOT_FOUND = {404: MessageOut}


# Errors -----------------------------------------------------------------------------------------

@api.exception_handler(InputError)
def _input_error(request, exc: InputError):
    return api.create_response(request, {"detail": problem_dicts(exc.problems)}, status=422)


@api.exception_handler(ValidationError)
def _parameter_error(request, exc: ValidationError):
    # CoachAPI has already rewritten ninja's errors into problems (field, value, allowed, message).
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(Http404)
def _not_found(request, exc: Http404):
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc: AuthenticationError):
    refused = isinstance(exc, TokenRefused)  # a token that worked once: say why it no longer does
    response = api.create_response(request, {"detail": exc.message if refused else (
        "Not signed in: send Authorization: Bearer <token> (make one on your account page) "
        "or the session cookie of a signed-in browser.")}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="SI Joint Coach API"' + (', error="invalid_token"' if refused else "")
    return response


# Helpers ----------------------------------------------------------------------------------------

def _read(request, parse):
    """The body, parsed by `parse` (an engine parser), refusing what the app could not store or plan."""
    value = parse(request.body)
    problems = beyond_the_edge(value)
    if problems:
        raise InputError("request", problems)
    return value


def _plan_json(request, plan: Plan):
    # Exactly the engine's JSON contract (`plan_to_dict`); the response schema is the contract's Plan.
    return api.create_response(request, plan_to_dict(plan), status=200)


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
    problem = {"field": "(document)", "value": f"{size} bytes", "allowed": f"at most {MAX_PLAN_BODY} bytes",
               "message": f"the request is too large: send at most {MAX_PLAN_LOGS} logs"}
    return api.create_response(request, {"detail": [problem]}, status=413)


def _count_logs(body: bytes) -> None:
    """Refuses too many logs before each of them is validated (the parser reports anything else)."""
    try:
        logs = json.loads(body).get("logs")
    except (ValueError, AttributeError):
        return
    if isinstance(logs, list) and len(logs) > MAX_PLAN_LOGS:
        raise refuse("logs", f"{len(logs)} sessions", f"at most {MAX_PLAN_LOGS} sessions",
                     "too many logs for one plan: send the most recent ones", "plan request")


@api.post("/v1/plan", auth=None, tags=["plans"], response={200: Plan, 413: ProblemsOut, **PROBLEMS},
          openapi_extra=api.body(PlanRequest, "The profile, past session logs, first day and number of days."),
          summary="Make a plan (nothing is stored)",
          description=f"The same plan the CLI prints for the same profile, logs, start and days. At most "
                      f"{MAX_PLAN_LOGS} logs, in a body of at most {MAX_PLAN_BODY} bytes (413 otherwise).")
def make_plan_now(request):
    refused = _too_large(request)
    if refused is not None:
        return refused
    _count_logs(request.body)
    req = _read(request, partial(parse_model, PlanRequest, what="plan request"))
    return _plan_json(request, make_plan(req.profile, req.logs, req.start, req.days,
                                         programme_start=req.programme_start))


@api.get("/v1/exercises", auth=None, tags=["exercises"], response={200: list[Exercise], **PROBLEMS},
         summary="The exercise library, filtered")
def exercises(request, group: Group | None = None, kind: Kind | None = None, position: Position | None = None,
              equipment: Equipment | None = None, level: Difficulty | None = None):
    """Easiest first. `group` matches primary and secondary muscle groups."""
    found = [
        e for e in catalog()
        if (group is None or group in e.groups + e.secondary_groups) and (kind is None or e.kind == kind)
        and (position is None or e.position == position) and (equipment is None or equipment in e.equipment)
        and (level is None or e.difficulty == level)
    ]
    return sorted(found, key=lambda e: (e.difficulty.rank, e.name))


@api.get("/v1/exercises/{slug}", auth=None, tags=["exercises"], response={200: Exercise, **NOT_FOUND},
         summary="One exercise")
def exercise(request, slug: str):
    cat = catalog()
    if slug not in cat:
        closest = cat.closest(slug)
        raise Http404(f"No exercise {slug!r}" + (f"; the closest is {closest!r}." if closest else "."))
    return cat[slug]


# The signed-in person ---------------------------------------------------------------------------

@api.get("/v1/me/profile", tags=["me"], response={200: CheckInOut, **PERSON_READ, **NOT_FOUND},
         summary="Your newest check-in")
def my_profile(request):
    checkin = services.latest_checkin(request.auth)
    if checkin is None:
        raise Http404(NO_CHECKIN)
    return checkin_out(checkin)


@api.put("/v1/me/profile", tags=["me"], response={200: StoppedOut, 201: SavedCheckInOut, **PERSON_WRITE},
         openapi_extra=api.body(Profile, "All your answers, as for `sijcoach plan` (a full profile)."),
         summary="Check in with new answers")
def check_in(request):
    """201: saved as your new check-in. 200 with `saved: false`: a warning sign needs help now; it is
    recorded, no check-in is saved and your plan shows what to do instead of exercises."""
    user = request.auth
    profile = _read(request, parse_profile)
    triage = screen(profile)
    if blocks_plan(triage):
        services.report_red_flags(user, [f.value for f in profile.red_flags], triage.level.value)
        return Status(200, {"saved": False, "triage": triage})
    checkin = services.save_checkin(user, profile.model_dump(mode="json"), services.today_for(user),
                                    source=CheckIn.Source.CHECK_IN)
    return Status(201, {**checkin_out(checkin), "saved": True})


@api.get("/v1/me/plan", tags=["me"], response={200: Plan, **PERSON_READ, **NOT_FOUND, **PROBLEMS},
         summary="Your plan from today")
def my_plan(request, days: int = Query(7, ge=1, le=MAX_PLAN_DAYS)):
    """From your newest check-in and your recent sessions. A warning sign reported after that check-in
    stops the plan: its triage says what to do, and there are no exercise days."""
    user = request.auth
    on = services.today_for(user)
    checkin = services.latest_checkin(user)
    report = services.open_red_flag(user, checkin)
    if report is not None:
        return _plan_json(request, stopped_plan(checkin, report.flags, on, days))
    if checkin is None:
        raise Http404(NO_CHECKIN)
    return _plan_json(request, services.current_plan(user, on, days).plan)


@api.get("/v1/me/sessions", tags=["me"], response={200: SessionPageOut, **PERSON_READ, **PROBLEMS},
         summary="Your sessions, newest first")
def my_sessions(request, limit: int = Query(50, ge=1, le=200), offset: int = Query(0, ge=0, le=MAX_OFFSET)):
    rows = visible(request.auth, Session.objects.all())
    page = rows.order_by("-date", "-id").prefetch_related("items")[offset:offset + limit]
    return {"count": rows.count(), "limit": limit, "offset": offset, "sessions": [session_out(s) for s in page]}


@api.post("/v1/me/sessions", tags=["me"], response={201: SessionOut, **PERSON_WRITE},
          openapi_extra=api.body(SessionDone, "A finished session: what was planned beside what was done."),
          summary="Log a session")
def log_session(request):
    """`date` defaults to today and cannot be in the future."""
    user = request.auth
    on = services.today_for(user)
    done = _read(request, services.parse_session)
    if done.date is not None and done.date > on:
        raise refuse("date", done.date.isoformat(), f"a date written YYYY-MM-DD, no later than today ({on})",
                     "a session cannot be logged before it happened", "session")
    # session_out is already the documented SessionOut (tests check it), so it is sent as it is rather
    # than validated again: that was a sixth of a save's time in the server.
    return api.create_response(request, session_out(services.save_session(user, done, on)), status=201)


@api.get("/v1/me/sessions/{session_id}", tags=["me"],
         response={200: SessionOut, **PERSON_READ, **NOT_FOUND, **PROBLEMS}, summary="One of your sessions")
def my_session(request, session_id: int = Path(..., ge=1, le=MAX_ID)):
    return session_out(_own_session(request.auth, session_id))


@api.post("/v1/me/sessions/{session_id}/morning", tags=["me"],
          response={200: SessionOut, **PERSON_WRITE, **NOT_FOUND},
          openapi_extra=api.body(MorningAnswer, "How the back felt on waking the next morning."),
          summary="Answer the next-morning question for a session")
def answer_morning(request, session_id: int = Path(..., ge=1, le=MAX_ID)):
    """Sets the session's next-morning pain; `joint_went_out: true` is added, never taken back."""
    session = _own_session(request.auth, session_id)
    return session_out(services.answer_session_morning(session, _read(request, partial(parse_model, MorningAnswer, what="morning"))))


@api.get("/v1/me/progress", tags=["me"], response={200: ProgressOut, **PERSON_READ, **PROBLEMS},
         summary="Your progress over the last weeks")
def my_progress(request, weeks: Weeks = Query(Weeks(progress.DEFAULT_WEEKS))):
    user = request.auth
    on = services.today_for(user)
    current = services.current_plan(user, on)
    data = progress.build(user, on, int(weeks), current.plan.changes if current else (),
                          current.plan.days if current else ())
    return progress_out(data)


@api.post("/v1/me/pain", tags=["me"], response={200: PainAnswerOut, **PERSON_WRITE, **NOT_FOUND},
          openapi_extra=api.body(PainQuestion, "The exercise that hurts, how much (0-10), and the exercises "
                                               "already in or swapped out of this session."),
          summary="This hurts: carry on, watch, swap or stop?")
def this_hurts(request):
    user = request.auth
    try:
        decision = services.pain_during_session(user, request.body, services.today_for(user))
    except LookupError:
        raise Http404(NO_CHECKIN) from None
    return pain_out(decision)


@api.get("/v1/me/export", tags=["me"], response={200: ExportOut, **PERSON_READ}, summary="Everything stored about you")
def export(request):
    # Returned as built, not through ExportOut, so a key added to the export is never dropped here.
    return api.create_response(request, export_person(request.auth), status=200)
