"""Load and validate the knowledge base; print a summary or every problem. Used by helpers and CI."""

import sys
from collections import Counter

from sijcoach.engine.catalog import KnowledgeError, load_catalog
from sijcoach.engine.vocab import PILLARS


def main() -> int:
    try:
        cat = load_catalog()
    except KnowledgeError as exc:
        print(exc)
        return 1
    print(f"{len(cat)} exercises")
    for pillar in PILLARS:
        counts = Counter(ex.difficulty.value for ex in cat if ex.is_pillar_work and pillar in ex.groups)
        print(f"  {pillar}: {dict(counts)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
