"""How long ago, as people say it ("2 weeks") and as the profile keeps it (days)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sijcoach.engine.durations import MAX_DAYS, Unit, from_days, parse_duration, to_days


@pytest.mark.parametrize("text, days", [
    ("2 weeks", 14), ("4 months", 120), ("1 year", 365), ("3 days", 3), ("10d", 10), ("6 wk", 42),
    (" 2 Years ", 730), ("0 days", 0), ("100 years", MAX_DAYS),
])
def test_a_number_and_a_unit_are_read_as_days(text, days):
    assert parse_duration(text) == days


@pytest.mark.parametrize("text", ["2", "weeks", "two weeks", "2 fortnights", "-2 weeks", "101 years", "2.5 weeks", ""])
def test_anything_else_is_refused_with_what_is_allowed(text):
    with pytest.raises(ValueError, match="such as '3 days', '2 weeks', '4 months' or '1 year'"):
        parse_duration(text)


@given(st.integers(0, MAX_DAYS))
def test_days_shown_in_a_unit_and_read_back_are_the_same_days(days):
    amount, unit = from_days(days)
    assert to_days(amount, unit) == days
    assert parse_duration(f"{amount} {unit}") == days


def test_days_show_in_the_largest_unit_that_holds_them_exactly():
    assert from_days(120) == (4, Unit.MONTHS) and from_days(14) == (2, Unit.WEEKS)
    assert from_days(730) == (2, Unit.YEARS) and from_days(127) == (127, Unit.DAYS) and from_days(0) == (0, Unit.DAYS)
