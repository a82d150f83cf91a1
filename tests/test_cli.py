"""The command line: plan, exercises, exercise, schema and check-in, as a person would use them.

Most tests drive the Typer app in-process (fast); a few run the installed `sijcoach` script and
`python -m sijcoach.cli` to prove the entry points work end to end.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sijcoach.cli import app
from sijcoach.engine.catalog import catalog
from sijcoach.engine.guidance import library
from sijcoach.engine.plan_types import TriageLevel

START = "2026-11-23"
SCRIPT = Path(sys.executable).with_name("sijcoach")
EXERCISE_FIELDS = {
    "slug", "name", "other_names", "kind", "difficulty", "groups", "secondary_groups", "stretches", "equipment",
    "position", "laterality", "dose", "steps", "feel", "mistakes", "stop_if", "regression", "progression",
    "unsuitable_for", "source",
}
PROFILE_FIELDS = {
    "age", "sex", "pregnancy", "pregnancy_weeks", "sore_side", "pain_now", "onset_days_ago", "cause", "red_flags",
    "history", "hypermobility_answers", "beighton_score", "distortion", "tight_muscles", "conditions", "equipment",
    "level", "minutes_per_day", "strength_days_per_week", "avoid", "planned_activities",
    "answered_on", "birth", "fracture_ruled_out", "inflammatory_signs", "distortion_side", "postnatal_check_done",
}
PLAN_FIELDS = {"start", "triage", "assessment", "advice", "days", "changes", "warnings", "disclaimer", "programme"}
EMERGENCY_ACTION = library().actions[TriageLevel.EMERGENCY]

runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})


# ---- helpers -------------------------------------------------------------------------------------


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def flat(text: str) -> str:
    """Output without Rich's box drawing and line wrapping, so sentences can be searched whole."""
    return re.sub(r"\s+", " ", re.sub(r"[│╭╮╰╯─━┃]", " ", text)).strip()


def write_json(path: Path, data) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def profile_file(tmp_path):
    return write_json(tmp_path / "profile.json", {"age": 35, "pain_now": 3, "onset_days_ago": 200,
                                                   "history": ["sedentary"]})


def assert_bad_input(result, *words: str):
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    for word in words:
        assert word in result.output, f"{word!r} missing from: {result.output}"


