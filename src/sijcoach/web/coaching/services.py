"""What coach mode does: one function per action, each write one transaction.

Every read of a client's data by their coach goes through `access.client_of` (who may see it) and is
written to the client's access log here, in the same call. Every write that changes the client's plan
keeps the client's planned days anew (services.remember_planned_days), as the client's own writes do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, IntegerField, Min, OuterRef, Q, Subquery, Value, Window
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, RowNumber
from django.utils import timezone

from sijcoach.engine.adaptation import SWAP_PAIN
from sijcoach.engine.assessment import POSTPARTUM_EARLY_WEEKS
from sijcoach.engine.adjust import (
    Adjustments, CoachDose, Findings, beyond_own_range, dose_problems, dose_words, parse_adjustments, parse_findings,
    ruled_out,
)
from sijcoach.engine.catalog import catalog
from sijcoach.engine.coach_limits import KIND_WORDS, coach_limits
from sijcoach.engine.inputs import InputError, Problem, parse_model
from sijcoach.engine.plan_types import ChangeKind
from sijcoach.engine.questionnaires import pain_change, pain_direction
from sijcoach.engine.profile import Birth, Distortion, Pregnancy, Profile
from sijcoach.engine.vocab import Difficulty, day_words
from sijcoach.web import access
from sijcoach.web.coaching.models import AccessLog, CoachLink, CoachRole, CoachVersion, FlagSeen, Invite
from sijcoach.web.plans import labels, progress, services
from sijcoach.web.plans.models import CheckIn, RedFlagReport, Session, SessionItem
from sijcoach.web.sharing.services import fhir_json

INVITE_DAYS = 7
NO_SESSION_DAYS = 7
JOINT_OUT_DAYS = 14
TREND_DAYS = 28
ADHERENCE_WEEKS = 4  # beside each client on the list
READS_SHOWN = 20  # of the access log, on the client page
LIST_PAGE = 50  # clients a page of the list, most in need first
# How much each flag weighs when sorting clients: warning signs before everything.
FLAG_WEIGHT = {"red_flag": 1000, "see_doctor": 200, "joint_out": 100, "hurt": 80, "pain_worse": 50, "no_session": 10}
# What the client reads for each change, with the exercise's name.
SAID = {"pin": "Pinned {}.", "exclude": "Left out {}.", "release": "Gave {} back to the plan.",
        "clear_dose": "Gave the dose of {} back to the plan."}


class CoachError(Exception):
    """Something a person asked that cannot be done; the message says why."""


# ---- the role and the link -----------------------------------------------------------------------

def is_coach(user) -> bool:
    """Read from the person's row when the sign-in backend read the role with it (select_related)."""
    if not user.is_authenticated:
        return False
    try:
        return user.coach_role is not None
    except CoachRole.DoesNotExist:
        return False


@transaction.atomic
def grant_coach(user, by: str) -> CoachRole:
    role, _ = CoachRole.objects.get_or_create(user=user, defaults={"granted_by": by})
    return role


@transaction.atomic
def revoke_coach(user) -> int:
    """The role goes, and with it every client link (the clients' plans return to their own)."""
    ended = end_links(CoachLink.objects.filter(coach=user, ended_at=None))
    CoachRole.objects.filter(user=user).delete()
    Invite.objects.filter(coach=user, used_at=None).delete()
    return ended


def end_links(links) -> int:
    clients = list(links.values_list("client_id", flat=True))
    # What a professional found (a Beighton score, a distortion, tight muscles) stays true of the person
    # after the coach goes: it is kept in their answers; the coach's pins and doses end with the link.
    newest = CoachVersion.objects.filter(link=OuterRef("pk")).order_by("-id").values("findings")[:1]
    read = links.annotate(found=Subquery(newest)).values_list("client_id", "found")
    found = {client_id: Findings.model_validate(findings or {}, strict=False) for client_id, findings in read}
    links.update(ended_at=timezone.now())
    for client in get_user_model().objects.select_related("preferences").filter(pk__in=clients):
        if found.get(client.pk, Findings()) != Findings():
            keep_findings(client, found[client.pk])  # keeps the planned days too
        else:
            services.remember_planned_days(client)  # the plan returns to the client's own
    return len(clients)


def keep_findings(client, findings: Findings) -> None:
    """A copy of the client's newest answers with a professional's findings in them (as settings are
    kept): the plan goes on using them once the coach's link has ended."""
    checkin = services.latest_checkin(client)
    if checkin is None:
        return
    answers = findings.apply(checkin.to_engine()).model_dump(mode="json")
    services.save_checkin(client, answers, checkin.answered_on, source=CheckIn.Source.COACH_FINDINGS)


@transaction.atomic
def create_invite(coach) -> Invite:
    now = timezone.now()
    while True:
        code = Invite.new_code()
        if not Invite.objects.filter(code=code).exists():
            return Invite.objects.create(coach=coach, code=code, created_at=now,
                                         expires_at=now + dt.timedelta(days=INVITE_DAYS))


