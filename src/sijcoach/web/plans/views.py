"""Today, the guided session, progress, the exercise library and settings: thin views over services."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.db import transaction
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from sijcoach.engine.catalog import catalog, filter_catalog
from sijcoach.engine.inputs import InputError
from sijcoach.engine.plan_types import RoutineKind, TriageLevel
from sijcoach.engine.referral import referral_for
from sijcoach.engine.vocab import Kind, Position
from sijcoach.exports.words import day_notes
from sijcoach.web import charts, problems
from sijcoach.web.coaching import messages as coaching_messages
from sijcoach.web.coaching import services as coaching
from sijcoach.web.learn.services import lesson_for_today
from sijcoach.web.plans import labels, present, progress, services
from sijcoach.web.plans.checkin_forms import SetupForm
from sijcoach.web.plans.fields import PAIN_LEVELS, PainField
from sijcoach.web.plans.models import PsfsActivity, RedFlagReport
from sijcoach.web.reminders import services as reminders
from sijcoach.web.timezones import TimeZoneField


def ping(request):
    """A trivial view: the benchmark's baseline for the server's own overhead."""
    return HttpResponse("ok", content_type="text/plain")


def _plan_for_today(user) -> tuple[dt.date, bool, services.CurrentPlan | None]:
    """(today, stopped, current plan) for Today and the advice page: stopped while a warning sign
    stops the plan; no plan before the first check-in."""
    on = services.today_for(user)
    checkin = services.latest_checkin(user)
    if services.open_red_flag(user, checkin) is not None:
        return on, True, None
    return on, False, services.current_plan(user, on, checkin=checkin) if checkin else None


@login_required
def today(request):
    on, stopped, current = _plan_for_today(request.user)
    if stopped:
        return redirect("checkin_stop")
    if current is None:
        return render(request, "plans/today_empty.html")
    plan = current.plan
    day = plan.days[0] if plan.days else None
    routines = day.routines if day else ()
    done_week = progress.done_in_logs(current.logs, progress.this_week(on)[0], on)
    done_kinds = done_week.get(on, set())
    coach = coaching.for_client(request.user, versions=3)
    return render(request, "plans/today.html", {
        "plan": plan, "on": on, "checkin": current.checkin, "day": day, "week": plan.days[1:], "done_kinds": done_kinds,
        "week_notes": day_notes(plan.days[1:]),  # a note on every day ahead is said once, not under each
        "routines": [
            {"index": i, "routine": r, "cards": [present.item_card(it) for it in r.items]}
            for i, r in enumerate(routines)
        ],
        "start_day": present.start_day(routines, done_kinds),
        "once_more": present.once_more(routines, progress.rounds_done(current.logs, on)),
        "week_done": progress.week_completion(request.user, on, plan.days, done=done_week),
        "tip": present.tip_of_the_day(plan.advice, on),
        "referrals": present.referrals(plan),
        "gentle": plan.triage.level == TriageLevel.SEE_DOCTOR_SOON,
        "see_soon_also": referral_for(current.profile).heading,  # the maternity team too, as the advice says
        "psfs_due": services.psfs_due(request.user, on),
        "morning": services.morning_question_due(request.user, on, bool(done_kinds), current.logs),
        "coach": coach,  # unread messages show in the coach's card: only asked for when there is one
        "unread_messages": coaching_messages.unread_from_coach(request.user) if coach.link else 0,
        "lesson_today": lesson_for_today(request.user, on, checkin=current.checkin),
    })


@login_required
def advice(request):
    """All the advice for the person's plan now, each with its source (Today shows one a day)."""
    _, stopped, current = _plan_for_today(request.user)
    if stopped:
        return redirect("checkin_stop")
    return render(request, "plans/advice.html", {"advice": present.tips(current.plan.advice) if current else None})


@login_required
def more(request):
    """The menu's fourth place: every page the phone's one-row menu has no room for."""
    return render(request, "plans/more.html")


def _todays_plan_or_404(request) -> tuple[dt.date, services.CurrentPlan | None]:
    """(today, today's plan) for the player; the plan is None while warning signs stop it (the stop
    page says what to do), and there is no page without a plan for today."""
    on, stopped, current = _plan_for_today(request.user)
    if stopped:
        return on, None
    if current is None or not current.plan.days:
        raise Http404("No plan for today")
    return on, current


