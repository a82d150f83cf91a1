"""Benchmark: draw every exercise's pictures, against a baseline in the same run.

- Pictures: for all exercises, the animated SVG, the still (start and end), and both again mirrored
  for the left side, from cold (pose data reloaded, nothing cached). Median of a few rounds.
  Target: under 1 second for all of them.
- Baseline: loading and validating the exercise catalog from its TOML, in the same process.
Results are printed and written to bench/results/illustrate.json. Never used as asserts in tests.
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = 5
TARGET_S = 1.0


def _cold() -> None:
    from sijcoach.illustrate import animated_svg, frame_svg, still_svg
    from sijcoach.illustrate.poses import figures
    from sijcoach.illustrate.scene import scene

    for cached in (figures, scene, animated_svg, still_svg, frame_svg):
        cached.cache_clear()


def _draw_all() -> tuple[int, int]:
    from sijcoach.illustrate import animated_svg, still_svg
    from sijcoach.illustrate.poses import figures

    count = size = 0
    for slug in figures():
        for side in (None, "left"):
            for markup in (animated_svg(slug, side), still_svg(slug, side)):
                count += 1
                size += len(markup)
    return count, size


def _timed(fn, before=None) -> tuple[float, object]:
    if before:
        before()
    start = time.perf_counter()
    out = fn()
    return time.perf_counter() - start, out


def main() -> dict:
    from sijcoach.engine.catalog import catalog, load_catalog

    catalog()  # the pictures read names and doses from it, as the app does after start-up
    baseline = statistics.median(_timed(load_catalog)[0] for _ in range(ROUNDS))
    runs = [_timed(_draw_all, _cold) for _ in range(ROUNDS)]
    cold = statistics.median(t for t, _ in runs)
    count, size = runs[0][1]
    warm = _timed(_draw_all)[0]
    result = {
        "exercises": count // 4,
        "pictures": count,
        "bytes": size,
        "cold_all_s": round(cold, 4),
        "warm_all_s": round(warm, 6),
        "per_exercise_ms": round(cold / (count // 4) * 1000, 2),
        "baseline_load_catalog_s": round(baseline, 4),
        "ratio_to_baseline": round(cold / baseline, 2),
        "target_s": TARGET_S,
        "meets_target": cold < TARGET_S,
        "python": platform.python_version(),
    }
    out = ROOT / "bench" / "results" / "illustrate.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(
        f"illustrate: {count} pictures of {count // 4} exercises in {cold:.3f} s cold "
        f"({result['per_exercise_ms']} ms each; warm {warm * 1000:.2f} ms); "
        f"catalog load {baseline:.3f} s, x{result['ratio_to_baseline']}; "
        f"target < {TARGET_S:.0f} s: {'met' if result['meets_target'] else 'MISSED'}"
    )
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    main()
