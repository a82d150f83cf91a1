"""What a person is told when their input is refused, on the pages and in the API alike.

The engine words every problem (the field, the value sent, what is allowed and why) from pydantic's
errors, in one place: `problems_from_errors`. The API's query and path parameters go through it too.
Here the problems are shown: as sentences that name the field in plain words on a page, and as the
API's JSON objects (which keep the field's path, for programs).
"""

from __future__ import annotations

import re
from dataclasses import replace

from sijcoach.engine.inputs import InputError, Problem, problems_from_errors

# Fields whose name alone would not say what was asked; the others read well with their underscores
# as spaces (minutes_per_day: "Minutes per day"). A list's name is for one of its elements.
FIELD_WORDS = {
    "(document)": "Your answers",
    "red_flags": "Warning sign",
    "hypermobility_answers": "Flexibility answer",
    "pain_now": "Pain right now",
    "onset_days_ago": "Days since the pain started",
    "beighton_score": "Beighton score",
    "strength_days_per_week": "Strength days a week",
    "minutes_per_day": "Minutes a day",
    "level": "Exercise level",
    "tight_muscles": "Tight muscle",
    "planned_activities": "Planned activity",
    "items": "Exercise",
    "logs": "Session",
    "reps": "Repetitions",
    "hold_s": "Hold (seconds)",
    "rest_s": "Rest (seconds)",
    "hold_s_done": "Hold done (seconds)",
    "pain_next_day": "Pain the next morning",
}
_PART = re.compile(r"\[(\d+)\]|[^.\[\]]+")


def plain_field(path: str) -> str:
    """A problem's field in plain words: items[2].reps_done -> "Exercise 3, reps done"."""
    words: list[str] = []
    for match in _PART.finditer(path):
        if match.group(1) is not None and words:
            words[-1] += f" {int(match.group(1)) + 1}"
        elif match.group(1) is None:
            part = match.group(0)
            words.append(FIELD_WORDS.get(part, part.replace("_", " ")))
    if not words:
        return path
    return ", ".join([words[0][:1].upper() + words[0][1:]] + [w[:1].lower() + w[1:] for w in words[1:]])


def sentences(error: InputError | list[Problem]) -> list[str]:
    """The problems as sentences for a page, each naming its field in plain words."""
    problems = error.problems if isinstance(error, InputError) else error
    return [str(replace(p, field=plain_field(p.field))) for p in problems]


def as_json(error: InputError | list[Problem]) -> list[dict]:
    """The problems as the API's 422 `detail`: field (its path), value, allowed, message."""
    problems = error.problems if isinstance(error, InputError) else error
    return [p.as_dict() for p in problems]


def parameter_problems(model, errors: list[dict]) -> list[dict]:
    """Pydantic errors from one of ninja's parameter models (query or path), as the API's problems."""
    located = [{**err, "loc": model.__ninja_flatten_map_reverse__.get(tuple(err["loc"]), tuple(err["loc"]))}
               for err in errors]
    for err in located:
        if not err["loc"]:
            err["loc"] = ("(parameters)",)
    return as_json(problems_from_errors(model, located))