def open_invites(coach):
    return Invite.objects.filter(coach=coach, used_at=None, expires_at__gt=timezone.now())


def normal_code(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())[:20]


def find_invite(code: str) -> Invite | None:
    return Invite.objects.select_related("coach").filter(code=normal_code(code)).first()


def invite_problem(client, invite: Invite | None) -> str | None:
    """Why `client` cannot accept `invite` now, or None."""
    if invite is None:
        return "No invite has this code: check it with your coach."
    if invite.used_at is not None:
        return "This invite has been used already: an invite works once. Ask your coach for a new one."
    if not invite.open(timezone.now()):
        return "This invite has expired: ask your coach for a new one."
    if invite.coach_id == client.pk:
        return "This is your own invite: give it to your client."
    current = active_link(client)
    if current is not None:
        return (f"You already have a coach ({current.coach.email}). A person has one coach at a time: "
                "leave your coach first to accept another.")
    return None


@transaction.atomic
def accept_invite(client, code: str) -> CoachLink:
    invite = Invite.objects.select_for_update().select_related("coach").filter(code=normal_code(code)).first()
    problem = invite_problem(client, invite)
    if problem:
        raise CoachError(problem)
    now = timezone.now()
    try:
        with transaction.atomic():  # a second coach accepted at the same moment: the constraint decides
            link = CoachLink.objects.create(coach=invite.coach, client=client, started_at=now)
    except IntegrityError:
        raise CoachError("You already have a coach: leave your coach first to accept another.") from None
    Invite.objects.filter(pk=invite.pk).update(used_at=now, used_by=client)
    return link


@transaction.atomic
def leave_coach(client) -> bool:
    """The client ends the link: the coach's access ends now and the plan returns to the client's own."""
    return bool(end_links(CoachLink.objects.filter(client=client, ended_at=None)))


@transaction.atomic
def end_client_link(coach, client_id: int) -> str:
    """The coach ends the link (a discharge, or a client they no longer see): as when the client leaves,
    their access ends now, what they found stays in the client's answers and the plan returns to the
    client's own. Returns the client's email, for the coach's message; 404 for anyone not their coach."""
    link = access.client_link(coach, client_id)
    _log_reads(coach, [client_id], "ended the link")
    end_links(CoachLink.objects.filter(pk=link.pk))
    return link.client.email


def active_link(client) -> CoachLink | None:
    return CoachLink.objects.select_related("coach").filter(client_id=client.pk, ended_at=None).first()



# ---- what the coach reads ------------------------------------------------------------------------

FLAG_WORDS = {
    "red_flag": "Warning signs reported: plan stopped", "see_doctor": "Warning signs: see a doctor soon",
    "joint_out": f"The joint went out (last {JOINT_OUT_DAYS} days)",
    "hurt": f"Pain of {SWAP_PAIN}/10 or more in or after a session (last {JOINT_OUT_DAYS} days)",
    "pain_worse": "Pain worse two check-ins in a row", "no_session": f"No session for {NO_SESSION_DAYS} days",
}


def _log_reads(coach, client_ids, what: str) -> None:
    AccessLog.objects.bulk_create([AccessLog(client_id=c, coach=coach, coach_email=coach.email, what=what)
                                   for c in client_ids])


@dataclass(frozen=True)
class Flag:
    """One thing that needs the coach, with the newest data it stands on (`basis`) and when the coach
    marked it seen (None: new, or new data since)."""

    code: str
    words: str
    basis: str
    seen_at: dt.datetime | None = None
    day: dt.date | None = None  # the day of what it stands on, when it is one session (the joint out, pain)


@dataclass(frozen=True)
class ClientRow:
    client_id: int
    email: str
    last_session: dt.date | None
    adherence: progress.Adherence | None  # four weeks, as the client's Today and Progress count them
    trend: str | None  # better, same or worse by the meaningful-change rule; None: too few ratings
    trend_text: str
    open_triage: list[str]
    flag_states: list[Flag]  # new ones first, then those marked seen
    score: int
    on: dt.date  # the client's today

    @property
    def flags(self) -> list[tuple[str, str]]:
        return [(f.code, f.words) for f in self.flag_states]

    @property
    def new_flags(self) -> list[Flag]:
        return [f for f in self.flag_states if f.seen_at is None]

    @property
    def done_week(self) -> int:
        return self.adherence.weeks[-1].done

    @property
    def planned_week(self) -> int:
        return self.adherence.weeks[-1].planned

    @property
    def week_words(self) -> str:
        return f"{self.done_week} of {self.planned_week}"

    @property
    def four_weeks_words(self) -> str:
        return f"{self.adherence.to_date.done} of {self.adherence.to_date.planned}"


class _Answer(NamedTuple):
    pk: int
    created_at: dt.datetime
    triage_level: str
    pain: int | None


