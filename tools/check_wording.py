"""Flag 9-word runs that the product's files share with the source articles (facts carry over, sentences do not)."""

import re
import sys
from pathlib import Path

N = 9
ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"
SUFFIXES = {".py", ".toml", ".yaml", ".yml", ".json", ".html", ".md", ".txt", ".js"}


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def copied_runs(seeds: Path = SEEDS, tree: Path = ROOT / "src") -> list[str]:
    grams = set()
    for seed in seeds.iterdir():
        w = words(seed.read_text(encoding="utf-8", errors="ignore"))
        grams.update(tuple(w[i : i + N]) for i in range(len(w) - N + 1))
    hits = []
    for path in sorted(tree.rglob("*")):
        if path.suffix not in SUFFIXES or not path.is_file():
            continue
        w = words(path.read_text(encoding="utf-8", errors="ignore"))
        for i in range(len(w) - N + 1):
            if tuple(w[i : i + N]) in grams:
                where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
                hits.append(f"{where}: \"{' '.join(w[i : i + N])}\"")
    return hits


if __name__ == "__main__":
    found = copied_runs()
    print("\n".join(found) or "no copied wording")
    sys.exit(1 if found else 0)
