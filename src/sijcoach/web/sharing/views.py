"""Take the plan elsewhere: a printable handout, a calendar (file or subscribed address) and a
health-record file (FHIR). Each view parses, calls one service and answers with the bytes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from sijcoach.web.plans import services as plans
from sijcoach.web.sharing import handouts, services
from sijcoach.web.sharing.forms import FhirForm, HandoutForm
from sijcoach.web.sharing.models import CalendarFeed

NO_CHECKIN = "Check in first: the handout, calendar and health record are made from your plan."


def file_response(body: bytes, content_type: str, filename: str, download: bool = True) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'{"attachment" if download else "inline"}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _deliver(request, body: bytes | None, content_type: str, filename: str):
    """The file, or back to the share page saying why there is none (no check-in yet)."""
    if body is None:
        messages.error(request, NO_CHECKIN)
        return redirect("share")
    return file_response(body, content_type, filename)


def _page(request, status: int = 200, **context):
    feeds = CalendarFeed.objects.filter(user=request.user)[:10]
    checkin = plans.latest_checkin(request.user)
    return render(request, "sharing/share.html", {
        "handout_form": context.pop("handout_form", HandoutForm()), "fhir_form": context.pop("fhir_form", FhirForm()),
        "feeds": feeds, "checked_in": checkin is not None,
        "stopped": plans.open_red_flag(request.user, checkin) is not None, **context,
    }, status=status)


@login_required
def share(request):
    return _page(request)


@login_required
@require_GET
def handout(request):
    form = HandoutForm(request.GET)
    if not form.is_valid():
        return _page(request, 400, handout_form=form)
    try:
        pdf = services.handout_pdf(request.user, plans.today_for(request.user), form.cleaned_data["paper"],
                                   form.cleaned_data["name"])
    except handouts.Busy as busy:
        messages.error(request, busy.message)
        response = _page(request, 429, handout_form=form)
        response["Retry-After"] = str(busy.retry_after_s)
        return response
    return _deliver(request, pdf, "application/pdf", "si-joint-coach-handout.pdf")


@login_required
@require_GET
def calendar_download(request):
    ics = services.calendar_ics(request.user, plans.today_for(request.user), f"user-{request.user.pk}",
                                request.get_host())
    return _deliver(request, ics, "text/calendar; charset=utf-8", "si-joint-coach.ics")


@login_required
@require_POST
def new_feed(request):
    feed, key = CalendarFeed.issue(request.user)
    url = request.build_absolute_uri(reverse("calendar_feed", args=[key]))
    return _page(request, new_feed_url=url, new_feed=feed)


@login_required
@require_POST
def stop_feeds(request):
    stopped = CalendarFeed.objects.filter(user=request.user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    messages.success(request, "The calendar address no longer works." if stopped else "No address was in use.")
    return redirect("share")


@require_GET
def calendar_feed(request, key: str):
    """For calendar apps: no sign-in, the secret address is the key. Unknown or stopped: 404."""
    feed = CalendarFeed.active_for(key)
    if feed is None:
        raise Http404("No such calendar")
    ics = services.calendar_ics(feed.user, plans.today_for(feed.user), f"feed-{feed.pk}", request.get_host())
    if ics is None:
        raise Http404("No plan yet")
    now = timezone.now()
    if feed.last_read_at is None or (now - feed.last_read_at).total_seconds() > 3600:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)  # at most one write an hour
    return file_response(ics, "text/calendar; charset=utf-8", "si-joint-coach.ics", download=False)


@login_required
@require_GET
def fhir(request):
    form = FhirForm(request.GET)
    if not form.is_valid():
        return _page(request, 400, fhir_form=form)
    body = services.fhir_json(request.user, **form.cleaned_data)
    return _deliver(request, body, "application/fhir+json", "si-joint-coach-fhir.json")
