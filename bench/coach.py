"""Coach benchmark (`make bench`): the client list of coaches with 200 clients each, on SQLite and PostgreSQL.

    python bench/coach.py [--quick] [--runs N] [--db sqlite|postgres|both]

Seeds 4 coaches, each with 200 clients who have a year of daily sessions (bench/web_seed.py's
histories: the items of their plan's routine, pain before and after, planned days, the functional
scale), a few warning-sign reports and flags marked seen, all with bulk_create. Then, for each run, on
a fresh copy of that database, it starts gunicorn as `make run` does and measures, with
bench/web_load.py's load generator:
- the trivial view (GET /ping/: the server's own overhead) at 4 clients;
- the client list (GET /coach/, each coach with the session cookie of an earlier visit) at 1 coach
  (each request's own time) and at 4 coaches at once (closed loop): p50, p99 and requests a second.
Every list written also writes 200 rows to the access log, as in real use.
Target: the list's p99 under 300 ms at 4 coaches. The median over the runs is compared with it; the
spread (lowest and highest run) is printed beside it. Results go to bench/results/coach-<db>.json.
`--quick`: 50 clients a coach, one run, short phases (a smoke test). Never used as asserts in tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import web  # noqa: E402  (the web benchmark's server, copies and report helpers)
import web_load  # noqa: E402
import web_seed  # noqa: E402
from web_load import Spec  # noqa: E402

ROOT = web.ROOT
RESULTS = web.RESULTS
HOST = web.HOST
COACHES = 4
AT_ONCE = (1, COACHES)  # coaches asking for their list at the same time
TARGET_P99_MS = 300.0
PG_NAMES = ("sijcoach_coachbench_seed", "sijcoach_coachbench")  # not the web benchmark's, so both can run


@dataclass(frozen=True)
class Mode:
    clients: int  # a coach's
    days: int  # of history, each client
    runs: int
    warmup_s: float
    phase_s: float


FULL = Mode(200, 365, 3, 3, 10)
QUICK = Mode(50, 365, 1, 1, 4)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a smoke test: 50 clients a coach, one run, short phases")
    ap.add_argument("--runs", type=int, help="runs per database (default 3; 1 with --quick)")
    ap.add_argument("--db", choices=("sqlite", "postgres", "both"), default="both")
    args = ap.parse_args(argv)
    mode = QUICK if args.quick else FULL
    if args.runs:
        mode = Mode(**{**asdict(mode), "runs": args.runs})
    m = web.machine()
    print(f"\nCoach benchmark{' (quick)' if args.quick else ''}: {COACHES} coaches x {mode.clients} clients with "
          f"{mode.days} days of sessions; {m['cores']} cores shared by the load generator and the server "
          f"(gunicorn, {m['workers']} workers x {m['threads']} threads); {mode.runs} run(s) per database.")
    drop = ("DATABASE_URL", "DEBUG", "SIJCOACH_TESTING", "SIJCOACH_FAST_HASHER")
    base = {k: v for k, v in os.environ.items() if k not in drop}
    base.update(DJANGO_SETTINGS_MODULE="sijcoach.web.settings", SECRET_KEY=secrets.token_urlsafe(50),
                BENCH_MODE=json.dumps(asdict(mode)), SIJCOACH_DB_POOL="false")
    status = 0
    if args.db in ("sqlite", "both"):
        with tempfile.TemporaryDirectory(prefix="sijcoach-coachbench-sqlite-") as data:
            status |= child_process("sqlite", {**base, "SIJCOACH_DATA_DIR": data,
                                               "DATABASE_URL": f"sqlite:///{data}/seed.sqlite3"})
    if args.db in ("postgres", "both"):
        status |= postgres(base)
    return status


def child_process(db: str, env: dict) -> int:
    return subprocess.run([sys.executable, __file__, "--child", db], env=env, cwd=ROOT).returncode


def postgres(base: dict) -> int:
    return web.postgres(base, PG_NAMES, "coach-postgres.json", child_process)


def fresh_copy(db: str, seed_url: str) -> str:
    if db == "sqlite":
        return web.fresh_copy(db, seed_url)
    web._pg("dropdb", "--if-exists", "--force", PG_NAMES[1], url=seed_url)
    made = web._pg("createdb", "-T", PG_NAMES[0], PG_NAMES[1], url=seed_url)
    if made.returncode != 0:
        raise RuntimeError(f"createdb -T failed: {made.stderr.strip()}")
    return web._pg_url(seed_url, PG_NAMES[1])


# --- seeding -----------------------------------------------------------------------------------------

def seed(today: dt.date, mode: Mode, chunk: int = 40) -> dict:
    """The coaches, their clients with a year of history each, a few warning signs and seen flags."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, connections, transaction

    from sijcoach.web.coaching.models import CoachLink, CoachRole, FlagSeen
    from sijcoach.web.plans.models import CheckIn, Preferences, RedFlagReport

    rnd = random.Random(15)
    User = get_user_model()
    password = make_password(web_seed.PASSWORD)
    weeks, profiles = web_seed._weeks(today), web_seed._profiles()
    first = today - dt.timedelta(days=mode.days)
    coaches = User.objects.bulk_create([User(username=f"coach{n}@bench.example", email=f"coach{n}@bench.example",
                                             password=password) for n in range(COACHES)])
    CoachRole.objects.bulk_create([CoachRole(user=c, granted_by="administrator") for c in coaches])
    Preferences.objects.bulk_create([Preferences(user=c) for c in coaches])
    sessions, n = 0, 0
    wanted = [(coach, i) for coach in coaches for i in range(mode.clients)]
    for start in range(0, len(wanted), chunk):
        with transaction.atomic():
            part = wanted[start:start + chunk]
            users = User.objects.bulk_create([
                User(username=f"client{c.pk}-{i}@bench.example", email=f"client{c.pk}-{i}@bench.example",
                     password=password, date_joined=web_seed._at(first, 8)) for c, i in part])
            Preferences.objects.bulk_create([Preferences(user=u) for u in users])
            checkins = []
            for u, (_, i) in zip(users, part):
                profile, level = profiles[i % len(profiles)]
                checkin = CheckIn.from_engine(u, profile, first, level, CheckIn.Source.CHECK_IN)
                checkin.created_at = web_seed._at(first, 8)
                checkins.append(checkin)
            checkins = CheckIn.objects.bulk_create(checkins)
            CoachLink.objects.bulk_create([CoachLink(coach=c, client=u, started_at=web_seed._at(first, 9))
                                           for u, (c, _) in zip(users, part)])
            sessions += web_seed._history([(u, i % len(web_seed.VARIANTS), first, ch)
                                           for u, (_, i), ch in zip(users, part, checkins)], today, weeks, rnd)
            # One client in twenty reported warning signs this week; the coach has seen half of them.
            reports = RedFlagReport.objects.bulk_create([
                RedFlagReport(user=u, level="urgent", flags=["fever"], created_at=web_seed._at(today - dt.timedelta(days=2), 7))
                for u in users if rnd.random() < 0.05])
            coach_of = {u.pk: c for u, (c, _) in zip(users, part)}
            FlagSeen.objects.bulk_create([
                FlagSeen(coach=coach_of[r.user_id], client_id=r.user_id, flag="red_flag", basis=f"report:{r.pk}")
                for r in reports if rnd.random() < 0.5])
            n += len(users)
    cookies = [{"email": c.email, "cookie": web_seed._signed_in(c)} for c in coaches]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    connections.close_all()
    return {"coaches": cookies, "clients": n, "sessions": sessions}


