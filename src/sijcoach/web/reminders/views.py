"""The unsubscribe link in every reminder: it works without signing in. A GET shows a button (mail
scanners that open links must not unsubscribe anyone); the POST, from that button or from a mail
app's one-click unsubscribe (RFC 8058), stops the emails."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from sijcoach.web.reminders import services


@csrf_exempt  # a mail app posts without a cookie or a form: the signed link is what authorises it
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    try:
        user_id = services.unsubscribed_user(token)
    except services.BadLink as exc:
        return render(request, "reminders/unsubscribe.html", {"problem": str(exc)}, status=400)
    if request.method == "POST":
        services.unsubscribe(user_id)
        return render(request, "reminders/unsubscribe.html", {"done": True})
    return render(request, "reminders/unsubscribe.html", {"subscribed": services.wants_email(user_id)})
