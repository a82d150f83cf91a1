"""Who is calling: a personal API token (Authorization: Bearer ...) or the signed-in browser session.

A token is never sent by a browser on its own, so bearer requests need no CSRF token; the session
cookie is, so unsafe methods with it need the CSRF token, as the site's own forms do.
"""

from __future__ import annotations

from django.conf import settings
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from sijcoach.web.accounts.models import ApiToken


class TokenRefused(AuthenticationError):
    """A token that worked once and no longer does: the 401 says why, so a script's owner knows what to do."""


class BearerToken(HttpBearer):
    def authenticate(self, request, token: str):
        found = ApiToken.find(token)
        if found is None:
            return None
        if found.revoked_at is not None:
            raise TokenRefused(message="This token no longer works: it was revoked, or your password was changed. "
                                       "Make a new one on your account page.")
        if found.expired:
            raise TokenRefused(message=f"This token expired on {found.expires_at:%Y-%m-%d %H:%M} UTC. "
                                       "Make a new one on your account page.")
        return found.use()


class SessionCookie(APIKeyCookie):
    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request):
        # ninja would check CSRF before knowing whether anyone is signed in, turning "not signed in"
        # into a 403; the check is done in `authenticate`, once there is a person to protect.
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        user = request.user
        if not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise HttpError(403, "CSRF check failed: send the X-CSRFToken header with the csrftoken cookie's "
                                 "value, or use Authorization: Bearer <token> instead of the session cookie.")
        return user


PERSON = [BearerToken(), SessionCookie()]
