"""A coach's adjustments to a person's plan: exercises pinned or left out, doses set within wide
safety limits per kind of exercise (knowledge/coach_limits.toml), and a professional's findings
(distortion, tight muscles, Beighton score).

The engine still rules. A pin or a dose for an exercise the person's situation rules out is refused
when it is made (`ruled_out`), and a pin is left out with the reason on any later day that rules it
out (a new check-in, the first days of a flare, pain in it or in an easier version of it). Pain
lowers a coach's dose by about 30% until it settles, and automatic progression never raises it
(engine/adaptation.py). Every adjustment the plan follows is listed among its changes with the
coach's note, so the person can see who changed what.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Annotated

from pydantic import AfterValidator, Field

from sijcoach.engine.adaptation import adapt
from sijcoach.engine.catalog import Catalog, Exercise, Range, catalog
from sijcoach.engine.coach_limits import KIND_WORDS, coach_limits, dose_minutes
from sijcoach.engine.dosing import LOWERED_SHARE, Dosed, lowered
from sijcoach.engine.history import read_history
from sijcoach.engine.inputs import MISSING, InputError, Problem, parse_model
from sijcoach.engine.plan_types import Change, ChangeKind
from sijcoach.engine.profile import Distortion, DistortionSide, Profile, SessionLog, Slug, Text, _Input, _unique
from sijcoach.engine.routines import Builder, Pick, default_side, group_words, make_item
from sijcoach.engine.screening import screen
from sijcoach.engine.suitability import context_on
from sijcoach.engine.vocab import STRENGTH_KINDS, Group, Kind, Laterality, Side, day_words

DOSE_FIELDS = ("sets", "reps", "hold_s", "rest_s")
DOSE_WORDS = {"sets": "sets", "reps": "repetitions", "hold_s": "hold (seconds)", "rest_s": "rest (seconds)"}
DOSE_UNITS = {"sets": "sets", "reps": "repetitions", "hold_s": "s hold", "rest_s": "s rest"}
MAX_VALUE = 10_000
PINNABLE = (Laterality.BILATERAL, Laterality.EACH_SIDE)
Note = Annotated[Text, Field(max_length=300)]


class CoachItem(_Input):
    """An exercise the coach pins (always in the plan when allowed) or leaves out."""

    exercise: Slug
    note: Note = ""


class CoachDose(_Input):
    """A dose for one exercise; a field left out keeps the engine's own value."""

    exercise: Slug
    # Bounds for storage only: the limits that matter depend on the kind of exercise (`dose_problems`,
    # which every parse of a dose runs), so that every value out of them, a negative one too, is named
    # with the kind's own range and why.
    sets: int | None = Field(default=None, ge=-MAX_VALUE, le=MAX_VALUE)
    reps: int | None = Field(default=None, ge=-MAX_VALUE, le=MAX_VALUE)
    hold_s: int | None = Field(default=None, ge=-MAX_VALUE, le=MAX_VALUE)
    rest_s: int | None = Field(default=None, ge=-MAX_VALUE, le=MAX_VALUE)
    note: Note = ""


_ONE_UNIT = {"sets": "set", "reps": "repetition"}  # "1 repetition", not "1 repetitions"


def dose_words(d: CoachDose) -> str:
    """"3 sets, 10 repetitions, 5 s hold": the values the coach gave."""
    return ", ".join(f"{value} {_ONE_UNIT.get(n, DOSE_UNITS[n]) if value == 1 else DOSE_UNITS[n]}"
                     for n in DOSE_FIELDS if (value := getattr(d, n)) is not None)


class Adjustments(_Input):
    pinned: tuple[CoachItem, ...] = ()
    excluded: tuple[CoachItem, ...] = ()
    doses: tuple[CoachDose, ...] = ()
    source: Annotated[Text, Field(min_length=1, max_length=200)] = "your coach"

    def dose_for(self, slug: str) -> CoachDose | None:
        return next((d for d in self.doses if d.exercise == slug), None)