def _player(request, on: dt.date, current: services.CurrentPlan, chosen: list[int], title: str, scope: str):
    """The player's page for today's routines numbered `chosen`, in their order. Each item carries what
    "This hurts" at 6 or more would answer (so it holds offline); `scope` names the session in the
    browser's storage (a day's, or one routine's), so a reload carries on the same one."""
    routines = current.plan.days[0].routines
    every = [it.exercise for i in chosen for it in routines[i].items]
    answers = iter(services.answers_ahead(current, on, every))
    data = {
        "title": title, "date": on.isoformat(), "scope": f"{request.user.pk}:{on.isoformat()}:{scope}",
        "person": request.user.pk, "timer_scale": settings.TIMER_SCALE, "get_ready_s": settings.GET_READY_S,
        "save_url": "/api/v1/me/sessions", "pain_url": "/api/v1/me/pain", "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "today_url": reverse("today"), "progress_url": reverse("progress"), "signin_url": reverse("signin"),
        "excluded": every,
        "routines": [
            {"index": i, "kind": routines[i].kind.value, "title": routines[i].title,
             "minutes": round(routines[i].minutes, 1),
             "items": [present.player_item(it, next(answers)) for it in routines[i].items]}
            for i in chosen
        ],
        "position_change_s": settings.POSITION_CHANGE_READY_S,
    }
    get_token(request)  # the CSRF cookie the player reads when it sends
    shown = [{"routine": routines[i], "cards": [present.item_card(it) for it in routines[i].items]} for i in chosen]
    return render(request, "plans/session.html", {
        "title": title, "routines": shown, "data": data, "minutes": sum(routines[i].minutes for i in chosen),
        "scale": PAIN_LEVELS, "switches": SWITCHES, "on": on,
    })


SWITCHES = [("sound", "Sound (beeps)", "Not available in this browser."),
            ("speech", "Spoken cues", "Your browser cannot speak.")]


@login_required
def session(request, index: int):
    on, current = _todays_plan_or_404(request)
    if current is None:
        return redirect("checkin_stop")
    routines = current.plan.days[0].routines
    if not 0 <= index < len(routines):
        raise Http404("No such routine today")
    return _player(request, on, current, [index], routines[index].title, f"routine-{index}")


# Realignment comes before anything that loads the pelvis (clinical notes 1.4), the walk last.
DAY_ORDER = [RoutineKind.ALIGNMENT, RoutineKind.RELIEF, RoutineKind.STRENGTH, RoutineKind.WALK]


@login_required
def session_day(request):
    """Today's routines one after the other (realignment, relief, strength; a walk as a step of its
    own), each saved as its own log."""
    on, current = _todays_plan_or_404(request)
    if current is None:
        return redirect("checkin_stop")
    routines = current.plan.days[0].routines
    done = progress.done_in_logs(current.logs, on, on).get(on, set())
    # The routines still to do (Today's button says so); once all are done, the whole day again.
    left = [i for i, r in enumerate(routines) if r.kind.value not in done] or list(range(len(routines)))
    chosen = sorted(left, key=lambda i: DAY_ORDER.index(routines[i].kind))
    if not chosen:
        raise Http404("Nothing planned today")
    return _player(request, on, current, chosen, "Today's session", "day")


class MorningForm(forms.Form):
    pain_next_day = PainField(label="How does your back feel this morning? (0-10)")
    joint_went_out = forms.BooleanField(label="The joint went out since the session", required=False)


@login_required
@require_POST
def morning(request):
    form = MorningForm(request.POST)
    if form.is_valid():
        services.answer_morning(request.user, form.cleaned_data, services.today_for(request.user))
        messages.success(request, "Thank you: your plan takes it into account from today.")
    else:
        messages.error(request, "Morning pain must be a whole number from 0 to 10; nothing was changed.")
    return redirect("today")


@login_required
def progress_page(request):
    on = services.today_for(request.user)
    try:
        weeks = int(request.GET.get("weeks", progress.DEFAULT_WEEKS))
    except ValueError:
        weeks = progress.DEFAULT_WEEKS
    current = services.current_plan(request.user, on)
    data = progress.build_for(request.user, on, weeks, current)
    last_rated = data.psfs_points[-1].date if data.psfs_points else None  # every rating is on the page
    return render(request, "plans/progress.html", {
        **progress_charts(data), "windows": progress.WINDOWS, "psfs_due": services.psfs_due_after(last_rated, on),
    })


def progress_charts(data: progress.Progress) -> dict:
    """The Progress page's numbers and charts (a coach's client page shows the same)."""
    return {
        "p": data,
        "pain_svg": charts.pain_chart(data.pain_points, "pain"),
        "calendar_svg": charts.calendar(data.calendar, "cal"),
        "pillars_svg": charts.weekly_bars(data.pillars, "pillars"),
        "psfs_svg": charts.psfs_chart(data.psfs_points, "psfs"),
    }


