"""The one catalog filter (engine/catalog.py `filter_catalog`) behind `sijcoach exercises`, the library
page and `GET /api/v1/exercises` (tests/web/test_library_filter.py checks the three agree)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sijcoach.engine.catalog import NO_EQUIPMENT, catalog, filter_catalog
from sijcoach.engine.vocab import Difficulty, Equipment, Group, Kind, Position

FILTERS = {
    "group": st.none() | st.sampled_from(list(Group)),
    "kind": st.none() | st.sampled_from(list(Kind)),
    "position": st.none() | st.sampled_from(list(Position)),
    "equipment": st.none() | st.sampled_from([*Equipment, NO_EQUIPMENT]),
    "level": st.none() | st.sampled_from(list(Difficulty)),
}


def passes(ex, group, kind, position, equipment, level) -> bool:
    """Each filter read literally from the exercise's fields, as a person would check it by hand."""
    return ((group is None or group in ex.groups or group in ex.secondary_groups)
            and (kind is None or ex.kind == kind)
            and (position is None or ex.position == position)
            and (equipment is None or (not ex.equipment if equipment == "none" else equipment in ex.equipment))
            and (level is None or ex.difficulty == level))


@given(**FILTERS)
def test_it_keeps_exactly_the_exercises_passing_every_filter_given(group, kind, position, equipment, level):
    found = filter_catalog(catalog(), group=group, kind=kind, position=position, equipment=equipment, level=level)
    expected = {ex.slug for ex in catalog() if passes(ex, group, kind, position, equipment, level)}
    assert [ex.slug for ex in found] == sorted(expected, key=lambda s: (catalog()[s].difficulty.rank, catalog()[s].name))


def test_without_a_filter_it_lists_the_whole_catalog_easiest_first_then_by_name():
    found = filter_catalog(catalog())
    assert len(found) == len(catalog())
    keys = [(ex.difficulty.rank, ex.name) for ex in found]
    assert keys == sorted(keys)
    assert found[0].difficulty == Difficulty.BEGINNER and found[-1].difficulty == Difficulty.ADVANCED


def test_a_group_matches_secondary_groups_too():
    secondary_only = [ex for ex in catalog() if Group.CORE in ex.secondary_groups and Group.CORE not in ex.groups]
    assert secondary_only, "the knowledge base has an exercise training the core as a secondary group"
    found = {ex.slug for ex in filter_catalog(catalog(), group=Group.CORE)}
    assert {ex.slug for ex in secondary_only} <= found


def test_no_equipment_keeps_only_exercises_that_need_nothing():
    found = filter_catalog(catalog(), equipment=NO_EQUIPMENT)
    assert found and all(ex.equipment == () for ex in found)
    assert "walking" in {ex.slug for ex in found}
    assert "glute-bridge" not in {ex.slug for ex in found}  # it needs a mat
    assert "kettlebell-lateral-swing" not in {ex.slug for ex in found}


def test_values_may_be_given_as_the_enums_or_their_strings():
    as_enums = filter_catalog(catalog(), group=Group.BACK_OF_HIP, kind=Kind.STRENGTH, level=Difficulty.BEGINNER)
    as_strings = filter_catalog(catalog(), group="back_of_hip", kind="strength", level="beginner")
    assert as_enums and as_enums == as_strings


@pytest.mark.parametrize("field", ["group", "kind", "position", "equipment", "level"])
def test_a_value_outside_the_vocabulary_is_refused(field):
    with pytest.raises(ValueError, match="abs"):
        filter_catalog(catalog(), **{field: "abs"})
