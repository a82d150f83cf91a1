"""What coach mode does: one function per action, each write one transaction.

Every read of a client's data by their coach goes through `access.client_of` (who may see it) and is
written to the client's access log here, in the same call. Every write that changes the client's plan
keeps the client's planned days anew (services.remember_planned_days), as the client's own writes do.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from sijcoach.engine.adjust import (
    Adjustments, CoachDose, Findings, dose_problems, dose_words, parse_adjustments, parse_findings, ruled_out,
)
from sijcoach.engine.catalog import catalog
from sijcoach.engine.coach_limits import KIND_WORDS, coach_limits
from sijcoach.engine.inputs import InputError, Problem, parse_model
from sijcoach.engine.questionnaires import pain_change, pain_direction
from sijcoach.web import access
from sijcoach.web.coaching.models import AccessLog, CoachLink, CoachRole, CoachVersion, Invite
from sijcoach.web.plans import progress, services
from sijcoach.web.plans.models import CheckIn, RedFlagReport, Session

INVITE_DAYS = 7
NO_SESSION_DAYS = 7
JOINT_OUT_DAYS = 14
TREND_DAYS = 28
# How much each flag weighs when sorting clients: warning signs before everything.
FLAG_WEIGHT = {"red_flag": 1000, "see_doctor": 200, "joint_out": 100, "pain_worse": 50, "no_session": 10}
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
    links.update(ended_at=timezone.now())
    for client in get_user_model().objects.select_related("preferences").filter(pk__in=clients):
        services.remember_planned_days(client)  # the plan returns to the client's own
    return len(clients)


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


def active_link(client) -> CoachLink | None:
    return CoachLink.objects.select_related("coach").filter(client_id=client.pk, ended_at=None).first()



# ---- what the coach reads ------------------------------------------------------------------------

FLAG_WORDS = {
    "red_flag": "Warning signs reported: plan stopped", "see_doctor": "Warning signs: see a doctor soon",
    "joint_out": f"The joint went out (last {JOINT_OUT_DAYS} days)",
    "pain_worse": "Pain worse two check-ins in a row", "no_session": f"No session for {NO_SESSION_DAYS} days",
}


def _log_reads(coach, clients, what: str) -> None:
    AccessLog.objects.bulk_create([AccessLog(client=c, coach=coach, coach_email=coach.email, what=what)
                                   for c in clients])


@dataclass(frozen=True)
class ClientRow:
    link: CoachLink
    email: str
    last_session: dt.date | None
    done_week: int
    planned_week: int
    trend: str | None  # better, same or worse by the meaningful-change rule; None: too few ratings
    trend_text: str
    open_triage: list[str]
    flags: list[tuple[str, str]]  # (code, words)
    score: int


def _pain_readings(client, since: dt.date) -> list[int]:
    """Pain ratings from check-ins and before sessions, oldest first."""
    readings = [(c.created_at.date(), c.id, c.profile.get("pain_now")) for c in CheckIn.objects.filter(
        user=client, source=CheckIn.Source.CHECK_IN, created_at__date__gte=since)]
    readings += [(d, 0, p) for d, p in Session.objects.filter(
        user=client, date__gte=since, pain_before__isnull=False).values_list("date", "pain_before")]
    return [p for _, _, p in sorted(readings, key=lambda r: (r[0], r[1])) if p is not None]


def _triage(client) -> tuple[list[str], list[str]]:
    """The warning signs the client has open, as flags and messages: red-flag answers since their last
    check-in (the plan is stopped) and the last check-in's own triage (see a doctor soon)."""
    answered = CheckIn.objects.filter(user=client, source=CheckIn.Source.CHECK_IN).order_by("-created_at", "-id").first()
    reports = RedFlagReport.objects.filter(user=client)
    if answered is not None:
        reports = reports.filter(created_at__gt=answered.created_at)
    flags, messages = [], []
    for r in reports:
        flags.append("red_flag")
        messages.append(f"Warning signs reported {r.created_at:%d %b}: "
                        f"{', '.join(f.replace('_', ' ') for f in r.flags)} ({r.level.replace('_', ' ')})")
    if answered is not None and answered.triage_level != "none":
        flags.append("red_flag" if answered.triage_level in ("urgent", "emergency") else "see_doctor")
        messages.append(f"Last check-in ({answered.created_at:%d %b}): {answered.triage_level.replace('_', ' ')}")
    return list(dict.fromkeys(flags)), messages


def _row(link: CoachLink) -> ClientRow:
    client = link.client
    on = services.today_for(client)
    last = Session.objects.filter(user=client).aggregate(last=Max("date"))["last"]
    # The week's numbers as the client's Today and Progress count them, from the same plan.
    current = services.current_plan(client, on)
    week = progress.week_completion(client, on, current.plan.days if current else ())
    readings = _pain_readings(client, on - dt.timedelta(days=TREND_DAYS))
    trend, trend_text = None, "Too few pain ratings in the last four weeks."
    if len(readings) >= 2:
        trend = pain_direction(readings[0], readings[-1])  # the meaningful-change rule, as on Progress
        trend_text = pain_change(readings[0], readings[-1]).explanation
    checkins = list(CheckIn.objects.filter(user=client, source=CheckIn.Source.CHECK_IN)
                    .order_by("-created_at", "-id").values_list("profile", flat=True)[:3])
    pains = [c.get("pain_now") for c in reversed(checkins)]
    flags, triage = _triage(client)
    if Session.objects.filter(user=client, joint_went_out=True, date__gte=on - dt.timedelta(days=JOINT_OUT_DAYS)).exists():
        flags.append("joint_out")
    if len(pains) == 3 and all(pain_change(a, b).direction == "worse" for a, b in zip(pains, pains[1:])):
        flags.append("pain_worse")
    if last is None or (on - last).days >= NO_SESSION_DAYS:
        flags.append("no_session")
    score = sum(FLAG_WEIGHT[f] for f in flags) + (5 if trend == "worse" else 0)
    return ClientRow(link, client.email, last, week.done, week.planned, trend, trend_text, triage,
                     [(f, FLAG_WORDS[f]) for f in flags], score)


