"""The planner: screen, assess, adapt, then lay out the days of the person's programme.

Pure and deterministic: `start` is the only notion of today, and the same profile, logs, start and
programme start always give the same plan. The plan is a window onto one programme (engine/programme.py):
what was done before `start` counts (spacing, phases, walks), strength days sit on the programme's
calendar (engine/schedule.py), and each day's minutes are shared by priority (engine/budget.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import lru_cache

from sijcoach.engine import adjust
from sijcoach.engine.adaptation import FLARE_DAYS, SWAP_PAIN, Adaptation, adapt
from sijcoach.engine.alignment import NOTE as ALIGNMENT_NOTE
from sijcoach.engine.alignment import protocol
from sijcoach.engine.assessment import ACUTE_DAYS, assess
from sijcoach.engine.budget import DayPlan, Fitted, fit_routines, room, with_walk
from sijcoach.engine.catalog import Catalog, catalog
from sijcoach.engine.dosing import SETUP_S, Dosed
from sijcoach.engine.history import DETAIL_DAYS, FLARE_PAIN, read_history
from sijcoach.engine.guidance import library
from sijcoach.engine.plan_types import (
    Advice, Assessment, Change, ChangeKind, Day, Pattern, Plan, Programme, RoutineKind, TriageLevel,
)
from sijcoach.engine.profile import (
    Distortion, Intensity, Pregnancy, Profile, SessionLog, Sex, profile_on, recently_pregnant,
)
from sijcoach.engine.programme import PHASE_WORDS, POOL_START_MIN, ProgrammePhase, Timeline, monday
from sijcoach.engine.questionnaires import score_hypermobility
from sijcoach.engine.referral import referral_for
from sijcoach.engine.routines import EXTRA_MINUTES, Builder, Pick, lighter, make_item, relief_candidates, shorter
from sijcoach.engine.schedule import plan_strength_days
from sijcoach.engine.screening import blocks_plan, screen, suspected_fracture
from sijcoach.engine.sources import SourceId
from sijcoach.engine.suitability import BREATHING_SLUG, WALK_SLUG, Context, base_context
from sijcoach.engine.vocab import Difficulty, Equipment, Side, Situation, day_words

MAX_DAYS = 366
POOL_SLUG = "pool-walking"
PAIN_NOW_FLARE = 7
POOL_WEEKDAYS = (1, 5)  # Tuesday and Saturday: days between the usual strength days
STALE_PREGNANCY_DAYS = 28
WALK_WHY = ("A gentle walk keeps the joint moving and the muscles around it working without strain; it grows a "
            "few minutes a week.")
POOL_WHY = ("Walking in chest-deep water works the deep core while the water carries most of your weight; it "
            "grows a few minutes a week.")
FRACTURE_NOTE = ("Until a doctor has ruled out a fracture (in the first six weeks after the fall or accident): slow "
                 "breathing, short comfortable walks and the advice below only, with no loading or stretching "
                 "exercise.")
_SOURCE = SourceId.PROGRAMME


@dataclass(frozen=True)
class _Programs:
    """Everything chosen for one kind of day, before budgeting."""

    alignment: list[Pick]
    alignment_notes: list[str]
    strength: list[Pick]
    strength_missing: list
    relief: list[Pick]
    relief_notes: list[str]
    relief_twice: bool
    pins_left_out: dict[str, str] = field(default_factory=dict)  # a coach's pin left out: its note, by exercise


def make_plan(
    profile: Profile,
    logs: tuple[SessionLog, ...] = (),
    start: dt.date | None = None,
    days: int = 7,
    adjustments: adjust.Adjustments | None = None,
    programme_start: dt.date | None = None,
) -> Plan:
    """`adjustments`: a coach's pins, left-out exercises and doses (engine/adjust.py), if any.
    `programme_start`: the programme's first day (in the web app, the first check-in); without it,
    the first logged session, or else `start`."""
    if start is None:
        raise ValueError("start is required: the engine has no clock")
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"days must be from 1 to {MAX_DAYS}")
    return _Planner(profile, logs, start, days, adjustments, programme_start).plan()


class _Planner:
    def __init__(self, profile, logs, start, days, adjustments, programme_start):
        self.cat = catalog()
        self.answers = profile  # as given: warning signs are judged on the day they were answered
        self.pain_day = profile.answered_on or start
        self.answered_on = profile.answered_on
        self.profile = profile_on(profile, start)
        # The answers with the day they describe, to move on from (not from `start`: weeks are whole).
        self.dated = profile if profile.answered_on else self.profile
        self.logs, self.start, self.days = logs, start, days
        self.pins_left_out: dict[str, str] = {}  # on the first day (its programs say)
        self.adjustments = adjustments
        self.programme_start = programme_start

    def plan(self) -> Plan:
        cat, profile, start = self.cat, self.profile, self.start
        triage = screen(self.answers)
        if blocks_plan(triage):
            return Plan(start, triage, None, (), (), (), ())
        self.triage = triage
        # A fracture not yet ruled out, judged on the answers as given: until a doctor rules it out, however
        # long ago. Every day's situation holds it, so a coach's pin is left out with its reason.
        self.fracture = suspected_fracture(self.answers)
        self.assessment = assessment = assess(profile)
        warnings = _input_warnings(profile, assessment, self.answered_on, start)
        self.base = base = self._base(profile, assessment)
        self.bases: dict[tuple, tuple[Assessment, Context]] = {}
        self.stage_of: dict[dt.date, tuple] = {}
        self.history = history = read_history(cat, self.logs, start)
        first_day = min(self.programme_start or history.earliest or start, start)
        trimmed = first_day < start - dt.timedelta(days=DETAIL_DAYS)
        self.adaptation = adaptation = adapt(cat, history, self.base_on, start, trimmed, adjust.held(self.adjustments),
                                             referral_for(profile))
        warnings += adaptation.warnings
        self.ctx = base.with_avoided(adaptation.swapped_why)
        setbacks = dict(history.flares)
        flare = set(adaptation.flare_days)
        if profile.pain_now >= PAIN_NOW_FLARE:
            setbacks.setdefault(self.pain_day, f"pain was {profile.pain_now}/10")
            flare |= {self.pain_day, self.pain_day + dt.timedelta(days=1)}
        strained = {s.date: f"pain after a session was {s.pain_after}/10" for s in history.sessions
                    if s.pain_after is not None and SWAP_PAIN <= s.pain_after < FLARE_PAIN}
        for day in adaptation.rise_days:
            strained.setdefault(day, "the next morning's pain was 2 or more points above the pain before the session")
        self.timeline = timeline = Timeline(first_day, start, history, setbacks, adaptation.hurt_days, strained)
        end = start + dt.timedelta(days=self.days - 1)
        self.with_alignment = profile.distortion in (Distortion.INFLARE, Distortion.OUTFLARE) and not self.fracture
        self.more = profile.level != Difficulty.BEGINNER and profile.minutes_per_day >= EXTRA_MINUTES
        self.cache: dict[tuple, _Programs] = {}
        self.days_setup: dict[dt.date, tuple[Assessment, Context]] = {}
        self.stages: dict[tuple, tuple[Assessment, Context]] = {}
        self.fitted: dict[tuple, Fitted] = {}
        self.lighter: dict[int, list[Pick]] = {}
        self.walks: dict[tuple, object] = {}
        self.reliefs: dict[tuple, tuple] = {}
        self.protocols: dict[Context, tuple] = {}
        self.swapped_in = frozenset(s for s in self.adaptation.swaps.values() if s)

        blocked, day_notes = self._blocked(monday(start) - dt.timedelta(days=1), end, flare)
        per_week = profile.strength_days_per_week
        if per_week and not self.fracture:
            per_week = self._block_uncovered(blocked, end, per_week, warnings)
        schedule = plan_strength_days(first_day, start, end, per_week, history.strength_days, blocked)
        for week in schedule.short_weeks:
            why = "; ".join(week.reasons) or "spacing rules left no room"
            planned = {0: "no strength day", 1: "one strength day"}.get(week.planned, f"{week.planned} strength days")
            warnings.append(f"The week from {day_words(week.monday)} has {planned} instead of {week.asked}: {why}.")
        changes = list(adaptation.changes)
        changes += self._missed(schedule.missed)
        lowered, lower_changes = self._lowered_days(history.strength_days, schedule.days)
        changes += lower_changes
        changes += self._phase_change(first_day)

        out_days = []
        busy = {a.date for a in profile.planned_activities}
        for i in range(self.days):
            date = start + dt.timedelta(days=i)
            day, day_warnings = self._day(date, date in schedule.days, date in flare, date in busy,
                                          date in lowered, list(day_notes.get(date, ())))
            warnings += day_warnings
            out_days.append(day)

        phase, why = timeline.phase(start)
        programme = Programme(first_day, timeline.week(start), phase.value,
                              f"Week {timeline.week(start)}: {PHASE_WORDS[phase]}", why)
        if self.adjustments:
            planned = frozenset(i.exercise for d in out_days for r in d.routines for i in r.items)
            changes += adjust.changes(cat, self.adjustments, self.pins_left_out, adaptation.swapped_why, planned)
        return Plan(
            start=start,
            triage=triage,
            assessment=assessment,
            advice=_advice(profile, assessment, triage, adaptation, out_days, self.ctx),
            days=tuple(out_days),
            changes=tuple(changes),
            warnings=tuple(dict.fromkeys(warnings)),
            programme=programme,
        )

    def _base(self, profile: Profile, assessment: Assessment) -> Context:
        # The fracture as the plan judges it (the answers as given), not as days moved on would.
        base = base_context(profile, assessment, gentle=self.triage.gentle, answers=self.answers)
        if self.adjustments is not None:
            base = base.with_avoided(adjust.avoided(self.adjustments))
        return base

    def _stage(self, day: dt.date) -> tuple[tuple, Profile | None]:
        """What about `day` changes what it allows: the weeks of a pregnancy or since a birth, and
        whether it is one of the first painful days."""
        found = self.stage_of.get(day)
        if found is None:
            weeks, profile = None, None
            if self.profile.pregnancy != Pregnancy.NONE and self.profile.pregnancy_weeks is not None:
                profile = profile_on(self.dated, day)
                weeks = profile.pregnancy_weeks
            found = self.stage_of[day] = ((weeks, self._acute(day)), profile)
        return found

    def base_on(self, day: dt.date) -> Context:
        """The person's situation on `day` (swaps aside): for adapting to logs of that day."""
        key, profile = self._stage(day)
        if key not in self.bases:
            if key[0] == self.profile.pregnancy_weeks:
                assessment, base = self.assessment, self.base
            else:
                assessment = assess(profile)
                base = self._base(profile, assessment)
            if key[1]:
                base = base.with_situation(Situation.ACUTE)
            self.bases[key] = (assessment, base)
        return self.bases[key][1]

    def setup(self, day: dt.date) -> tuple[Assessment, Context]:
        """The assessment and context of one day: the stage of a pregnancy (or the weeks since a birth)
        and the first painful days move on with the calendar, day by day, whatever the window."""
        found = self.days_setup.get(day)
        if found is None:
            key, _ = self._stage(day)
            found = self.stages.get(key)
            if found is None:
                self.base_on(day)
                assessment, base = self.bases[key]
                found = self.stages[key] = (assessment, base.with_avoided(self.adaptation.swapped_why))
            self.days_setup[day] = found
        return found

    # ---- the calendar --------------------------------------------------------------------------
    def _acute(self, day: dt.date) -> bool:
        return 0 <= self.profile.onset_days_ago + (day - self.start).days <= ACUTE_DAYS

    def _blocked(self, first: dt.date, end: dt.date, flare: set[dt.date]):
        """Days with no strength work, and why: flare-ups, the first days after onset, the day before,
        of and after a hard activity (past ones too), and every day while a fracture is suspected."""
        blocked: dict[dt.date, str] = {}
        notes: dict[dt.date, list[str]] = {}
        day = first
        while day <= end:
            if self.fracture:
                blocked[day] = "a fracture is not yet ruled out"
            elif day in flare:
                blocked[day] = "a flare-up"
            elif self._acute(day):
                blocked[day] = "the first days after the pain began"
            day += dt.timedelta(days=1)
        for activity in self.profile.planned_activities:
            if activity.intensity == Intensity.HIGH:
                for delta, when in ((-1, "tomorrow"), (0, "today"), (1, "yesterday")):
                    day = activity.date + dt.timedelta(days=delta)
                    blocked.setdefault(day, f"{activity.kind} (high intensity) {when}")
                    notes.setdefault(day, []).append(
                        f"{activity.kind} ({activity.intensity.value}) {when}: no strength work, to leave the muscles rested.")
            else:
                notes.setdefault(activity.date, []).append(
                    f"Planned today: {activity.kind} ({activity.intensity.value}).")
        return blocked, notes

    def _block_uncovered(self, blocked: dict[dt.date, str], end: dt.date, per_week: int, warnings: list[str]) -> int:
        """Days on which nothing that suits the person covers all three pillars get no strength day.
        When that is every day of the plan, it says so once and plans none."""
        uncovered: dict[dt.date, list] = {}
        day = max(self.start, self.timeline.programme_start)  # the days before are history
        while day <= end:
            if day not in blocked:
                missing = self.programs(day, self.timeline.phase(day)[0], True).strength_missing
                if missing:
                    uncovered[day] = missing
            day += dt.timedelta(days=1)
        window = [self.start + dt.timedelta(days=i) for i in range(self.days)]
        if all(d in uncovered for d in window if d not in blocked) and uncovered:
            names = ", ".join(g.value.replace("_", " ") for g in uncovered[min(uncovered)])  # "low back"
            warnings.append(
                f"No strength days are planned: no exercise that suits your situation and equipment trains {names}, "
                "and every strength day must cover all three muscle groups. A mat (a rug or carpet will do), a "
                "wall and a chair cover them; otherwise a professional's programme can fill the gap."
            )
            return 0
        for day, missing in uncovered.items():
            names = ", ".join(g.value.replace("_", " ") for g in missing)
            blocked[day] = f"nothing that suits you that day trains the {names}"
        return per_week

    def _missed(self, missed: tuple[dt.date, ...]) -> list[Change]:
        if not missed:
            return []
        dates = ", ".join(day_words(d) for d in missed)
        return [Change(ChangeKind.RESCHEDULE,
                       f"A strength session was due on {dates} and none was logged: it moves to the next free day of "
                       "the week, keeping a rest day between strength days.",
                       self.cat.source_title(_SOURCE), None, None, missed[-1])]

    def _lowered_days(self, done: frozenset[dt.date], planned: frozenset[dt.date]):
        """The strength session after a session whose next morning was clearly worse is lighter; so is
        the first one after a flare's relief-only days, as the plan builds up again from a lighter level."""
        lowered, changes = set(), []
        last_done = max((d for d in done if d < self.start), default=None)
        source = self.cat.source_title(SourceId.PAIN_MONITORING)

        def next_strength(event: dt.date, after: dt.date) -> dt.date | None:
            """The first strength day planned after `after`; None when a strength session was done since
            `event` (the lighter session, or the build-up, has begun)."""
            if last_done is not None and event < last_done:
                return None
            return min((d for d in planned if d > after), default=None)

        for flare, what in sorted(self.history.flares.items()):
            nxt = next_strength(flare, flare + dt.timedelta(days=FLARE_DAYS))
            if nxt is None or nxt in lowered:
                continue
            lowered.add(nxt)
            changes.append(Change(
                ChangeKind.LOWER_SESSION,
                f"On {day_words(flare)} {what}: the first strength session after the flare, on {day_words(nxt)}, "
                "is lighter, and the plan builds up again from there.", source, None, None, flare))
        for rise in dict.fromkeys(self.adaptation.rise_days):  # once a day, however many sessions it had
            nxt = next_strength(rise, rise)
            if nxt is None:
                continue
            lowered.add(nxt)
            session = next(s for s in self.history.sessions if s.date == rise)
            changes.append(Change(
                ChangeKind.LOWER_SESSION,
                f"The morning after {day_words(rise)} pain was {session.pain_next_day}/10, 2 or more above the "
                f"{session.pain_before}/10 before the session: the strength session on {day_words(nxt)} is lighter.",
                source, None, None, rise))
        return lowered, changes

    def _phase_change(self, first_day: dt.date) -> list[Change]:
        yesterday = self.start - dt.timedelta(days=1)
        if yesterday < first_day:
            return []
        now, why = self.timeline.phase(self.start)
        before, _ = self.timeline.phase(yesterday)
        if now == before:
            return []
        return [Change(ChangeKind.PHASE, f"From today: {PHASE_WORDS[now]}. {why}", self.cat.source_title(_SOURCE),
                       None, None, self.start)]

    # ---- one day ---------------------------------------------------------------------------------
    def programs(self, day: dt.date, phase: ProgrammePhase, strength_day: bool, acute: bool | None = None) -> _Programs:
        assessment, ctx = self.setup(day)
        if acute is False:
            ctx = replace(ctx, situations=ctx.situations - {Situation.ACUTE})
        acute = Situation.ACUTE in ctx.situations
        key = (ctx.situations, assessment.plans_as, assessment.pregnancy_stage, phase, strength_day)
        if key not in self.cache:
            self.cache[key] = self._build(assessment, ctx, acute, phase, strength_day)
        return self.cache[key]

    def _build(self, assessment: Assessment, day_ctx: Context, acute: bool, phase: ProgrammePhase,
               strength_day: bool) -> _Programs:
        cat = self.cat
        b = Builder(cat, day_ctx, self.adaptation, assessment, phase,
                    self.adjustments.source if self.adjustments is not None else None)
        if self.fracture:
            return self._fracture_programs(b)
        alignment, alignment_notes = self._alignment(b) if self.with_alignment else ([], [])
        taken = frozenset(p.item.exercise for p in alignment)
        strength, missing = b.strength(taken, self.more) if strength_day else ([], [])
        taken |= {p.item.exercise for p in strength}
        relief, relief_notes = self._relief(b, "acute" if acute else assessment.plans_as.value, taken)
        left_out: dict[str, str] = {}
        if self.adjustments is not None:
            relief, strength, left_out, waiting = adjust.pin(b, relief, strength, self.adjustments, taken)
            relief, alignment, strength = (adjust.dose(b, p, self.adjustments) for p in (relief, alignment, strength))
            relief_notes = relief_notes + list(left_out.values()) + waiting
        if phase == ProgrammePhase.FUNCTION:  # fewer relief minutes in the upkeep phase
            relief = [p for p in relief if p.required] + [p for p in relief if not p.required][:4]
        twice = phase != ProgrammePhase.FUNCTION and all(
            cat[p.item.exercise].dose.times_per_day.high >= 2 for p in relief)
        return _Programs(alignment, alignment_notes, strength, missing, relief, relief_notes, twice, left_out)

    def _alignment(self, b: Builder):
        """The realignment protocol depends only on the day's situation, not on strength or relief."""
        if b.ctx not in self.protocols:
            self.protocols[b.ctx] = protocol(b, self.profile)
        return self.protocols[b.ctx]

    def _relief(self, b: Builder, key: str, taken: frozenset[str]):
        """The relief routine depends only on which of its own candidates the day's other routines
        took, so a strength day and a rest day usually share one."""
        clash = taken & (relief_candidates(b.cat, key) | self.swapped_in)
        memo = (key, b.ctx, b.assessment.pregnancy_stage, b.phase, clash)
        if memo not in self.reliefs:
            self.reliefs[memo] = b.relief(key, clash)
        return self.reliefs[memo]

    def _fracture_programs(self, b: Builder) -> _Programs:
        ex = self.cat[BREATHING_SLUG]
        relief = []
        if b.ctx.allows(ex):
            relief = [b.pick(ex, Side.NONE, "Slow breathing eases guarding muscles without loading the pelvis or spine, "
                                            "while a fracture is being ruled out.")]
        notes = [FRACTURE_NOTE] + ([] if relief else [
            "No relief exercise suits your situation today: slow breathing is left out because "
            f"{b.why_left_out(BREATHING_SLUG)}."])
        left_out: dict[str, str] = {}
        if self.adjustments is not None:  # a coach's pins wait too, each with the reason (slow breathing stays)
            relief, _, left_out, waiting = adjust.pin(b, relief, [], self.adjustments)
            relief, notes = adjust.dose(b, relief, self.adjustments), notes + list(left_out.values()) + waiting
        return _Programs([], [], [], [], relief, notes, False, left_out)

    def _day(self, date: dt.date, strength_day: bool, flare_day: bool, busy: bool, lowered: bool,
             notes: list[str]) -> tuple[Day, list[str]]:
        acute = self._acute(date)
        phase, _ = self.timeline.phase(date)
        progs = self.programs(date, phase, strength_day)
        if date == self.start:
            self.pins_left_out = progs.pins_left_out
        strength = progs.strength
        if progs.strength_missing:
            names = ", ".join(g.value.replace("_", " ") for g in progs.strength_missing)
            notes.append(f"No strength work today: nothing that suits you today trains the {names}, and a strength "
                         "day covers all three muscle groups.")
            strength = []
        if strength and (lowered or self.adaptation.rising):
            if id(progs) not in self.lighter:
                light = lighter(self.cat, strength)
                if self.adjustments is not None:
                    light = adjust.lighten(self.cat, light, self.adjustments)
                self.lighter[id(progs)] = light
            strength = self.lighter[id(progs)]
            notes.append("Lighter strength session: your pain after recent sessions calls for an easier load.")
        if flare_day:
            notes.append("Flare-up day: relief and realignment only, with a short easy walk if it does not make "
                         "things worse; no strength work." if progs.alignment
                         else "Flare-up day: relief only, with a short easy walk if it does not make things worse; no "
                         "strength work.")
        if acute:
            notes.append("First days after the pain began: gentle relief only; cold packs help most now.")
        lightened = bool(strength) and strength is not progs.strength
        # Days made of the same parts are fitted the same: once per plan.
        key = (id(progs), lightened)
        fitted = self.fitted.get(key)
        if fitted is None:
            plan = DayPlan(progs.alignment, list(strength), list(progs.relief), progs.relief_twice)
            fitted = self.fitted[key] = fit_routines(self.profile.minutes_per_day, plan,
                                                     lambda p: shorter(self.cat, p), ALIGNMENT_NOTE)
        # A flare's days keep a short walk, as the first painful days do (the flare lesson: keep moving a little).
        walk = self._walk(date, acute or flare_day, strength_day, busy)
        walk_pick, walk_note = walk(room(self.profile.minutes_per_day, fitted))
        day = with_walk(date, self.profile.minutes_per_day, fitted, walk_pick,
                        (*notes, *progs.relief_notes, *progs.alignment_notes, *walk_note), self.timeline.week(date),
                        phase.value)
        return day, [f"{day_words(date)}: {w}" for w in fitted.warnings]

    def _walk(self, date: dt.date, acute: bool, strength_day: bool, skip: bool):
        """The day's walk, built up week by week (engine/programme.py); in the pool on some days.
        Returns a function giving the walk for the seconds left, and the day's note when it does not fit."""
        cat = self.cat
        pool_day = (POOL_SLUG in cat and Equipment.POOL in self.profile.equipment and not strength_day
                    and not acute and not self.fracture and date.weekday() in POOL_WEEKDAYS)
        key = (skip, pool_day, acute, self.timeline.walk_minutes(date, acute or self.fracture),
               self.timeline.walk_minutes(date, acute, POOL_START_MIN) if pool_day else 0,
               self.setup(date)[1].situations)
        if key not in self.walks:
            self.walks[key] = self._walk_for(date, key)
        return self.walks[key]

    def _walk_for(self, date: dt.date, key: tuple):
        skip, pool_day, _, minutes, pool_minutes, _ = key
        cat = self.cat
        _, day_ctx = self.setup(date)
        options = [(cat[POOL_SLUG], pool_minutes, POOL_WHY)] if pool_day else []
        if WALK_SLUG in cat:
            options.append((cat[WALK_SLUG], minutes, WALK_WHY))
        options = [o for o in options if day_ctx.allows(o[0])]

        no_room = (f"No walk planned today: your {self.profile.minutes_per_day} minutes go to the routines above.",)

        def walk(room: int) -> tuple[Pick | None, tuple[str, ...]]:
            if skip or not options:
                return None, ()
            for ex, wanted, why in options:
                hold = min(wanted * 60, ex.dose.hold_s.high, room - SETUP_S)
                if hold >= ex.dose.hold_s.low:
                    return _walk_item(cat, ex.slug, hold, why), ()
            return None, no_room

        return walk