class Findings(_Input):
    """What a professional found; a field left empty keeps the person's own answer."""

    distortion: Distortion | None = None
    distortion_side: DistortionSide | None = None  # of an inflare or outflare, when not simply the sore side
    tight_muscles: Annotated[tuple[Group, ...], AfterValidator(_unique)] | None = None
    beighton_score: int | None = Field(default=None, ge=0, le=9, description="measured by a professional")

    def apply(self, profile: Profile) -> Profile:
        update = {k: v for k, v in self.model_dump().items() if v is not None}
        return profile.model_copy(update=update) if update else profile

    def recorded(self) -> bool:
        return any(v is not None for v in self.model_dump().values())

    def words(self) -> str:
        """"distortion inflare, right side; Beighton score 6.", or that none was recorded."""
        parts = []
        if self.distortion is not None:
            side = f", {self.distortion_side.value} side" if self.distortion_side is not None else ""
            parts.append(f"distortion {self.distortion.value.replace('_', ' ')}{side}")
        if self.tight_muscles is not None:
            parts.append("tight muscles " + (", ".join(g.value.replace("_", " ") for g in self.tight_muscles) or "none"))
        if self.beighton_score is not None:
            parts.append(f"Beighton score {self.beighton_score}")
        return "; ".join(parts) + "." if parts else "none recorded (the client's own answers apply)."


def parse_findings(raw) -> Findings:
    return parse_model(Findings, raw, "findings")


def _range_words(r: Range) -> str:
    return f"{r.low}" if r.low == r.high else f"from {r.low} to {r.high}"


def parse_adjustments(raw) -> Adjustments:
    """Strict parsing, then the rules the catalog sets: what can be pinned, and each dose's range."""
    adj = parse_model(Adjustments, raw, "adjustments")
    cat = catalog()
    problems: list[Problem] = []
    left_out = {i.exercise for i in adj.excluded}
    for group, items in (("pinned", adj.pinned), ("excluded", adj.excluded), ("doses", adj.doses)):
        seen: set[str] = set()
        for n, item in enumerate(items):
            field = f"{group}[{n}].exercise"
            if item.exercise in seen:
                problems.append(Problem(field, item.exercise, "each exercise once", "the exercise is listed twice"))
            seen.add(item.exercise)
            ex = cat[item.exercise]
            if ex.kind == Kind.CARDIO and group == "pinned":  # a dose's own check says it for doses
                problems.append(Problem(field, item.exercise, "a relief or strength exercise",
                                        f"{ex.name} is fitted to the day's free minutes, not set by hand"))
    for n, item in enumerate(adj.pinned):
        ex = cat[item.exercise]
        if item.exercise in left_out:
            problems.append(Problem(f"pinned[{n}].exercise", item.exercise, "an exercise that is not also left out",
                                    f"{ex.name} cannot be both pinned and left out"))
        elif ex.laterality not in PINNABLE:
            problems.append(Problem(f"pinned[{n}].exercise", item.exercise,
                                    "an exercise done on both sides or each side in turn",
                                    f"{ex.name} is a one-sided step of a protocol the engine plans"))
    for n, dose in enumerate(adj.doses):
        problems += dose_problems(cat[dose.exercise], dose, f"doses[{n}].")
    if problems:
        raise InputError("adjustments", problems)
    return adj


def beyond_own_range(ex: Exercise, dose: CoachDose) -> list[str]:
    """The values of a coach's dose past the catalog's own range for `ex`, which is as far as the app
    itself ever takes a person: more sets, repetitions or hold, or less rest. Each in words with that
    range ("6 sets (the app gives 2-3)"); empty when the dose stays within it."""
    words = []
    for name in DOSE_FIELDS:
        value, own = getattr(dose, name), getattr(ex.dose, name)
        if value is None or not (value < own.low if name == "rest_s" else value > own.high):
            continue
        words.append(f"{value} {_ONE_UNIT.get(name, DOSE_UNITS[name]) if value == 1 else DOSE_UNITS[name]} "
                     f"(the app gives {own})")
    return words


