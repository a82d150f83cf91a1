"""The numbers behind the Progress page: pain over time, done against planned, pillars per week,
the functional scale and the engine's changes. Only the chosen window is read, so a long history
costs no more than a short one.

What counts as done is decided here once (`routine_done`, `tally`), for Today, Progress and the
coach's pages alike: a routine is done on a day when a session of it has at least one exercise
done (`exercise_done`: not skipped, and a set, a rep or a second of a hold of it done); a session
where everything was skipped, or stopped for pain before anything was done, is not done."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from django.db.models import Exists, Min, OuterRef, Q, TextField
from django.db.models.functions import Cast

from sijcoach.engine.catalog import catalog
from sijcoach.engine.plan_types import Change
from sijcoach.engine.profile import SessionLog
from sijcoach.engine.questionnaires import ChangeResult, pain_change, psfs_change
from sijcoach.engine.vocab import PILLARS, STRENGTH_KINDS
from sijcoach.web import charts
from sijcoach.web.plans.models import CheckIn, PlannedDay, PsfsActivity, PsfsRating, Session, SessionItem
from sijcoach.web.plans.services import CurrentPlan, programme_start


class _Row(NamedTuple):
    id: int
    date: dt.date
    routine_kind: str
    pain_before: int | None
    pain_after: int | None
    pain_next_day: int | None

WINDOWS = (4, 12, 26, 52)  # weeks the page can show
DEFAULT_WEEKS = 12
# Every routine of a day counts, the walk too: the day's session has it as a step ("I did it") and saves it
# as a log of its own, and Today lists it among the day's routines.
COUNTED_KINDS = {"relief", "alignment", "strength", "walk"}


@dataclass(frozen=True)
class Progress:
    weeks: int
    start: dt.date
    end: dt.date
    pain_points: list[charts.PainPoint]
    calendar: list[charts.CalendarDay]
    pillars: list[charts.WeekPillars]
    psfs_points: list[charts.PsfsPoint]
    psfs_activities: list[PsfsActivity]
    pain: ChangeResult | None
    psfs: ChangeResult | None
    done: int
    planned: int
    changes: tuple[Change, ...]
    week: Completion


@dataclass(frozen=True)
class Completion:
    """Routines done of those planned, this week (Monday to Sunday): "3 of 5 this week"."""

    done: int
    planned: int


def exercise_done(skipped: bool, sets: int, reps: int, hold_s: int) -> bool:
    """An exercise of a session is done when it was not skipped and some of it was done. One the
    person stopped for pain before a set (the player logs its pain, with nothing done) is not."""
    return not skipped and (sets > 0 or reps > 0 or hold_s > 0)


def routine_done(done: Iterable[bool]) -> bool:
    """The rule: a routine is done when its session has an exercise done (`done`: exercise_done of
    each). A session with no exercises, or with none done, is not done."""
    return any(done)


def _done_days(sessions: Iterable[tuple[dt.date, str, Iterable[bool]]]) -> dict[dt.date, set[str]]:
    """Each day's routines done, from sessions already read: (day, routine kind, exercise_done of each
    exercise) per session."""
    done: dict[dt.date, set[str]] = defaultdict(set)
    for day, kind, exercises in sessions:
        if routine_done(exercises):
            done[day].add(kind)
    return done


def done_in_logs(logs: Iterable[SessionLog], start: dt.date, end: dt.date) -> dict[dt.date, set[str]]:
    """done_by_day from sessions already read (the current plan's logs, when they cover `start` to
    `end`): Today and the player ask this, and the plan has just read the week's sessions."""
    return _done_days((log.date, log.routine.value,
                       (exercise_done(i.skipped, i.sets_done, i.reps_done, i.hold_s_done) for i in log.items))
                      for log in logs if start <= log.date <= end and log.routine is not None)


def rounds_done(logs: Iterable[SessionLog], on: dt.date) -> dict[str, int]:
    """How many sessions of each routine kind were done on `on` (a routine planned twice a day, such as
    relief morning and evening, is done twice); from sessions already read, as done_in_logs."""
    return Counter(log.routine.value for log in logs if log.date == on and log.routine is not None and routine_done(
        exercise_done(i.skipped, i.sets_done, i.reps_done, i.hold_s_done) for i in log.items))


