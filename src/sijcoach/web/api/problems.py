"""What the API says when it refuses a request.

Validation problems are 422 `{"detail": [{"field", "value", "allowed", "message"}]}`, the same words the
engine uses for the CLI, whether the fault is in the body, a query parameter or a path parameter.
Other refusals (401, 403, 404) are `{"detail": "..."}` with a sentence saying what to do.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from enum import Enum

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from sijcoach.engine.inputs import InputError, Problem


def problem_dicts(problems: list[Problem]) -> list[dict]:
    return [p.as_dict() for p in problems]


def refuse(field: str, value: object, allowed: str, message: str, what: str = "request") -> InputError:
    """One problem the engine's parsers cannot see (a rule of the web app, not of the data)."""
    return InputError(what, [Problem(field, value, allowed, message)])


def _core(annotation):
    """The type inside Optional[...] / X | None."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return args[0] if len(args) == 1 else annotation
    return annotation


def _allowed(info: FieldInfo | None, err: dict) -> str:
    if info is None:
        return err["msg"]
    core = _core(info.annotation)
    if isinstance(core, type) and issubclass(core, Enum):
        return "one of " + ", ".join(str(m.value) for m in core)
    if core is int:
        low = next((m.ge for m in info.metadata if isinstance(m, annotated_types.Ge)), None)
        high = next((m.le for m in info.metadata if isinstance(m, annotated_types.Le)), None)
        if low is not None and high is not None:
            return f"a whole number from {low} to {high}"
        if low is not None:
            return f"a whole number of at least {low}"
        return "a whole number"
    return err["msg"]


def parameter_problems(model, errors: list[dict]) -> list[dict]:
    """Pydantic errors from one of ninja's parameter models (query or path), as problems."""
    result = []
    for err in errors:
        loc = tuple(err["loc"])
        loc = model.__ninja_flatten_map_reverse__.get(loc, loc)
        name = ".".join(str(part) for part in loc) or "(parameters)"
        info = model.model_fields.get(loc[0]) if loc else None
        missing = err["type"] == "missing"
        allowed = _allowed(info, err) + (" (required)" if missing else "")
        result.append({"field": name, "value": None if missing else err.get("input"), "allowed": allowed,
                        "message": err["msg"]})
    return result


FIRST_DATE, LAST_DATE = dt.date(1900, 1, 1), dt.date(2999, 12, 31)  # as the engine allows


def beyond_the_edge(value: object, field: str = "") -> list[Problem]:
    """What the parsers accept but the app cannot use: text with NUL characters (PostgreSQL cannot
    store them) and dates near the ends of the calendar (a plan counting days from them would fall
    off it). Far-off years are nobody's plan, so a friendly range is asked for instead."""
    found = []
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            found += beyond_the_edge(getattr(value, name), f"{field}.{name}" if field else name)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found += beyond_the_edge(item, f"{field}[{index}]")
    elif isinstance(value, str) and "\x00" in value:
        found.append(Problem(field or "(document)", value, "text without control characters",
                             "this text cannot be stored"))
    elif isinstance(value, dt.date) and not FIRST_DATE <= value <= LAST_DATE:
        found.append(Problem(field or "(document)", value.isoformat(),
                             f"a date from {FIRST_DATE} to {LAST_DATE}", "this date is too far off"))
    return found
