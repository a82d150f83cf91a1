"""Whole pages cached per person (Today, Progress): they are read far more often than the person's
data changes, and rendering them costs ten times a trivial request.

The key holds everything such a page depends on, so a stale page is never served:
- the person and their data version (services.touch raises it with every change to their data);
- their "today" in their time zone (the plan and the calendar move on at midnight);
- the full path (Progress's window is in the query string);
- the CSRF secret the request carries, because the page's forms hold a token made from it.
A request with a message to show, or without a CSRF secret yet, is rendered as usual and not stored.
The knowledge base and templates only change with a deployment, which starts new processes.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from sijcoach.web.plans import services

TTL_S = 24 * 3600
MESSAGES_COOKIE = getattr(settings, "MESSAGE_COOKIE_NAME", "messages")


def _key(request, view) -> str | None:
    secret = request.META.get("CSRF_COOKIE")
    if request.method != "GET" or not secret or MESSAGES_COOKIE in request.COOKIES:
        return None
    user = request.user
    if not user.is_authenticated:
        return None
    parts = (view.__module__, view.__qualname__, user.pk, services.data_version(user),
             services.today_for(user).isoformat(), request.get_full_path(), secret)
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def person_page(view):
    """Serve the view's page from the cache while nothing it depends on has changed."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        key = _key(request, view)
        if key is None:
            return view(request, *args, **kwargs)
        hit = cache.get(key)
        if hit is not None:
            body, content_type = hit
            response = HttpResponse(body, content_type=content_type)
            response["Vary"] = "Cookie"  # a new response has no Vary yet (patch_vary_headers, cheaper)
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, (response.content, response["Content-Type"]), TTL_S)
        return response

    return cached_view
