"""A coach's adjustments in the engine: pins, left-out exercises, doses and findings, with the engine
still ruling (suitability, pain) and every adjustment among the plan's changes."""

from __future__ import annotations

import datetime as dt

import pytest

from sijcoach.engine import InputError, make_plan, parse_logs, parse_profile
from sijcoach.engine.adjust import Adjustments, parse_adjustments, parse_findings, ruled_out
from sijcoach.engine.plan_types import ChangeKind

START = dt.date(2025, 3, 3)  # a Monday
ANSWERS = {"age": 38, "sex": "female", "pain_now": 3, "onset_days_ago": 60, "sore_side": "left",
           "history": ["persistent_low_back_pain"], "hypermobility_answers": [False] * 5}
PROFILE = parse_profile(ANSWERS)


def items(plan, kind=None):
    return [i for d in plan.days for r in d.routines if kind in (None, r.kind.value) for i in r.items]


def slugs(plan, kind=None):
    return {i.exercise for i in items(plan, kind)}


def test_no_adjustments_give_the_same_plan_as_before():
    assert make_plan(PROFILE, (), START, adjustments=Adjustments()) == make_plan(PROFILE, (), START)


def test_a_pinned_relief_exercise_is_first_every_day_with_the_coachs_note():
    adj = parse_adjustments({"pinned": [{"exercise": "childs-pose", "note": "to ease the low back"}]})
    plan = make_plan(PROFILE, (), START, adjustments=adj)
    for day in plan.days:
        first = day.routines[0].items[0]
        assert first.exercise == "childs-pose"
        assert first.why.startswith("Pinned by your coach: to ease the low back.")
    change = [c for c in plan.changes if c.kind == ChangeKind.COACH]
    assert [(c.exercise, c.source) for c in change] == [("childs-pose", "your coach")]
    assert "to ease the low back" in change[0].reason


def test_a_pinned_strength_exercise_is_on_every_strength_day_only():
    plan = make_plan(PROFILE, (), START, adjustments=parse_adjustments({"pinned": [{"exercise": "clamshell"}]}))
    for day in plan.days:
        kinds = {r.kind.value: r for r in day.routines}
        has = any(i.exercise == "clamshell" for r in day.routines for i in r.items)
        assert has == ("strength" in kinds)
    assert "clamshell" in slugs(plan, "strength")


def test_a_left_out_exercise_never_appears_and_the_plan_says_why():
    before = make_plan(PROFILE, (), START)
    assert "cat-cow" in slugs(before)
    plan = make_plan(PROFILE, (), START, adjustments=parse_adjustments(
        {"excluded": [{"exercise": "cat-cow", "note": "wrists hurt on all fours"}]}))
    assert "cat-cow" not in slugs(plan)
    assert any("Cat-cow" in c.reason and "wrists hurt on all fours" in c.reason for c in plan.changes)


def test_a_pin_the_situation_rules_out_is_refused_with_the_reason():
    knees = parse_profile({**ANSWERS, "conditions": ["knee_problem"]})
    adj = parse_adjustments({"pinned": [{"exercise": "pelvic-tilt"}, {"exercise": "childs-pose"}]})
    problems = ruled_out(knees, (), START, adj)
    assert [p.field for p in problems] == ["pinned[1].exercise"]
    assert problems[0].message == (
        "Child's pose is ruled out: it needs kneeling or deep knee bending, and you have a knee problem")


def test_a_pin_that_hurt_recently_is_refused_with_the_pain():
    logs = parse_logs([{"date": "2025-03-01", "pain_before": 3, "items": [
        {"exercise": "glute-bridge", "pain": 7, "sets_done": 1, "reps_done": 2}]}])
    adj = parse_adjustments({"pinned": [{"exercise": "glute-bridge"}]})
    (problem,) = ruled_out(PROFILE, logs, START, adj)
    assert "it hurt (7/10) on 2025-03-01" in problem.message


def test_a_pin_ruled_out_later_is_left_out_with_a_note_on_each_day():
    adj = parse_adjustments({"pinned": [{"exercise": "figure-4-stretch"}]})
    pregnant = parse_profile({**ANSWERS, "pregnancy": "pregnant", "pregnancy_weeks": 20})
    plan = make_plan(pregnant, (), START, adjustments=adj)
    assert "figure-4-stretch" not in slugs(plan)
    assert all(any("pinned by your coach, is left out" in n for n in d.notes) for d in plan.days)


