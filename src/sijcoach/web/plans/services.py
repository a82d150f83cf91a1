"""What the pages and the API do with a person's data: one function per action, each write atomic.

Views and endpoints only parse the request, call one of these and render the result.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import IntegrityError, transaction
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Max, Min, OuterRef, Subquery, Window
from django.utils import timezone
from pydantic import TypeAdapter

from sijcoach.engine import make_plan
from sijcoach.engine.adaptation import SWAP_PAIN
from sijcoach.engine.adjust import Adjustments, avoided
from sijcoach.engine.catalog import catalog
from sijcoach.engine.history import DETAIL_DAYS, Logs, holds_strength
from sijcoach.engine.inputs import parse_model, parse_profile
from sijcoach.engine.live import LiveDecision, on_pain, person_context
from sijcoach.engine.plan_types import Plan
from sijcoach.engine.profile import Profile, RedFlag, SessionLog, profile_on
from sijcoach.engine.screening import screen
from sijcoach.engine.suitability import Context
from sijcoach.web.coaching.models import CoachVersion
from sijcoach.web.plans.models import (
    CheckIn, PlannedDay, Preferences, PsfsActivity, PsfsRating, RedFlagReport, Session, SessionItem,
)
from sijcoach.web.plans.payloads import MorningAnswer, PainQuestion, SessionDone

PLAN_DAYS = 7
# The engine reads the logs of its window (engine/history.py) and the day just before it (what left
# the window today); older sessions are not read from the database at all.
LOG_WINDOW_DAYS = DETAIL_DAYS + 1
PSFS_EVERY_DAYS = 14
# The next-morning question is asked from 4 am (after a night, not minutes after a late session) and
# before noon, or later only before the day's first session.
MORNING_STARTS, MORNING_ENDS = dt.time(4), dt.time(12)


def preferences_of(user) -> Preferences | None:
    """The person's preferences row (made with the account, read with the user by the sign-in
    backend), or None for an anonymous visitor."""
    if not user.is_authenticated:
        return None
    try:
        return user.preferences
    except ObjectDoesNotExist:
        return None


def local_now(user) -> dt.datetime:
    """The time now where the person is: in their time zone (Preferences.time_zone), else the server's."""
    prefs = preferences_of(user)
    return now_in(prefs.time_zone if prefs is not None else "")


