"""How long ago, in the words people use ("2 weeks", "4 months"), and in days, as the profile keeps it.

One rule for the web check-in and the command line: a week is 7 days, a month 30 and a year 365 (a
rough answer is all the question asks for; the phase thresholds are 2 days and 12 weeks).
"""

from __future__ import annotations

import re
from enum import StrEnum

MAX_DAYS = 36500  # the profile's limit for onset_days_ago (100 years)


class Unit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


DAYS_IN = {Unit.DAYS: 1, Unit.WEEKS: 7, Unit.MONTHS: 30, Unit.YEARS: 365}
# What a person may type after the number, for each unit (singular, plural, short).
_WORDS = {
    Unit.DAYS: ("d", "day", "days"),
    Unit.WEEKS: ("w", "wk", "wks", "week", "weeks"),
    Unit.MONTHS: ("mo", "mos", "month", "months"),
    Unit.YEARS: ("y", "yr", "yrs", "year", "years"),
}
UNIT_OF_WORD = {word: unit for unit, words in _WORDS.items() for word in words}
ALLOWED = "a whole number and a unit, such as '3 days', '2 weeks', '4 months' or '1 year' (at most 100 years)"


def to_days(amount: int, unit: Unit) -> int:
    return amount * DAYS_IN[Unit(unit)]


def from_days(days: int) -> tuple[int, Unit]:
    """Days in the largest unit that holds them exactly (120 -> 4 months, 127 -> 127 days), so showing
    an answer again and saving it keeps the same number of days."""
    for unit in (Unit.YEARS, Unit.MONTHS, Unit.WEEKS):
        if days and days % DAYS_IN[unit] == 0:
            return days // DAYS_IN[unit], unit
    return days, Unit.DAYS


def parse_duration(text: str) -> int:
    """'2 weeks' -> 14. Raises ValueError with what is allowed."""
    match = re.fullmatch(r"\s*(\d{1,5})\s*([a-z]+)\s*", text.lower())
    if not match or match.group(2) not in UNIT_OF_WORD:
        raise ValueError(f"{text.strip()!r} is not a duration: type {ALLOWED}")
    days = to_days(int(match.group(1)), UNIT_OF_WORD[match.group(2)])
    if days > MAX_DAYS:
        raise ValueError(f"{text.strip()!r} is more than 100 years: type {ALLOWED}")
    return days