@dataclass
class _Facts:
    """What the flags and the trend of one client are computed from, read for many clients at once."""

    on: dt.date
    last_session: dt.date | None = None
    last_out: tuple[dt.date, int] | None = None  # the newest session where the joint went out: date, id
    last_hurt: tuple[dt.date, int] | None = None  # the newest session (two weeks) with pain of 6 or more: date, id
    readings: list = field(default_factory=list)  # (date, 0 session or 1 check-in, id, pain)
    checkins: list[_Answer] = field(default_factory=list)  # the newest three check-ins, newest first
    first_checkin: dt.date | None = None  # the programme's first day
    reports: list = field(default_factory=list)  # warning-sign reports, newest first


def _gather(todays: dict[int, dt.date]) -> dict[int, _Facts]:
    """The facts of every client (id -> their today) in a fixed number of queries, whatever their
    number or history."""
    facts = {pk: _Facts(on) for pk, on in todays.items()}
    if not facts:
        return facts
    ids = list(facts)
    by_day: dict[dt.date, list[int]] = {}  # clients by their today (a few time zones: a few groups)
    for pk, f in facts.items():
        by_day.setdefault(f.on, []).append(pk)
    for on, group in by_day.items():
        _session_facts(facts, group, on)
    earliest = min(by_day)
    since = earliest - dt.timedelta(days=TREND_DAYS)
    # Check-ins: only what the flags need (the pain rating read by the database, not whole answers).
    answers = CheckIn.objects.filter(user_id__in=ids, source=CheckIn.Source.CHECK_IN).annotate(
        pain=Cast(KT("profile__pain_now"), IntegerField()))
    newest = Window(RowNumber(), partition_by=[F("user_id")], order_by=[F("created_at").desc(), F("id").desc()])
    first = Window(Min("answered_on"), partition_by=[F("user_id")])  # over all their check-ins, before the filter
    for user_id, first_day, *answer in answers.annotate(n=newest, first=first).filter(n__lte=3).order_by(
            "user_id", "n").values_list("user_id", "first", "id", "created_at", "triage_level", "pain"):
        facts[user_id].checkins.append(_Answer(*answer))
        facts[user_id].first_checkin = first_day
    for user_id, pk, at, pain in answers.filter(created_at__date__gte=since).values_list(
            "user_id", "id", "created_at", "pain"):
        facts[user_id].readings.append((timezone.localtime(at).date(), 1, pk, pain))
    for r in RedFlagReport.objects.filter(user_id__in=ids):
        facts[r.user_id].reports.append(r)
    return facts


def _session_facts(facts: dict[int, _Facts], ids: list[int], on: dt.date) -> None:
    """The sessions the flags and the trend stand on, of clients whose today is `on`: each client's
    last session, the newest one where the joint went out (last two weeks) and the first and last
    with a pain rating before it (last four weeks). Each is found by the database on the (user, date)
    index, a few rows a client however long their history; then those sessions are read."""
    newest = ("-date", "-id")
    theirs = Session.objects.filter(user_id=OuterRef("pk"))
    rated = theirs.filter(date__gte=on - dt.timedelta(days=TREND_DAYS), pain_before__isnull=False)
    recent = theirs.filter(date__gte=on - dt.timedelta(days=JOINT_OUT_DAYS))
    out = recent.filter(joint_went_out=True)
    # An exercise that hurt 6 or more (the player's "This hurts"), or the pain after it or the next morning.
    # The items are asked with EXISTS (a semi-join that stops at the first): a join would read every item
    # of two weeks of sessions for each client (on PostgreSQL about 5 ms of a 200-client list).
    item_hurt = SessionItem.objects.filter(session=OuterRef("pk"), pain__gte=SWAP_PAIN)
    hurt = recent.filter(Q(pain_after__gte=SWAP_PAIN) | Q(pain_next_day__gte=SWAP_PAIN) | Exists(item_hurt))
    picked = get_user_model().objects.filter(pk__in=ids).values_list(
        "pk", *(Subquery(q.values("id")[:1]) for q in (
            theirs.order_by(*newest), out.order_by(*newest), rated.order_by("date", "id"), rated.order_by(*newest),
            hurt.order_by(*newest))))
    chosen = {user_id: sessions for user_id, *sessions in picked}
    read = {pk: (date, pain) for pk, date, pain in Session.objects.filter(
        pk__in=[pk for row in chosen.values() for pk in row if pk is not None]).order_by().values_list(
            "id", "date", "pain_before")}
    for user_id, (last, went_out, first_rated, last_rated, hurt_in) in chosen.items():
        f = facts[user_id]
        f.last_session = read[last][0] if last else None
        f.last_out = (read[went_out][0], went_out) if went_out else None
        f.last_hurt = (read[hurt_in][0], hurt_in) if hurt_in else None
        # one reading when the first is the last
        f.readings += [(read[pk][0], 0, pk, read[pk][1]) for pk in dict.fromkeys((first_rated, last_rated)) if pk]