def test_a_dose_within_the_range_replaces_the_ladders():
    adj = parse_adjustments({"doses": [{"exercise": "glute-bridge", "reps": 5, "hold_s": 10, "note": "hold longer"}]})
    plan = make_plan(PROFILE, (), START, adjustments=adj)
    bridges = [i for i in items(plan) if i.exercise == "glute-bridge"]
    assert bridges and all((i.sets, i.reps, i.hold_s) == (3, 5, 10) for i in bridges)
    assert all("Dose set by your coach: hold longer." in i.why for i in bridges)
    plain = next(i for i in items(make_plan(PROFILE, (), START)) if i.exercise == "glute-bridge")
    assert bridges[0].minutes > plain.minutes


@pytest.mark.parametrize("dose, field, allowed", [
    ({"exercise": "glute-bridge", "sets": 5}, "doses[0].sets", "a whole number 3"),
    ({"exercise": "bird-dog", "reps": 12}, "doses[0].reps", "a whole number from 5 to 10"),
    ({"exercise": "clamshell", "hold_s": 0}, "doses[0].hold_s", "a whole number from 1 to 3"),
    ({"exercise": "clamshell"}, "doses[0].sets", "at least one of sets, reps, hold_s"),
])
def test_a_dose_outside_the_range_is_refused_naming_the_field_and_the_range(dose, field, allowed):
    with pytest.raises(InputError) as err:
        parse_adjustments({"doses": [dose]})
    (problem,) = err.value.problems
    assert (problem.field, problem.allowed) == (field, allowed)


def test_pain_lowers_the_dose_even_when_the_coach_set_one():
    logs = parse_logs([{"date": "2025-03-01", "pain_before": 3, "items": [
        {"exercise": "glute-bridge", "pain": 5, "sets_done": 3, "reps_done": 2}]}])
    adj = parse_adjustments({"doses": [{"exercise": "glute-bridge", "reps": 5}]})
    plan = make_plan(PROFILE, logs, START, adjustments=adj)
    bridges = [i for i in items(plan) if i.exercise == "glute-bridge"]
    assert bridges and all(i.reps < 5 and "Dose set by" not in i.why for i in bridges)


@pytest.mark.parametrize("raw, field", [
    ({"pinned": [{"exercise": "cat-cow"}], "excluded": [{"exercise": "cat-cow"}]}, "pinned[0].exercise"),
    ({"pinned": [{"exercise": "walking"}]}, "pinned[0].exercise"),
    ({"pinned": [{"exercise": "inflare-correction"}]}, "pinned[0].exercise"),
    ({"pinned": [{"exercise": "cat-cow"}, {"exercise": "cat-cow"}]}, "pinned[1].exercise"),
    ({"pinned": [{"exercise": "cat-cows"}]}, "pinned[0].exercise"),
    ({"excluded": [{"exercise": "cat-cow", "note": "x" * 301}]}, "excluded[0].note"),
])
def test_adjustments_that_make_no_sense_are_refused_naming_the_field(raw, field):
    with pytest.raises(InputError) as err:
        parse_adjustments(raw)
    assert [p.field for p in err.value.problems] == [field]


def test_findings_change_the_assessment_and_keep_the_other_answers():
    findings = parse_findings({"beighton_score": 7, "distortion": "inflare", "tight_muscles": ["hip_flexors"]})
    profile = findings.apply(PROFILE)
    assert (profile.beighton_score, profile.distortion.value, profile.age) == (7, "inflare", 38)
    plan = make_plan(profile, (), START)
    assert plan.assessment.hypermobile and plan.assessment.distortion == "inflare"
    assert any(r.kind.value == "alignment" for r in plan.days[0].routines)
    assert parse_findings({}).apply(PROFILE) is PROFILE


def test_findings_out_of_range_are_refused_naming_the_field():
    with pytest.raises(InputError) as err:
        parse_findings({"beighton_score": 10})
    assert err.value.problems[0].field == "beighton_score"
    assert err.value.problems[0].allowed == "a whole number from 0 to 9"


def test_the_same_adjustments_always_give_the_same_plan():
    raw = {"pinned": [{"exercise": "clamshell"}, {"exercise": "childs-pose"}],
           "excluded": [{"exercise": "cat-cow"}], "doses": [{"exercise": "glute-bridge", "reps": 4}]}
    assert make_plan(PROFILE, (), START, 14, parse_adjustments(raw)) == make_plan(
        PROFILE, (), START, 14, parse_adjustments(raw))
