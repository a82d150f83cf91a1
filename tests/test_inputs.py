"""A person's input: rejected with the field, the value and what is allowed; good input parses."""

import json

import pytest

from sijcoach.engine import InputError, parse_logs, parse_profile

BASE = {"age": 40, "pain_now": 3, "onset_days_ago": 30}


def _problems(raw, parser=parse_profile):
    with pytest.raises(InputError) as err:
        parser(raw)
    return {p.field: p for p in err.value.problems}


def test_a_minimal_profile_gets_the_documented_defaults():
    p = parse_profile(BASE)
    assert p.minutes_per_day == 20 and p.strength_days_per_week == 3
    assert [e.value for e in p.equipment] == ["mat", "wall", "doorway", "chair"]
    assert p.sore_side.value == "unsure" and p.level.value == "beginner"


def test_it_rejects_out_of_range_values_naming_the_allowed_range():
    found = _problems({**BASE, "age": 200})
    assert found["age"].value == 200 and "12 to 110" in found["age"].allowed


def test_it_rejects_wrong_types_rather_than_guessing():
    found = _problems({**BASE, "pain_now": "3", "joint": 1})
    assert "0 to 10" in found["pain_now"].allowed
    assert "age" in found["joint"].allowed and "pain_now" in found["joint"].allowed


def test_it_rejects_unknown_choices_listing_the_allowed_ones():
    found = _problems({**BASE, "sore_side": "middle", "equipment": ["mat", "trampoline"]})
    assert found["sore_side"].allowed == "one of left, right, both, unsure"
    assert "swiss_ball" in found["equipment[1]"].allowed


def test_it_rejects_unknown_exercise_slugs_and_suggests_the_closest():
    found = _problems({**BASE, "avoid": ["glute-brige"]})
    assert "glute-bridge" in found["avoid[0]"].allowed
    assert "glute-bridge" in str(found["avoid[0]"])


def test_it_names_missing_required_fields_with_what_they_need():
    found = _problems({"age": 40})
    assert "0 to 10" in found["pain_now"].allowed and "required" in found["pain_now"].allowed
    assert "onset_days_ago" in found


def test_it_rejects_weeks_of_pregnancy_without_a_pregnancy():
    with pytest.raises(InputError, match="pregnancy_weeks"):
        parse_profile({**BASE, "pregnancy_weeks": 12})


def test_it_needs_exactly_five_hypermobility_answers():
    found = _problems({**BASE, "hypermobility_answers": [True, False]})
    assert "five" in found["hypermobility_answers"].allowed


def test_a_hypermobility_answer_is_true_false_or_null_for_not_sure():
    assert parse_profile({**BASE, "hypermobility_answers": [True, None, None, False, False]}).hypermobility_answers \
        == (True, None, None, False, False)
    found = _problems({**BASE, "hypermobility_answers": [True, "maybe", None, False, False]})
    assert found["hypermobility_answers[1]"].value == "maybe"
    assert "null (not sure)" in found["hypermobility_answers[1]"].allowed


def test_it_reports_broken_json_without_a_traceback():
    found = _problems('{"age": 40,')
    assert found["(document)"].allowed == "valid JSON"


def test_log_errors_point_at_the_session_and_item():
    found = _problems([{"date": "2026-11-01", "items": [{"exercise": "bird-dog", "pain": 11, "effort": "meh"}]}],
                      parse_logs)
    assert "0 to 10" in found["logs[0].items[0].pain"].allowed
    assert "easy" in found["logs[0].items[0].effort"].allowed


def test_logs_must_be_a_list_of_sessions_with_real_dates():
    assert "list" in _problems({"date": "2026-11-01"}, parse_logs)["logs"].allowed
    assert "YYYY-MM-DD" in _problems([{"date": "2026-02-30"}], parse_logs)["logs[0].date"].allowed


def test_dicts_and_json_text_are_held_to_the_same_rules():
    assert parse_profile(json.dumps(BASE)) == parse_profile(BASE)
    with pytest.raises(InputError):
        parse_profile({**BASE, "age": 40.5})