# --- one run -----------------------------------------------------------------------------------------

def coach_days(coaches: list[dict], session_cookie: str):
    """Each coach in turn opens their client list (the cookie of an earlier visit)."""
    def day(coach: dict):
        async def run(b: web_load.Browser) -> None:
            b.cookies[session_cookie] = coach["cookie"]
            await b.get("client list", "/coach/", mark=b'class="clients"')
        return run

    return (day(c) for c in itertools.cycle(coaches))


def one_run(db: str, run: int, seeded: dict, mode: Mode, env: dict, session_cookie: str) -> dict:
    port = web.free_port()
    server = web.start_server(port, env, Path(env["SIJCOACH_DATA_DIR"]) / f"gunicorn-coach-{run}.log")
    days = coach_days(seeded["coaches"], session_cookie)
    out: dict = {"run": run + 1}
    try:
        warm = web_load.closed_loop(HOST, port, days, COACHES, mode.warmup_s)
        if warm.failed:
            raise RuntimeError(f"warm-up: {warm.failed} of {warm.days} lists failed: {warm.errors[:3]}")
        out["trivial"] = vars(web_load.run(HOST, port, Spec("GET", "/ping/"), COACHES, 0, mode.phase_s))
        out["list"] = {}
        for c in AT_ONCE:
            phase = web_load.closed_loop(HOST, port, days, c, mode.phase_s, warmup=mode.warmup_s)
            out["list"][c] = {**web_load.page_stats(phase).get("client list", {}), "failed": phase.failed,
                              "first_errors": phase.errors[:3]}
        t, row = out["trivial"], out["list"][COACHES]
        print(f"  {db} run {run + 1}: trivial {t['rps']:.0f} req/s p99 {t['p99_ms']:.0f} ms; client list "
              f"1 coach p50 {out['list'][1].get('p50_ms', 0):.0f} ms; {COACHES} coaches p50 {row.get('p50_ms', 0):.0f} "
              f"p99 {row.get('p99_ms', 0):.0f} ms, {row.get('rps', 0):.1f} lists/s", flush=True)
    finally:
        web.stop_server(server)
    return out