@login_required
@require_POST
def psfs_rate(request):
    on = services.today_for(request.user)
    scores, errors = {}, []
    for act in PsfsActivity.objects.filter(user=request.user):
        raw = request.POST.get(f"score_{act.pk}", "").strip()
        # isdecimal, not isdigit: int() refuses digits such as "²" that isdigit accepts.
        if raw.isdecimal() and len(raw) <= 2 and int(raw) <= 10:
            scores[act.pk] = int(raw)
        else:
            errors.append(f"“{act.name}”: rate it with a whole number from 0 to 10.")
    if errors:
        for e in errors:
            messages.error(request, e + " Nothing was saved.")
    else:
        services.rate_psfs(request.user, scores, on)
        messages.success(request, "Ratings saved.")
    return redirect("progress")


class LibraryFilter(forms.Form):
    group = forms.ChoiceField(label="Muscle group", choices=[("", "Any")] + labels.GROUPS, required=False)
    kind = forms.ChoiceField(label="Kind", choices=[("", "Any")] + [(k.value, k.value.capitalize()) for k in Kind],
                             required=False)
    position = forms.ChoiceField(label="Position", required=False,
                                 choices=[("", "Any")] + [(p.value, p.value.capitalize()) for p in Position])
    equipment = forms.ChoiceField(label="Needs", required=False,
                                  choices=[("", "Any"), ("none", "No equipment")] + labels.EQUIPMENT)
    level = forms.ChoiceField(label="Level", required=False, choices=[("", "Any")] + labels.LEVEL)


def library(request):
    form = LibraryFilter(request.GET or None)
    chosen = {k: v for k, v in form.cleaned_data.items() if v} if form.is_bound and form.is_valid() else {}
    exercises = filter_catalog(catalog(), **chosen)
    situation = services.situation_of(request.user)
    # Each exercise beside what the person's situation says of it now (None: allowed, or not signed in).
    rows = [(ex, situation.why_not(ex) if situation else None) for ex in exercises]
    return render(request, "plans/library.html", {"form": form, "rows": rows}, status=400 if form.errors else 200)


def exercise(request, slug: str):
    cat = catalog()
    if slug not in cat:
        raise Http404("No such exercise")
    ex = cat[slug]
    situation = services.situation_of(request.user)

    def beside(other):  # a linked exercise, with why the person's situation rules it out now
        return (other, situation.why_not(other) if situation else None) if other is not None else None

    return render(request, "plans/exercise.html", {
        "ex": ex, "source": cat.source_title(ex.source),
        "groups": ", ".join(labels.GROUP_WORDS[g] for g in ex.groups),
        "not_for_you": situation.why_not(ex) if situation else None,
        "regression": beside(cat[ex.regression] if ex.regression in cat else None),
        "progression": beside(cat[ex.progression] if ex.progression in cat else None),
    })


class PreferencesForm(SetupForm):
    reminder_time = forms.TimeField(label="Daily reminder time (HH:MM, optional)", required=False,
                                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
                                    error_messages={"invalid": "Daily reminder time: write it as HH:MM, e.g. 07:30."})
    time_zone = TimeZoneField(help_text="The reminder time, and when your day starts, follow it.")
    email_reminders = forms.BooleanField(label="Email me at this time each day: today's session and its minutes",
                                         required=False)

    def clean(self):
        data = super().clean()
        if data.get("email_reminders") and not data.get("reminder_time") and "reminder_time" not in self.errors:
            self.add_error("reminder_time", "Daily reminder time: choose the time for the email, or untick the email.")
        return data


class ActivityForm(forms.Form):
    """A demanding day ahead (or just past): strength work keeps clear of the day before, of and after a
    high-intensity one (clinical-notes 6)."""

    date = forms.DateField(label="Date", widget=forms.DateInput(attrs={"type": "date"}),
                           error_messages={"invalid": "Date: write it as YYYY-MM-DD, e.g. 2027-03-14."})
    kind = forms.CharField(label="What (a long hike, a race, moving house...)", max_length=80)
    intensity = forms.ChoiceField(label="How hard", choices=labels.INTENSITY, initial="high", widget=forms.RadioSelect)

    def clean_date(self):
        day = self.cleaned_data["date"]
        today = services.today_for(self.user)
        if not today - dt.timedelta(days=7) <= day <= today + dt.timedelta(days=365):
            raise forms.ValidationError(f"Date: a day from a week ago ({today - dt.timedelta(days=7)}) to a year "
                                        f"ahead ({today + dt.timedelta(days=365)}).")
        return day

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user


