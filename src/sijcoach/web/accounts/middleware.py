"""A signed-in session ends after SESSION_COOKIE_AGE without a visit (settings: 14 days).

Django moves a session's expiry on only when the session is saved. Saving it on every request
(SESSION_SAVE_EVERY_REQUEST) would make every page a write, so the session notes the day of its last
visit and is saved once a day: the expiry then runs from the first visit of the day, at most a day
short of the full idle time.
"""

from __future__ import annotations

from django.utils import timezone

SEEN_ON = "seen_on"


class IdleExpiryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        # Only where the request read the session anyway (a picture or a stylesheet does not, and
        # stays free of Vary: Cookie), and only for a signed-in person.
        if session is not None and session.accessed and user is not None and user.is_authenticated:
            today = timezone.now().date().isoformat()
            if session.get(SEEN_ON) != today:
                session[SEEN_ON] = today  # marks it modified: SessionMiddleware saves it on the way out
        return response
