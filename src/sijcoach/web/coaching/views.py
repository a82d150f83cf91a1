"""Coach mode pages: the coach's client list, invites and client page; the client's "Your coach" page
and invite acceptance. Thin views: parse, call one service function, render."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sijcoach.engine.inputs import InputError
from sijcoach.web.coaching import services
from sijcoach.web.coaching.forms import FORMS, JoinForm, add_template_forms, coach_form
from sijcoach.web.coaching.messages import unread_by_client
from sijcoach.web.coaching.models import CoachVersion
from sijcoach.web.plans import progress
from sijcoach.web.plans.views import progress_charts


def coach_only(view):
    """Signed in and a coach; anyone else is told there is no such page."""

    @wraps(view)
    def checked(request, *args, **kwargs):
        if not services.is_coach(request.user):
            raise Http404("Not found")
        return view(request, *args, **kwargs)

    return login_required(checked)


@coach_only
def clients(request):
    return render(request, "coaching/clients.html", {"rows": services.client_list(request.user),
                                                     "unread": unread_by_client(request.user)})


@coach_only
def invite(request):
    new = services.create_invite(request.user) if request.method == "POST" else None
    return render(request, "coaching/invite.html", {
        "new": new, "new_url": request.build_absolute_uri(reverse("join_coach", args=[new.code])) if new else "",
        "invites": services.open_invites(request.user), "days": services.INVITE_DAYS,
    })


def _client_page(request, client_id: int, bound=None, status: int = 200):
    try:
        weeks = int(request.GET.get("weeks", progress.DEFAULT_WEEKS))
    except ValueError:
        weeks = progress.DEFAULT_WEEKS
    page = services.client_page(request.user, client_id, weeks)
    found = page.findings
    forms = {
        "pin": coach_form("pin"), "dose": coach_form("dose"),
        "findings": coach_form("findings", initial={
            "distortion": found.distortion.value if found.distortion else "",
            "tight_muscles": [g.value for g in found.tight_muscles or ()],
            "tight_examined": found.tight_muscles is not None, "beighton_score": found.beighton_score}),
    }
    if bound is not None:
        forms[bound[0]] = bound[1]
    add_template_forms(request.user, forms)
    plan = page.current.plan if page.current else None
    from sijcoach.web.coaching.message_views import coach_context  # messages replace the notes

    return render(request, "coaching/client.html", {
        **coach_context(request.user, client_id, forms.pop("message", None)),
        "page": page, "client": page.link.client, "plan": plan, "forms": forms,
        "state": services.describe(page.adjustments, page.findings),
        "ranges": services.dose_ranges(plan) if plan else [],
        "profile": page.current.profile if page.current else None,
        **progress_charts(page.progress), "windows": progress.WINDOWS,
    }, status=status)


@coach_only
def client(request, client_id: int):
    return _client_page(request, client_id)


@coach_only
@require_POST
def change(request, client_id: int):
    action = request.POST.get("form", "")
    if action not in FORMS:
        raise Http404("No such change")
    form = coach_form(action, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "pin":
                services.change(request.user, client_id, data["action"], exercise=data["exercise"], note=data["note"])
            elif action == "dose":
                kind = CoachVersion.Kind.CLEAR_DOSE if data["clear"] else CoachVersion.Kind.DOSE
                services.change(request.user, client_id, kind, exercise=data["exercise"], note=data["note"],
                                dose=form.dose())
            else:
                services.change(request.user, client_id, CoachVersion.Kind.FINDINGS, findings=form.findings())
        except InputError as exc:
            form.add_problems(exc.problems)
        else:
            messages.success(request, "Saved: your client sees it on their Today page now.")
            return redirect("coach_client", client_id=client_id)
    return _client_page(request, client_id, (action, form), status=400)


@login_required
def my_coach(request):
    """The client's side: their coach, the coach's changes and notes, who read their data, and
    joining with a code or leaving."""
    form = JoinForm()
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "leave":
            if services.leave_coach(request.user):
                messages.success(request, "You left your coach: they can no longer see your data, and your plan is "
                                          "your own again.")
            return redirect("my_coach")
        form = JoinForm(request.POST)
        if form.is_valid():
            try:
                link = services.accept_invite(request.user, form.cleaned_data["code"])
            except services.CoachError as exc:
                form.add_error("code", str(exc))
            else:
                messages.success(request, f"{link.coach.email} is now your coach.")
                return redirect("my_coach")
        status = 400
    from sijcoach.web.coaching.message_views import client_context

    return render(request, "coaching/my_coach.html", {
        "view": services.for_client(request.user, versions=200, history=True), "form": form,
        **client_context(request.user),
    }, status=status)


@login_required
def join(request, code: str):
    """The invite link: says whose invite it is, and accepts it with one button."""
    invite = services.find_invite(code)
    if invite is None:
        raise Http404("No such invite")
    problem = services.invite_problem(request.user, invite)
    status = 200
    if request.method == "POST" and problem is None:
        try:
            services.accept_invite(request.user, code)
        except services.CoachError as exc:
            problem = str(exc)
        else:
            messages.success(request, f"{invite.coach.email} is now your coach.")
            return redirect("my_coach")
    if request.method == "POST":
        status = 400
    return render(request, "coaching/join.html", {"invite": invite, "problem": problem}, status=status)
