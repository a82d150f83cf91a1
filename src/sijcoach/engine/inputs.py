"""Parsing a person's input into engine objects, with messages that name field, value and what is allowed."""

from __future__ import annotations

import json
import math
import re
import types
import typing
from dataclasses import dataclass
from enum import Enum

import annotated_types
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from sijcoach.engine.history import Logs, in_date_order
from sijcoach.engine.profile import Profile, SessionLog

_LOGS = TypeAdapter(tuple[SessionLog, ...])

_TYPE_WORDS = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "date_type": "a date written YYYY-MM-DD",
    "date_parsing": "a date written YYYY-MM-DD",
    "date_from_datetime_parsing": "a date written YYYY-MM-DD",
    "tuple_type": "a list",
    "list_type": "a list",
    "model_type": "an object with named fields",
    "model_attributes_type": "an object with named fields",
    "dict_type": "an object with named fields",
    "missing": "a value (this field is required)",
}


HYPERMOBILITY_ALLOWED = "exactly five answers, each true (yes), false (no) or null (not sure)"

# Errors a model raises about a pair of fields: the field they are shown on, and what is allowed.
_PAIR_ERRORS = {
    "weeks_without_pregnancy": ("pregnancy_weeks", "empty unless pregnancy is pregnant or postpartum"),
    "pregnancy_weeks_range": ("pregnancy_weeks", "a whole number from 0 to 43 while pregnant"),
    "onset_before_birth": ("onset_days_ago", "a number of days no longer than your age in years times 365"),
    "postnatal_check_not_asked": ("postnatal_check_done", "false unless pregnancy is postpartum and birth is "
                                                          "caesarean or unknown"),
    "postnatal_check_too_early": ("postnatal_check_done", "true only from 6 weeks after the birth, once the "
                                                          "postnatal check has given the all-clear"),
    "programme_after_start": ("programme_start", "a date no later than start"),
}


@dataclass(frozen=True)
class Problem:
    field: str
    value: object
    allowed: str
    message: str

    def __str__(self) -> str:
        if self.value is MISSING:
            return f"{self.field}: {self.message}. Allowed: {self.allowed}."
        shown = json.dumps(_shortened(self.value), default=str)
        return f"{self.field}: {shown} is not accepted ({self.message}). Allowed: {self.allowed}."

    def as_dict(self) -> dict:
        """The web's and the API's JSON shape; a missing value shows as null, a long one shortened."""
        value = None if self.value is MISSING else _shortened(self.value)
        return {"field": self.field, "value": value, "allowed": self.allowed, "message": self.message}


SHOWN_CHARACTERS = 200  # of a refused value, in the answer: enough to recognise it, never the whole of a huge one


def _shortened(value: object) -> object:
    """A refused value as it is shown back: a long text cut with its length, a large list or object as
    what it is and its size."""
    if isinstance(value, str) and len(value) > SHOWN_CHARACTERS:
        return f"{value[:SHOWN_CHARACTERS]}... ({len(value)} characters)"
    if isinstance(value, float) and not math.isfinite(value):
        return json.dumps(value)  # NaN, Infinity: no JSON number, so shown as text (the reply stays valid JSON)
    if isinstance(value, (list, tuple, dict)):
        try:
            written, finite = json.dumps(value, default=str, allow_nan=False), True
        except ValueError:  # a NaN or Infinity inside: the whole is shown as text
            written, finite = json.dumps(value, default=str), False
        if len(written) > SHOWN_CHARACTERS:
            kind = "an object with" if isinstance(value, dict) else "a list of"
            return f"{kind} {len(value)} {'keys' if isinstance(value, dict) else 'items'}"
        return value if finite else written
    return value


MISSING = object()  # a Problem's value when none was given: its sentence then shows no value


class InputError(ValueError):
    """A person's input was rejected; `problems` lists every field at fault."""

    def __init__(self, what: str, problems: list[Problem]):
        self.what = what
        self.problems = problems
        super().__init__(f"invalid {what}:\n" + "\n".join(f"  - {p}" for p in problems))


