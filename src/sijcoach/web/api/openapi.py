"""NinjaAPI, adjusted for an API whose bodies are read by the engine's own parsers.

Bodies are not ninja parameters (that would validate them twice, with different words), so their
JSON Schemas are added to the OpenAPI document here, from the same pydantic models the parsers use.
Parameter errors (query, path) are rewritten into the problems the engine gives for bodies.
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.errors import ConfigError, ValidationError, ValidationErrorContext
from ninja.openapi.schema import REF_TEMPLATE, NinjaGenerateJsonSchema
from pydantic import BaseModel, TypeAdapter

from sijcoach.engine.catalog import catalog
from sijcoach.engine.profile import Slug
from sijcoach.web.problems import parameter_problems

_SLUG_CHECK = Slug.__metadata__[0].func
_PLACEHOLDER = "x-component"


def component_ref(name: str) -> dict:
    """A reference to the document's component `name`, for use in a pydantic JSON Schema.

    pydantic resolves every "$ref" among its own definitions, where the document's components are not;
    so a placeholder is written, and `CoachAPI.get_openapi_schema` turns it into the "$ref".
    """
    return {_PLACEHOLDER: name}


def _resolve_refs(node):
    if isinstance(node, dict):
        if _PLACEHOLDER in node:
            return {"$ref": REF_TEMPLATE.format(model=node[_PLACEHOLDER])}
        return {key: _resolve_refs(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_resolve_refs(value) for value in node]
    return node


class _BodySchema(NinjaGenerateJsonSchema):
    """ninja's generator (so a model in a body and in a response is written alike), and an exercise
    slug, which the parsers accept only from the library, refers to the list of known slugs."""

    def function_after_schema(self, schema):
        if schema["function"].get("function") is _SLUG_CHECK:
            return component_ref("ExerciseSlug")
        return super().function_after_schema(schema)


def _slug_component() -> dict:
    return {"title": "ExerciseSlug", "description": "an exercise in the library (GET /api/v1/exercises)",
            "type": "string", "enum": list(catalog().slugs)}


# Every model read as a body by some operation, by name: routers are made before the API they join.
_BODIES: dict[str, type[BaseModel]] = {}


def body(model: type[BaseModel], description: str) -> dict:
    """`openapi_extra` for an operation that reads a JSON body of `model`."""
    _BODIES[model.__name__] = model
    return {"requestBody": {
        "required": True, "description": description,
        "content": {"application/json": {"schema": {"$ref": REF_TEMPLATE.format(model=model.__name__)}}},
    }}


def _body_names(paths: dict) -> list[str]:
    """The body models the document's operations refer to, in the order they first appear."""
    names = []
    for operations in paths.values():
        for operation in operations.values():
            ref = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            name = ref.get("$ref", "").rpartition("/")[2]
            if name in _BODIES and name not in names:
                names.append(name)
    return names


class CoachAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema["components"]["schemas"]
        components["ExerciseSlug"] = _slug_component()
        for name in _body_names(schema["paths"]):
            model = _BODIES[name]
            body = TypeAdapter(model).json_schema(ref_template=REF_TEMPLATE, schema_generator=_BodySchema)
            for def_name, definition in {**body.pop("$defs", {}), name: body}.items():
                known = components.setdefault(def_name, definition)
                if known != definition:
                    # Two different schemas under one name would make the document lie about one of them.
                    raise ConfigError(f"OpenAPI component {def_name!r} is defined twice, differently")
        schema["paths"] = _resolve_refs(schema["paths"])
        schema["components"]["schemas"] = _resolve_refs(components)
        return schema

    def get_openapi_operation_id(self, operation) -> str:
        # The view's own name (check_in, my_plan, ...): short and stable for generated clients.
        return operation.view_func.__name__

    def validation_error_from_error_contexts(self, error_contexts: list[ValidationErrorContext]) -> ValidationError:
        errors: list[dict] = []
        for context in error_contexts:
            errors += parameter_problems(context.model, context.pydantic_validation_error.errors(include_url=False))
        return ValidationError(errors)
