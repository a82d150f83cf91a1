"""A coach's template (a set of pins, leave-outs and doses, each with its note) checked against one
person before it joins their adjustments.

Each item is judged on its own, in the template's order (leave-outs, pins, doses), against the
person's adjustments so far: the catalog's rules (`parse_adjustments`, which holds the dose ranges),
then the person's situation (`ruled_out`: conditions, pregnancy, equipment, level, what hurt
recently). An item that fails is left out with the reason; an item already in the adjustments is
said to be there. Leaving an exercise out is always safe, so a leave-out is refused only by the
catalog's rules. Without a profile (no check-in yet) nothing can be judged safe to add, so pins and
doses are not applied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from enum import StrEnum

from sijcoach.engine.adjust import (
    Adjustments, CoachDose, CoachItem, dose_words, parse_adjustments, ruled_out,
)
from sijcoach.engine.catalog import catalog
from sijcoach.engine.inputs import InputError, Problem
from sijcoach.engine.profile import Profile, SessionLog

NO_CHECK_IN = "cannot be judged: the client has not checked in yet, so nothing is known to be safe for them"


class Outcome(StrEnum):
    APPLIED = "applied"
    ALREADY = "already"  # the same item, with the same note, is in the adjustments already
    NOT_APPLIED = "not_applied"


class Action(StrEnum):
    LEAVE_OUT = "leave_out"
    PIN = "pin"
    DOSE = "dose"


GROUP = {Action.LEAVE_OUT: "excluded", Action.PIN: "pinned", Action.DOSE: "doses"}
VERBS = {Action.LEAVE_OUT: ("leave out", "left out"), Action.PIN: ("pin", "pinned"), Action.DOSE: ("set", "set")}


@dataclass(frozen=True)
class ItemCheck:
    action: Action
    exercise: str
    outcome: Outcome
    what: str  # the item without its verb: "Clamshell (note: knees together)", "Glute bridge to 3 sets"
    reason: str = ""  # why it was not applied

    def words(self, done: bool = True) -> str:
        """"pinned Clamshell (note: ...)", or with done=False "pin Clamshell (note: ...)"."""
        return f"{VERBS[self.action][1 if done else 0]} {self.what}"

    @property
    def line(self) -> str:
        """One line of the coach's report."""
        if self.outcome == Outcome.APPLIED:
            return f"Applied: {self.words()}."
        if self.outcome == Outcome.ALREADY:
            return f"Already in their plan: {self.words()}."
        return f"Not applied: {self.words(done=False)}. {self.reason[:1].upper()}{self.reason[1:]}."


@dataclass(frozen=True)
class TemplateCheck:
    adjustments: Adjustments  # the person's adjustments with every applicable item
    items: tuple[ItemCheck, ...]

    @property
    def applied(self) -> tuple[ItemCheck, ...]:
        return tuple(i for i in self.items if i.outcome == Outcome.APPLIED)

    def what(self) -> str:
        """What the person reads about the change: the items applied, in plain words."""
        return "Changed several exercises at once: " + "; ".join(i.words() for i in self.applied) + "."


def _what(item: CoachItem | CoachDose) -> str:
    name = catalog()[item.exercise].name
    text = f"{name} to {dose_words(item)}" if isinstance(item, CoachDose) else name
    return text + (f" (note: {item.note})" if item.note else "")


def _reason(problems: list[Problem], allowed: bool = True) -> str:
    """The problems' messages; `allowed` adds what the catalog's rules allow."""
    return "; ".join(p.message + (f" (allowed: {p.allowed})" if allowed else "") for p in problems)


def _with(adj: Adjustments, action: Action, item: CoachItem | CoachDose) -> dict:
    """`adj` as data, with `item` in place of whatever it had for that exercise."""
    data = adj.model_dump(mode="json", exclude_none=True)
    slug = item.exercise
    if action == Action.DOSE:
        data["doses"] = [d for d in data["doses"] if d["exercise"] != slug]
    else:  # an exercise is pinned or left out, never both
        data["pinned"] = [i for i in data["pinned"] if i["exercise"] != slug]
        data["excluded"] = [i for i in data["excluded"] if i["exercise"] != slug]
    data[GROUP[action]].append(item.model_dump(mode="json", exclude_none=True))
    return data


def _situation(profile: Profile | None, logs: tuple[SessionLog, ...], start: dt.date, slug: str) -> list[Problem]:
    """Why the person's situation rules the exercise out now (empty: it does not), by the rules that
    judge a pin, with none of the coach's leave-outs in the way."""
    if profile is None:
        return [Problem("exercise", slug, "", f"{catalog()[slug].name} {NO_CHECK_IN}")]
    return ruled_out(profile, logs, start, Adjustments(pinned=(CoachItem(exercise=slug),)))


def check_template(profile: Profile | None, logs: tuple[SessionLog, ...], start: dt.date, current: Adjustments,
                   template: Adjustments) -> TemplateCheck:
    """The person's adjustments with every item of `template` that suits them, and a verdict per item."""
    adj, checks = current, []
    items = ([(Action.LEAVE_OUT, i) for i in template.excluded] + [(Action.PIN, i) for i in template.pinned]
             + [(Action.DOSE, d) for d in template.doses])
    for action, item in items:
        verdict = ItemCheck(action, item.exercise, Outcome.APPLIED, _what(item))
        if item in getattr(adj, GROUP[action]):
            checks.append(replace(verdict, outcome=Outcome.ALREADY))
            continue
        try:
            candidate = parse_adjustments(_with(adj, action, item))
        except InputError as exc:
            checks.append(replace(verdict, outcome=Outcome.NOT_APPLIED, reason=_reason(exc.problems)))
            continue
        problems = [] if action == Action.LEAVE_OUT else _situation(profile, logs, start, item.exercise)
        if problems:
            checks.append(replace(verdict, outcome=Outcome.NOT_APPLIED, reason=_reason(problems, allowed=False)))
            continue
        adj = candidate
        checks.append(verdict)
    return TemplateCheck(adj, tuple(checks))