def dose_problems(ex: Exercise, dose: CoachDose, prefix: str = "") -> list[Problem]:
    """Each given value must lie within the safety limits for the exercise's kind, which say why."""
    limit = coach_limits().get(ex.kind)
    if limit is None:
        return [Problem(prefix + "exercise", ex.slug, "a relief or strength exercise",
                        f"{ex.name} is fitted to the day's free minutes, not set by hand")]
    problems = []
    for name in DOSE_FIELDS:
        value, allowed = getattr(dose, name), getattr(limit, name)
        if value is not None and not allowed.low <= value <= allowed.high:
            problems.append(Problem(
                prefix + name, value, f"a whole number {_range_words(allowed)}",
                f"{DOSE_WORDS[name]} for {ex.name} is outside the safety limits for {KIND_WORDS[ex.kind]}: "
                + limit.reason[:1].lower() + limit.reason[1:].rstrip("."),
            ))
    if all(getattr(dose, name) is None for name in DOSE_FIELDS):
        problems.append(Problem(prefix + "sets", MISSING, "at least one of " + ", ".join(DOSE_WORDS.values()),
                                "no dose was given"))
    elif not problems:  # each value within its limit: now the dose as a whole
        minutes = dose_minutes(ex, {name: getattr(dose, name) for name in DOSE_FIELDS})
        if minutes > limit.minutes:
            problems.append(Problem(
                prefix + "dose", dose_words(dose), f"a dose of {ex.name} that takes at most {limit.minutes} minutes",
                f"{ex.name} at this dose takes about {round(minutes)} minutes, all sets, sides and rests "
                f"together, longer than one of the {KIND_WORDS[ex.kind]} may take in a session: lower the "
                "sets, repetitions, hold or rest"))
    return problems


# A reason is written to the person ("and you have a knee problem"); the coach reads it about the client.
_ABOUT_THE_CLIENT = (
    ("you do not have", "the client does not have"),
    ("you have", "the client has"),
    ("you asked", "the client asked"),
    ("your current level", "the client's current level"),
    ("your weight", "their weight"),
)


def about_the_client(why: str) -> str:
    """A reason for leaving an exercise out, as the coach reads it: in the third person."""
    for said, meant in _ABOUT_THE_CLIENT:
        why = why.replace(said, meant)
    return why


def ruled_out(profile: Profile, logs: tuple[SessionLog, ...], start: dt.date, adj: Adjustments) -> list[Problem]:
    """The pins and doses that the person's situation rules out now, each with the reason (empty: all
    allowed), worded for the coach who made them.

    The same rules as any pick: conditions, pregnancy, pattern, equipment, level, and exercises that
    hurt recently (the pain swap). `profile`: the answers as given, moved on to `start` as the planner
    moves them (suitability.context_on: a suspected fracture stays until a doctor rules it out)."""
    cat = catalog()
    triage = screen(profile)
    ctx = context_on(profile, start, gentle=triage.gentle).with_avoided(avoided(adj))
    adaptation = adapt(cat, read_history(cat, logs, start), lambda _: ctx, start, held=held(adj))
    problems = []
    for group, items in (("pinned", adj.pinned), ("doses", adj.doses)):
        for n, item in enumerate(items):
            ex = cat[item.exercise]
            why = ctx.why_not(ex) or adaptation.swapped_why.get(ex.slug) or adaptation.easier_hurt(cat, ex.slug)
            if why:
                problems.append(Problem(f"{group}[{n}].exercise", item.exercise, "an exercise the client's situation "
                                        "allows", f"{ex.name} is ruled out: {about_the_client(why)}"))
    return problems


