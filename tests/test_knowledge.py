"""The curated knowledge base: complete, consistent, in our own words, and validated at load."""

import ast
import shutil
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from sijcoach.engine.catalog import KnowledgeError, catalog, load_catalog
from sijcoach.engine.guidance import library
from sijcoach.engine.profile import RedFlag
from sijcoach.engine.vocab import PILLARS, Difficulty, Situation
from sijcoach.knowledge import DIR

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from check_wording import copied_runs  # noqa: E402

ARTICLE_SLUGS = """knee-to-chest-stretch double-knee-to-chest-stretch figure-4-stretch cat-cow
standing-hip-flexor-stretch doorway-hamstring-stretch kettlebell-lateral-swing glute-bridge side-lying-leg-raise
pelvic-tilt wall-sit childs-pose pigeon-pose boat-pose chair-pose downward-dog upward-dog triangle-pose
self-massage-low-back-glutes pelvic-list isometric-squat ta-drawing-in pool-walking dontigny-knee-brace
inflare-correction plank plank-leg-lift swiss-ball-superman walking assisted-pull-up""".split()
STANDARD = ["bird-dog", "dead-bug", "clamshell", "adductor-squeeze", "heel-slides", "supine-marching",
            "side-plank-knees", "single-leg-bridge", "supine-hip-flexor-stretch", "quadratus-lumborum-stretch"]


def test_every_exercise_named_in_the_articles_exists_with_its_exact_slug():
    cat = catalog()
    assert [s for s in ARTICLE_SLUGS if s not in cat] == []
    assert [s for s in STANDARD if s not in cat] == []
    assert len(cat) >= 45


def test_each_pillar_has_three_beginner_and_two_intermediate_options_in_varied_set_ups():
    cat = catalog()
    for pillar in PILLARS:
        for level, needed in ((Difficulty.BEGINNER, 3), (Difficulty.INTERMEDIATE, 2)):
            found = [ex for ex in cat if ex.is_pillar_work and pillar in ex.groups and ex.difficulty == level]
            assert len(found) >= needed, (pillar, level)
            assert len({ex.position for ex in found}) >= 2, (pillar, level)
            assert len({ex.equipment for ex in found}) >= 2, (pillar, level)


def test_harder_exercises_have_a_gentler_regression_and_chains_never_loop():
    cat = catalog()
    for ex in cat:
        if ex.difficulty != Difficulty.BEGINNER:
            assert ex.regression, f"{ex.slug} has no regression"
        if ex.regression:
            assert cat[ex.regression].difficulty.rank <= ex.difficulty.rank, ex.slug
        for link in ("regression", "progression"):
            seen, current = set(), ex
            while getattr(current, link):
                assert current.slug not in seen, f"{link} loop through {ex.slug}"
                seen.add(current.slug)
                current = cat[getattr(current, link)]


def test_every_exercise_has_instructions_safety_text_and_a_known_source():
    cat = catalog()
    for ex in cat:
        assert len(ex.steps) >= 2 and all(s.strip() for s in ex.steps), ex.slug
        assert ex.feel.strip() and ex.mistakes and ex.stop_if, ex.slug
        assert ex.source in cat.sources, ex.slug


def test_pregnancy_leaves_an_option_for_every_pillar_after_the_first_trimester():
    cat = catalog()
    ruled = {Situation.PREGNANCY, Situation.PREGNANCY_AFTER_FIRST_TRIMESTER, Situation.UNSTABLE_PATTERN}
    for pillar in PILLARS:
        options = [ex for ex in cat if ex.is_pillar_work and pillar in ex.groups
                   and not set(ex.unsuitable_for) & ruled and ex.difficulty == Difficulty.BEGINNER]
        assert options, pillar


def test_the_articles_unsafe_moves_are_tagged_for_the_situations_they_do_not_suit():
    cat = catalog()
    assert Situation.UNSTABLE_PATTERN in cat["figure-4-stretch"].unsuitable_for
    assert Situation.PREGNANCY in cat["pelvic-list"].unsuitable_for
    assert Situation.PREGNANCY not in cat["pelvic-list-supported"].unsuitable_for
    assert Situation.SHOULDER_PROBLEM in cat["assisted-pull-up"].unsuitable_for
    for ex in cat:
        if ex.position.value in ("supine", "prone"):
            ruled = {Situation.PREGNANCY_AFTER_FIRST_TRIMESTER, Situation.PREGNANCY} & set(ex.unsuitable_for)
            assert ruled, f"{ex.slug} lies on the back or front but is allowed in later pregnancy"


