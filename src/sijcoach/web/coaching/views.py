"""Coach mode pages: the coach's client list, invites and client page; the client's "Your coach" page
and invite acceptance. Thin views: parse, call one service function, render."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from sijcoach.engine.inputs import InputError
from sijcoach.web.coaching import review, services
from sijcoach.web.coaching.forms import FORMS, ClientRecordForm, JoinForm, add_template_forms, coach_form
from sijcoach.web.coaching.messages import unread_by_client
from sijcoach.web.coaching.models import CoachLink, CoachVersion
from sijcoach.web.plans import progress
from sijcoach.web.plans.views import progress_charts
from sijcoach.web.sharing import handouts
from sijcoach.web.sharing.views import file_response


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
    try:
        page = int(request.GET.get("page", 1))
    except ValueError:
        page = 1
    listed = services.client_list_page(request.user, page)
    return render(request, "coaching/clients.html", {"rows": listed.rows, "listed": listed,
                                                     "unread": unread_by_client(request.user)})


@coach_only
def invite(request):
    new = services.create_invite(request.user) if request.method == "POST" else None
    return render(request, "coaching/invite.html", {
        "new": new, "new_url": request.build_absolute_uri(reverse("join_coach", args=[new.code])) if new else "",
        "invites": services.open_invites(request.user), "days": services.INVITE_DAYS,
    })


# The client page is in sections with anchors (#summary, #plan, #changes, #progress, #sessions,
# #checkins, #access, and #messages, #templates); each form returns to its own section, saved or refused.
FORM_SECTION = {"pin": "changes", "dose": "changes", "findings": "changes"}


def section_url(client_id: int, section: str) -> str:
    return reverse("coach_client", args=[client_id]) + f"#{section}"


def _error_sentences(form) -> list[str]:
    """A refused form's problems for the summary at the top of its section: the coach's forms
    (SummaryForm) list each one there already, named by its field's label."""
    return list(form.non_field_errors())


def _weeks(request) -> int:
    """The Progress window asked for (?weeks=), or the default."""
    try:
        weeks = int(request.GET.get("weeks", progress.DEFAULT_WEEKS))
    except ValueError:
        return progress.DEFAULT_WEEKS
    return weeks if weeks in progress.WINDOWS else progress.DEFAULT_WEEKS


