"""A coach's template checked against one person: each item on its own, by the catalog's rules and the
person's situation; what suits them joins their adjustments, the rest is reported with the reason."""

from __future__ import annotations

import datetime as dt

from sijcoach.engine import make_plan, parse_logs, parse_profile
from sijcoach.engine.adjust import Adjustments, CoachDose, parse_adjustments
from sijcoach.engine.template_check import Action, Outcome, check_template

START = dt.date(2025, 3, 3)  # a Monday
ANSWERS = {"age": 38, "sex": "female", "pain_now": 3, "onset_days_ago": 60, "sore_side": "left",
           "history": ["persistent_low_back_pain"], "hypermobility_answers": [False] * 5}
PROFILE = parse_profile(ANSWERS)
PREGNANT = parse_profile({**ANSWERS, "pregnancy": "pregnant", "pregnancy_weeks": 20})
TEMPLATE = parse_adjustments({
    "pinned": [{"exercise": "clamshell", "note": "knees together"}, {"exercise": "prone-hip-extension"}],
    "excluded": [{"exercise": "cat-cow", "note": "wrists"}],
    "doses": [{"exercise": "glute-bridge", "reps": 5, "hold_s": 10}, {"exercise": "clamshell", "sets": 2}],
})


def outcomes(check):
    return [(i.action, i.exercise, i.outcome) for i in check.items]


def test_every_item_suits_a_person_whose_situation_rules_nothing_out():
    check = check_template(PROFILE, (), START, Adjustments(), TEMPLATE)
    assert {o for _, _, o in outcomes(check)} == {Outcome.APPLIED}
    assert check.adjustments == TEMPLATE  # the same items, in the same groups
    assert check.adjustments.source == "your coach"


def test_what_pregnancy_rules_out_is_reported_with_the_reason_and_left_out():
    check = check_template(PREGNANT, (), START, Adjustments(), TEMPLATE)
    assert outcomes(check) == [
        (Action.LEAVE_OUT, "cat-cow", Outcome.APPLIED),
        (Action.PIN, "clamshell", Outcome.APPLIED),
        (Action.PIN, "prone-hip-extension", Outcome.NOT_APPLIED),
        (Action.DOSE, "glute-bridge", Outcome.NOT_APPLIED),
        (Action.DOSE, "clamshell", Outcome.APPLIED),
    ]
    refused = {i.exercise: i.line for i in check.items if i.outcome == Outcome.NOT_APPLIED}
    assert "is ruled out: it is not advised in pregnancy" in refused["prone-hip-extension"]
    assert refused["prone-hip-extension"].startswith("Not applied: pin ")
    assert "lying flat on the back" in refused["glute-bridge"]
    assert [i.exercise for i in check.adjustments.pinned] == ["clamshell"]
    assert [d.exercise for d in check.adjustments.doses] == ["clamshell"]
    plan = make_plan(PREGNANT, (), START, adjustments=check.adjustments)
    planned = {i.exercise for d in plan.days for r in d.routines for i in r.items}
    assert "prone-hip-extension" not in planned and "cat-cow" not in planned and "clamshell" in planned


def test_the_person_reads_only_what_was_applied_with_the_coachs_notes():
    what = check_template(PREGNANT, (), START, Adjustments(), TEMPLATE).what()
    assert what == ("Changed several exercises at once: left out Cat-cow (note: wrists); pinned Clamshell "
                    "(note: knees together); set Clamshell to 2 sets.")


def test_applying_again_adds_nothing_and_says_it_is_there_already():
    first = check_template(PREGNANT, (), START, Adjustments(), TEMPLATE)
    again = check_template(PREGNANT, (), START, first.adjustments, TEMPLATE)
    assert again.adjustments == first.adjustments and again.applied == ()
    assert [i.outcome for i in again.items if i.exercise != "prone-hip-extension" and i.action != Action.DOSE] \
        == [Outcome.ALREADY, Outcome.ALREADY]
    assert again.items[0].line == "Already in their plan: left out Cat-cow (note: wrists)."


def test_a_template_pin_takes_the_place_of_the_persons_leave_out_and_keeps_the_rest():
    current = parse_adjustments({"excluded": [{"exercise": "clamshell"}, {"exercise": "childs-pose"}],
                                 "doses": [{"exercise": "glute-bridge", "reps": 2}]})
    template = parse_adjustments({"pinned": [{"exercise": "clamshell"}]})
    check = check_template(PROFILE, (), START, current, template)
    assert [i.exercise for i in check.adjustments.pinned] == ["clamshell"]
    assert [i.exercise for i in check.adjustments.excluded] == ["childs-pose"]
    assert check.adjustments.doses == current.doses


def test_a_dose_outside_the_exercises_limits_is_not_applied_and_the_limit_is_named():
    template = Adjustments(doses=(CoachDose.model_construct(exercise="bird-dog", reps=45, note=""),))
    check = check_template(PROFILE, (), START, Adjustments(), template)
    (item,) = check.items
    assert item.outcome == Outcome.NOT_APPLIED and check.adjustments == Adjustments()
    assert item.line.startswith("Not applied: set Bird-dog to 45 repetitions. Repetitions for Bird-dog")
    assert "(allowed: a whole number" in item.line


def test_without_a_check_in_only_leave_outs_are_applied():
    check = check_template(None, (), START, Adjustments(), TEMPLATE)
    assert [(i.exercise, i.outcome) for i in check.applied] == [("cat-cow", Outcome.APPLIED)]
    assert all("has not checked in yet" in i.line for i in check.items if i.outcome == Outcome.NOT_APPLIED)


def test_an_exercise_that_hurt_recently_is_not_pinned_from_a_template():
    logs = parse_logs([{"date": str(START - dt.timedelta(days=1)), "items": [
        {"exercise": "clamshell", "sets_done": 1, "pain": 7}]}])
    check = check_template(PROFILE, logs, START, Adjustments(), parse_adjustments({"pinned": [{"exercise": "clamshell"}]}))
    (item,) = check.items
    assert item.outcome == Outcome.NOT_APPLIED and "hurt (7/10)" in item.line
