"""Checking in, for the wizard and the API alike: stopped or saved.

A warning sign that needs help now (urgent or emergency) stops the check-in: the signs are recorded,
nothing is saved and the plan shows what to do instead of exercises until a check-in without them.
Otherwise the answers are saved as the person's new check-in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

from sijcoach.engine.inputs import InputError, Problem, parse_profile
from sijcoach.engine.plan_types import Triage
from sijcoach.engine.profile import Profile
from sijcoach.engine.screening import blocks_plan, screen, screen_flags
from sijcoach.web.plans import services
from sijcoach.web.plans.models import CheckIn, RedFlagReport


@dataclass(frozen=True)
class Stopped:
    """A warning sign needs help now: it is recorded in `report`; no check-in was saved."""

    triage: Triage
    report: RedFlagReport
    saved: ClassVar[bool] = False


@dataclass(frozen=True)
class Saved:
    checkin: CheckIn
    saved: ClassVar[bool] = True


def _stop(user, triage: Triage, ticked: Iterable[str]) -> Stopped | None:
    if not blocks_plan(triage):
        return None
    return Stopped(triage, services.report_red_flags(user, sorted(set(ticked)), triage.level.value))


def stop_for_warning_signs(user, ticked: Iterable[str]) -> Stopped | None:
    """The ticked warning signs on their own, before any other answer is known: Stopped (and recorded)
    when they need help now, else None. The wizard asks them first, so nobody answers the rest in vain."""
    ticked = list(ticked)
    return _stop(user, screen_flags(ticked), ticked)


def check_in(user, answers: dict | Profile, on: dt.date, *, source: str = CheckIn.Source.CHECK_IN,
             psfs: list[tuple[str, int]] | None = None) -> Stopped | Saved:
    """All the answers: Stopped when the screening blocks a plan, else Saved. Raises InputError
    (naming each field) when the answers are not a valid profile; then nothing is recorded."""
    profile = answers if isinstance(answers, Profile) else parse_profile(answers)
    if profile.answered_on is not None and profile.answered_on > on:
        raise InputError("profile", [Problem("answered_on", profile.answered_on.isoformat(),
                                             f"a date up to today ({on.isoformat()}), written YYYY-MM-DD",
                                             "answers cannot describe a day still to come")])
    stopped = _stop(user, screen(profile), (flag.value for flag in profile.red_flags))
    if stopped is not None:
        return stopped
    # The day the answers describe, when given (a clinic entering last month's answers, say): the weeks of
    # a pregnancy and the days since onset count from it, not from the day they were sent.
    described = profile.answered_on or on
    return Saved(services.save_checkin(user, profile.model_dump(mode="json"), described, source=source, psfs=psfs))