def now_in(time_zone: str) -> dt.datetime:
    """The time now in the time zone named (a person's Preferences.time_zone); the server's when it is
    empty or unknown."""
    zone = None
    if time_zone:
        try:
            zone = ZoneInfo(time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            zone = None
    return timezone.localtime(timezone=zone)


def joined_on(user) -> dt.date:
    """The day the account was made, in the person's time zone: no session is logged before it."""
    return timezone.localtime(user.date_joined, local_now(user).tzinfo).date()


def today_for(user) -> dt.date:
    return local_now(user).date()


# Check-ins with what every plan needs beside the newest one. Built once and narrowed to one person
# per call (each filter() returns a new queryset; this one is never evaluated, as with a generic
# view's `queryset`): resolving the window and the two subqueries costs about as much as compiling
# and running the statement, and every request that shows or saves anything makes a plan.
_CHECKINS_WITH_PLAN_INPUTS = CheckIn.objects.annotate(
    first_day=Window(Min("answered_on")),
    newest_flag_at=Subquery(
        RedFlagReport.objects.filter(user=OuterRef("user")).order_by("-created_at").values("created_at")[:1]),
    coach_version_id=Subquery(
        CoachVersion.objects.filter(link__client=OuterRef("user"), link__ended_at=None)
        .order_by("-id").values("id")[:1]),
).order_by("-created_at", "-id")


def latest_checkin(user) -> CheckIn | None:
    """The newest check-in, read in one statement with what every plan needs beside it: the programme's
    first day (`first_day`, over the person's check-ins only, as the filter comes before the window),
    the time of the newest warning-sign report (`newest_flag_at`) and the id of the coach's newest
    version (`coach_version_id`), each None when there is none."""
    return _CHECKINS_WITH_PLAN_INPUTS.filter(user=user).first()


def _read_with(checkin: CheckIn | None, name: str) -> bool:
    """Whether `checkin` came from latest_checkin with its annotations (a check-in just made has none)."""
    return checkin is not None and hasattr(checkin, name)


def open_red_flag(user, checkin: CheckIn | None) -> RedFlagReport | None:
    """An emergency or urgent report newer than the last check-in: it stops the plan until the
    person checks in again."""
    if _read_with(checkin, "newest_flag_at") and (
            checkin.newest_flag_at is None
            or (checkin.source == CheckIn.Source.CHECK_IN and checkin.newest_flag_at <= checkin.created_at)):
        return None  # no report, or none since these answers: nothing more to read
    if checkin is not None and checkin.source != CheckIn.Source.CHECK_IN:
        # Saving settings copies the last answers; it does not answer the warning signs again.
        answered = CheckIn.objects.filter(user=user, source=CheckIn.Source.CHECK_IN)
        checkin = answered.order_by("-created_at", "-id").first()
    reports = RedFlagReport.objects.filter(user=user)
    if checkin is not None:
        reports = reports.filter(created_at__gt=checkin.created_at)
    return reports.first()


_SESSION_FIELDS = ("id", "date", "routine_kind", "pain_before", "pain_after", "pain_next_day", "joint_went_out")
_ITEM_FIELDS = ("exercise", "side", "sets_done", "reps_done", "hold_s_done", "pain", "effort", "skipped",
                "swapped_from")


# Sessions and their items joined (a session with no items is kept), as plain rows in date order; made
# once and narrowed per call, as the check-ins above (every plan reads them).
_LOG_ROWS = Session.objects.order_by("date", "id", "items__position").values_list(
    *_SESSION_FIELDS, *(f"items__{name}" for name in _ITEM_FIELDS))


def session_logs(user, since: dt.date | None = None, until: dt.date | None = None) -> Logs:
    """The engine's logs of the person's sessions (from `since` to `until`, each included when given),
    in date order: one statement."""
    bounds = {"date__gte": since, "date__lte": until}
    rows = _LOG_ROWS.filter(user=user, **{lookup: day for lookup, day in bounds.items() if day is not None})
    sessions, width = [], len(_SESSION_FIELDS)
    for _, group in groupby(rows, key=itemgetter(0)):
        group = list(group)
        _, date, routine, before, after, next_day, went_out = group[0][:width]
        sessions.append({
            "date": date, "routine": routine, "pain_before": before, "pain_after": after, "pain_next_day": next_day,
            "joint_went_out": went_out,
            "items": [dict(zip(_ITEM_FIELDS, row[width:])) for row in group if row[width] is not None]})
    # All of them in one call into pydantic (about half the time of one call per session); strict=False:
    # stored rows hold plain strings for the engine's enumerations.
    return Logs(_SESSION_LOGS.validate_python(sessions, strict=False))


_SESSION_LOGS = TypeAdapter(list[SessionLog])


def recent_logs(user, on: dt.date) -> Logs:
    since = on - dt.timedelta(days=LOG_WINDOW_DAYS)
    return session_logs(user, since, on)


def programme_start(user, checkin: CheckIn | None = None) -> dt.date | None:
    """The programme's first day: the day of the person's first check-in. A new check-in or a change
    of settings does not start it again."""
    if _read_with(checkin, "first_day"):
        return checkin.first_day
    return CheckIn.objects.filter(user=user).aggregate(first=Min("answered_on"))["first"]


def latest_version(user, checkin: CheckIn | None = None) -> CoachVersion | None:
    """The coach's version the person's plan follows: the newest of their active coach link, if any."""
    if _read_with(checkin, "coach_version_id"):
        if checkin.coach_version_id is None:
            return None
        return CoachVersion.objects.filter(pk=checkin.coach_version_id).first()
    return CoachVersion.objects.filter(link__client_id=user.pk, link__ended_at=None).order_by("-id").first()


_NO_ANSWERS = {"age": 30, "pain_now": 0, "onset_days_ago": 365}


def reported_profile(checkin: CheckIn | None, flags: list[str], on: dt.date) -> Profile:
    """The person's answers plus the warning signs reported since them (an open report stops the plan:
    open_red_flag). Without any check-in, neutral answers stand in."""
    profile = checkin.to_engine(on) if checkin is not None else parse_profile(_NO_ANSWERS)
    known = {f.value for f in RedFlag}
    added = tuple(dict.fromkeys((*profile.red_flags, *(RedFlag(f) for f in flags if f in known))))
    return profile.model_copy(update={"red_flags": added})


@dataclass(frozen=True)
class CurrentPlan:
    checkin: CheckIn
    profile: Profile  # the answers as they stand on the plan's first day (to show them)
    answers: Profile  # as given, with a coach's findings: what the engine takes (answers_with_coach)
    adjustments: Adjustments | None  # the coach's pins, left-out exercises and doses (None without a coach)
    plan: Plan
    logs: Logs  # the sessions the plan was made from: the last LOG_WINDOW_DAYS days, up to its first day


def current_plan(user, on: dt.date, days: int = PLAN_DAYS, checkin: CheckIn | None = None) -> CurrentPlan | None:
    """The plan from the newest check-in (pass it when already read), the coach's version and the
    recent logs."""
    checkin = checkin or latest_checkin(user)
    if checkin is None:
        return None
    answers, adjustments = answers_with_coach(user, checkin)
    logs = recent_logs(user, on)
    plan = make_plan(answers, logs, on, days, adjustments, programme_start=programme_start(user, checkin))
    return CurrentPlan(checkin, profile_on(answers, on), answers, adjustments, plan, logs)


def answers_with_coach(user, checkin: CheckIn) -> tuple[Profile, Adjustments | None]:
    """The person's answers as given (with the day they describe) with a coach's findings over them, and
    the coach's adjustments (coach mode; None without a coach): what the plan, "This hurts" and the
    library go by. The engine moves the answers on to the day itself and judges the warning signs as
    answered: answers already moved on would end a suspected fracture's restrictions six weeks after
    the fall with no doctor's word, and would make a check-in's pain of 7 a flare on every later day."""
    version = latest_version(user, checkin)
    profile = checkin.to_engine()
    if version is None:
        return profile, None
    adjustments, findings = version.to_engine()
    return findings.apply(profile), adjustments


def remember_planned_days(user) -> None:
    """Keep what today's and the coming days' plan holds, for the calendar, Progress and the coach's
    list; past days stay as they were. Run after each write that changes the plan (a check-in, a
    session, the morning answer, a coach's change), so that reading a page never writes. Always from
    the person's today: a session logged for an earlier day does not rewrite the days since."""
    on = today_for(user)
    checkin = latest_checkin(user)
    stopped = checkin is None or open_red_flag(user, checkin) is not None
    current = None if stopped else current_plan(user, on, checkin=checkin)
    planned = {day.date: [{"kind": r.kind.value, "title": r.title, "minutes": r.minutes} for r in day.routines]
               for day in current.plan.days} if current is not None else {}
    if not planned:
        # A warning sign stops the plan: today and the days ahead hold nothing, so no routine the
        # person was told not to do counts as planned and not done (Progress, the coach's list).
        PlannedDay.objects.filter(user=user, date__gte=on).delete()
        return
    # Most writes leave the coming days as they were kept (a session done today rarely changes what
    # is planned), so only the days that differ are written: usually none, and no write at all.
    kept = {date: (checkin_id, routines) for date, checkin_id, routines in PlannedDay.objects.filter(
        user=user, date__gte=min(planned), date__lte=max(planned)).values_list("date", "checkin_id", "routines")}
    rows = [PlannedDay(user=user, date=date, checkin=current.checkin, routines=routines)
            for date, routines in planned.items() if kept.get(date) != (current.checkin.pk, routines)]
    if rows:
        PlannedDay.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["user", "date"], update_fields=["routines", "checkin"])


