"""Benchmark of the exports (`make bench`): a person with five years of daily sessions.

Each export (PDF handout, .ics calendar, FHIR Bundle) is timed against a baseline in the same run:
making the person's plan from the same five years of logs. The first call of each export is timed on
its own (it imports the library and warms its caches, as the first request of a web worker would);
the median of the following calls is the steady figure. Target: every export under 2 s.
Results are printed and written to bench/results/exports.json. Never used as asserts in tests.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
START = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 22, 18, 0, tzinfo=dt.timezone.utc)
YEARS = 5
RUNS = 5
TARGET_MS = 2000
PROFILE = {
    "age": 38, "sex": "female", "pain_now": 4, "onset_days_ago": 2000, "sore_side": "left", "cause": "gradual",
    "history": ["sedentary", "persistent_low_back_pain"], "distortion": "inflare", "tight_muscles": ["hip_flexors"],
    "equipment": ["mat", "wall", "doorway", "chair", "resistance_band"], "minutes_per_day": 30,
}


def five_years(sessions_per_day: int = 1, seed: int = 5):
    """Daily sessions for five years before START, each with pain ratings and three logged exercises."""
    from sijcoach.engine.profile import Effort, LoggedItem, SessionLog

    rnd = random.Random(seed)
    slugs = ["glute-bridge", "pelvic-tilt", "clamshell", "cat-cow", "knee-to-chest-stretch"]
    first = START - dt.timedelta(days=round(365.25 * YEARS))
    logs = []
    for n in range((START - first).days):
        for _ in range(sessions_per_day):
            logs.append(SessionLog(
                date=first + dt.timedelta(days=n), pain_before=rnd.randint(1, 6), pain_after=rnd.randint(0, 5),
                pain_next_day=rnd.randint(0, 5) if rnd.random() < 0.8 else None,
                items=tuple(LoggedItem(exercise=rnd.choice(slugs), sets_done=2, reps_done=10, pain=rnd.randint(0, 3),
                                       effort=rnd.choice([Effort.EASY, Effort.OK])) for _ in range(3)),
            ))
    return tuple(logs)


def monthly_psfs():
    from sijcoach.engine.questionnaires import PsfsActivity
    from sijcoach.exports.fhir import PsfsResult

    first = START - dt.timedelta(days=round(365.25 * YEARS))
    return tuple(
        PsfsResult(first + dt.timedelta(days=30 * m), (PsfsActivity("putting on socks", min(10, 3 + m // 10)),
                                                       PsfsActivity("sitting an hour", min(10, 4 + m // 12)),
                                                       PsfsActivity("walking 30 min", min(10, 5 + m // 15))))
        for m in range(12 * YEARS)
    )


def timed(fn, runs: int = RUNS) -> dict:
    """Wall time of the first call and of the later ones, and CPU time (the part other processes on a
    busy machine cannot inflate)."""
    begin = time.perf_counter()
    out = fn()
    first = (time.perf_counter() - begin) * 1000
    times, cpu = [], []
    for _ in range(runs):
        begin, begin_cpu = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - begin) * 1000)
        cpu.append((time.process_time() - begin_cpu) * 1000)
    return {"first_ms": round(first, 1), "median_ms": round(statistics.median(times), 1),
            "max_ms": round(max(times), 1), "median_cpu_ms": round(statistics.median(cpu), 1), "bytes": len(out),
            "under_target": max(first, *times) < TARGET_MS}


def main() -> dict:
    from sijcoach.engine.inputs import parse_profile
    from sijcoach.engine.planner import make_plan

    profile = parse_profile(json.dumps(PROFILE))
    logs, psfs = five_years(), monthly_psfs()
    busy = five_years(sessions_per_day=3)
    plan = make_plan(profile, logs, start=START, days=14)
    year_plan = make_plan(profile, logs, start=START, days=366)

    def pdf():
        from sijcoach.exports.handout import Handout

        return Handout(plan, made_on=START, name="Alice Example").pdf()

    def ics(which=plan):
        from sijcoach.exports.calendar import plan_to_ics

        return plan_to_ics(which, reminder=dt.time(7, 30), tz="Europe/London", stamp=NOW, owner="alice")

    def fhir(sessions=logs):
        from sijcoach.exports.fhir import bundle

        return bundle(plan, profile, person="alice", now=NOW, logs=sessions, psfs=psfs).json

    observations = sum((log.pain_before is not None) + (log.pain_after is not None)
                       + (log.pain_next_day is not None) for log in logs)
    results = {
        "person": {"sessions": len(logs), "pain_observations": observations, "psfs_results": len(psfs),
                   "plan_days": len(plan.days)},
        "baseline_make_plan": timed(lambda: b"x" * len(make_plan(profile, logs, start=START, days=14).days)),
        "pdf_handout": timed(pdf, runs=3),
        "ics_14_days": timed(ics),
        "ics_366_days": timed(lambda: ics(year_plan)),
        "fhir_bundle": timed(fhir),
        "fhir_bundle_3_sessions_a_day": timed(lambda: fhir(busy), runs=3),
        "target_ms": TARGET_MS,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }
    results["baseline_make_plan"].pop("bytes")
    return results


if __name__ == "__main__":
    found = main()
    print(f"Exports for {found['person']['sessions']:,} sessions over {YEARS} years "
          f"({found['person']['pain_observations']:,} pain scores); target under {TARGET_MS} ms each")
    for key, row in found.items():
        if isinstance(row, dict) and "median_ms" in row:
            flag = "" if row.get("under_target", True) else "  OVER TARGET"
            cpu = f"   cpu {row['median_cpu_ms']:>7.1f} ms" if "median_cpu_ms" in row else ""
            print(f"  {key:<30} first {row['first_ms']:>7.1f} ms   median {row['median_ms']:>7.1f} ms"
                  f"   max {row['max_ms']:>7.1f} ms{cpu}{flag}")
    print(f"  (load average {found['load_average_1min']} on {found['cpus']} CPUs while measuring)")
    out = ROOT / "bench" / "results" / "exports.json"
    out.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")
    print(f"written to {out.relative_to(ROOT)}")
