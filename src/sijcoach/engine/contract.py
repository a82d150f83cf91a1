"""The JSON contract: serialising plans and publishing the JSON Schemas of profile, logs and plan."""

from __future__ import annotations

import json
from functools import cache

from pydantic import TypeAdapter

from sijcoach.engine.catalog import Exercise
from sijcoach.engine.plan_types import Plan
from sijcoach.engine.profile import Profile, SessionLog
from sijcoach.engine.vocab import SchemaKind


@cache
def _plan_adapter() -> TypeAdapter:
    return TypeAdapter(Plan)


def plan_to_json(plan: Plan, indent: int | None = 2) -> str:
    return _plan_adapter().dump_json(plan, indent=indent).decode()


def plan_to_dict(plan: Plan) -> dict:
    return _plan_adapter().dump_python(plan, mode="json")


def schema(kind: SchemaKind | str) -> dict:
    match SchemaKind(kind):
        case SchemaKind.PROFILE:
            return Profile.model_json_schema()
        case SchemaKind.LOGS:
            return TypeAdapter(tuple[SessionLog, ...]).json_schema()
        case SchemaKind.PLAN:
            return _plan_adapter().json_schema(mode="serialization")
        case SchemaKind.EXERCISE:
            return Exercise.model_json_schema()


def schema_json(kind: SchemaKind | str) -> str:
    return json.dumps(schema(kind), indent=2)