def _trend(facts: _Facts) -> tuple[str | None, str]:
    """First against last pain rating (check-ins and before sessions) of the last four weeks."""
    since = facts.on - dt.timedelta(days=TREND_DAYS)
    # Oldest first; on one day, sessions before check-ins, each in the order they were saved.
    readings = [p for d, _, _, p in sorted(facts.readings) if d >= since and p is not None]
    if len(readings) < 2:
        return None, "Too few pain ratings in the last four weeks."
    # The meaningful-change rule, as on Progress.
    return pain_direction(readings[0], readings[-1]), pain_change(readings[0], readings[-1]).explanation


def _triage_of(facts: _Facts) -> tuple[list[Flag], list[str]]:
    """The warning signs the client has open, as flags and messages: red-flag answers since their last
    check-in (the plan is stopped) and the last check-in's own triage (see a doctor soon)."""
    answered = facts.checkins[0] if facts.checkins else None
    reports = [r for r in facts.reports if answered is None or r.created_at > answered.created_at]
    flags, messages = {}, []
    for r in reports:
        flags.setdefault("red_flag", f"report:{max(x.pk for x in reports)}")
        messages.append(f"Warning signs reported {r.created_at:%d %b}: "
                        f"{', '.join(f.replace('_', ' ') for f in r.flags)} ({r.level.replace('_', ' ')})")
    if answered is not None and answered.triage_level != "none":
        code = "red_flag" if answered.triage_level in ("urgent", "emergency") else "see_doctor"
        flags.setdefault(code, f"checkin:{answered.pk}")
        messages.append(f"Last check-in ({answered.created_at:%d %b}): {answered.triage_level.replace('_', ' ')}")
    return [Flag(code, FLAG_WORDS[code], basis) for code, basis in flags.items()], messages


def open_warning_signs(client) -> list[str]:
    """The client's open warning signs in words (as on the list), for their page and the review summary."""
    return _triage_of(_gather({client.pk: services.today_for(client)})[client.pk])[1]


def _flags(facts: _Facts) -> tuple[list[Flag], list[str]]:
    flags, triage = _triage_of(facts)
    # Each with its day (a physiotherapist's find: a joint out today and one ten days ago read the same).
    if facts.last_out is not None and facts.last_out[0] >= facts.on - dt.timedelta(days=JOINT_OUT_DAYS):
        day, pk = facts.last_out
        flags.append(Flag("joint_out", f"The joint went out on {day_words(day)}", f"session:{pk}", day=day))
    if facts.last_hurt is not None:  # a newer painful session raises it again after "seen"
        day, pk = facts.last_hurt
        flags.append(Flag("hurt", f"Pain of {SWAP_PAIN}/10 or more in or after the session of {day_words(day)}",
                          f"session:{pk}", day=day))
    checkins = facts.checkins
    pains = [c.pain for c in reversed(checkins)]
    if len(pains) == 3 and all(pain_change(a, b).direction == "worse" for a, b in zip(pains, pains[1:])):
        flags.append(Flag("pain_worse", FLAG_WORDS["pain_worse"], f"checkin:{checkins[0].pk}"))
    last = facts.last_session
    # Counted from the last session, or from the programme's first day when there is none yet: a
    # client who checked in today is not late.
    since = last or facts.first_checkin
    if since is not None and (facts.on - since).days >= NO_SESSION_DAYS:
        flags.append(Flag("no_session", FLAG_WORDS["no_session"], f"last:{last.isoformat() if last else 'none'}"))
    return flags, triage


class Listed(NamedTuple):
    """A client as the list reads them: no model instances, since the list reads hundreds."""

    client_id: int
    email: str
    time_zone: str


def _listed(link: CoachLink) -> Listed:
    prefs = services.preferences_of(link.client)
    return Listed(link.client_id, link.client.email, prefs.time_zone if prefs is not None else "")


def _rows(coach, listed: list[Listed]) -> list[ClientRow]:
    """Each client's flags (with what was marked seen), trend and warning signs, without adherence."""
    zones = {zone: services.now_in(zone).date() for zone in {c.time_zone for c in listed}}
    facts = _gather({c.client_id: zones[c.time_zone] for c in listed})
    seen = {(client_id, flag): (basis, at) for client_id, flag, basis, at in FlagSeen.objects.filter(
        coach=coach, client_id__in=list(facts)).values_list("client_id", "flag", "basis", "seen_at")}
    rows = []
    for client in listed:
        f = facts[client.client_id]
        flags, triage = _flags(f)
        marked = [seen.get((client.client_id, flag.code)) for flag in flags]
        flags = [replace(flag, seen_at=m[1]) if m is not None and m[0] == flag.basis else flag
                 for flag, m in zip(flags, marked)]
        flags = [x for x in flags if x.seen_at is None] + [x for x in flags if x.seen_at is not None]
        trend, trend_text = _trend(f)
        score = sum(FLAG_WEIGHT[x.code] for x in flags if x.seen_at is None) + (5 if trend == "worse" else 0)
        rows.append(ClientRow(client.client_id, client.email, f.last_session, None, trend, trend_text, triage,
                              flags, score, f.on))
    return rows