def plan_json(*args: str) -> dict:
    result = run("plan", *args, "--start", START, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ---- plan ------------------------------------------------------------------------------------------


def test_the_installed_script_prints_a_plan_as_json(profile_file):
    done = subprocess.run(
        [str(SCRIPT), "plan", str(profile_file), "--start", START, "--json"],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["start"] == START
    assert len(data["days"]) == 7
    assert data["days"][0]["date"] == START
    assert all(day["routines"] for day in data["days"])


def test_the_module_runs_as_python_dash_m(profile_file):
    done = subprocess.run(
        [sys.executable, "-m", "sijcoach.cli", "plan", str(profile_file), "--start", START, "--json", "--days", "2"],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["days"]) == 2


def test_plan_json_has_every_part_of_the_plan_and_the_asked_number_of_days(profile_file):
    data = plan_json(str(profile_file), "--days", "10")
    assert PLAN_FIELDS <= set(data)
    assert len(data["days"]) == 10
    assert data["triage"]["level"] == "none"
    assert data["assessment"]["pattern"] == "stiff"
    item = data["days"][0]["routines"][0]["items"][0]
    assert {"exercise", "side", "sets", "reps", "hold_s", "why", "source"} <= set(item)


def test_plan_is_readable_text_by_default(profile_file):
    result = run("plan", str(profile_file), "--start", START)
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert not result.output.lstrip().startswith("{")
    assert "Safety check" in text
    assert "Mon 23 Nov 2026" in text
    assert "Daily relief" in text
    assert "Cat-cow" in text or "cat-cow" in text.lower()
    assert "not a diagnosis" in text.lower()


def test_plan_for_an_emergency_shows_the_action_and_no_days(tmp_path):
    profile = write_json(tmp_path / "p.json", {"age": 35, "pain_now": 3, "onset_days_ago": 2,
                                               "red_flags": ["saddle_numbness"]})
    result = run("plan", str(profile), "--start", START)
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    assert flat(EMERGENCY_ACTION) in text
    assert "Daily relief" not in text
    data = plan_json(str(profile))
    assert data["days"] == [] and data["assessment"] is None


def test_plan_uses_the_session_logs(profile_file, tmp_path):
    logs = write_json(tmp_path / "logs.json", [
        {"date": "2026-11-20", "pain_before": 3, "pain_after": 3, "pain_next_day": 3,
         "items": [{"exercise": "glute-bridge", "pain": 7}]},
    ])
    data = plan_json(str(profile_file), "--logs", str(logs))
    swaps = [c for c in data["changes"] if c["kind"] == "swap"]
    assert [c["exercise"] for c in swaps] == ["glute-bridge"]
    planned = {i["exercise"] for d in data["days"] for r in d["routines"] for i in r["items"]}
    assert "glute-bridge" not in planned
    without = plan_json(str(profile_file))
    assert without["changes"] == []


@pytest.mark.parametrize("start", ["23-11-2026", "2026-13-01", "tomorrow", "2026/11/23"])
def test_a_badly_written_start_date_is_refused_naming_start(profile_file, start):
    assert_bad_input(run("plan", str(profile_file), "--start", start), "--start", "YYYY-MM-DD")


@pytest.mark.parametrize("days", ["0", "367", "-3"])
def test_a_number_of_days_out_of_range_is_refused_naming_days(profile_file, days):
    assert_bad_input(run("plan", str(profile_file), "--start", START, "--days", days), "--days", "366")


def test_a_missing_profile_file_is_refused_naming_the_file(tmp_path):
    missing = tmp_path / "nowhere.json"
    assert_bad_input(run("plan", str(missing), "--start", START), "profile", "nowhere.json", "not found")


def test_a_missing_logs_file_is_refused_naming_the_file(profile_file, tmp_path):
    result = run("plan", str(profile_file), "--logs", str(tmp_path / "nolog.json"), "--start", START)
    assert_bad_input(result, "logs", "nolog.json")


def test_a_folder_given_as_profile_is_refused(tmp_path):
    assert_bad_input(run("plan", str(tmp_path), "--start", START), "profile", "folder")


def test_a_profile_that_is_not_json_is_refused_without_a_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{age: 35,", encoding="utf-8")
    assert_bad_input(run("plan", str(bad), "--start", START), "JSON")


BASE = {"age": 35, "pain_now": 3, "onset_days_ago": 200}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"age": 200}, ["age", "200", "12 to 110"]),
        ({"favourite_colour": "blue"}, ["favourite_colour", "age", "pain_now", "onset_days_ago"]),
        ({"pain_now": "3"}, ["pain_now", "whole number", "0 to 10"]),
        ({"avoid": ["glute-brige"]}, ["avoid", "glute-brige", "glute-bridge"]),
        ({"sore_side": "middle"}, ["sore_side", "middle", "left", "right", "both", "unsure"]),
        ({"history": ["couch"]}, ["history", "couch", "sedentary", "very_flexible"]),
        ({"minutes_per_day": 5}, ["minutes_per_day", "10 to 120"]),
        ({"hypermobility_answers": [True, False]}, ["hypermobility_answers", "five"]),
    ],
    ids=["age-200", "unknown-field", "pain-as-text", "misspelt-avoid", "bad-side", "bad-history", "few-minutes",
         "short-questionnaire"],
)
def test_an_invalid_profile_names_the_field_and_what_is_allowed(tmp_path, change, words):
    profile = write_json(tmp_path / "p.json", {**BASE, **change})
    assert_bad_input(run("plan", str(profile), "--start", START), *words)


def test_a_missing_required_answer_is_named(tmp_path):
    profile = write_json(tmp_path / "p.json", {"age": 35, "onset_days_ago": 200})
    assert_bad_input(run("plan", str(profile), "--start", START), "pain_now", "required")