@login_required
@require_POST
def activities(request):
    """Add a demanding day to the plan's answers, or take one away: each is a new settings check-in, as
    a change of set-up is (the other answers still describe the day they were given)."""
    checkin = services.latest_checkin(request.user)
    if checkin is None:
        return redirect("settings")
    answers = checkin.to_engine().model_dump(mode="json")
    planned = list(answers.get("planned_activities") or [])
    if request.POST.get("remove") is not None:
        try:
            planned.pop(int(request.POST["remove"]))
        except (ValueError, IndexError):
            messages.error(request, "That day is no longer in your list: nothing was removed.", extra_tags="activities")
            return redirect(reverse("settings") + "#activities")
        said = "Removed: the plan no longer keeps strength work clear of that day."
    else:
        form = ActivityForm(request.POST, user=request.user)
        if not form.is_valid():
            return _settings_page(request, checkin, activity_form=form, status=400)
        planned.append({"date": form.cleaned_data["date"].isoformat(), "kind": form.cleaned_data["kind"],
                        "intensity": form.cleaned_data["intensity"]})
        planned.sort(key=lambda a: a["date"])
        said = ("Added: no strength work the day before, of or after it." if form.cleaned_data["intensity"] == "high"
                else "Added: it shows on that day's plan.")
    services.save_checkin(request.user, {**answers, "planned_activities": planned}, checkin.answered_on,
                          source="settings")
    messages.success(request, said, extra_tags="activities")
    return redirect(reverse("settings") + "#activities")


def _settings_initial(user, checkin) -> dict:
    prefs = services.preferences_of(user)
    initial = {k: checkin.profile.get(k) for k in ("equipment", "level", "minutes_per_day", "strength_days_per_week")} if checkin else {}
    initial.update({"reminder_time": prefs.reminder_time if prefs else None,
                    "time_zone": prefs.time_zone if prefs else "", "email_reminders": reminders.wants_email(user.pk)})
    return initial


def _setup_value(value):
    """A set-up answer as compared: the equipment as a set (its order means nothing), numbers as numbers."""
    return frozenset(value) if isinstance(value, list | tuple) else value


@login_required
def settings_page(request):
    checkin = services.latest_checkin(request.user)
    form = PreferencesForm(request.POST or None, initial=_settings_initial(request.user, checkin))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.set_preferences(request.user, reminder_time=data["reminder_time"], time_zone=data["time_zone"])
                reminders.set_email_reminders(request.user, data["email_reminders"])
                if checkin is not None:
                    # Only the set-up changes: the other answers still describe the day they were given.
                    answers = checkin.to_engine().model_dump(mode="json")
                    setup = {k: data[k] for k in SetupForm.base_fields}
                    if any(_setup_value(answers[k]) != _setup_value(v) for k, v in setup.items()):
                        # A new row in the check-in history only when the set-up changed (a reminder time
                        # saved twice made two).
                        services.save_checkin(request.user, {**answers, **setup}, checkin.answered_on, source="settings")
                    else:  # a new time zone may move the person's today: the planned days follow it
                        services.remember_planned_days(request.user)
        except InputError as exc:
            for sentence in problems.sentences(exc):
                form.add_error(None, sentence)
        else:
            messages.success(request, "Settings saved; your plan uses them from now on.")
            return redirect("settings")
    return _settings_page(request, checkin, form=form, status=400 if form.errors else 200)


def _settings_page(request, checkin, *, form=None, activity_form=None, status: int = 200):
    planned = (checkin.profile.get("planned_activities") or []) if checkin else []
    return render(request, "plans/settings.html", {
        "form": form or PreferencesForm(initial=_settings_initial(request.user, checkin)), "checkin": checkin,
        "activity_form": activity_form or ActivityForm(user=request.user),
        "activities": [(n, dt.date.fromisoformat(a["date"]), a["kind"], labels.INTENSITY[a["intensity"]])
                       for n, a in enumerate(planned)],
    }, status=status)


@login_required
def history(request):
    """The check-ins, newest first, with the warning signs reported among them (a check-in they stopped
    saves no answers, but the report is kept: a walk-through found the stops missing here)."""
    rows = [(c.created_at, c.get_source_display(), f"{c.profile.get('pain_now')}/10", c.triage_level.replace("_", " "))
            for c in request.user.checkins.all()[:50]]
    rows += [(r.created_at, "warning signs reported: " + ", ".join(f.replace("_", " ") for f in r.flags), "",
              r.level.replace("_", " ")) for r in RedFlagReport.objects.filter(user=request.user)[:50]]
    return render(request, "plans/history.html", {"rows": sorted(rows, key=lambda row: row[0], reverse=True)[:50]})