def _with_adherence(rows: list[ClientRow]) -> list[ClientRow]:
    weeks = progress.adherence({r.client_id: r.on for r in rows}, ADHERENCE_WEEKS)
    return [replace(r, adherence=weeks[r.client_id]) for r in rows]


def _by_need(coach) -> list[ClientRow]:
    """Every client of the coach, the one who needs attention most first: new flags by their weight,
    the newest of what they stand on first, then flags marked seen (kept, lower), then the longest
    without a session."""
    # Of each client, only what the list shows and their time zone (for their today).
    listed = [Listed(*row) for row in CoachLink.objects.filter(coach=coach, ended_at=None).values_list(
        "client_id", "client__email", Coalesce("client__preferences__time_zone", Value("")))]
    far = dt.date.min

    def seen_weight(r: ClientRow) -> int:
        return sum(FLAG_WEIGHT[f.code] for f in r.flag_states if f.seen_at is not None)

    def newest(r: ClientRow) -> int:
        return max((f.day.toordinal() for f in r.new_flags if f.day is not None), default=0)

    return sorted(_rows(coach, listed), key=lambda r: (-r.score, -newest(r), -seen_weight(r), r.last_session or far,
                                                       r.email))


LIST_READ = "client list: sessions, pain trend and warning signs"


def client_list(coach) -> list[ClientRow]:
    """Every client, most in need first, with four weeks of adherence (the API). Each client's access
    log notes it."""
    rows = _with_adherence(_by_need(coach))
    _log_reads(coach, [r.client_id for r in rows], LIST_READ)
    return rows


@dataclass(frozen=True)
class ClientListPage:
    rows: list[ClientRow]
    page: int
    pages: int
    total: int
    first: int  # the number of the first client shown, from 1

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1

    @property
    def page_numbers(self) -> range:
        return range(1, self.pages + 1)


