"""The lessons: validated with the rest of the knowledge base, in our own words, and chosen for the person."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from sijcoach import illustrate
from sijcoach.engine.catalog import KnowledgeError, catalog
from sijcoach.engine.inputs import parse_profile
from sijcoach.engine.lessons import (
    MAX_WORDS,
    MIN_WORDS,
    Audience,
    audience_for,
    course_for,
    lesson_of_the_day,
    lessons,
    load_lessons,
)
from sijcoach.knowledge import DIR

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from check_wording import SEEDS, copied_runs  # noqa: E402
from test_knowledge import _copy_knowledge  # noqa: E402

TOPICS = ["the-si-joint", "too-stiff-or-too-loose", "pain-is-a-signal", "three-muscle-groups",
          "tight-and-weak-partners", "in-a-flare", "heat-and-ice", "sleep-sitting-lifting",
          "pregnancy-and-the-pelvis", "when-to-see-a-professional"]
BASE = {"age": 40, "pain_now": 3, "onset_days_ago": 60, "hypermobility_answers": [False] * 5}


def ids(found) -> list[str]:
    return [lesson.id for lesson in found]


def test_every_topic_of_the_course_has_a_lesson_in_course_order():
    assert set(TOPICS) <= set(ids(lessons()))
    orders = [lesson.order for lesson in lessons()]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)


def test_each_lesson_is_sourced_sized_and_illustrated_from_our_own_drawings():
    sources = catalog().sources
    for lesson in lessons():
        assert lesson.sources and all(s in sources for s in lesson.sources), lesson.id
        assert MIN_WORDS <= lesson.words <= MAX_WORDS, (lesson.id, lesson.words)
        if lesson.exercise_picture:
            assert illustrate.has_picture(lesson.exercise_picture), lesson.id
        if lesson.picture:
            assert len(lesson.picture_alt) > 30, lesson.id
    assert sum(1 for lesson in lessons() if lesson.picture) >= 8
    assert sum(1 for lesson in lessons() if lesson.diagram) >= 2


def test_no_lesson_repeats_nine_words_of_a_source_article():
    assert copied_runs(tree=DIR / "lessons") == []


def test_the_warning_signs_lesson_sends_people_where_the_clinical_rules_do():
    text = next(lesson for lesson in lessons() if lesson.id == "when-to-see-a-professional").body.lower()
    for words in ("emergency number", "emergency department", "saddle", "both", "today",
                  "maternity unit or midwife", "fracture", "four to six weeks"):
        assert words in text, words


# Refused at load: each with a message that names the file and what is wrong -----------------------

def _edit(target: Path, file: str, old: str, new: str) -> None:
    path = target / "lessons" / file
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _refused(target: Path) -> str:
    with pytest.raises(KnowledgeError) as err:
        load_lessons(target)
    return str(err.value)


def test_a_lesson_without_front_matter_is_refused(tmp_path):
    target = _copy_knowledge(tmp_path)
    (target / "lessons" / "heat-and-ice.md").write_text("# Heat and ice\n\nWarm is nice.\n")
    message = _refused(target)
    assert "lessons/heat-and-ice.md: no front matter" in message and "+++" in message


HEAT = "heat-and-ice.md"
# A case: the edits (file, old text, new text), then what the refusal must say.
BROKEN = {
    "front matter not TOML": ([(HEAT, 'title = "Heat and ice"', "title: Heat and ice")],
                              ["lessons/heat-and-ice.md: front matter is not valid TOML"]),
    "no title, unknown audience": ([(HEAT, 'title = "Heat and ice"\n', ""), (HEAT, '["acute"]', '["athletes"]')],
                                   ["lessons/heat-and-ice.md: title: Field required",
                                    "lessons/heat-and-ice.md: audience.0: Input should be 'stiff'"]),
    "unknown source": ([(HEAT, '["eleven-exercises"', '["a-blog-post"')],
                       ["lessons/heat-and-ice.md: sources: unknown source 'a-blog-post'"]),
    "no sources": ([(HEAT, 'sources = ["eleven-exercises", "nice-ng59", "acog-pregnancy"]', "sources = []")],
                   ["lessons/heat-and-ice.md: sources: Tuple should have at least 1 item"]),
    "too long": ([("in-a-flare.md", "## Coming back", "Keep calm and move gently. " * 20 + "\n\n## Coming back")],
                 [f"lessons/in-a-flare.md: 469 words; a lesson has {MIN_WORDS} to {MAX_WORDS}"]),
    "raw HTML and a picture in the text": (
        [(HEAT, "## The first two days: cold", '<div onclick="x()">cold</div>\n\n![ice](ice.png)')],
        ["lessons/heat-and-ice.md: line 14: raw HTML is not allowed in a lesson; write Markdown",
         "lessons/heat-and-ice.md: line 16: a lesson's picture goes in the front matter"]),
    "id not the file's name, a repeated order": (
        [(HEAT, 'id = "heat-and-ice"', 'id = "hot-and-cold"'), ("in-a-flare.md", "order = 7", "order = 1")],
        ["lessons/heat-and-ice.md: id: 'hot-and-cold' must be the file's name, 'heat-and-ice'",
         "lessons/the-si-joint.md: order: 1 is also the order of"]),
    "pictures missing or not plain drawings": (
        [("in-a-flare.md", '"exercise:knee-to-chest-stretch"', '"exercise:handstand"'),
         ("the-si-joint.md", 'picture = "si-joint.svg"', 'picture = "pelvis.svg"'),
         ("heat-ice.svg", "<title", "<script>alert(1)</script><title")],
        ["lessons/in-a-flare.md: picture: 'handstand' is not an exercise",
         "lessons/the-si-joint.md: picture: 'pelvis.svg' is neither",
         "lessons/heat-and-ice.md: picture: heat-ice.svg must be a plain SVG drawing"]),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_broken_lesson_is_refused_naming_the_file_and_the_field(tmp_path, case):
    target = _copy_knowledge(tmp_path)
    edits, expected = BROKEN[case]
    for edit in edits:
        _edit(target, *edit)
    message = _refused(target)
    assert [e for e in expected if e not in message] == [], message


def test_a_lesson_too_short_is_refused(tmp_path):
    target = _copy_knowledge(tmp_path)
    short = target / "lessons" / HEAT
    front, _ = short.read_text().rsplit("+++\n", 1)
    short.write_text(front + "+++\nCold first, then warmth.\n")
    assert f"lessons/heat-and-ice.md: 4 words; a lesson has {MIN_WORDS} to {MAX_WORDS}" in _refused(target)


def test_a_lesson_that_copies_a_sentence_of_an_article_is_named_with_the_words(tmp_path):
    target = _copy_knowledge(tmp_path)
    article = sorted(SEEDS.iterdir())[1].read_text(encoding="utf-8")
    sentence = next(line for line in article.splitlines() if len(line.split()) > 12)
    path = target / "lessons" / "the-si-joint.md"
    path.write_text(path.read_text() + "\n" + sentence + "\n")
    found = copied_runs(tree=target / "lessons")
    assert found and all(hit.startswith(f"{path}: \"") for hit in found)
    assert found[0].split(': "')[1].rstrip('"') in " ".join(sentence.lower().split())


# The course for a person ----------------------------------------------------------------------------

def person(**answers):
    return parse_profile({**BASE, **answers})


def test_a_pregnant_person_gets_the_pregnancy_lesson_first():
    tags = audience_for(person(sex="female", pregnancy="pregnant", pregnancy_weeks=20))
    assert {Audience.PREGNANT, Audience.UNSTABLE} <= tags
    assert ids(course_for(lessons(), tags))[0] == "pregnancy-and-the-pelvis"


def test_the_pregnancy_lesson_is_not_offered_to_someone_it_does_not_concern():
    for tags in (audience_for(person(sex="male", history=["sedentary"])), frozenset()):
        assert "pregnancy-and-the-pelvis" not in ids(course_for(lessons(), tags))


def test_a_stiff_and_a_loose_joint_start_with_different_lessons():
    stiff = audience_for(person(history=["sedentary", "persistent_low_back_pain"]))
    loose = audience_for(person(history=["very_flexible"], hypermobility_answers=[True, True, False, False, True]))
    assert Audience.STIFF in stiff and Audience.UNSTABLE in loose
    stiff_course, loose_course = ids(course_for(lessons(), stiff)), ids(course_for(lessons(), loose))
    assert stiff_course[0] == "tight-and-weak-partners" and stiff_course[1] == "sleep-sitting-lifting"
    assert loose_course[0] == "three-muscle-groups"
    assert sorted(stiff_course) == sorted(loose_course)  # the same course, in another order


def test_fresh_pain_starts_with_the_flare_and_heat_and_ice_lessons():
    tags = audience_for(person(onset_days_ago=1))
    assert Audience.ACUTE in tags
    assert ids(course_for(lessons(), tags))[:2] == ["in-a-flare", "heat-and-ice"]


def test_a_professionals_finding_brings_the_tight_and_weak_lesson_forward():
    tags = audience_for(person(distortion="anterior_rotation"))
    assert {Audience.DISTORTION, Audience.TIGHT_WEAK} <= tags
    assert ids(course_for(lessons(), tags))[0] == "tight-and-weak-partners"


def test_the_days_lesson_stays_the_days_then_the_next_unread_then_each_read_one_again():
    course = course_for(lessons(), {Audience.STIFF})
    day = dt.date(2026, 3, 2)
    assert lesson_of_the_day(course, {}, day) == course[0]
    assert lesson_of_the_day(course, {course[0].id: day}, day) == course[0]
    assert lesson_of_the_day(course, {course[0].id: day}, day + dt.timedelta(days=1)) == course[1]
    assert lesson_of_the_day(course, {course[3].id: day - dt.timedelta(days=1)}, day) == course[0]
    everything = {lesson.id: day - dt.timedelta(days=i) for i, lesson in enumerate(course)}  # the last first
    revisits = [lesson_of_the_day(course, everything, day + dt.timedelta(days=i)) for i in range(1, 12)]
    assert revisits[:len(course)] == course[::-1] and revisits[len(course)] == course[-1]
    assert lesson_of_the_day([], {}, day) is None


def test_the_command_line_lists_the_lessons_and_shows_one_or_names_the_choices():
    from typer.testing import CliRunner

    from sijcoach.cli import app

    runner = CliRunner(env={"COLUMNS": "200", "NO_COLOR": "1"})
    listed = runner.invoke(app, ["lessons"])
    assert listed.exit_code == 0 and all(lesson.id in listed.output for lesson in lessons())
    shown = runner.invoke(app, ["lessons", "heat-and-ice"])
    assert shown.exit_code == 0 and "Heat and ice" in shown.output and "The first two days: cold" in shown.output
    assert "Sources: 11 Sacroiliac Joint Pain Exercises" in shown.output
    wrong = runner.invoke(app, ["lessons", "ice"])
    assert wrong.exit_code != 0 and "lesson: 'ice' is not a lesson; the lessons are the-si-joint" in wrong.output
