"""The JSON contract: serialising plans and publishing the JSON Schemas of profile, logs and plan."""

from __future__ import annotations

import json
from functools import cache

from pydantic import TypeAdapter

from sijcoach.engine.catalog import Exercise
from sijcoach.engine.plan_types import Plan
from sijcoach.engine.profile import Profile, SessionLog

SCHEMA_KINDS = ("profile", "logs", "plan", "exercise")


@cache
def _plan_adapter() -> TypeAdapter:
    return TypeAdapter(Plan)


def plan_to_json(plan: Plan, indent: int | None = 2) -> str:
    return _plan_adapter().dump_json(plan, indent=indent).decode()


def plan_to_dict(plan: Plan) -> dict:
    return _plan_adapter().dump_python(plan, mode="json")


def schema(kind: str) -> dict:
    if kind == "profile":
        return Profile.model_json_schema()
    if kind == "logs":
        return TypeAdapter(tuple[SessionLog, ...]).json_schema()
    if kind == "plan":
        return _plan_adapter().json_schema(mode="serialization")
    if kind == "exercise":
        return Exercise.model_json_schema()
    raise ValueError(f"schema kind: {kind!r} is not allowed; use one of {', '.join(SCHEMA_KINDS)}")


def schema_json(kind: str) -> str:
    return json.dumps(schema(kind), indent=2)
