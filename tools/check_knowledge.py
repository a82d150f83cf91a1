"""Load and validate the knowledge base; print a summary or every problem. Used by helpers and CI."""

import sys
from collections import Counter

from check_wording import copied_runs
from sijcoach.engine.catalog import KnowledgeError, load_catalog
from sijcoach.engine.lessons import load_lessons
from sijcoach.engine.vocab import PILLARS
from sijcoach.knowledge import DIR


def main() -> int:
    try:
        cat = load_catalog()
        lessons = load_lessons()
    except KnowledgeError as exc:
        print(exc)
        return 1
    copied = copied_runs(tree=DIR / "lessons")
    if copied:
        print("Lessons repeat nine words of a source article (facts carry over, sentences do not):")
        print("\n".join(copied))
        return 1
    print(f"{len(cat)} exercises")
    for pillar in PILLARS:
        counts = Counter(ex.difficulty.value for ex in cat if ex.is_pillar_work and pillar in ex.groups)
        print(f"  {pillar}: {dict(counts)}")
    print(f"{len(lessons)} lessons, {min(x.words for x in lessons)} to {max(x.words for x in lessons)} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
