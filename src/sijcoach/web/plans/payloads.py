"""What the session player and the check-in send, validated strictly like the engine's inputs."""

from __future__ import annotations

import datetime as dt

from pydantic import Field, field_validator
from pydantic_core import PydanticCustomError

from sijcoach.engine.profile import LoggedItem, Pain, Slug, Text, _Input


class Planned(_Input):
    sets: int = Field(default=0, ge=0, le=50)
    reps: int = Field(default=0, ge=0, le=500)
    hold_s: int = Field(default=0, ge=0, le=7200)


class ItemDone(LoggedItem):
    """The engine's logged item (with any swap the player made), and what was planned beside it."""

    planned: Planned = Planned()
    swap_reason: Text | None = Field(default=None, max_length=1000)


class SessionDone(_Input):
    """A finished session. `date`, `routine_kind` and `routine_title` may be omitted by the player,
    which posts to a URL that names the routine."""

    date: dt.date | None = None
    # Left out: strength when an exercise of kind strength was done, else relief (as the engine reads a log
    # without a routine). It was relief always, so a strength session sent without it let strength come
    # the next day.
    routine_kind: str | None = Field(default=None, pattern=r"^(relief|alignment|strength|walk)$")
    routine_title: Text = Field(default="", max_length=200)
    pain_before: Pain | None = None
    pain_after: Pain | None = None
    joint_went_out: bool = False
    items: tuple[ItemDone, ...] = Field(default=(), max_length=60, validate_default=True)

    @field_validator("items")
    @classmethod
    def _something_logged(cls, items, info):
        # An empty log would count as a session (the next morning's answer would be kept on it too).
        if not items and info.data.get("pain_before") is None and info.data.get("pain_after") is None:
            raise PydanticCustomError("empty_session", "a session holds at least one exercise, or a pain rating "
                                      "before or after it")
        return items


class PainQuestion(_Input):
    exercise: Slug
    pain: Pain
    excluded: tuple[Slug, ...] = Field(default=(), max_length=60)
    hurt: tuple[Slug, ...] = Field(default=(), max_length=60, description="the exercises that already hurt 6/10 "
                                   "or more in this session: another one ends it")


class MorningAnswer(_Input):
    pain_next_day: Pain
    joint_went_out: bool = False
