"""The JSON API under /api/ (OpenAPI at /api/openapi.json, Swagger UI at /api/docs): one NinjaAPI, its
error answers, and the routers of the apps that serve it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from ninja.errors import AuthenticationError, ValidationError

from sijcoach.engine.inputs import InputError
from sijcoach.web.api import routes
from sijcoach.web.api.auth import PERSON, TokenRefused
from sijcoach.web.api.openapi import CoachAPI
from sijcoach.web.api.problems import too_large
from sijcoach.web.coaching.api import router as coaching
from sijcoach.web.coaching.message_api import router as coach_messages
from sijcoach.web.problems import as_json
from sijcoach.web.sharing import handouts
from sijcoach.web.sharing.api import router as sharing

api = CoachAPI(
    title="SI Joint Coach API", version="1", docs_url="/docs", openapi_url="/openapi.json", auth=PERSON,
    description=(
        "Exercise plans for sacroiliac-joint pain, as JSON. Not a diagnosis: the plan says when to get help "
        "first. /v1/me/* needs `Authorization: Bearer <token>` (made on the account page) or the "
        "signed-in session cookie (then unsafe methods need the X-CSRFToken header). Every refused input "
        "answers 422 with the field, the value sent, what is allowed and why."
    ),
)
api.add_router("/v1", routes.router)
api.add_router("/v1/coach", coaching)
api.add_router("/v1/me", sharing)
api.add_router("/v1/me", coach_messages)


@api.exception_handler(InputError)
def _input_error(request, exc: InputError):
    return api.create_response(request, {"detail": as_json(exc)}, status=422)


@api.exception_handler(ValidationError)
def _parameter_error(request, exc: ValidationError):
    # CoachAPI has already rewritten ninja's errors into problems (field, value, allowed, message).
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(RequestDataTooBig)
def _too_big(request, exc: RequestDataTooBig):
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    sent = request.META.get("CONTENT_LENGTH") or "more than that"
    return too_large(f"{sent} bytes", limit, "the request is too large")


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


@api.exception_handler(handouts.Busy)
def _busy(request, exc: handouts.Busy):
    response = api.create_response(request, {"detail": exc.message}, status=429)
    response["Retry-After"] = str(exc.retry_after_s)
    return response
