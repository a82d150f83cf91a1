"""The one wording of a dose and side (sijcoach.exports.words), shared by the terminal, the pages and
the exports."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sijcoach.engine.vocab import Side
from sijcoach.exports.words import dose_and_side, dose_text


@pytest.fixture(scope="module")
def item(plan):
    return plan.days[0].routines[0].items[0]


@pytest.mark.parametrize(("sets", "reps", "hold_s", "rest_s", "words"), [
    (3, 10, 5, 60, "3 sets × 10, hold 5 s, rest 60 s"),
    (1, 8, 2, 0, "8 times, hold 2 s"),
    # The rest is between sets: a walk-through read "3 times, hold 10 s, rest 30 s" on one set, and the
    # player (rightly) rested none.
    (1, 3, 10, 30, "3 times, hold 10 s"),
    (2, 3, 10, 30, "2 sets × 3, hold 10 s, rest 30 s"),
    (2, 1, 20, 0, "2 times, hold 20 s"),
    (1, 1, 45, 0, "hold 45 s"),
    (1, 1, 0, 0, "once"),
    (1, 1, 90, 0, "hold 90 s"),  # under two minutes, the seconds say more
    (1, 1, 60, 0, "1 min"),
    (1, 1, 557, 0, "9 min"),  # a walk: to the minute
    (1, 1, 600, 0, "10 min"),
])
def test_the_dose_in_words(item, sets, reps, hold_s, rest_s, words):
    assert dose_text(replace(item, sets=sets, reps=reps, hold_s=hold_s, rest_s=rest_s)) == words


@pytest.mark.parametrize(("side", "tail"), [
    (Side.EACH, ", each side"), (Side.LEFT, ", left side only"), (Side.RIGHT, ", right side only"), (Side.NONE, ""),
])
def test_the_side_follows_the_dose_when_there_is_one(item, side, tail):
    one = replace(item, sets=1, reps=8, hold_s=2, rest_s=0, side=side)
    assert dose_and_side(one) == "8 times, hold 2 s" + tail


@pytest.mark.parametrize(("minutes", "shown"), [(9.4, 9), (9.5, 10), (14.5, 15), (0.2, 1), (10.0, 10)])
def test_minutes_are_shown_to_the_nearest_whole_minute_a_half_up_everywhere(minutes, shown):
    # A walk-through's find: Today said 9 min, the calendar 10 (it rounded up) and the handout's total
    # could round a half down (Python's round takes 14.5 to 14; the pages' floatformat to 15).
    from django.template.defaultfilters import floatformat

    from sijcoach.exports.words import whole_minutes

    assert whole_minutes(minutes) == shown
    if minutes >= 1:
        assert floatformat(minutes, 0) == str(shown)