# routine_done in SQL, for the coach's list (many people and weeks at once, where reading every
# exercise would cost more). tests/web/test_progress_done.py checks that the two agree. Built once and
# narrowed per call, as plans.services does with the check-ins: resolving the subquery costs as much
# as running the statement. No ordering: it would join the distinct.
_DONE_ROUTINES = (Session.objects.filter(Exists(SessionItem.objects.filter(
    Q(sets_done__gt=0) | Q(reps_done__gt=0) | Q(hold_s_done__gt=0), session=OuterRef("pk"), skipped=False)))
                  .order_by().values_list("user_id", "date", "routine_kind").distinct())


def done_by_day_for(user_ids, start: dt.date, end: dt.date) -> dict[int, dict[dt.date, set[str]]]:
    """done_by_day for many people at once (the coach's list): one query for them all."""
    rows = _DONE_ROUTINES.filter(user_id__in=list(user_ids), date__gte=start, date__lte=end)
    done: dict[int, dict[dt.date, set[str]]] = defaultdict(lambda: defaultdict(set))
    for user_id, date, kind in rows:
        done[user_id][date].add(kind)
    return done


def done_by_day(user, start: dt.date, end: dt.date) -> dict[dt.date, set[str]]:
    """The routines done each day from `start` to `end`: a session with at least one exercise done.
    One query. (Only planned routines count: a walk done on a day without one planned shows on the
    calendar but is not one of "3 of 5".)"""
    return done_by_day_for([user.pk], start, end).get(user.pk, {})


@lru_cache(maxsize=4096)
def _counted_kinds(routines: str) -> tuple[str, ...]:
    """The counted routine kinds of a kept day's routines (its JSON text). Days repeat (the same plan
    day week after week, person after person), so each text is parsed once."""
    return tuple(r["kind"] for r in json.loads(routines) if r["kind"] in COUNTED_KINDS)


def planned_by_day_for(user_ids, start: dt.date, end: dt.date) -> dict[int, dict[dt.date, list[str]]]:
    """The counted routines planned each day as kept (PlannedDay, written with every change to the
    plan), for many people at once: one query. The routines are read as text (Cast) and parsed once
    per distinct day, since the coach's list reads a month of days for hundreds of people."""
    planned: dict[int, dict[dt.date, list[str]]] = defaultdict(dict)
    for user_id, date, routines in PlannedDay.objects.filter(
            user_id__in=list(user_ids), date__gte=start, date__lte=end).values_list(
            "user_id", "date", Cast("routines", TextField())):
        planned[user_id][date] = list(_counted_kinds(routines))
    return planned


def _planned_by_day(user, start: dt.date, end: dt.date, today: dt.date, upcoming=()) -> dict[dt.date, list[str]]:
    """The counted routines planned each day, as kept (PlannedDay). A day from today on that was not
    kept yet (nothing was written for a week) is taken from the current plan (`upcoming`, its days).
    Kept days come first so that the coach's list, which reads only what was kept, counts as this does."""
    planned = planned_by_day_for([user.pk], start, end).get(user.pk, {})
    for day in upcoming:
        if today <= day.date <= end and day.date not in planned:
            planned[day.date] = [r.kind.value for r in day.routines if r.kind.value in COUNTED_KINDS]
    return planned