def client_list_page(coach, page: int = 1) -> ClientListPage:
    """One page of the client list (LIST_PAGE clients), most in need first over all the coach's
    clients. The flags and trend are read for all of them (to sort); adherence and the access log
    only for the clients shown."""
    ranked = _by_need(coach)
    pages = max(1, -(-len(ranked) // LIST_PAGE))
    page = min(max(1, page), pages)
    start = (page - 1) * LIST_PAGE
    rows = _with_adherence(ranked[start:start + LIST_PAGE])
    _log_reads(coach, [r.client_id for r in rows], LIST_READ)
    return ClientListPage(rows, page, pages, len(ranked), start + 1)


@transaction.atomic
def mark_seen(coach, client_id: int, flag: str, basis: str) -> Flag:
    """The coach has seen `flag` as it stood on `basis` (what their page showed). When newer data came
    since, the flag stays new (CoachError says so), so nothing the coach has not read is hidden."""
    link = access.client_link(coach, client_id)
    if flag not in FLAG_WEIGHT:
        raise CoachError("No such flag: choose one of the flags shown beside your client.")
    (row,) = _rows(coach, [_listed(link)])
    current = next((f for f in row.flag_states if f.code == flag), None)
    _log_reads(coach, [client_id], f"marked seen: {FLAG_WORDS[flag]}"[:120])
    if current is None:
        raise CoachError("This flag is no longer raised: nothing to mark.")
    if current.basis != basis:
        raise CoachError("New data came in since your page was shown: read it, then mark the flag seen.")
    FlagSeen.objects.update_or_create(coach=coach, client=link.client, flag=flag,
                                      defaults={"basis": basis, "seen_at": timezone.now()})
    return replace(current, seen_at=timezone.now())


@dataclass(frozen=True)
class ClientPage:
    link: CoachLink
    on: dt.date
    checkins: list
    current: services.CurrentPlan | None
    stop: RedFlagReport | None
    sessions: list
    progress: progress.Progress
    adjustments: Adjustments
    findings: Findings
    versions: list
    triage: list[str]
    row: ClientRow  # as on the list: flags (with what was marked seen), four weeks' adherence, the trend
    reads: list  # this coach's latest reads of the client's data (the access log, as the client sees it)


def client_now(coach, client_id: int):
    """The coach's own client's link (404 for anyone else), the client's day, newest check-in and
    current plan (None before a check-in): what the client page and the review summary start from."""
    link = access.client_link(coach, client_id)
    on = services.today_for(link.client)
    checkin = services.latest_checkin(link.client)
    current = services.current_plan(link.client, on, checkin=checkin) if checkin else None
    return link, on, checkin, current


NOT_CHECKED_IN = "The client has not checked in yet, so there is no plan or answers to put in a record."
# With every share box ticked it is 119 characters, within AccessLog.what's 120.
RECORD_READ = "health record (FHIR): sessions, pain, ratings, plan, warning-sign answers"


def client_record(coach, client_id: int, *, share_name: bool = False, share_birth_year: bool = False,
                  share_sex: bool = False) -> bytes | None:
    """The client's health record for the coach's clinic system: the FHIR R4 Bundle the client's own
    export makes, with what names them chosen by the coach (an opaque id only, by default). 404 for
    anyone who is not their coach; None before the client's first check-in. The read goes in the
    client's access log."""
    link = access.client_link(coach, client_id)
    body = fhir_json(link.client, share_name=share_name, share_birth_year=share_birth_year, share_sex=share_sex)
    if body is not None:
        shared = [words for ticked, words in ((share_name, "email address"), (share_birth_year, "year of birth"),
                                               (share_sex, "sex")) if ticked]
        _log_reads(coach, [link.client.pk], RECORD_READ + (f", with their {', '.join(shared)}" if shared else ""))
    return body


def plan_stopped(client) -> bool:
    """Whether warning signs the client reported since their last check-in stop their plan."""
    return services.open_red_flag(client, services.latest_checkin(client)) is not None


def coach_changes(link: CoachLink, limit: int) -> list[CoachVersion]:
    """The coach's changes on `link`, newest first (notes are messages now, so not among them)."""
    return list(link.versions.exclude(kind=CoachVersion.Kind.NOTE).select_related("made_by")[:limit])


def client_page(coach, client_id: int, weeks: int = progress.DEFAULT_WEEKS) -> ClientPage:
    link, on, checkin, current = client_now(coach, client_id)
    client = link.client
    version = services.latest_version(client)
    adjustments, findings = version.to_engine() if version else (Adjustments(), Findings())
    row = _with_adherence(_rows(coach, [_listed(link)]))[0]
    _log_reads(coach, [client.pk], "client page: check-ins, plan, sessions and progress")  # shown below, too
    page = ClientPage(
        link=link, on=on, checkins=list(client.checkins.all()[:20]), current=current,
        stop=services.open_red_flag(client, checkin),
        sessions=list(Session.objects.filter(user=client).prefetch_related("items")[:20]),
        progress=progress.build_for(client, on, weeks, current),
        adjustments=adjustments, findings=findings,
        versions=coach_changes(link, 50),
        triage=row.open_triage,
        row=row, reads=list(AccessLog.objects.filter(client=client, coach=coach)[:READS_SHOWN]),
    )
    return page


# ---- what the coach changes ----------------------------------------------------------------------

def _without(items: list[dict], slug: str) -> list[dict]:
    return [i for i in items if i["exercise"] != slug]


def _names(slug: str) -> str:
    return catalog()[slug].name


@transaction.atomic
def change(coach, client_id: int, kind: str, *, exercise: str = "", note: str = "", dose: dict | None = None,
           findings: dict | None = None) -> CoachVersion:
    """One change by the coach to the client's plan: a new version, or InputError naming the field."""
    link = access.client_link(coach, client_id)
    client = link.client
    previous = link.versions.order_by("-id").first()
    adj = previous.adjustments if previous else Adjustments().model_dump(mode="json")
    adj = {k: list(v) if isinstance(v, list) else v for k, v in adj.items()}
    found = previous.findings if previous else Findings().model_dump(mode="json")
    note = note.strip()
    Kind = CoachVersion.Kind
    if kind in (Kind.PIN, Kind.EXCLUDE, Kind.RELEASE):
        entry = {"exercise": exercise, "note": note}
        mine = {i["exercise"] for i in adj["pinned"] + adj["excluded"]}
        if kind == Kind.RELEASE and exercise not in mine:  # nothing to give back: no change for the client to read
            raise InputError("exercise", [Problem("exercise", exercise, "an exercise you pinned or left out",
                                                  f"{_names(exercise)} is neither pinned nor left out, so there is "
                                                  "nothing to give back to the plan")])
        group = "pinned" if kind == Kind.PIN else "excluded"
        if kind != Kind.RELEASE and entry in adj[group]:  # the same again: no change for the client to read
            already = f"{_names(exercise)} is already {'pinned' if group == 'pinned' else 'left out'}"
            said = already + (" with this note" if note else "") + ", so nothing would change"
            raise InputError("exercise", [Problem("exercise", exercise, "a change to the plan", said)])
        adj["pinned"], adj["excluded"] = _without(adj["pinned"], exercise), _without(adj["excluded"], exercise)
        if kind != Kind.RELEASE:
            adj[group].append(entry)
        what = SAID[kind].format(_names(exercise))
    elif kind == Kind.DOSE:
        one = parse_model(CoachDose, {"exercise": exercise, "note": note, **(dose or {})}, "dose")
        problems = dose_problems(catalog()[exercise], one)
        if problems:
            raise InputError("dose", problems)
        adj["doses"] = _without(adj["doses"], exercise) + [one.model_dump(mode="json", exclude_none=True)]
        what = f"Set {_names(exercise)} to {dose_words(one)}."
    elif kind == Kind.CLEAR_DOSE:
        if exercise not in {d["exercise"] for d in adj["doses"]}:  # as with RELEASE: nothing to give back
            raise InputError("exercise", [Problem("exercise", exercise, "an exercise whose dose you set",
                                                  f"You have not set a dose for {_names(exercise)}, so there is "
                                                  "nothing to give back to the plan")])
        adj["doses"] = _without(adj["doses"], exercise)
        what = SAID[kind].format(_names(exercise))
    elif kind == Kind.FINDINGS:
        parsed = parse_findings(findings or {})
        found = parsed.model_dump(mode="json")
        what = "Findings: " + parsed.words()
    else:
        raise ValueError(f"unknown change {kind!r}")
    parsed_adj = parse_adjustments(adj)
    if kind in (Kind.PIN, Kind.DOSE):
        group = "pinned" if kind == Kind.PIN else "doses"
        _check_allowed(client, parsed_adj, Findings.model_validate(found, strict=False), group, len(adj[group]) - 1)
    version = CoachVersion.objects.create(
        link=link, made_by=coach, kind=kind, what=what, note=note,
        adjustments=parsed_adj.model_dump(mode="json"), findings=found)
    services.remember_planned_days(client)
    return version


class Changed(NamedTuple):
    version: CoachVersion
    effects: list[str]  # what the change did that the coach may not have meant, in sentences


def change_with_effects(coach, client_id: int, kind: str, **given) -> Changed:
    """`change`, and what it did that the coach may not have meant: each note the client's plan gained
    with it (pelvic-floor work left out after a birth, a protocol step that cannot apply to the sides
    the client gave, a pin that waits or does not fit), and a dose past what the app itself gives, for
    a client whose situation keeps the app to its first steps."""
    client = access.client_link(coach, client_id).client
    before = set(_plan_notes(_plan_now(client)))
    version = change(coach, client_id, kind, **given)
    now = _plan_now(client)
    effects = [f"Their plan now says: {note}" for note in _plan_notes(now) if note not in before]
    if kind == CoachVersion.Kind.DOSE and now is not None:
        exercise = given["exercise"]
        effects = _dose_past_own_range(now, version.to_engine()[0].dose_for(exercise)) + effects
        if exercise not in {i.exercise for day in now.plan.days for r in day.routines for i in r.items}:
            # The plan's own change for the dose says why it waits (pain, or not on the coming days).
            effects += [f"Their plan now says: {c.reason}" for c in now.plan.changes
                        if c.kind == ChangeKind.COACH and c.exercise == exercise]
    return Changed(version, effects)


def _plan_now(client) -> services.CurrentPlan | None:
    """The client's plan today; None before a check-in or while warning signs stop it."""
    checkin = services.latest_checkin(client)
    if checkin is None or services.open_red_flag(client, checkin) is not None:
        return None
    return services.current_plan(client, services.today_for(client), checkin=checkin)


def _plan_notes(current: services.CurrentPlan | None) -> list[str]:
    """What the plan says of itself: its warnings and each day's notes, each once."""
    if current is None:
        return []
    plan = current.plan
    return list(dict.fromkeys([*plan.warnings, *(note for day in plan.days for note in day.notes)]))


_FIRST_STEPS = {"first_trimester": "pregnant", "after_first_trimester": "pregnant",
                "postpartum_early": f"in the first {POSTPARTUM_EARLY_WEEKS} weeks after a birth"}


def _dose_past_own_range(current: services.CurrentPlan, dose: CoachDose) -> list[str]:
    """A sentence when the coach's dose goes past what the app itself ever gives for the exercise, and the
    client is a beginner, pregnant, in the first weeks after a birth, or waiting to see a doctor: the
    app keeps the dose (a coach may go further), so the coach is asked to check it is meant."""
    ex = catalog()[dose.exercise]
    beyond = beyond_own_range(ex, dose)
    plan = current.plan
    why = [words for words in (
        "a beginner" if current.answers.level == Difficulty.BEGINNER else None,
        _FIRST_STEPS.get(plan.assessment.pregnancy_stage) if plan.assessment else None,
        "waiting to see a doctor (their plan keeps to beginner exercises)" if plan.triage.gentle else None) if words]
    if not beyond or not why:
        return []
    return [f"Your dose of {ex.name} goes past what the app itself gives anyone: {', '.join(beyond)}. The client "
            f"is {' and '.join(why)}: please check that this is what you meant. The plan keeps your dose and "
            "lowers it only after pain."]


def _check_allowed(client, adj: Adjustments, findings: Findings, group: str, index: int) -> None:
    """The engine rules: a pin or a dose the client's situation (or recent pain) rules out is refused."""
    on = services.today_for(client)
    checkin = services.latest_checkin(client)
    what = "pin" if group == "pinned" else "dose"
    if checkin is None:
        raise InputError(what, [Problem("exercise", getattr(adj, group)[index].exercise, "a client who has checked in",
                                        "the client has not checked in yet, so nothing can be judged safe")])
    profile = findings.apply(checkin.to_engine())  # as given: the engine moves them on to `on`
    field = f"{group}[{index}].exercise"
    problems = [replace(p, field="exercise") for p in ruled_out(profile, services.recent_logs(client, on), on, adj)
                if p.field == field]
    if problems:
        raise InputError(what, problems)


def describe(adj: Adjustments, findings: Findings) -> list[tuple[str, str]]:
    """The coach's current adjustments in plain words, for the client page."""
    def listed(items) -> str:
        return "; ".join(_names(i.exercise) + (f" ({i.note})" if i.note else "") for i in items) or "none"

    doses = "; ".join(f"{_names(d.exercise)}: {dose_words(d)}" for d in adj.doses) or "the plan's own"
    return [("Pinned", listed(adj.pinned)), ("Left out", listed(adj.excluded)), ("Doses", doses),
            ("Findings", findings.words())]


@dataclass(frozen=True)
class DoseLimits:
    rows: list[tuple[str, str, str, str, str, str]]  # exercise, kind, sets, repetitions, hold, rest
    reasons: list[tuple[str, str, str]]  # kind, reason, source


def dose_ranges(plan) -> DoseLimits:
    """The safety limits for a coach's dose of each exercise in the plan, with each kind's reason."""
    cat, limits = catalog(), coach_limits()
    slugs = [s for s in dict.fromkeys(i.exercise for d in plan.days for r in d.routines for i in r.items)
             if cat[s].kind in limits]

    rows = []
    for s in slugs:
        lim = limits[cat[s].kind]
        rows.append((cat[s].name, KIND_WORDS[lim.kind], str(lim.sets), str(lim.reps), str(lim.hold_s),
                     str(lim.rest_s)))
    kinds = dict.fromkeys(cat[s].kind for s in slugs)
    reasons = [(KIND_WORDS[k].capitalize(), limits[k].reason, cat.source_title(limits[k].source)) for k in kinds]
    return DoseLimits(rows, reasons)


def clinical_picture(profile: Profile, assessment) -> list[tuple[str, str]]:
    """What the client's plan is built on, in words, for the coach: the pattern the app inferred and
    why, hypermobility, pregnancy, history, cause, inflammatory signs and what was found on examination.
    `assessment`: the plan's (None while warning signs stop it)."""
    def listed(table: dict, values) -> str:
        return "; ".join(table[v] for v in values) or "none given"

    rows = []
    if assessment is not None:
        rows.append(("Pattern", f"{assessment.pattern.value}, planned as {assessment.plans_as.value}: "
                     + " ".join(assessment.reasons)))
        rows.append(("Hypermobile", ("yes: " if assessment.hypermobile else "no. ")
                     + " ".join(assessment.hypermobility_reasons)))
    answers = profile.hypermobility_answers
    if answers is not None:
        rows.append(("Hypermobility questionnaire", f"{sum(a is True for a in answers)} of {len(answers)} yes"
                     + (f", {sum(a is None for a in answers)} not sure" if None in answers else "")))
    if profile.beighton_score is not None:
        rows.append(("Beighton score", str(profile.beighton_score)))
    if profile.pregnancy != Pregnancy.NONE:
        weeks = f", {profile.pregnancy_weeks} weeks" if profile.pregnancy_weeks is not None else ""
        rows.append(("Pregnancy", labels.PREGNANCY[profile.pregnancy] + weeks))
    if profile.pregnancy == Pregnancy.POSTPARTUM:
        rows.append(("Birth", labels.BIRTH[profile.birth]))
        if profile.birth != Birth.VAGINAL:
            rows.append(("Postnatal check", "done, with the all-clear for harder exercise" if profile.postnatal_check_done
                         else "not said done: loaded tummy and hip-hinge work waits for it"))
    rows += [("History", listed(labels.HISTORY, profile.history)), ("Cause", labels.CAUSE[profile.cause]),
             ("Inflammatory signs", listed(labels.INFLAMMATORY_SIGNS, profile.inflammatory_signs))]
    if profile.distortion != Distortion.NONE:
        side = f", {profile.distortion_side.value} side" if profile.distortion_side else ""
        rows.append(("Pelvic distortion", labels.DISTORTION[profile.distortion] + side))
    if profile.tight_muscles:
        rows.append(("Tight muscles", listed(labels.GROUP_NAMES, profile.tight_muscles)))
    return rows


# ---- what the client sees ------------------------------------------------------------------------

@dataclass(frozen=True)
class CoachView:
    link: CoachLink | None
    versions: list
    reads: list


def for_client(client, versions: int = 5, history: bool = False) -> CoachView:
    """The client's coach, the newest changes and notes (of past coaches too with `history`), and, with
    `history`, the log of every read of their data by a coach."""
    link = active_link(client)
    if link is None and not history:
        return CoachView(None, [], [])
    changes = list(CoachVersion.objects.filter(link__client=client).exclude(kind=CoachVersion.Kind.NOTE)  # messages now
                   .select_related("made_by", "link")[:versions])
    log = list(AccessLog.objects.filter(client=client)[:500]) if history else []
    return CoachView(link, changes, log)
