"""Benchmarks (`make bench`): planning throughput and CLI start-up, each against a baseline in the same run.

- Plans: 1,000 varied 7-day profiles (with logs for a third of them), made one after another on one
  core; plans per second and per-plan p50/p99. Target: at least 1,000 plans/s.
- A year of logs: 200 different people, each a year into their programme with a session log for
  every day (relief daily, strength three days a week, realignment where prescribed), planned from
  their already-parsed logs; parsing a year of logs is timed on its own. Target: at least 1,000
  plans/s. Every round plans every person once, so nothing is repeated for the same person within a
  round; the best of five rounds is reported, beside the 7-day figure measured the same way.
- Start-up: median wall time of `sijcoach --help` against `python -c pass`, run alternately.
  Target: `sijcoach --help` under 150 ms.
Results are printed and written to bench/results/latest.json. Never used as asserts in tests.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START = dt.date(2026, 11, 23)
PLANS = 1000
YEAR_PEOPLE = 200
ROUNDS = 5
STARTUP_RUNS = 21


def _profiles(n: int, seed: int = 7) -> list[tuple[dict, list]]:
    from sijcoach.engine.catalog import catalog
    from sijcoach.engine.profile import Condition, Distortion, History, SoreSide
    from sijcoach.engine.vocab import Difficulty, Equipment, Group

    rnd = random.Random(seed)
    slugs = sorted(catalog().slugs)
    out = []
    for i in range(n):
        pregnancy = rnd.choice(["none"] * 6 + ["pregnant", "postpartum"])
        profile = {
            "age": rnd.randint(18, 80),
            "pregnancy": pregnancy,
            "sore_side": rnd.choice([s.value for s in SoreSide]),
            "pain_now": rnd.randint(0, 9),
            "onset_days_ago": rnd.choice([0, 1, 5, 30, 200, 900]),
            "history": rnd.sample([h.value for h in History], rnd.randint(0, 3)),
            "distortion": rnd.choice([d.value for d in Distortion]),
            "tight_muscles": rnd.sample([g.value for g in Group], rnd.randint(0, 2)),
            "conditions": rnd.sample([c.value for c in Condition], rnd.randint(0, 2)),
            "equipment": rnd.sample([e.value for e in Equipment], rnd.randint(2, 8)),
            "level": rnd.choice([d.value for d in Difficulty]),
            "minutes_per_day": rnd.choice([10, 15, 20, 30, 45]),
            "strength_days_per_week": rnd.randint(0, 4),
            "planned_activities": [
                {"date": (START + dt.timedelta(days=rnd.randint(0, 6))).isoformat(), "kind": "hike",
                 "intensity": rnd.choice(["light", "moderate", "high"])}
            ] if rnd.random() < 0.3 else [],
        }
        if pregnancy != "none":
            profile["pregnancy_weeks"] = rnd.randint(1, 40)
        logs = []
        if i % 3 == 0:
            for d in range(rnd.randint(1, 20)):
                logs.append({
                    "date": (START - dt.timedelta(days=2 * d + 1)).isoformat(),
                    "pain_before": rnd.randint(0, 8), "pain_after": rnd.randint(0, 8),
                    "pain_next_day": rnd.randint(0, 8), "joint_went_out": rnd.random() < 0.05,
                    "items": [{"exercise": rnd.choice(slugs), "pain": rnd.randint(0, 8),
                               "effort": rnd.choice(["easy", "ok", "hard"])} for _ in range(3)],
                })
        out.append((profile, logs))
    return out


def _year_of_logs(profile: dict, rnd: random.Random) -> list[dict]:
    """A year of daily sessions as a person following the app logs them: their own few exercises
    every day (one now and then changed), mostly easy with little pain, sometimes 4-5/10, rarely 6+."""
    from sijcoach.engine.catalog import catalog
    from sijcoach.engine.vocab import STRENGTH_KINDS, Kind

    cat = catalog()
    relief_pool = sorted(ex.slug for ex in cat if ex.kind in (Kind.STRETCH, Kind.MOBILIZATION, Kind.RELEASE, Kind.ACTIVATION))
    strength_pool = sorted(ex.slug for ex in cat if ex.kind in STRENGTH_KINDS)
    own = {"relief": rnd.sample(relief_pool, 5), "strength": rnd.sample(strength_pool, 4),
           "alignment": rnd.sample(strength_pool, 4)}
    alignment = profile["distortion"] in ("inflare", "outflare")
    pains = [0] * 30 + [1] * 30 + [2] * 20 + [3] * 12 + [4] * 4 + [5] * 2 + [6] * 1 + [7] * 1
    logs = []
    for back in range(365, 0, -1):
        day = START - dt.timedelta(days=back)
        pain = max(0, min(10, round(rnd.gauss(3, 1.5))))
        routines = ["relief"] + (["alignment"] if alignment else []) + (["strength"] if day.weekday() in (0, 2, 4) else [])
        for routine in routines:
            if rnd.random() < 0.02:  # now and then an exercise is changed for another
                pool = relief_pool if routine == "relief" else strength_pool
                own[routine][rnd.randrange(len(own[routine]))] = rnd.choice(pool)
            logs.append({
                "date": day.isoformat(), "routine": routine, "pain_before": pain,
                "pain_after": min(10, max(0, pain + rnd.choice([-1, 0, 0, 1]))),
                "pain_next_day": min(10, max(0, pain + rnd.choice([-1, 0, 0, 0, 2]))),
                "joint_went_out": rnd.random() < 0.005,
                "items": [{"exercise": slug, "sets_done": 2, "reps_done": 10, "pain": rnd.choice(pains),
                           "effort": rnd.choice(["easy", "easy", "easy", "ok", "hard"])}
                          for slug in dict.fromkeys(own[routine])],
            })
    return logs


def _timed(inputs: list[tuple], **kw) -> dict:
    """Plans every input once a round, for ROUNDS rounds; the best round's rate and per-plan times."""
    from sijcoach.engine import make_plan

    make_plan(*inputs[0], start=START, days=7, **kw)  # loads the knowledge base once, outside the timing
    best_rate, best_times = 0.0, []
    for _ in range(ROUNDS):
        times = []
        begin = time.perf_counter()
        for profile, logs in inputs:
            t0 = time.perf_counter()
            make_plan(profile, logs, start=START, days=7, **kw)
            times.append(time.perf_counter() - t0)
        rate = len(inputs) / (time.perf_counter() - begin)
        if rate > best_rate:
            best_rate, best_times = rate, sorted(times)
    return {
        "plans": len(inputs),
        "plans_per_s": round(best_rate, 1),
        "p50_ms": round(best_times[len(best_times) // 2] * 1000, 3),
        "p99_ms": round(best_times[max(0, int(len(best_times) * 0.99) - 1)] * 1000, 3),
        "target_plans_per_s": 1000,
    }


def bench_plans() -> dict:
    from sijcoach.engine import parse_logs, parse_profile

    inputs = [(parse_profile(p), parse_logs(l)) for p, l in _profiles(PLANS)]
    return _timed(inputs)


def bench_year() -> dict:
    from sijcoach.engine import parse_logs, parse_profile

    rnd = random.Random(11)
    people = _profiles(YEAR_PEOPLE, seed=23)
    raw = [(profile, _year_of_logs(profile, rnd)) for profile, _ in people]
    begin = time.perf_counter()
    inputs = [(parse_profile(p), parse_logs(l)) for p, l in raw]
    parse_s = time.perf_counter() - begin
    out = _timed(inputs, programme_start=START - dt.timedelta(days=365))
    out["sessions_per_person"] = round(sum(len(l) for _, l in inputs) / len(inputs))
    out["parse_year_ms"] = round(parse_s / len(inputs) * 1000, 2)
    return out


def bench_startup() -> dict:
    exe = Path(sys.executable).parent / "sijcoach"
    commands = {"python -c pass": [sys.executable, "-c", "pass"], "sijcoach --help": [str(exe), "--help"]}
    samples = {name: [] for name in commands}
    for _ in range(STARTUP_RUNS):
        for name, cmd in commands.items():  # alternate, so both see the same machine load
            t0 = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            samples[name].append(time.perf_counter() - t0)
    base = statistics.median(samples["python -c pass"])
    cli = statistics.median(samples["sijcoach --help"])
    return {
        "python_pass_ms": round(base * 1000, 1),
        "sijcoach_help_ms": round(cli * 1000, 1),
        "ratio": round(cli / base, 2),
        "target_help_ms": 150,
    }


def _verdict(figure: float, target: float) -> str:
    return "met" if figure >= target else "NOT met"


def main() -> int:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core, as the target says
    plans = bench_plans()
    year = bench_year()
    startup = bench_startup()
    print(f"plans: {plans['plans_per_s']} plans/s over {plans['plans']} 7-day plans "
          f"(p50 {plans['p50_ms']} ms, p99 {plans['p99_ms']} ms); target >= {plans['target_plans_per_s']}: "
          f"{_verdict(plans['plans_per_s'], plans['target_plans_per_s'])}")
    print(f"a year of logs: {year['plans_per_s']} plans/s over {year['plans']} people with "
          f"{year['sessions_per_person']} sessions each (p50 {year['p50_ms']} ms, p99 {year['p99_ms']} ms), "
          f"x{round(year['plans_per_s'] / plans['plans_per_s'], 2)} of the 7-day figure; target >= "
          f"{year['target_plans_per_s']}: {_verdict(year['plans_per_s'], year['target_plans_per_s'])}; "
          f"parsing a year of logs: {year['parse_year_ms']} ms a person (not in the plan figure)")
    print(f"start-up: sijcoach --help {startup['sijcoach_help_ms']} ms vs python -c pass "
          f"{startup['python_pass_ms']} ms (x{startup['ratio']}); target < {startup['target_help_ms']} ms: "
          f"{'met' if startup['sijcoach_help_ms'] < startup['target_help_ms'] else 'NOT met'}")
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.json").write_text(
        json.dumps({"plans": plans, "year_of_logs": year, "startup": startup}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