def save_checkin(user, answers: dict, on: dt.date, source: str = CheckIn.Source.CHECK_IN,
                 psfs: list[tuple[str, int]] | None = None) -> CheckIn:
    profile = parse_profile(answers)
    triage = screen(profile)
    with transaction.atomic():
        checkin = CheckIn.from_engine(user, profile, on, triage.level.value, source)
        checkin.save()
        if psfs:
            start_psfs(user, psfs, on)
    remember_planned_days(user)
    return checkin


def report_red_flags(user, flags: list[str], level: str) -> RedFlagReport:
    """Warning signs that stop the plan until a check-in without them; the days ahead are no longer
    planned."""
    report = RedFlagReport.objects.create(user=user, flags=sorted(flags), level=level)
    remember_planned_days(user)
    return report


@transaction.atomic
def start_psfs(user, activities: list[tuple[str, int]], on: dt.date) -> None:
    PsfsActivity.objects.filter(user=user).delete()
    for position, (name, score) in enumerate(activities):
        act = PsfsActivity.objects.create(user=user, name=name.strip()[:120], position=position)
        PsfsRating.objects.create(activity=act, date=on, score=score)


@transaction.atomic
def rate_psfs(user, scores: dict[int, int], on: dt.date) -> None:
    for act in PsfsActivity.objects.filter(user=user, pk__in=list(scores)):
        PsfsRating.objects.update_or_create(activity=act, date=on, defaults={"score": scores[act.pk]})


