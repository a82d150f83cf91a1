"""The person's plan and history handed to the pure exports (sijcoach.exports): the printable
handout, the calendar and the FHIR health-record Bundle. Views and API endpoints call these."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from sijcoach.engine import make_plan
from sijcoach.engine.plan_types import Plan
from sijcoach.engine.profile import Profile, Sex
from sijcoach.engine.questionnaires import PsfsActivity as EnginePsfsActivity
from sijcoach.web.plans import services
from sijcoach.web.plans.models import CheckIn, PsfsRating

HANDOUT_DAYS = 14
CALENDAR_DAYS = 28


def fhir_base() -> str:
    """The canonical home of the health record's code systems: the site's public address (SIJCOACH_BASE_URL)
    when set, else the one the command line uses; never the address a request happened to use, so a
    clinic sees one code system for the same codes (the Host header gave three)."""
    from sijcoach.exports.fhir import DEFAULT_BASE_URL

    return f"{settings.BASE_URL}/fhir" if settings.BASE_URL else DEFAULT_BASE_URL


def stopped_plan(checkin: CheckIn | None, flags: list[str], on: dt.date, days: int) -> Plan:
    """The engine's plan for the person's answers plus warning signs reported since: its triage stops it
    (a stopped plan shows only its triage)."""
    return make_plan(services.reported_profile(checkin, flags, on), (), on, days)


class Shown(NamedTuple):
    plan: Plan
    profile: Profile
    screened_at: dt.datetime  # when the warning signs in `profile` were last answered


def plan_as_shown(user, on: dt.date, days: int) -> Shown | None:
    """The plan the person sees (stopped by a warning sign reported since their check-in), the answers
    it was made from (with that warning sign: a health record must not say it was answered no) and when
    the warning signs were answered (the check-in, or the report since it); None before any check-in."""
    checkin = services.latest_checkin(user)
    report = services.open_red_flag(user, checkin)
    if report is not None:
        profile = services.reported_profile(checkin, report.flags, on)
        return Shown(make_plan(profile, (), on, days), profile, report.created_at)
    if checkin is None:
        return None
    current = services.current_plan(user, on, days, checkin=checkin)
    return Shown(current.plan, current.profile, checkin.created_at)


def handout_pdf(user, on: dt.date, paper: str, name: str | None) -> bytes | None:
    """The printable handout, made once and kept (handouts.py); raises handouts.Busy rather than wait."""
    from sijcoach.exports.handout import Handout
    from sijcoach.web.sharing import handouts

    shown = plan_as_shown(user, on, HANDOUT_DAYS)
    if shown is None:
        return None
    return handouts.handout_pdf(user.pk, Handout(shown[0], on, paper=paper, name=name or None))


def _zone_name(user) -> str:
    prefs = services.preferences_of(user)
    name = (prefs.time_zone if prefs else "") or settings.TIME_ZONE
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name


def calendar_ics(user, on: dt.date, owner: str, host: str) -> bytes | None:
    """The coming four weeks, with an alarm at the person's reminder time (all-day events without one)."""
    from sijcoach.exports.calendar import plan_to_ics

    shown = plan_as_shown(user, on, CALENDAR_DAYS)
    if shown is None:
        return None
    prefs = services.preferences_of(user)
    return plan_to_ics(shown[0], reminder=prefs.reminder_time if prefs else None, tz=_zone_name(user),
                       stamp=timezone.now(), uid_domain=host or "sijcoach.invalid", owner=owner)


def _psfs_results(user):
    from sijcoach.exports.fhir import PsfsResult

    by_date = defaultdict(list)
    for date, name, score in (PsfsRating.objects.filter(activity__user=user)
                              .order_by("date", "activity__position").values_list("date", "activity__name", "score")):
        by_date[date].append(EnginePsfsActivity(name, score))
    return [PsfsResult(date, tuple(acts[:5])) for date, acts in sorted(by_date.items())]


def _check_in_pain(user):
    """The pain each check-in the person answered rated (not the copies a settings change or a coach's
    leaving makes), on the day it describes."""
    from sijcoach.exports.fhir import CheckInPain

    rows = (CheckIn.objects.filter(user=user, source=CheckIn.Source.CHECK_IN).order_by("answered_on", "created_at", "id")
            .values_list("answered_on", "profile__pain_now"))
    return [CheckInPain(day, pain) for day, pain in rows if isinstance(pain, int)]


def fhir_json(user, *, share_name: bool, share_birth_year: bool, share_sex: bool) -> bytes | None:
    """Every session, pain score (each check-in's too) and functional rating, the plan from today and the
    warning-sign answers."""
    from sijcoach.exports.fhir import Sharing, bundle

    on = services.today_for(user)
    shown = plan_as_shown(user, on, HANDOUT_DAYS)
    if shown is None:
        return None
    plan, profile, screened_at = shown
    logs = list(services.session_logs(user))
    name = (user.get_full_name() or user.email) if share_name else None
    sex = profile.sex if share_sex and profile.sex != Sex.UNSPECIFIED else None
    birth_year = on.year - profile.age if share_birth_year else None
    share = Sharing(name=name, birth_year=birth_year, sex=sex)
    person = salted_hmac("sijcoach.fhir.person", str(user.pk)).hexdigest()
    return bundle(plan, profile, person=person, now=timezone.now(), logs=logs, psfs=_psfs_results(user),
                  check_ins=_check_in_pain(user), share=share, base_url=fhir_base(), screened=screened_at).json