def client_list(coach) -> list[ClientRow]:
    """The coach's clients, the one who needs attention most first. Each client's access log notes it."""
    links = list(CoachLink.objects.select_related("client").filter(coach=coach, ended_at=None))
    rows = [_row(link) for link in links]
    _log_reads(coach, [link.client for link in links], "client list: sessions, pain trend and warning signs")
    far = dt.date.min
    return sorted(rows, key=lambda r: (-r.score, r.last_session or far, r.email))


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


def client_page(coach, client_id: int, weeks: int = progress.DEFAULT_WEEKS) -> ClientPage:
    link = access.client_link(coach, client_id)
    client = link.client
    on = services.today_for(client)
    checkin = services.latest_checkin(client)
    current = services.current_plan(client, on, checkin=checkin) if checkin else None
    version = services.latest_version(client)
    adjustments, findings = version.to_engine() if version else (Adjustments(), Findings())
    page = ClientPage(
        link=link, on=on, checkins=list(client.checkins.all()[:20]), current=current,
        stop=services.open_red_flag(client, checkin),
        sessions=list(Session.objects.filter(user=client).prefetch_related("items")[:20]),
        progress=progress.build(client, on, weeks, current.plan.changes if current else (),
                                current.plan.days if current else ()),
        adjustments=adjustments, findings=findings,
        versions=list(link.versions.exclude(kind=CoachVersion.Kind.NOTE).select_related("made_by")[:50]),
        triage=_triage(client)[1],
    )
    _log_reads(coach, [client], "client page: check-ins, plan, sessions and progress")
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
        adj["pinned"], adj["excluded"] = _without(adj["pinned"], exercise), _without(adj["excluded"], exercise)
        if kind != Kind.RELEASE:
            adj["pinned" if kind == Kind.PIN else "excluded"].append(entry)
        what = SAID[kind].format(_names(exercise))
    elif kind == Kind.DOSE:
        one = parse_model(CoachDose, {"exercise": exercise, "note": note, **(dose or {})}, "dose")
        problems = dose_problems(catalog()[exercise], one)
        if problems:
            raise InputError("dose", problems)
        adj["doses"] = _without(adj["doses"], exercise) + [one.model_dump(mode="json", exclude_none=True)]
        what = f"Set {_names(exercise)} to {dose_words(one)}."
    elif kind == Kind.CLEAR_DOSE:
        adj["doses"] = _without(adj["doses"], exercise)
        what = SAID[kind].format(_names(exercise))
    elif kind == Kind.FINDINGS:
        parsed = parse_findings(findings or {})
        found = parsed.model_dump(mode="json")
        what = "Findings: " + _findings_words(parsed)
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


def _check_allowed(client, adj: Adjustments, findings: Findings, group: str, index: int) -> None:
    """The engine rules: a pin or a dose the client's situation (or recent pain) rules out is refused."""
    on = services.today_for(client)
    checkin = services.latest_checkin(client)
    what = "pin" if group == "pinned" else "dose"
    if checkin is None:
        raise InputError(what, [Problem("exercise", getattr(adj, group)[index].exercise, "a client who has checked in",
                                        "the client has not checked in yet, so nothing can be judged safe")])
    profile = findings.apply(checkin.to_engine(on))
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
            ("Findings", _findings_words(findings))]


@dataclass(frozen=True)
class DoseLimits:
    rows: list[tuple[str, str, str, str, str, str]]  # exercise, kind, sets, repetitions, hold, rest
    reasons: list[tuple[str, str, str]]  # kind, reason, source


def dose_ranges(plan) -> DoseLimits:
    """The safety limits for a coach's dose of each exercise in the plan, with each kind's reason."""
    cat, limits = catalog(), coach_limits()
    slugs = [s for s in dict.fromkeys(i.exercise for d in plan.days for r in d.routines for i in r.items)
             if cat[s].kind in limits]

    def span(r) -> str:
        return str(r.low) if r.low == r.high else f"{r.low}-{r.high}"

    rows = []
    for s in slugs:
        lim = limits[cat[s].kind]
        rows.append((cat[s].name, KIND_WORDS[lim.kind], span(lim.sets), span(lim.reps), span(lim.hold_s),
                     span(lim.rest_s)))
    kinds = dict.fromkeys(cat[s].kind for s in slugs)
    reasons = [(KIND_WORDS[k].capitalize(), limits[k].reason, cat.source_title(limits[k].source)) for k in kinds]
    return DoseLimits(rows, reasons)


def _findings_words(f: Findings) -> str:
    parts = []
    if f.distortion is not None:
        parts.append(f"distortion {f.distortion.value.replace('_', ' ')}")
    if f.tight_muscles is not None:
        parts.append("tight muscles " + (", ".join(g.value.replace("_", " ") for g in f.tight_muscles) or "none"))
    if f.beighton_score is not None:
        parts.append(f"Beighton score {f.beighton_score}")
    return "; ".join(parts) + "." if parts else "none recorded (the client's own answers apply)."


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
                   .select_related("made_by")[:versions])
    log = list(AccessLog.objects.filter(client=client)[:500]) if history else []
    return CoachView(link, changes, log)
