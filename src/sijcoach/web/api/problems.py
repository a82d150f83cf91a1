"""What the API says when it refuses a request.

Validation problems are 422 `{"detail": [{"field", "value", "allowed", "message"}]}`, the same words the
engine uses for the CLI, whether the fault is in the body, a query parameter or a path parameter
(worded in one place for pages and API: sijcoach/web/problems.py).
A body too large answers 413 in the same shape (`too_large`). Other refusals (401, 403, 404) are
`{"detail": "..."}` with a sentence saying what to do.
"""

from __future__ import annotations

import datetime as dt

from django.http import JsonResponse
from pydantic import BaseModel

from sijcoach.engine.inputs import InputError, Problem


def refuse(field: str, value: object, allowed: str, message: str, what: str = "request") -> InputError:
    """One problem the engine's parsers cannot see (a rule of the web app, not of the data)."""
    return InputError(what, [Problem(field, value, allowed, message)])


def too_large(size: str, limit: int, message: str) -> JsonResponse:
    """413: the body's size against the limit, as the field "(document)" of a refused input."""
    return JsonResponse({"detail": [{"field": "(document)", "value": size, "allowed": f"at most {limit} bytes",
                                     "message": message}]}, status=413)


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