def this_week(today: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of `today`'s week."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(days=6)


@dataclass(frozen=True)
class Adherence:
    """Routines done of those planned, week by week (oldest first; the last is this week, as Today
    counts it: its whole plan, done so far), and over the weeks up to today (as Progress counts its
    window: what was planned up to today, and of it what was done)."""

    weeks: list[Completion]
    to_date: Completion

    @property
    def by_week(self) -> str:
        """"- · 2/14 · 9/12": a week with nothing planned and nothing done (before the client began, say)
        is a dash, not "0/0"."""
        return " · ".join("-" if (w.done, w.planned) == (0, 0) else f"{w.done}/{w.planned}" for w in self.weeks)


def tally(planned: dict[dt.date, list[str]], done: dict[dt.date, set[str]], today: dt.date,
          first_monday: dt.date, weeks: int) -> Adherence:
    """The one count behind every "done of planned" (Today, Progress, the coach's list and review):
    over `weeks` weeks from `first_monday`, a routine planned on a day counts as done when a session of
    it was done that day, up to today. One pass over the days."""
    week_done, week_planned, to_date = [0] * weeks, [0] * weeks, 0
    for day, kinds in planned.items():
        n = (day - first_monday).days // 7
        if not 0 <= n < weeks:
            continue
        kinds = set(kinds)
        week_planned[n] += len(kinds)
        if day <= today:
            to_date += len(kinds)
            week_done[n] += len(kinds & done.get(day, set()))
    return Adherence([Completion(d, p) for d, p in zip(week_done, week_planned)], Completion(sum(week_done), to_date))


def week_completion(user, today: dt.date, upcoming=(), done: dict[dt.date, set[str]] | None = None) -> Completion:
    """This week's planned routines (Monday to Sunday) and how many of them are done so far. `done`:
    done_by_day from Monday to today, when the caller has it already."""
    monday, sunday = this_week(today)
    if done is None:
        done = done_by_day(user, monday, today)
    return tally(_planned_by_day(user, monday, sunday, today, upcoming), done, today, monday, 1).weeks[0]


def adherence(todays: dict[int, dt.date], weeks: int = 4) -> dict[int, Adherence]:
    """Each person's adherence over the last `weeks` weeks (this one included), for many people at
    once: two queries (what was planned, as kept, and what was done), whatever their history. The
    same count as their own Today and Progress pages (`tally`); `todays`: person id -> their
    today (each in their own time zone)."""
    if not todays:
        return {}
    first = min(todays.values())
    start = first - dt.timedelta(days=first.weekday(), weeks=weeks - 1)
    end = this_week(max(todays.values()))[1]
    planned_all = planned_by_day_for(todays, start, end)
    done_all = done_by_day_for(todays, start, max(todays.values()))
    return {user_id: tally(planned_all.get(user_id, {}), done_all.get(user_id, {}), today,
                           this_week(today)[0] - dt.timedelta(weeks=weeks - 1), weeks)
            for user_id, today in todays.items()}


def _status(planned: list[str], done: set[str], day: dt.date, today: dt.date) -> str:
    if day > today:
        return "planned" if planned else "none"
    if not planned:
        return "done" if done else "none"
    hit = len(set(planned) & done)
    if hit == len(set(planned)):
        return "done"
    if hit or done:
        return "partial"
    return "missed" if day < today else "planned"


_PROGRESS_ROWS = Session.objects.order_by("date", "id").values_list(
    *_Row._fields, "items__exercise", "items__skipped", "items__sets_done", "items__reps_done", "items__hold_s_done")


def first_day(user, checkin: CheckIn | None = None) -> dt.date | None:
    """The person's first day here: their first check-in, or an earlier logged session. `checkin`: the
    newest, when already read with latest_checkin (it knows the first check-in's day)."""
    return _or_first_session(user, programme_start(user, checkin))


def _or_first_session(user, begun: dt.date | None) -> dt.date | None:
    """`begun` (the programme's first day), or the first logged session when that is earlier."""
    first_session = Session.objects.filter(user=user).aggregate(first=Min("date"))["first"]
    return min((d for d in (begun, first_session) if d is not None), default=None)


def build_for(user, today: dt.date, weeks: int, current: CurrentPlan | None) -> Progress:
    """build() from the person's current plan (None before a check-in): the engine's changes, the days
    ahead and the check-in it was made from, which knows the programme's first day."""
    if current is None:
        return build(user, today, weeks)
    return build(user, today, weeks, current.plan.changes, current.plan.days, current.checkin)


def build(user, today: dt.date, weeks: int, changes: tuple[Change, ...] = (), upcoming=(),
          checkin: CheckIn | None = None) -> Progress:
    """`upcoming`: the current plan's days, shown ahead on the calendar; `checkin`: the newest check-in
    when already read (the plan's)."""
    weeks = weeks if weeks in WINDOWS else DEFAULT_WEEKS
    monday = today - dt.timedelta(days=today.weekday())
    start = monday - dt.timedelta(weeks=weeks - 1)
    begun = programme_start(user, checkin)
    # A programme begun before the window leaves its start as it is, whatever was logged earlier.
    first = begun if begun is not None and begun <= start else _or_first_session(user, begun)
    # The person's first week, not empty weeks before it (this week alone before any check-in or session).
    start = max(start, min(first - dt.timedelta(days=first.weekday()), monday)) if first is not None else monday
    end = monday + dt.timedelta(days=6)
    # Only the columns the page needs, sessions and their items in one statement: a long history reads
    # as little as a short one.
    sessions: list[_Row] = []
    items: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for row in _PROGRESS_ROWS.filter(user=user, date__gte=start, date__lte=today):
        if not sessions or sessions[-1].id != row[0]:
            sessions.append(_Row(*row[:6]))
        if row[6] is not None:  # a session with no items has one row, without an exercise
            items[row[0]].append((row[6], exercise_done(*row[7:])))
    by_day: dict[dt.date, list[_Row]] = defaultdict(list)
    for s in sessions:
        by_day[s.date].append(s)

    pain_points = []
    for day, group in sorted(by_day.items()):
        before = next((s.pain_before for s in group if s.pain_before is not None), None)
        # The worst pain after any of the day's sessions: a rise after strength work must not hide behind
        # the relief routine done later that day (a physiotherapist's find).
        after = max((s.pain_after for s in group if s.pain_after is not None), default=None)
        morning = next((s.pain_next_day for s in reversed(group) if s.pain_next_day is not None), None)
        pain_points.append(charts.PainPoint(day, before, after, morning))

    planned_rows = _planned_by_day(user, start, end, today, upcoming)
    # What was done, from the rows just read (the same window): no statement of its own.
    done_rows = _done_days((s.date, s.routine_kind, (done for _, done in items[s.id])) for s in sessions)
    calendar = []
    day = start
    while day <= end:
        status = _status(planned_rows.get(day, []), done_rows.get(day, set()), day, today)
        calendar.append(charts.CalendarDay(day, status))
        day += dt.timedelta(days=1)
    # The window counts what was planned up to today; the week, as everywhere, its whole plan.
    counted = tally(planned_rows, done_rows, today, start, ((end - start).days + 1) // 7)
    cat = catalog()
    # Every week from the first session's to this one, each pillar's count from zero: a week without
    # strength work shows as nothing done, not as a week left out of the chart.
    per_week: dict[dt.date, dict[str, int]] = {}
    if sessions:
        week = this_week(min(s.date for s in sessions))[0]
        while week <= monday:  # this week's
            per_week[week] = {p.value: 0 for p in PILLARS}
            week += dt.timedelta(weeks=1)
    for s in sessions:
        trained = set()
        for exercise, done in items[s.id]:
            # Strengthening only: a stretch or a massage of the glutes does not train the back of hip.
            if done and exercise in cat and cat[exercise].kind in STRENGTH_KINDS:
                trained |= {g.value for g in cat[exercise].groups if g in PILLARS}
        counts = per_week.setdefault(this_week(s.date)[0], {p.value: 0 for p in PILLARS})
        for group in trained:
            counts[group] += 1
    pillars = [charts.WeekPillars(w, c["core"], c["back_of_hip"], c["low_back"]) for w, c in sorted(per_week.items())]

    activities = list(PsfsActivity.objects.filter(user=user))
    ratings = defaultdict(list)
    for date, score in PsfsRating.objects.filter(activity__user=user).order_by("date").values_list("date", "score"):
        ratings[date].append(score)
    psfs_points = [charts.PsfsPoint(d, round(sum(v) / len(v), 2)) for d, v in sorted(ratings.items())]

    befores = [p for p in pain_points if p.before is not None]
    pain = pain_change(befores[0].before, befores[-1].before) if len(befores) >= 2 else None
    psfs = psfs_change(psfs_points[0].score, psfs_points[-1].score) if len(psfs_points) >= 2 else None
    return Progress(weeks, start, end, pain_points, calendar, pillars, psfs_points, activities, pain, psfs,
                    counted.to_date.done, counted.to_date.planned, changes, counted.weeks[-1])
