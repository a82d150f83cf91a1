"""The pure rules engine: knowledge -> screening, assessment, planning, adaptation, questionnaires.

No Django, no database, no clock (the plan's start date is a parameter), no printing.

Importing the package loads nothing: `make_plan`, `parse_profile`, `parse_logs` and `InputError` are
loaded on first use (PEP 562), so the command line can read the vocabularies (engine/vocab.py)
without paying for pydantic and the planner.
"""

import importlib

_LAZY = {
    "InputError": "sijcoach.engine.inputs",
    "parse_logs": "sijcoach.engine.inputs",
    "parse_profile": "sijcoach.engine.inputs",
    "make_plan": "sijcoach.engine.planner",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_LAZY[name]), name)


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