def test_every_problem_in_a_profile_is_listed_at_once(tmp_path):
    profile = write_json(tmp_path / "p.json", {**BASE, "age": 200, "pain_now": "3", "avoid": ["glute-brige"],
                                               "favourite_colour": "blue"})
    assert_bad_input(run("plan", str(profile), "--start", START), "age", "pain_now", "glute-bridge",
                     "favourite_colour")


def test_invalid_logs_name_the_session_item_and_field(profile_file, tmp_path):
    logs = write_json(tmp_path / "logs.json", [
        {"date": "2026-11-20", "items": [{"exercise": "glute-bridge", "pain": 11}]},
    ])
    result = run("plan", str(profile_file), "--logs", str(logs), "--start", START)
    assert_bad_input(result, "logs[0].items[0].pain", "0 to 10")


def test_logs_with_an_unknown_exercise_suggest_the_closest(profile_file, tmp_path):
    logs = write_json(tmp_path / "logs.json", [{"date": "2026-11-20", "items": [{"exercise": "cat-cwo"}]}])
    assert_bad_input(run("plan", str(profile_file), "--logs", str(logs), "--start", START), "cat-cwo", "cat-cow")


# ---- exercises and exercise ------------------------------------------------------------------------


def test_exercises_json_lists_every_field_of_every_exercise():
    result = run("exercises", "--json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert len(listed) >= 45
    assert len(listed) == len(catalog())
    for ex in listed:
        assert EXERCISE_FIELDS <= set(ex), f"{ex.get('slug')} lacks {EXERCISE_FIELDS - set(ex)}"
        assert ex["steps"] and ex["source"]
    assert len({ex["slug"] for ex in listed}) == len(listed)


def test_exercises_can_be_filtered_by_group_and_kind():
    result = run("exercises", "--group", "core", "--kind", "strength", "--json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.stdout)
    assert listed
    for ex in listed:
        assert ex["kind"] == "strength"
        assert "core" in ex["groups"] + ex["secondary_groups"]
    primary = {ex.slug for ex in catalog() if ex.kind == "strength" and "core" in ex.groups}
    assert primary <= {ex["slug"] for ex in listed}


def test_exercises_filtered_by_kind_alone_have_only_that_kind():
    listed = json.loads(run("exercises", "--kind", "stretch", "--json").stdout)
    assert listed and {ex["kind"] for ex in listed} == {"stretch"}
    assert "figure-4-stretch" in {ex["slug"] for ex in listed}


def test_exercises_print_a_readable_table_by_default():
    result = run("exercises")
    assert result.exit_code == 0, result.output
    assert "glute-bridge" in result.output
    assert "Glute bridge" in result.output


@pytest.mark.parametrize(("option", "value", "allowed"), [
    ("--group", "abs", "back_of_hip"),
    ("--kind", "cardioo", "stretch"),
])
def test_an_unknown_filter_is_refused_with_the_allowed_values(option, value, allowed):
    assert_bad_input(run("exercises", option, value), option, value, allowed)


def test_exercise_shows_the_steps_and_the_source():
    result = run("exercise", "glute-bridge")
    assert result.exit_code == 0, result.output
    text = flat(result.output)
    bridge = catalog()["glute-bridge"]
    for step in bridge.steps:
        assert step in text
    assert catalog().source_title(bridge.source) in text
    assert "Stop if" in text and bridge.stop_if[0] in text


@pytest.mark.parametrize("slug", ["glute-bridge", "pelvic-list", "kettlebell-lateral-swing", "single-leg-bridge"])
def test_exercise_shows_words_not_ids(slug):
    """Issue 12 (j): 'pregnancy_after_first_trimester' and 'back_of_hip' are ids, not words."""
    text = flat(run("exercise", slug).output)
    ex = catalog()[slug]
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text), re.findall(r"\b[a-z]+_[a-z_]+\b", text)
    for other in (ex.regression, ex.progression):
        if other:
            assert catalog()[other].name in text


def test_an_unknown_exercise_is_refused_with_the_closest_slug():
    assert_bad_input(run("exercise", "glute-brige"), "glute-brige", "glute-bridge")


def test_an_exercise_nothing_like_any_slug_points_to_the_list():
    assert_bad_input(run("exercise", "zzzzqqq"), "zzzzqqq", "exercises")


# ---- schema ----------------------------------------------------------------------------------------


def schema_of(kind: str) -> dict:
    result = run("schema", kind)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_profile_schema_describes_every_profile_field_and_the_required_ones():
    schema = schema_of("profile")
    assert set(schema["properties"]) == PROFILE_FIELDS
    assert {"age", "pain_now", "onset_days_ago"} <= set(schema["required"])
    assert schema.get("additionalProperties") is False
    age = schema["properties"]["age"]
    assert (age["minimum"], age["maximum"]) == (12, 110)


def test_a_sample_profile_fits_the_profile_schema_and_makes_a_plan(tmp_path):
    schema = schema_of("profile")
    sample = {"age": 40, "pain_now": 4, "onset_days_ago": 30, "sore_side": "left", "history": ["sedentary"],
              "minutes_per_day": 25}
    assert set(sample) <= set(schema["properties"])
    assert set(schema["required"]) <= set(sample)
    side = schema["properties"]["sore_side"]
    enum = side.get("enum") or schema["$defs"][side["$ref"].rsplit("/", 1)[1]]["enum"]
    assert sample["sore_side"] in enum
    assert plan_json(str(write_json(tmp_path / "p.json", sample)))["days"]


def test_the_logs_schema_is_a_list_of_sessions():
    schema = schema_of("logs")
    assert schema["type"] == "array"
    session = schema["$defs"]["SessionLog"]
    assert {"date", "pain_before", "pain_next_day", "joint_went_out", "items"} <= set(session["properties"])


def test_the_plan_schema_matches_the_json_plan(profile_file):
    schema = schema_of("plan")
    assert PLAN_FIELDS <= set(schema["properties"])
    assert set(plan_json(str(profile_file))) == set(schema["properties"])


def test_the_exercise_schema_lists_every_exercise_field():
    assert EXERCISE_FIELDS <= set(schema_of("exercise")["properties"])


def test_an_unknown_schema_is_refused_with_the_choices():
    assert_bad_input(run("schema", "profiles"), "profiles", "profile", "logs", "plan")


# ---- check-in --------------------------------------------------------------------------------------

EMERGENCY_QUESTIONS = [f for f in library().flags.values() if f.level == TriageLevel.EMERGENCY and not f.derived and not f.retired]
URGENT_QUESTIONS = [f for f in library().flags.values() if f.level == TriageLevel.URGENT and not f.derived and not f.retired]
SOON_QUESTIONS = [f for f in library().flags.values() if f.level == TriageLevel.SEE_DOCTOR_SOON and not f.derived and not f.retired]


def answers(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def warning_answers(yes: str | None = None) -> list[str]:
    return ["y" if f.id == yes else "n" for f in EMERGENCY_QUESTIONS + URGENT_QUESTIONS]


def normal_answers(onset=("100 days",), hypermobility=("n", "n", "n", "n", "n")) -> str:
    return answers(
        *warning_answers(),
        "40", "4", *onset,  # age, pain now, how long ago it started
        *["n"] * len(SOON_QUESTIONS),
        "female", "none", "left", "gradual",
        "",  # no sign of inflammatory back pain
        "sedentary",
        *hypermobility,  # hypermobility questionnaire
        "",  # no Beighton score
        "inflare", "",  # the inflare's side: unsure (the sore side)
        "hip_flexors",
        "",  # no other problems
        "",  # the default equipment
        "",  # the default level
        "30", "3",
    )


def test_a_full_check_in_saves_a_profile_that_plan_accepts(tmp_path):
    out = tmp_path / "me.json"
    result = run("check-in", "--out", str(out), input=normal_answers())
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["age"] == 40 and saved["pain_now"] == 4 and saved["onset_days_ago"] == 100
    assert saved["sore_side"] == "left" and saved["distortion"] == "inflare"
    assert saved["history"] == ["sedentary"] and saved["tight_muscles"] == ["hip_flexors"]
    assert saved["minutes_per_day"] == 30
    data = plan_json(str(out))
    assert data["triage"]["level"] == "none"
    assert len(data["days"]) == 7
    kinds = {r["kind"] for d in data["days"] for r in d["routines"]}
    assert "alignment" in kinds
    assert not list(tmp_path.glob("*.tmp")), "no half-written file is left behind"


def test_the_check_in_asks_the_onset_as_a_number_with_a_unit_and_asks_again_when_unclear(tmp_path):
    out = tmp_path / "me.json"
    result = run("check-in", "--out", str(out), input=normal_answers(onset=("100", "a while", "4 months")))
    assert result.exit_code == 0, result.output
    assert result.output.count("is not a duration") == 2 and "'2 weeks'" in result.output
    assert json.loads(out.read_text(encoding="utf-8"))["onset_days_ago"] == 120


def test_the_check_in_takes_not_sure_for_a_hypermobility_answer_and_keeps_the_others(tmp_path):
    out = tmp_path / "me.json"
    result = run("check-in", "--out", str(out), input=normal_answers(hypermobility=("y", "?", "n", "", "maybe", "y")))
    assert result.exit_code == 0, result.output
    assert "Please answer y (yes), n (no) or ? (not sure)." in result.output
    assert json.loads(out.read_text(encoding="utf-8"))["hypermobility_answers"] == [True, None, False, None, True]
    assert plan_json(str(out))["assessment"]["hypermobile"] is True


def test_the_check_in_works_through_the_installed_script_with_real_input(tmp_path):
    out = tmp_path / "me.json"
    done = subprocess.run([str(SCRIPT), "check-in", "--out", str(out)], input=normal_answers(),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["age"] == 40


def emergency_run(tmp_path):
    out = tmp_path / "me.json"
    # Enough answers for a check-in that goes on asking after the emergency answer; extra lines are unused.
    result = run("check-in", "--out", str(out),
                 input=answers(*warning_answers(yes="saddle_numbness"), "40", "5", "1"))
    return out, result


def test_an_emergency_answer_stops_with_the_emergency_action_and_no_plan(tmp_path):
    out, result = emergency_run(tmp_path)
    assert "Traceback" not in result.output
    text = flat(result.output)
    assert flat(EMERGENCY_ACTION) in text
    assert "sijcoach plan" not in text, "no invitation to make a plan"
    assert not [q for q in SOON_QUESTIONS if q.question in text], "the check-in goes no further"
    # Nobody with an emergency sign is kept answering the questions a saved profile would need.
    assert "No exercise plan is made" in text and not out.exists()
    assert result.exit_code == 4  # a developer's find: it exited 0, so `check-in && plan` went on to a plan


def test_an_emergency_answer_shows_what_to_do_now_before_any_further_question(tmp_path):
    _, result = emergency_run(tmp_path)
    text = flat(result.output)
    action = text.find(flat(EMERGENCY_ACTION)[:40])
    next_question = text.find(flat(EMERGENCY_QUESTIONS[1].question)[:40])
    assert action != -1, "the emergency action is shown"
    assert next_question == -1 or action < next_question, (
        "someone with an emergency sign is kept answering questions before being told to get help"
    )


def test_an_urgent_answer_stops_with_the_same_day_action_and_no_plan_invitation(tmp_path):
    out = tmp_path / "me.json"
    result = run("check-in", "--out", str(out),
                 input=answers(*warning_answers(yes="fever_or_unwell"), "40", "5", "10"))
    assert "Traceback" not in result.output
    text = flat(result.output)
    assert flat(library().actions[TriageLevel.URGENT]) in text
    assert "sijcoach plan" not in text
    assert "Your age" not in text and not out.exists()


def test_a_maternity_sign_names_the_maternity_unit_not_a_doctor(tmp_path):
    out = tmp_path / "me.json"
    result = run("check-in", "--out", str(out),
                 input=answers(*warning_answers(yes="pregnancy_maternity_sign"), "40", "5", "10"))
    text = flat(result.output)
    assert flat(library().flags["pregnancy_maternity_sign"].action) in text
    assert flat(library().actions[TriageLevel.URGENT]) not in text and not out.exists()


def test_retired_warning_signs_are_not_asked(tmp_path):
    result = run("check-in", "--out", str(tmp_path / "me.json"), input=answers(*warning_answers(), "40", "5", "10"))
    retired = [f for f in library().flags.values() if f.retired]
    assert retired and not [f for f in retired if flat(f.question)[:60] in flat(result.output)]


def test_running_out_of_answers_stops_without_a_traceback_or_a_file(tmp_path):
    out = tmp_path / "me.json"
    result = run("check-in", "--out", str(out), input=answers("n", "n", "n"))
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "nothing was saved" in result.output
    assert not out.exists()


def test_running_out_of_answers_in_the_real_script_exits_non_zero_without_a_traceback(tmp_path):
    out = tmp_path / "me.json"
    done = subprocess.run([str(SCRIPT), "check-in", "--out", str(out)], input="n\n",
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "Traceback" not in done.stdout + done.stderr
    assert not out.exists()


def test_a_wrong_answer_is_asked_again_with_what_is_allowed(tmp_path):
    out = tmp_path / "me.json"
    lines = normal_answers().splitlines()
    age_at = len(warning_answers())
    lines[age_at:age_at] = ["two hundred", "200"]  # both refused, then the real answer follows
    result = run("check-in", "--out", str(out), input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    assert "whole number from 12 to 110" in result.output
    assert json.loads(out.read_text(encoding="utf-8"))["age"] == 40


def test_check_in_prompts_show_the_yes_no_hint_and_the_defaults(tmp_path):
    result = run("check-in", "--out", str(tmp_path / "me.json"), input=normal_answers())
    text = flat(result.output)
    assert re.search(r"chest pain\?\s*\W*y/n", text, re.IGNORECASE), "yes/no questions show how to answer"
    assert re.search(r"Enter for\W*mat, wall, doorway, chair", text), "the default equipment is shown"


def test_check_in_into_a_missing_folder_is_refused_before_any_question(tmp_path):
    result = run("check-in", "--out", str(tmp_path / "no" / "such" / "me.json"), input=normal_answers())
    assert_bad_input(result, "--out", "does not exist")
    assert EMERGENCY_QUESTIONS[0].question[:30] not in result.output


def test_check_in_into_a_folder_name_is_refused(tmp_path):
    assert_bad_input(run("check-in", "--out", str(tmp_path), input=normal_answers()), "--out", "folder")


def test_a_programme_start_after_the_plan_s_start_is_refused(profile_file):
    # A developer's find: --programme-start 2027-01-01 with --start 2026-12-06 was ignored without a word.
    result = run("plan", str(profile_file), "--start", "2026-12-06", "--programme-start", "2027-01-01")
    assert_bad_input(result, "--programme-start", "2027-01-01", "no later than --start")
    assert plan_json(str(profile_file), "--programme-start", START)["programme"]["start"] == START


def test_the_check_in_dates_its_answers_asks_after_a_fall_and_a_birth_and_checks_the_onset_at_once(tmp_path):
    # A developer's finds: the saved profile had no date, so weeks of pregnancy never moved on; a fall never
    # asked whether a doctor had ruled out a fracture; an onset longer ago than the age was refused only at
    # the very end, losing every answer.
    out = tmp_path / "me.json"
    lines = normal_answers().splitlines()
    age_at = len(warning_answers())
    lines[age_at] = "20"  # age 20, and an onset of 30 years, then 100 days
    lines[age_at + 2:age_at + 3] = ["30 years", "100 days"]
    sex_at = age_at + 4 + len(SOON_QUESTIONS)  # after age, pain, the two onset answers and the soon signs
    lines[sex_at:sex_at + 4] = ["female", "postpartum", "9", "caesarean", "y", "left", "fall", "y"]
    result = run("check-in", "--out", str(out), input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    assert "longer ago than your age (20 years)" in flat(result.output)
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["answered_on"] == dt.date.today().isoformat()
    assert (saved["onset_days_ago"], saved["pregnancy_weeks"], saved["birth"]) == (100, 9, "caesarean")
    assert saved["postnatal_check_done"] is True and saved["fracture_ruled_out"] is True
