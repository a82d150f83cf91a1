"""The API's own request wrappers and response shapes.

Engine values (plan, profile, triage, exercise, change) keep the engine's own types, so the OpenAPI
document shows the same JSON Schemas as `sijcoach schema ...`; only what the web app adds is defined here.
"""

from __future__ import annotations

import datetime as dt
from enum import IntEnum
from typing import Annotated, Any, Literal

from pydantic import Field, WithJsonSchema, model_validator
from pydantic_core import PydanticCustomError
from ninja import Schema

from sijcoach.engine.catalog import Exercise
from sijcoach.engine.plan_types import Change, Triage, TriageLevel
from sijcoach.engine.profile import Effort, Profile, SessionLog, _Input
from sijcoach.engine.questionnaires import ChangeResult
from sijcoach.engine.vocab import Kind, Side
from sijcoach.web.api.openapi import component_ref
from sijcoach.web.plans import progress
from sijcoach.web.plans.models import CheckIn

MAX_PLAN_DAYS = 28
# The anonymous plan's limits: nearly three years of daily sessions (the plan reads the recent ones),
# and a body with room for them.
MAX_PLAN_LOGS = 1000
MAX_PLAN_BODY = 1_000_000  # bytes


class PlanRequest(_Input):
    """A plan made without an account: nothing is stored."""

    profile: Profile
    logs: tuple[SessionLog, ...] = Field(default=(), max_length=MAX_PLAN_LOGS)
    start: dt.date = Field(description="the plan's first day, YYYY-MM-DD")
    days: int = Field(default=7, ge=1, le=MAX_PLAN_DAYS)
    programme_start: dt.date | None = Field(
        default=None, description="the programme's first day, no later than start (default: the first logged "
                                  "session, or start)")

    @model_validator(mode="after")
    def _programme_first(self):
        if self.programme_start is not None and self.programme_start > self.start:
            raise PydanticCustomError(
                "programme_after_start", "the programme's first day ({first}) comes after the plan's start ({start})",
                {"first": str(self.programme_start), "start": str(self.start)})
        return self


Weeks = IntEnum("Weeks", {f"W{w}": w for w in progress.WINDOWS})


# Refusals ---------------------------------------------------------------------------------------

class ProblemOut(Schema):
    field: str = Field(description="where the fault is: a body path such as profile.age, or a parameter name")
    value: Any = Field(description="what was sent (null when nothing was)")
    allowed: str
    message: str


class ProblemsOut(Schema):
    detail: list[ProblemOut]


class MessageOut(Schema):
    detail: str


# Check-ins --------------------------------------------------------------------------------------

class OpenWarningOut(Schema):
    level: TriageLevel
    signs: list[str] = Field(description="the warning signs reported, by their ids")
    reported_at: dt.datetime
    action: str = Field(description="what to do first")


class CheckInOut(Schema):
    created_at: dt.datetime
    answered_on: dt.date = Field(description="the day the answers describe")
    source: Literal[tuple(CheckIn.Source.values)] = Field(
        description="check_in: answered by you; settings: a change of settings; coach_findings: your "
                    "professional's findings, kept when your coach link ended")
    triage_level: TriageLevel = Field(description="of these answers, when they were given")
    warning_signs_since: OpenWarningOut | None = Field(
        default=None, description="warning signs reported after these answers: your plan is stopped until you "
                                  "check in again (GET /api/v1/me/plan says what to do)")
    # The request body's Profile component (exercise slugs listed), rather than a second one for responses.
    profile: Annotated[Profile, WithJsonSchema(component_ref("Profile"))]


class SavedCheckInOut(CheckInOut):
    saved: Literal[True]


class StoppedOut(Schema):
    """A warning sign that needs help now: it was recorded, and no check-in or plan was made."""

    saved: Literal[False]
    triage: Triage


# Sessions ---------------------------------------------------------------------------------------

class DoseOut(Schema):
    sets: int
    reps: int
    hold_s: int


class SessionItemOut(Schema):
    exercise: str
    side: Side
    planned: DoseOut
    done: DoseOut
    pain: int | None
    effort: Effort | None
    skipped: bool
    swapped_from: str | None
    swap_reason: str | None


