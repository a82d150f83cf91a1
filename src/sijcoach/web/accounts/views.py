"""Sign up, sign in, sign out, password, API tokens, data export and account deletion."""

from __future__ import annotations

import json
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login, logout, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from sijcoach.web.access import get_visible
from sijcoach.web.accounts import sessions, throttle
from sijcoach.web.accounts.export import export_person
from sijcoach.web.accounts.forms import CountedPasswordChangeForm, DeleteForm, SignInForm, SignUpForm, TokenForm
from sijcoach.web.accounts.models import ApiToken
from sijcoach.web.coaching import services as coaching
from sijcoach.web.plans import services as plans
from sijcoach.web.sharing import handouts

User = get_user_model()


def home(request):
    if request.user.is_authenticated:
        return redirect("today")
    return render(request, "home.html")


def signup(request):
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            with transaction.atomic():
                user = User.objects.create_user(username=email, email=email, password=form.cleaned_data["password"])
                if form.cleaned_data["time_zone"]:
                    plans.set_preferences(user, time_zone=form.cleaned_data["time_zone"])
                if form.cleaned_data.get("coach"):
                    coaching.grant_coach(user, "sign-up")
        except IntegrityError:
            # The same email signed up a moment ago, between the form's check and this insert.
            form.add_error("email", SignUpForm.TAKEN)
        else:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            return redirect("coach_clients" if form.cleaned_data.get("coach") else "checkin_start")
    return render(request, "accounts/signup.html", {"form": form}, status=400 if form.errors else 200)


def signin(request):
    form = SignInForm(request.POST or None)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    wait_s = 0
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"].strip().lower()
        attempt = throttle.begin(email, throttle.address_of(request))
        if not attempt.allowed:
            wait_s = attempt.wait_s
            form.add_error(None, attempt.message)
        else:
            user = authenticate(request, username=email, password=form.cleaned_data["password"])
            if user is None:
                form.add_error(None, "That email and password do not match an account.")
            else:
                attempt.succeeded()
                login(request, user)
                # Not redirect(next_url): it would treat "next=session" as a URL name and fail.
                if next_url and url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
                    return HttpResponseRedirect(next_url)
                return redirect("today")
    status = 429 if wait_s else 400 if form.errors else 200
    response = render(request, "accounts/signin.html", {"form": form, "next": next_url}, status=status)
    if wait_s:
        response["Retry-After"] = str(wait_s)
    return response


@require_http_methods(["GET", "POST"])
def signout(request):
    """POST signs out and clears what this browser keeps of the site; GET (a bookmarked or typed
    address) shows the button that does, since a GET never changes anything."""
    if request.method == "POST":
        logout(request)
        return forget_device(redirect("home"))
    return render(request, "accounts/signout.html")


def forget_device(response):
    """Signing out clears what this browser keeps of the site: its caches, and its storage (the
    session in progress, finished sessions not yet sent, the service worker and its copies)."""
    response["Clear-Site-Data"] = '"cache", "storage"'
    return response


@login_required
def account(request):
    address = throttle.address_of(request)
    password_form = CountedPasswordChangeForm(request.user, address)
    token_form = TokenForm()
    new_key = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "password":
            password_form = CountedPasswordChangeForm(request.user, address, request.POST)
            if password_form.is_valid():
                with transaction.atomic():
                    user = password_form.save()
                    ended = ApiToken.end_all(user)
                update_session_auth_hash(request, user)
                messages.success(request, "Your password is changed." + (
                    " Your API tokens stop working with it: make a new one where you need it." if ended else ""))
                return redirect("account")
        elif action == "token":
            token_form = TokenForm(request.POST)
            if token_form.is_valid():
                _, new_key = ApiToken.issue(request.user, token_form.cleaned_data["name"], token_form.cleaned_data["days"])
                token_form = TokenForm()
    tokens = ApiToken.objects.filter(user=request.user)
    return render(request, "accounts/account.html", {
        "password_form": password_form, "token_form": token_form, "tokens": tokens, "new_key": new_key,
        "delete_form": DeleteForm(), "sessions": sessions.signed_in(request.user, request.session.session_key),
        "idle_days": settings.SESSION_COOKIE_AGE // 86400,
    }, status=400 if (password_form.errors or token_form.errors) else 200)


@login_required
@require_POST
def revoke_token(request, token_id: int):
    token = get_visible(request.user, ApiToken.objects.all(), pk=token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    messages.success(request, f"The token “{token.name}” no longer works.")
    return redirect("account")


@login_required
def export(request):
    data = export_person(request.user)
    response = HttpResponse(json.dumps(data, indent=2, default=str), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="si-joint-coach-export.json"'
    return response


@login_required
def delete_account(request):
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        attempt = throttle.begin(request.user.username, throttle.address_of(request))
        if not attempt.allowed:
            form.add_error("password", attempt.message + " Nothing was deleted.")
        elif request.user.check_password(form.cleaned_data["password"]):
            with transaction.atomic():
                # Failed sign-ins are kept by email, not linked to the account: they go too.
                attempt.succeeded()
                transaction.on_commit(partial(handouts.forget, request.user.pk))
                request.user.delete()
            logout(request)
            messages.success(request, "Your account and everything in it are deleted.")
            return redirect("home")
        else:
            form.add_error("password", "That is not your password; nothing was deleted.")
    return render(request, "accounts/delete.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_POST
def signout_everywhere(request):
    """End every session of the person's, on every device and server, this one included."""
    sessions.end_all(request.user)
    logout(request)
    messages.success(request, "You are signed out everywhere.")
    return forget_device(redirect("signin"))
