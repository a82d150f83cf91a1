"""Headers Django 5.2 does not set itself (the Content Security Policy and a Permissions Policy), no
caching of anything personal, and a 503 page when the database is not answering."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views import defaults

PRIVATE_API = "/api/v1/me/"
OUTAGE_RETRY_S = 30


def is_private(request, response) -> bool:
    """No browser or proxy may keep what a signed-in person is shown (ASVS 8.2.1): anything answered
    to a request with a session cookie or a token, or that starts a session, and all of /api/v1/me/.
    Decided without asking the database who is signed in, so it holds when the database is down.
    A response that says it is public (an exercise drawing, a static file) is left as it is."""
    if "public" in response.get("Cache-Control", ""):
        return False
    cookie = settings.SESSION_COOKIE_NAME
    return (request.path.startswith(PRIVATE_API) or cookie in request.COOKIES or cookie in response.cookies
            or "HTTP_AUTHORIZATION" in request.META)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.csp = settings.CONTENT_SECURITY_POLICY

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        # Speech and sound are used by the session player; camera, microphone and location never.
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        if is_private(request, response):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True, no_store=True)
        return response


def server_error(request):
    """handler500. A database that is down or unreachable is not the app's fault and passes: 503 with
    a page (or the API's JSON) saying so. It is rendered without the request's context, which would
    ask the database who is signed in. A handler rather than a middleware: the database is also read
    by middleware (the session), where a middleware's process_exception never sees the error."""
    error = sys.exc_info()[1]  # the exception being handled: Django calls handler500 inside its except block
    if not isinstance(error, OperationalError | InterfaceError):
        return defaults.server_error(request)
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": "The database is not answering, so nothing could be read or saved. "
                                           f"Try again in {OUTAGE_RETRY_S} seconds."}, status=503)
    else:
        response = HttpResponse(render_to_string("503.html", {"retry_s": OUTAGE_RETRY_S}), status=503)
    response["Retry-After"] = str(OUTAGE_RETRY_S)
    add_never_cache_headers(response)
    return response