def summarise(db: str, runs: list[dict], mode: Mode, seeded: dict) -> dict:
    table = [{"page": "trivial", "clients": COACHES,
              **{k: web._spread([r["trivial"][k] for r in runs]) for k in ("rps", "p50_ms", "p99_ms")}}]
    for c in AT_ONCE:
        rows = [r["list"][c] for r in runs if "p99_ms" in r["list"][c]]
        table.append({"page": "client list", "clients": c, **{k: web._spread([x[k] for x in rows])
                                                              for k in ("rps", "p50_ms", "p99_ms")},
                      "errors": sum(x["errors"] + x["failed"] for x in rows)})
    p99 = table[-1]["p99_ms"]
    checks = [{"check": f"client list p99 ms at {COACHES} coaches", "value": p99["median"], "spread": p99,
               "target": f"< {TARGET_P99_MS:g}", "pass": p99["median"] < TARGET_P99_MS and not table[-1]["errors"]}]
    return {"db": db, "machine": web.machine(), "mode": asdict(mode), "seeded": seeded, "table": table,
            "checks": checks, "runs": runs}


def print_report(report: dict) -> None:
    s, n = report["seeded"], report["mode"]["runs"]
    print(f"\n{'SQLite' if report['db'] == 'sqlite' else 'PostgreSQL'}: {COACHES} coaches x "
          f"{report['mode']['clients']} clients, {s['sessions']:,} sessions; median of {n} run(s) (lowest-highest); "
          f"load average after {report['machine']['load_average'][0]}")
    print(f"  {'page':<12} {'at once':>7} {'req/s':>16} {'p50 ms':>16} {'p99 ms':>16}")
    for row in report["table"]:
        print(f"  {row['page']:<12} {row['clients']:>7} {web._s(row['rps'], '.1f'):>16} {web._s(row['p50_ms']):>16} "
              f"{web._s(row['p99_ms']):>16}" + (f"  errors {row['errors']}" if row.get("errors") else ""))
    for c in report["checks"]:
        print(f"  {c['check']:<36} {web._s(c['spread']):>16}  {c['target']:<8} {'PASS' if c['pass'] else 'FAIL'}")


def child(db: str) -> int:
    mode = Mode(**json.loads(os.environ["BENCH_MODE"]))
    seed_url = os.environ["DATABASE_URL"]
    t0 = time.perf_counter()
    for cmd in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([sys.executable, "-m", "sijcoach.web", *cmd], check=True, cwd=ROOT)
    import django

    django.setup()
    from django.conf import settings
    from django.utils import timezone

    seeded = seed(timezone.localdate(), mode)
    seeded["setup_s"] = round(time.perf_counter() - t0, 1)
    print(f"\n{db}: seeded {COACHES} coaches, {seeded['clients']} clients with {seeded['sessions']:,} sessions "
          f"in {seeded['setup_s']} s", flush=True)
    runs = []
    for run in range(mode.runs):
        env = {**os.environ, "DATABASE_URL": fresh_copy(db, seed_url), "SIJCOACH_DB_POOL": "true"}
        runs.append(one_run(db, run, seeded, mode, env, settings.SESSION_COOKIE_NAME))
    report = summarise(db, runs, mode, {k: v for k, v in seeded.items() if k != "coaches"})
    print_report(report)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"coach-{db}.json").write_text(json.dumps(report, indent=2) + "\n")
    return 0 if all(c["pass"] for c in report["checks"]) else 1


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        sys.exit(child(sys.argv[2]))
    sys.exit(main(sys.argv[1:]))