def _client_page(request, client_id: int, bound=None, status: int = 200):
    page = services.client_page(request.user, client_id, _weeks(request))
    found = page.findings
    forms = {
        "pin": coach_form("pin"), "dose": coach_form("dose"),
        "findings": coach_form("findings", initial={
            "distortion": found.distortion.value if found.distortion else "",
            "distortion_side": found.distortion_side.value if found.distortion_side else "",
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
        "record_form": ClientRecordForm(), "page": page, "client": page.link.client, "plan": plan, "forms": forms,
        "state": services.describe(page.adjustments, page.findings),
        "ranges": services.dose_ranges(plan) if plan else [],
        "profile": page.current.profile if page.current else None,
        "picture": services.clinical_picture(page.current.profile, plan.assessment) if page.current else [],
        **progress_charts(page.progress), "windows": progress.WINDOWS,
        "refused": FORM_SECTION.get(bound[0], bound[0]) if bound is not None else "",
        "refused_errors": _error_sentences(bound[1]) if bound is not None else [],
    }, status=status)


@coach_only
def client(request, client_id: int):
    try:
        return _client_page(request, client_id)
    except Http404:
        # A physiotherapist's find: after the client left, their page was the site's plain 404. To their
        # own coach (only), a link that ended says so; anyone else still learns nothing.
        ended = CoachLink.objects.filter(coach=request.user, client_id=client_id).exclude(ended_at=None).order_by(
            "-ended_at").first()
        if ended is None:
            raise
        return render(request, "coaching/link_ended.html", {"ended": ended}, status=410)


@coach_only
@require_POST
def end_link(request, client_id: int):
    """The coach ends the link with a client; the box ticked is the confirmation."""
    if request.POST.get("confirm") != "on":
        messages.error(request, "Not ended: tick the box to confirm that the link with this client ends now.",
                       extra_tags="section-summary")
        return redirect(section_url(client_id, "summary"))
    email = services.end_client_link(request.user, client_id)
    messages.success(request, f"The link with {email} has ended: you no longer see their data, what you found "
                              "stays in their answers, and their plan is their own again. They see it on their coach page.")
    return redirect("coach_clients")


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
                changed = services.change_with_effects(request.user, client_id, data["action"],
                                                       exercise=data["exercise"], note=data["note"])
            elif action == "dose":
                kind = CoachVersion.Kind.CLEAR_DOSE if data["clear"] else CoachVersion.Kind.DOSE
                changed = services.change_with_effects(request.user, client_id, kind, exercise=data["exercise"],
                                                       note=data["note"], dose=form.dose())
            else:
                changed = services.change_with_effects(request.user, client_id, CoachVersion.Kind.FINDINGS,
                                                       findings=form.findings())
        except InputError as exc:
            form.add_problems(exc.problems)
        else:
            section = f"section-{FORM_SECTION[action]}"
            said = ("Saved. Their plan is stopped by the warning signs they reported: they see this on Today once "
                    "they have checked in again." if services.plan_stopped(changed.version.link.client)
                    else "Saved: your client sees it on their Today page now.")
            messages.success(request, said, extra_tags=section)
            for effect in changed.effects:
                messages.warning(request, effect, extra_tags=section)
            return redirect(section_url(client_id, FORM_SECTION[action]))
    return _client_page(request, client_id, (action, form), status=400)


@coach_only
@require_POST
def flag_seen(request, client_id: int):
    """The coach marks a flag seen, as it stood on the page they read (`basis`); back to that page."""
    page = request.POST.get("page", "")
    back = (section_url(client_id, "summary") if request.POST.get("back") == "client"
            else reverse("coach_clients") + (f"?page={int(page)}" if page.isdigit() and page != "1" else "")
            + f"#client-{client_id}")
    try:
        flag = services.mark_seen(request.user, client_id, request.POST.get("flag", ""),
                                  request.POST.get("basis", "")[:60])
    except services.CoachError as exc:
        messages.error(request, f"Not marked seen: {exc}", extra_tags="section-summary")
    else:
        messages.success(request, f"Marked seen: {flag.words}. It comes back when new data arrives.",
                         extra_tags="section-summary")
    return redirect(back)


@coach_only
@require_GET
def review_pdf(request, client_id: int):
    """The client's review summary as a PDF (the read is in their access log); 429 while too many are made."""
    try:
        body = review.review_pdf(request.user, client_id, _weeks(request))
    except handouts.Busy as busy:
        messages.error(request, busy.message, extra_tags="section-summary")
        response = _client_page(request, client_id, status=429)
        response["Retry-After"] = str(busy.retry_after_s)
        return response
    return file_response(body, "application/pdf", f"review-summary-{client_id}.pdf")


@coach_only
@require_GET
def client_record(request, client_id: int):
    """The client's health record (FHIR R4) for the coach's clinic system; the read is in their access log."""
    form = ClientRecordForm(request.GET)
    form.is_valid()  # tick boxes: anything sent reads as ticked or not
    body = services.client_record(request.user, client_id,
                                  **form.cleaned_data)
    if body is None:
        messages.error(request, services.NOT_CHECKED_IN, extra_tags="section-summary")
        return redirect(reverse("coach_client", args=[client_id]) + "#summary")
    return file_response(body, "application/fhir+json", f"client-{client_id}-health-record.json")


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
                                          "your own again. Anything they found when they examined you stays in "
                                          "your answers (see your check-in history); you can change it when you "
                                          "next check in.")
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