@lru_cache(maxsize=1024)
def _walk_item(cat: Catalog, slug: str, hold: int, why: str) -> Pick:
    return make_item(cat, cat[slug], Side.NONE, Dosed(1, 1, hold, 0, 0, 1), why)


def _input_warnings(profile: Profile, assessment: Assessment, answered_on: dt.date | None,
                    start: dt.date) -> list[str]:
    w = []
    if profile.pregnancy != Pregnancy.NONE and profile.sex == Sex.MALE:
        w.append("Sex is 'male' but pregnancy is set: the plan follows the pregnancy answers, the safer reading.")
    if profile.pregnancy == Pregnancy.PREGNANT and profile.pregnancy_weeks is None:
        w.append("Weeks of pregnancy not given: the plan assumes you are past the first trimester (the safer choice).")
    if profile.pregnancy == Pregnancy.PREGNANT and answered_on and (start - answered_on).days > STALE_PREGNANCY_DAYS:
        w.append(f"Your pregnancy answers are from {day_words(answered_on, near=start)}: check in again so the plan follows the stage "
                 "you are at now (and after the birth).")
    if profile.pregnancy == Pregnancy.POSTPARTUM and profile.pregnancy_weeks is None:
        w.append("Weeks since the birth not given: the plan treats you as in the first six weeks (the safer choice).")
    if profile.pregnancy == Pregnancy.POSTPARTUM and profile.birth.value == "unknown":
        w.append("How the baby was born is not given: until your postnatal check has cleared you, the plan follows "
                 "the advice after a caesarean (the safer choice).")
    if profile.distortion in (Distortion.INFLARE, Distortion.OUTFLARE) and profile.sore_side.value == "unsure" \
            and profile.distortion_side is None:
        w.append("Sore side unknown: the side-specific realignment steps use their both-sides versions.")
    if profile.distortion == Distortion.UNKNOWN:
        w.append("A pelvic distortion was mentioned but not named: no realignment routine is planned without a professional's finding.")
    answers = profile.hypermobility_answers
    if answers is not None and None in answers:
        w.append(score_hypermobility(answers).explanation)  # what an unsure answer was taken to mean
    if assessment.pattern in (Pattern.MIXED, Pattern.UNCLEAR):
        w.append(f"Pattern {assessment.pattern.value}: the plan is built for stability, the safer choice.")
    return w


