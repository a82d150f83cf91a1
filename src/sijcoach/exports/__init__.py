"""Exports: pure functions from engine objects to bytes (PDF handout, iCalendar, FHIR R4 Bundle).

No Django, no database, no clock: dates and times are parameters, so the same inputs always give
the same bytes. Each format lives in its own module and imports its library there, so importing
this package stays cheap (`sijcoach --help` never loads WeasyPrint or fhir.resources).
"""

from enum import StrEnum


class Paper(StrEnum):
    """The handout's paper sizes (their CSS page sizes: handout_css.PAGE_SIZES)."""

    A4 = "a4"
    LETTER = "letter"


class ExportError(ValueError):
    """An export was asked for with a value it cannot accept; the message names the field and what is allowed."""