def held(adj: Adjustments | None) -> frozenset[str]:
    """The exercises whose dose the coach set: automatic progression never raises them."""
    return frozenset(d.exercise for d in adj.doses) if adj else frozenset()


def avoided(adj: Adjustments) -> dict[str, str]:
    """The left-out exercises with the reason the person sees."""
    return {i.exercise: f"{adj.source} left it out" + (f" ({i.note})" if i.note else "") for i in adj.excluded}


def pin(b: Builder, relief: list[Pick], strength: list[Pick], adj: Adjustments, elsewhere: frozenset[str] = frozenset()):
    """Add the pinned exercises to the day's programs: relief ones first in the relief routine (trimmed
    last), strength ones after the required pillar work. `elsewhere`: exercises already planned in
    another routine (realignment). Returns relief, strength, the notes on pins left out (by the exercise
    pinned) and the notes on pins that wait for a strength day."""
    relief, strength, left_out, waiting = list(relief), list(strength), {}, []
    for item in adj.pinned:
        ex, stand_in = b.allowed_or_gentler(item.exercise)
        wanted = b.cat[item.exercise]
        waits = b.adapt.easier_hurt(b.cat, ex.slug) if ex is not None else None
        if ex is None or waits:
            why = waits or b.ctx.why_not(wanted) or b.adapt.swapped_why.get(wanted.slug, "it does not suit you now")
            left_out[item.exercise] = f"{wanted.name}, pinned by {adj.source}, is left out: {why}."
            continue
        # The coach's note is a cue for the exercise pinned, not for one standing in for it ("8 kg bell"),
        # and is said once: as the cue beside the steps, or in the reason when there is no cue.
        cue = (item.note or None) if ex.slug == item.exercise else None
        why = f"Pinned by {adj.source}" + (f": {item.note}" if item.note and cue is None else "") + "." + stand_in
        found = False
        for picks in (relief, strength):
            for i, p in enumerate(picks):
                if p.item.exercise == ex.slug:
                    picks[i] = replace(p, item=replace(p.item, why=f"{why} {p.item.why}", cue=cue), optional=False,
                                       pinned_by=adj.source)
                    found = True
        if found or ex.slug in elsewhere:
            continue
        daily = ex.kind not in STRENGTH_KINDS or ex.kind == Kind.ACTIVATION  # activation and relief work
        if not daily and not strength:
            waiting.append(f"{ex.name}, pinned by {adj.source}, waits for a day with strength work.")
            continue
        # What it is for, as every other item says (a pin read only "Pinned by your coach.").
        trains = f" It is for the {' and '.join(group_words(g) for g in ex.groups)}."
        added = replace(_with_cue(b.pick(ex, default_side(ex), why + trains), cue), pinned_by=adj.source)
        if daily:
            relief.insert(0, added)
        else:
            strength.insert(next((i for i, p in enumerate(strength) if p.optional), len(strength)), added)
    return relief, strength, left_out, waiting


def _with_cue(p: Pick, cue: str | None) -> Pick:
    return replace(p, item=replace(p.item, cue=cue)) if cue else p