class SessionOut(Schema):
    id: int
    date: dt.date
    routine_kind: Literal["relief", "alignment", "strength", "walk"]
    routine_title: str
    pain_before: int | None
    pain_after: int | None
    pain_next_day: int | None
    joint_went_out: bool
    items: list[SessionItemOut]


class SessionPageOut(Schema):
    count: int = Field(description="all of the person's sessions")
    limit: int
    offset: int
    sessions: list[SessionOut] = Field(description="newest first")


# During a session -------------------------------------------------------------------------------

class PlayerPictureOut(Schema):
    timeline: list[tuple[str, float, bool]] = Field(description="the loop: [frame, seconds, moving] in order")
    sides: dict[str, dict[str, str]] = Field(
        description="per side the item runs (left, right, both or none): the addresses of its animated, start "
                    "and end drawings")


class PlayerItemOut(Schema):
    exercise: str
    name: str
    kind: Kind
    side: Side
    dose: str = Field(description="the dose and side in words, as the pages word them")
    sets: int
    reps: int
    hold_s: int
    rest_s: int
    rep_s: int
    minutes: float
    why: str
    source: str
    steps: list[str]
    stop_if: list[str]
    condition: str | None
    dose_by: str | None = Field(description="who set the dose, when a coach did: 'set by your coach'")
    cue: str | None = Field(description="the coach's note on this exercise, shown beside its steps")
    picture: PlayerPictureOut | None


class PainAnswerOut(Schema):
    verdict: Literal["carry_on", "watch", "swap", "stop", "end"] = Field(
        description="carry_on (0-3), watch (4-5), swap (6+: do `replacement` instead), stop (6+: leave the "
        "exercise out, nothing else suits) or end (end the session: a second exercise at 6+, or an open warning sign)")
    message: str
    source: str
    replacement: PlayerItemOut | None = Field(description="the exercise to do instead (verdict swap)")


# Progress ---------------------------------------------------------------------------------------

class PainPointOut(Schema):
    date: dt.date
    before: int | None
    after: int | None
    next_morning: int | None


class CalendarDayOut(Schema):
    date: dt.date
    status: Literal["done", "partial", "missed", "rest", "planned", "none"]


class WeekPillarsOut(Schema):
    week_start: dt.date
    core: int
    back_of_hip: int
    low_back: int


class PsfsPointOut(Schema):
    date: dt.date
    score: float = Field(description="the mean of the activities' ratings, 0 (unable) to 10 (as before)")


class PsfsActivityOut(Schema):
    id: int
    name: str


class CompletionOut(Schema):
    done: int
    planned: int


class ProgressOut(Schema):
    weeks: int
    start: dt.date = Field(description="the Monday of the window's first week, or of the person's first week here "
                                       "when that is later")
    end: dt.date
    pain_points: list[PainPointOut]
    calendar: list[CalendarDayOut]
    pillars: list[WeekPillarsOut] = Field(description="sessions per week that trained each pillar")
    psfs_points: list[PsfsPointOut]
    psfs_activities: list[PsfsActivityOut]
    pain: ChangeResult | None = Field(description="first against last pain before a session")
    psfs: ChangeResult | None = Field(description="first against last functional scale")
    done: int = Field(description="routines planned up to today and done (a session with at least one exercise "
                                  "not skipped)")
    planned: int = Field(description="routines planned from the start to today")
    week: CompletionOut = Field(description="this week, Monday to Sunday: routines done of all those planned, "
                                            "as Today and a coach's pages count them")
    changes: list[Change] = Field(description="what the current plan changed from the logs, and why")


# Export -----------------------------------------------------------------------------------------

class ExportOut(Schema):
    """Everything stored about the person (the account page's export); more keys may follow."""

    format: str
    account: dict[str, Any]
    preferences: dict[str, Any]
    checkins: list[dict[str, Any]]
    red_flag_reports: list[dict[str, Any]]
    sessions: list[dict[str, Any]]
    psfs: list[dict[str, Any]]
    api_tokens: list[dict[str, Any]]


ExerciseList = list[Exercise]