def test_no_product_file_repeats_nine_words_of_the_source_articles():
    assert copied_runs() == []


def test_every_red_flag_id_of_the_contract_has_a_question_a_reason_and_a_level():
    lib = library()
    assert {f.value for f in RedFlag} == {i for i, f in lib.flags.items() if not f.derived}
    by_level = defaultdict(set)
    for flag in lib.flags.values():
        assert flag.question and flag.reason
        by_level[flag.level.value].add(flag.id)
    assert "saddle_numbness" in by_level["emergency"]
    assert "fever_or_unwell" in by_level["urgent"]
    assert "keeps_going_out" in by_level["see_doctor_soon"]


def _copy_knowledge(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def test_a_broken_exercise_file_is_rejected_at_load_naming_the_entry_and_field(tmp_path):
    target = _copy_knowledge(tmp_path)
    path = target / "exercises" / "articles.toml"
    text = path.read_text().replace('difficulty = "beginner"', 'difficulty = "expert"', 1)
    path.write_text(text)
    with pytest.raises(KnowledgeError) as err:
        load_catalog(target)
    assert "difficulty" in str(err.value) and "articles.toml" in str(err.value)


def test_a_dangling_regression_is_rejected_at_load(tmp_path):
    target = _copy_knowledge(tmp_path)
    path = target / "exercises" / "standard.toml"
    path.write_text(path.read_text().replace('regression = "quadruped-leg-slide"', 'regression = "no-such-thing"', 1))
    with pytest.raises(KnowledgeError, match="no-such-thing"):
        load_catalog(target)


def test_the_engine_never_imports_django_or_reads_the_clock():
    engine = ROOT / "src" / "sijcoach" / "engine"
    for path in engine.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not any(a.name.split(".")[0] in ("django", "rich", "typer") for a in node.names), path
            if isinstance(node, ast.ImportFrom):
                assert (node.module or "").split(".")[0] not in ("django", "rich", "typer"), path
            if isinstance(node, ast.Attribute) and node.attr in ("today", "now", "utcnow"):
                pytest.fail(f"{path.name} reads the clock ({node.attr})")


def test_each_exercise_left_out_after_the_first_trimester_is_given_the_reason_of_its_own_position():
    # A physiotherapist's find: planks were refused "because it is done lying flat on the back".
    from sijcoach.engine.suitability import situation_why
    from sijcoach.engine.vocab import Position, Situation

    words = {Position.SUPINE: "lying flat on the back", Position.PRONE: "face down",
             Position.SIDE_LYING: "side plank", Position.STANDING: "standing", Position.SEATED: "standing",
             Position.KNEELING: "over the thighs"}
    later = Situation.PREGNANCY_AFTER_FIRST_TRIMESTER
    out = [e for e in catalog().exercises.values() if later in e.unsuitable_for]
    assert {e.position for e in out} >= {Position.SUPINE, Position.PRONE, Position.SIDE_LYING}
    for e in out:
        assert words[e.position] in situation_why(later, e), (e.slug, situation_why(later, e))


def test_every_advice_topic_has_a_heading_of_its_own():
    # A walk-through's find: the advice page's heading "Heat ice" (the topic's code with a space).
    from sijcoach.engine.guidance import TOPIC_HEADINGS, topic_heading

    topics = {a.topic for a in library().advice}
    assert topics <= set(TOPIC_HEADINGS), topics - set(TOPIC_HEADINGS)
    assert topic_heading("heat_ice") == "Heat and ice"


def test_every_warning_sign_the_check_in_asks_is_in_a_group_and_every_group_holds_one():
    from sijcoach.engine.guidance import _check

    lib = library()
    asked = [f for f in lib.flags.values() if not f.derived and not f.retired]
    assert {f.topic for f in asked} == set(lib.topics)
    ungrouped = lib.flags["chest_pain"].model_copy(update={"topic": None})
    with pytest.raises(KnowledgeError, match="red flag 'chest_pain' is asked but its topic None is not in"):
        _check(lib.model_copy(update={"flags": {**lib.flags, "chest_pain": ungrouped}}))
    with pytest.raises(KnowledgeError, match="topic 'spare' has no red flag asked in it"):
        _check(lib.model_copy(update={"topics": {**lib.topics, "spare": "Nothing here"}}))