def psfs_due(user, on: dt.date) -> bool:
    """Whether the person should rate their activities again (the functional scale, every two weeks)."""
    return psfs_due_after(PsfsRating.objects.filter(activity__user=user).aggregate(last=Max("date"))["last"], on)


def psfs_due_after(last_rated: dt.date | None, on: dt.date) -> bool:
    """psfs_due, when the day of the newest rating is already known (None: never rated, nothing due)."""
    return last_rated is not None and (on - last_rated).days >= PSFS_EVERY_DAYS


def parse_session(raw) -> SessionDone:
    return parse_model(SessionDone, raw, "session")


def saved_with_key(user, key: str | None) -> Session | None:
    """The person's session saved with idempotency key `key`, if any."""
    if not key:
        return None
    return Session.objects.filter(user=user, idempotency_key=key).prefetch_related("items").first()


def save_session(user, done: SessionDone, on: dt.date) -> Session:
    """The session and its items, all or nothing; then the coming days' plan is kept anew."""
    return save_session_once(user, done, on, None)[0]


def save_session_once(user, done: SessionDone, on: dt.date, key: str | None) -> tuple[Session, bool]:
    """As save_session; but with an idempotency `key` already saved, that session instead: (session,
    whether it was saved now). The database's unique constraint decides, without a read first: a key
    is new nearly every time (a resent session is rare), and two requests with one key at once both
    get the one session, the loser reading the winner's row."""
    kind = done.routine_kind or ("strength" if holds_strength(done.items, catalog()) else "relief")
    session = Session(idempotency_key=key or None,
        user=user, date=done.date or on, routine_kind=kind,
        routine_title=done.routine_title or kind.capitalize(),
        pain_before=done.pain_before, pain_after=done.pain_after, joint_went_out=done.joint_went_out,
    )
    items = [
        SessionItem(
            position=i, exercise=it.exercise, side=it.side.value,
            planned_sets=it.planned.sets, planned_reps=it.planned.reps, planned_hold_s=it.planned.hold_s,
            sets_done=it.sets_done, reps_done=it.reps_done, hold_s_done=it.hold_s_done, pain=it.pain,
            effort=it.effort.value if it.effort else None, skipped=it.skipped,
            swapped_from=it.swapped_from, swap_reason=it.swap_reason,
        )
        for i, it in enumerate(done.items)
    ]
    try:
        with transaction.atomic():
            session.save()
            for item in items:
                item.session = session
            SessionItem.objects.bulk_create(items)
    except IntegrityError:
        known = saved_with_key(user, key)
        if known is None:
            raise
        return known, False
    session._prefetched_objects_cache = {"items": items}  # session.items.all() without reading them back
    remember_planned_days(user)
    return session, True


def sessions_awaiting_morning(user, on: dt.date):
    """Yesterday's sessions whose next-morning pain is not yet known (the ones the answer updates)."""
    return Session.objects.filter(user=user, date=on - dt.timedelta(days=1), pain_next_day__isnull=True)