def _advice(profile, assessment, triage, adaptation: Adaptation, days, ctx) -> tuple[Advice, ...]:
    lib = library()
    cat = catalog()
    kinds = {r.kind for d in days for r in d.routines}
    stage = assessment.pregnancy_stage
    active = {
        "always": True,
        "acute": assessment.phase.value == "acute",
        "not_acute": assessment.phase.value != "acute",
        "pregnant": stage in ("first_trimester", "after_first_trimester"),
        "not_pregnant": stage not in ("first_trimester", "after_first_trimester"),
        "pregnant_after_first_trimester": stage == "after_first_trimester",
        "postpartum": stage in ("postpartum_early", "postpartum"),
        "recently_pregnant": recently_pregnant(profile),
        "caesarean_recovery": Situation.CAESAREAN_RECOVERY in ctx.situations,
        "strength": RoutineKind.STRENGTH in kinds,
        "alignment": RoutineKind.ALIGNMENT in kinds,
        "tight_weak": bool(assessment.tight_weak),
        "hip_flexors_tight": any(p.tight.value == "hip_flexors" for p in assessment.tight_weak),
        "hypermobile": assessment.hypermobile,
    }
    first: list[Advice] = []
    refer = referral_for(profile)
    if triage.level == TriageLevel.SEE_DOCTOR_SOON:
        reasons = " ".join(r.text for r in triage.reasons)
        first.append(Advice("see_a_professional", f"{triage.action} {reasons}", triage.reasons[0].source))
    elif refer.why and profile.pain_now >= PAIN_NOW_FLARE:
        # Pain of 7 or more is a flare (the days after it are relief only); outside a pregnancy it waits to
        # see whether it settles (a doctor at 8 or more, or when pain rises over weeks). In pregnancy and
        # after a birth the notes are silent on a single high score: the safer plan tells the maternity
        # team now, as a sharp rise in pelvic girdle pain is theirs to know about (NHS pelvic girdle pain).
        first.append(Advice("see_a_professional",
                            f"Pain of {profile.pain_now}/10 at your check-in is high. As {refer.why}, please "
                            f"{refer.ask}.", cat.source_title(refer.source)))
    for change in adaptation.changes:
        if change.kind.value == "see_professional" or (change.kind == ChangeKind.LOWER_SESSION and adaptation.rising
                                                       and "rose over three weeks" in change.reason):
            first.append(Advice("see_a_professional", change.reason, change.source))
    rest = [Advice(a.topic, a.text, cat.source_title(a.source)) for a in lib.advice if active[a.when]]
    return tuple(first + rest)