def _strip(annotation):
    """Unwrap Annotated and Optional down to the core type."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _strip(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _strip(args[0]) if len(args) == 1 else annotation
    return annotation


def _walk(model: type[BaseModel], loc: tuple) -> tuple[type | None, FieldInfo | None, object]:
    """Follow an error location through models and tuples; return (owner model, field, element type)."""
    owner, info, current = model, None, model
    for part in loc:
        current = _strip(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
            continue
        if isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            owner, info = current, current.model_fields[part]
            current = info.annotation
        else:
            return owner, None, None
    return owner, info, _strip(current)


def _limits(annotation, metas=()) -> tuple:
    """Collect ge/le bounds from field metadata and from Annotated types nested in unions."""
    low = high = None
    pending = list(metas)
    stack = [annotation]
    while stack:
        current = stack.pop()
        origin = typing.get_origin(current)
        if origin is typing.Annotated:
            base, *extra = typing.get_args(current)
            stack.append(base)
            for meta in extra:
                pending.extend(getattr(meta, "metadata", [meta]))
        elif origin in (typing.Union, types.UnionType):
            stack.extend(typing.get_args(current))
    for meta in pending:
        if isinstance(meta, annotated_types.Ge):
            low = meta.ge
        elif isinstance(meta, annotated_types.Le):
            high = meta.le
    return low, high


def _bounds(info: FieldInfo | None) -> str | None:
    if info is None:
        return None
    low, high = _limits(info.annotation, info.metadata)
    if low is None and high is None:
        return None
    if high is None:
        return f"a whole number of at least {low}"
    return f"a whole number from {low} to {high}"


def _allowed(model: type[BaseModel], err: dict) -> str:
    loc = tuple(err["loc"])
    kind = err["type"]
    owner, info, element = _walk(model, loc)
    if kind == "missing":
        if isinstance(element, type) and issubclass(element, Enum):
            return "one of " + ", ".join(str(m.value) for m in element) + " (required)"
        return (_bounds(info) or "a value") + " (required)"
    if kind == "extra_forbidden":
        parent, _, parent_type = _walk(model, loc[:-1])
        target = parent_type if isinstance(parent_type, type) and issubclass(parent_type, BaseModel) else parent
        return "the fields " + ", ".join(target.model_fields) if target else "known fields only"
    if kind == "enum" or (isinstance(element, type) and issubclass(element, Enum)):
        choices = [str(m.value) for m in element] if isinstance(element, type) and issubclass(element, Enum) else []
        return "one of " + ", ".join(choices) if choices else err.get("ctx", {}).get("expected", "a listed value")
    if kind == "unknown_exercise":
        closest = err.get("ctx", {}).get("closest")
        return "a known exercise slug" + (f" (closest: {closest})" if closest else "")
    if kind == "date_range":
        return "a date from 1900-01-01 to 2999-12-31"
    if kind == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        if pattern.startswith("^(") and pattern.endswith(")$"):
            return "one of " + ", ".join(pattern[2:-2].split("|"))
        return "text without control characters"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        return _bounds(info) or err["msg"]
    if "hypermobility_answers" in loc and kind in ("too_long", "too_short", "bool_type", "bool_parsing"):
        return HYPERMOBILITY_ALLOWED
    if kind == "literal_error":  # "'a4' or 'letter'" -> "one of a4, letter"
        expected = err.get("ctx", {}).get("expected", "")
        return "one of " + ", ".join(x.strip().strip("'") for x in re.split(r",| or ", expected) if x.strip())
    if kind in ("string_too_short", "string_too_long"):
        # In words, with both ends where the field has them (pydantic says only the one broken).
        low = next((m.min_length for m in getattr(info, "metadata", ()) if getattr(m, "min_length", None)), None)
        high = next((m.max_length for m in getattr(info, "metadata", ()) if getattr(m, "max_length", None)), None)
        if low and high:
            return f"{low} to {high} characters"  # as the messages' own check says it
        if high:
            return f"at most {high} characters"
        if low:
            return f"at least {low} character{'' if low == 1 else 's'}"
    if kind in ("too_long", "too_short"):
        return err["msg"].replace("Tuple", "a list")
    if kind in _TYPE_WORDS:
        bounds = _bounds(info) if kind.startswith("int") else None
        return bounds or _TYPE_WORDS[kind]
    return err["msg"]


def _field_name(root: str, loc: tuple) -> str:
    name = root
    for part in loc:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "(document)"


def problems_from_errors(model: type[BaseModel], errors: list[dict], root: str = "", skip: int = 0) -> list[Problem]:
    """Pydantic's errors for `model` as problems a person can act on: the one place that words them,
    for the CLI, the pages and the API (its query and path parameters too). `skip` drops leading
    location parts that exist only for walking (the logs wrapper)."""
    problems = []
    for err in errors:
        loc = tuple(err["loc"])
        if err["type"] == "json_invalid":
            problems.append(Problem(root or "(document)", MISSING, "valid JSON", err["msg"]))
            continue
        if err["type"] in _PAIR_ERRORS:
            name, allowed = _PAIR_ERRORS[err["type"]]
            given = err.get("input")
            value = given.get(name, MISSING) if isinstance(given, dict) else MISSING
            problems.append(Problem(_field_name(root, (*loc[skip:], name)), value, allowed, err["msg"]))
            continue
        value = MISSING if err["type"] == "missing" else err.get("input", MISSING)
        problems.append(Problem(_field_name(root, loc[skip:]), value, _allowed(model, err), err["msg"]))
    return problems


class _LogsRoot(BaseModel):
    """Only for walking error locations of a logs list."""

    sessions: tuple[SessionLog, ...]


def _as_json(raw: str | bytes | dict | list | tuple) -> str | bytes:
    # Dicts go through JSON so that the same strict rules apply whatever the front end.
    return raw if isinstance(raw, str | bytes) else json.dumps(raw, default=str)


def parse_profile(raw: str | bytes | dict) -> Profile:
    try:
        return Profile.model_validate_json(_as_json(raw))
    except ValidationError as exc:
        raise InputError("profile", problems_from_errors(Profile, exc.errors(include_url=False), "")) from None


def parse_logs(raw: str | bytes | list | tuple) -> Logs:
    """The sessions, validated, in date order (the order the engine reads them in)."""
    try:
        return in_date_order(_LOGS.validate_json(_as_json(raw), strict=True))
    except ValidationError as exc:
        errors = [{**e, "loc": ("sessions", *e["loc"])} for e in exc.errors(include_url=False)]
        raise InputError("logs", problems_from_errors(_LogsRoot, errors, "logs", skip=1)) from None


def parse_model(model: type[BaseModel], raw: str | bytes | dict, what: str, root: str = ""):
    """Any strict input model (the web's own payloads too), with the same field-level messages."""
    try:
        return model.model_validate_json(_as_json(raw))
    except ValidationError as exc:
        raise InputError(what, problems_from_errors(model, exc.errors(include_url=False), root)) from None