def awaiting_morning_in(logs: Logs, on: dt.date) -> bool:
    """Whether sessions_awaiting_morning has any, from logs already read that hold yesterday (the current
    plan's): Today asks it on every visit, and the plan has just read those sessions."""
    yesterday = on - dt.timedelta(days=1)
    return any(log.date == yesterday and log.pain_next_day is None for log in logs)


def morning_question_due(user, on: dt.date, done_today: bool, logs: Logs) -> bool:
    """Whether Today asks how the back feels after yesterday's sessions: in the person's morning (their
    time zone), or later in the day only while today's first session is still to come, so the answer
    describes the morning after and comes before the next session, never in the afternoon after it.
    `logs`: the current plan's."""
    now = local_now(user).time()
    if now < MORNING_STARTS or (done_today and now >= MORNING_ENDS):
        return False
    return awaiting_morning_in(logs, on)


def morning_opens(session_date: dt.date) -> dt.datetime:
    """When a session's next-morning answer may be given: 4 am the day after (the person's local time)."""
    return dt.datetime.combine(session_date + dt.timedelta(days=1), MORNING_STARTS)


def _record_morning(sessions, answer: MorningAnswer) -> int:
    fields = {"pain_next_day": answer.pain_next_day, "changed_at": timezone.now()}
    if answer.joint_went_out:  # once reported, a later answer never takes it back
        fields["joint_went_out"] = True
    return sessions.update(**fields)


def answer_morning(user, raw, on: dt.date) -> int:
    """The morning question on Today: it answers for all of yesterday's sessions."""
    answered = _record_morning(sessions_awaiting_morning(user, on), parse_model(MorningAnswer, raw, "morning"))
    remember_planned_days(user)
    return answered


def answer_session_morning(session: Session, answer: MorningAnswer) -> Session:
    """The same answer for one session (the API names it)."""
    _record_morning(Session.objects.filter(pk=session.pk), answer)
    session.refresh_from_db()
    remember_planned_days(session.user)
    return session


def situation_of(user) -> Context | None:
    """What the person's situation allows today, with a coach's findings and left-out exercises: the
    exercise library marks what it rules out. None when not signed in or before a check-in."""
    if not user.is_authenticated:
        return None
    checkin = latest_checkin(user)
    if checkin is None:
        return None
    answers, adjustments = answers_with_coach(user, checkin)
    ctx = person_context(answers, today_for(user))
    return ctx.with_avoided(avoided(adjustments)) if adjustments is not None else ctx


def pain_during_session(user, raw, on: dt.date) -> LiveDecision:
    question = parse_model(PainQuestion, raw, "pain")
    checkin = latest_checkin(user)
    report = open_red_flag(user, checkin)
    if report is not None:  # a warning sign reported since the check-in: stop, whatever the pain
        return on_pain(reported_profile(checkin, report.flags, on), question.exercise, question.pain)
    if checkin is None:
        raise LookupError("no check-in yet")
    answers, adjustments = answers_with_coach(user, checkin)
    return on_pain(answers, question.exercise, question.pain, on, frozenset(question.excluded),
                   avoided(adjustments) if adjustments is not None else None, frozenset(question.hurt))


def answers_ahead(current: CurrentPlan, on: dt.date, exercises: list[str]) -> list[LiveDecision]:
    """What "This hurts" at 6/10 would answer on `on` for each of `exercises` (a session's), none of them
    offered in another's place, nor one the coach left out: sent with the session, so the player can
    answer without the network. From the answers as given (CurrentPlan.answers)."""
    excluded = frozenset(exercises)
    left_out = avoided(current.adjustments) if current.adjustments is not None else None
    return [on_pain(current.answers, slug, SWAP_PAIN, on, excluded, left_out) for slug in exercises]


@transaction.atomic
def set_preferences(user, **fields) -> Preferences:
    prefs, _ = Preferences.objects.get_or_create(user=user)
    for name, value in fields.items():
        setattr(prefs, name, value)
    prefs.save(update_fields=list(fields))
    user.preferences = prefs  # so today_for() in the same request uses the new time zone
    return prefs