def dose(b: Builder, picks: list[Pick], adj: Adjustments) -> list[Pick]:
    """The coach's doses in place of the ladder's, shown as the coach's, with the coach's note as the
    item's cue. Where pain lowered the exercise's dose, or a flare has not yet settled, the coach's
    dose is about 30% lower (engine/dosing.py `lowered`) until it settles; never the ladder's."""
    out = []
    for p in picks:
        set_dose = adj.dose_for(p.item.exercise)
        if set_dose is None:
            out.append(p)
            continue
        ex = b.cat[p.item.exercise]
        it = p.item
        dosed = Dosed(
            sets=set_dose.sets if set_dose.sets is not None else it.sets,
            reps=set_dose.reps if set_dose.reps is not None else it.reps,
            hold_s=set_dose.hold_s if set_dose.hold_s is not None else it.hold_s,
            rest_s=set_dose.rest_s if set_dose.rest_s is not None else it.rest_s,
            rep_s=it.rep_s, sides=2 if it.side == Side.EACH else 1,
        )
        why = f"{it.why} Dose set by {adj.source}."  # its note is the cue beside the steps, said once
        made = make_item(b.cat, ex, it.side, dosed, why, it.condition)
        item = replace(made.item, source=it.source, dose_by=f"set by {adj.source}", cue=set_dose.note or it.cue)
        made = replace(p, item=item, seconds=made.seconds, fixed=True, step=0)
        if b.adapt.steps.get(ex.slug, 0) < 0 or b.adapt.coach_flare is not None:
            made = _lower(b.cat, made, adj, "after pain" if b.adapt.coach_flare is None
                          else f"after the flare on {day_words(b.adapt.coach_flare)}")
        out.append(made)
    return out


def lighten(cat: Catalog, picks: list[Pick], adj: Adjustments) -> list[Pick]:
    """A lighter session (pain rose after recent sessions): the coach's doses about 30% lower too,
    unless pain has lowered them already (the ladder's doses are lowered by routines.lighter)."""
    return [_lower(cat, p, adj, "as your pain after recent sessions calls for an easier load")
            if p.fixed and p.step >= 0 and adj.dose_for(p.item.exercise) else p for p in picks]


def _lower(cat: Catalog, p: Pick, adj: Adjustments, cause: str) -> Pick:
    """A coach's dose about 30% lower, saying so in its reason and beside the dose; its step is -1
    so it is never lowered twice."""
    it = p.item
    less = f"about {100 - round(LOWERED_SHARE * 100)}% lower"
    dosed = lowered(Dosed(it.sets, it.reps, it.hold_s, it.rest_s, it.rep_s, 2 if it.side == Side.EACH else 1))
    why = f"{it.why} It is {less} than {adj.source} set it, {cause}, until it settles."
    made = make_item(cat, cat[it.exercise], it.side, dosed, why, it.condition)
    item = replace(made.item, source=it.source, dose_by=f"{adj.source}'s dose, {less} until the pain settles",
                   cue=it.cue)
    return replace(p, item=item, seconds=made.seconds, step=-1)


def changes(cat: Catalog, adj: Adjustments, left_out: dict[str, str] | None = None,
            swapped: dict[str, str] | None = None, planned: frozenset[str] | None = None) -> list[Change]:
    """One change per adjustment, with the coach's note as part of its reason. `left_out`: the pins the
    plan's first day leaves out, with the note that says why: the change says that, not "pinned".
    `swapped`: exercises out of the plan after pain, with why: a dose set for one says it waits.
    `planned`: the exercises on the plan's days; a dose set for one not among them (the programme's
    phase chose others, say) says it waits too, and how to keep it."""
    def said(text: str, note: str) -> str:
        return f"{adj.source.capitalize()} {text}" + (f": {note}" if note else "") + "."

    left_out = left_out or {}
    out = [Change(ChangeKind.COACH, left_out.get(i.exercise) or said(f"pinned {cat[i.exercise].name}", i.note),
                  adj.source, i.exercise) for i in adj.pinned]
    out += [Change(ChangeKind.COACH, said(f"left out {cat[i.exercise].name}", i.note), adj.source, i.exercise)
            for i in adj.excluded]
    for d in adj.doses:
        name = cat[d.exercise].name
        reason = said(f"set the dose of {name} to {dose_words(d)}", d.note)
        if swapped and d.exercise in swapped:
            reason += f" {name} is not in the plan now: {swapped[d.exercise]}; the dose waits until it returns."
        elif planned is not None and d.exercise not in planned:
            reason += (f" {name} is not on the plan's coming days: the dose waits until it returns (a pin keeps "
                       "it in the plan).")
        out.append(Change(ChangeKind.COACH, reason, adj.source, d.exercise))
    return out
