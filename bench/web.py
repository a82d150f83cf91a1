"""Web benchmark (`make bench`, after bench/run.py): the production server under load, on SQLite and PostgreSQL.

Starts gunicorn as `make run` does (sijcoach.web.wsgi with sijcoach.web.gunicorn_conf: one sync worker
per core and one more, unless WEB_CONCURRENCY / WEB_THREADS say otherwise) on a free port, over a
fresh data folder (SQLite) and then a fresh database on the private PostgreSQL server of
tools/postgres.sh (skipped, and said so, when PostgreSQL is not installed). People are seeded through
the ORM before the server starts: a new person (checked in today), a person with five years of daily
sessions, and writers who only save sessions (so the people being read stay as seeded).

Measured with wrk (or a small asyncio client where wrk is missing), each after a warm-up:
- GET /ping/ (a trivial view: the server's own overhead), GET /today/ for both people and saving a
  session (the API's POST /api/v1/me/sessions, or the player's POST /session/0/finish/ until the
  API has it), at 16 and 64 connections;
- GET /progress/ for both people at 16 connections;
- the handout PDF, the calendar and the FHIR record of the 5-year person, one request at a time
  (target: each under 2 s).
Pages compared by a target are measured in alternating rounds (three of DURATION_S/3 each): the
trivial view, Today of the new person and of the 5-year person at each concurrency; both Progress pages.
Targets: Today at least half the trivial view's throughput; p99 under 100 ms at 64 clients; a
5-year history no more than 1.5 times slower than a new person (p50 and req/s, at 16 clients).
Results are printed and written to bench/results/web-<db>.json. Never used as asserts in tests.
"""

from __future__ import annotations

import json
import os
import platform
import secrets
import signal
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
import web_load  # noqa: E402
from web_load import Spec, Variant  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_BENCH_DB = "sijcoach_bench"
HOST = "127.0.0.1"
WARMUP_S = float(os.environ.get("BENCH_WARMUP_S", 1))
DURATION_S = float(os.environ.get("BENCH_DURATION_S", 5))
CONCURRENCY = (16, 64)
ROUNDS = 3  # alternations of a compared pair
WRITERS = 256
TODAY_MARK = b"Start guided session"
TARGET_TODAY_SHARE = 0.5
TARGET_P99_MS = 100.0
TARGET_HISTORY_RATIO = 1.5
TARGET_EXPORT_S = 2.0
EXPORTS = {"handout": "/share/handout.pdf", "calendar": "/share/calendar.ics", "fhir": "/share/fhir.json"}


def session_payload() -> dict:
    """Like tests/web/conftest.py's: a short relief session, logged item by item."""
    return {
        "pain_before": 3, "pain_after": 2,
        "items": [
            {"exercise": "bird-dog", "side": "each", "planned": {"sets": 2, "reps": 8, "hold_s": 5},
             "sets_done": 2, "reps_done": 8, "hold_s_done": 5, "pain": 1, "effort": "ok"},
        ],
    }


# --- the parent: one child process per database ------------------------------------------------------

def machine() -> dict:
    from sijcoach.web import gunicorn_conf  # the server's workers and threads (read from the environment)

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cores": cores, "cpu": platform.processor() or platform.machine(), "python": platform.python_version(),
            "client": web_load.client_name(), "workers": gunicorn_conf.workers, "threads": gunicorn_conf.threads,
            # Anything else busy on the machine lowers every number: the load average says how busy it was.
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def _pg(tool: str, *args: str, url: str) -> subprocess.CompletedProcess:
    parts = urlsplit(url)
    return subprocess.run([str(PG_BIN / tool), "-h", parts.hostname, "-p", str(parts.port), "-U", parts.username,
                           *args], capture_output=True, text=True)


def run_child(db: str, env: dict) -> int:
    return subprocess.run([sys.executable, __file__, "--child", db], env=env, cwd=ROOT).returncode


def main() -> int:
    m = machine()
    print(f"\nWeb benchmark: {m['cores']} cores shared by the load generator ({m['client']}) and the server "
          f"(gunicorn, {m['workers']} workers x {m['threads']} threads); {WARMUP_S:g} s warm-up + {DURATION_S:g} s per line.")
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "SIJCOACH_TESTING")}
    base["DJANGO_SETTINGS_MODULE"] = "sijcoach.web.settings"
    status = 0
    with tempfile.TemporaryDirectory(prefix="sijcoach-bench-sqlite-") as data:
        status |= run_child("sqlite", {**base, "SIJCOACH_DATA_DIR": data})

    pg = subprocess.run([str(ROOT / "tools" / "postgres.sh"), "url"], capture_output=True, text=True)
    if pg.returncode == 3:
        print(f"\nPostgreSQL: skipped, PostgreSQL 15 is not installed ({pg.stderr.strip()}).")
        (RESULTS / "web-postgres.json").unlink(missing_ok=True)
        return status
    if pg.returncode != 0:
        print(f"\nPostgreSQL: skipped, tools/postgres.sh failed: {pg.stderr.strip()}")
        return 1
    url = pg.stdout.strip().splitlines()[-1]
    bench_url = urlunsplit(urlsplit(url)._replace(path=f"/{PG_BENCH_DB}"))
    _pg("dropdb", "--if-exists", "--force", PG_BENCH_DB, url=url)
    made = _pg("createdb", PG_BENCH_DB, url=url)
    if made.returncode != 0:
        print(f"\nPostgreSQL: skipped, createdb failed: {made.stderr.strip()}")
        return 1
    try:
        with tempfile.TemporaryDirectory(prefix="sijcoach-bench-pg-") as data:
            status |= run_child("postgres", {**base, "SIJCOACH_DATA_DIR": data, "DATABASE_URL": bench_url})
    finally:
        _pg("dropdb", "--if-exists", "--force", PG_BENCH_DB, url=url)
    return status


# --- the child: one database -------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(port: int, log: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    proc = subprocess.Popen(
        [str(gunicorn), "sijcoach.web.wsgi:application", "--bind", f"{HOST}:{port}",
         "-c", "python:sijcoach.web.gunicorn_conf"],  # as make run
        stdout=log.open("wb"), stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if web_load.fetch(HOST, port, Spec("GET", "/ping/"))[0] == 200:
                return proc
        except OSError:
            time.sleep(0.1)
    stop_server(proc)
    raise RuntimeError(f"gunicorn did not answer within 30 s:\n{log.read_text()[-3000:]}")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # gunicorn's graceful stop; its workers follow
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def page(person: dict, csrf: str, path: str) -> Spec:
    return Spec("GET", path, (Variant({"Cookie": f"sessionid={person['session_cookie']}; csrftoken={csrf}"}),))


def save_specs(writers: list[dict], csrf: str) -> tuple[Spec, Spec]:
    body = json.dumps(session_payload()).encode()
    api = Spec("POST", "/api/v1/me/sessions", tuple(
        Variant({"Authorization": f"Bearer {w['token']}", "Content-Type": "application/json"}, body)
        for w in writers))
    player = Spec("POST", "/session/0/finish/", tuple(
        Variant({"Cookie": f"sessionid={w['session_cookie']}; csrftoken={csrf}", "X-CSRFToken": csrf,
                 "Content-Type": "application/json"}, body)
        for w in writers))
    return api, player


def verify(port: int, name: str, spec: Spec, statuses: tuple[int, ...], mark: bytes | None = None) -> None:
    """Every variant once: the right status (never a redirect to sign-in) and, for Today, the plan."""
    for i in range(len(spec.variants)):
        status, location, body = web_load.fetch(HOST, port, spec, i)
        if status not in statuses:
            raise RuntimeError(f"{name}: {spec.method} {spec.path} gave {status} {location} {body[:300]!r}")
        if mark is not None and mark not in body:
            raise RuntimeError(f"{name}: {spec.path} is missing {mark!r}; is it the person's plan?")


def paired(port: int, specs: list[Spec], clients: int) -> list[web_load.Result]:
    """The specs in turn, ROUNDS times, DURATION_S in all each: req/s over all rounds, the median
    round's p50 and the worst round's p99."""
    each = max(1.0, DURATION_S / ROUNDS)
    runs = [[web_load.run(HOST, port, spec, clients, WARMUP_S if i == 0 else 0, each) for spec in specs]
            for i in range(ROUNDS)]
    out = []
    for k in range(len(specs)):
        mine = [r[k] for r in runs]
        n, secs = sum(r.requests for r in mine), sum(r.seconds for r in mine)
        out.append(web_load.Result(n, round(secs, 2), round(n / secs, 1) if secs else 0.0,
                                   statistics.median(r.p50_ms for r in mine), max(r.p99_ms for r in mine),
                                   sum(r.errors for r in mine)))
    return out


def child(db: str) -> int:
    py = sys.executable
    t0 = time.perf_counter()
    for cmd in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([py, "-m", "sijcoach.web", *cmd], check=True, cwd=ROOT)
    import django

    django.setup()
    import web_seed

    seeded = web_seed.seed(WRITERS)
    setup_s = time.perf_counter() - t0
    new, old = seeded["people"]["new"], seeded["people"]["five_year"]
    csrf = "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))

    port = free_port()
    data_dir = Path(os.environ["SIJCOACH_DATA_DIR"])
    server = start_server(port, data_dir / "gunicorn.log")
    try:
        api, player = save_specs(seeded["writers"], csrf)
        status, _, body = web_load.fetch(HOST, port, api, 0)
        if status in (404, 405):  # no such endpoint yet: the session player's own request
            save, save_name = player, "POST /session/0/finish/"
        elif status in (200, 201):
            save, save_name = api, "POST /api/v1/me/sessions"
        else:
            raise RuntimeError(f"POST /api/v1/me/sessions gave {status}: {body[:300]!r}")
        specs = {
            "trivial": Spec("GET", "/ping/"),
            "today new": page(new, csrf, "/today/"),
            "today 5-year": page(old, csrf, "/today/"),
            "save session": save,
            "progress new": page(new, csrf, "/progress/"),
            "progress 5-year": page(old, csrf, "/progress/"),
        }
        for name, spec in specs.items():
            if name.startswith("save"):
                # The first writer is checked above; one more each is enough (all 256 would skew them).
                verify(port, name, Spec(spec.method, spec.path, spec.variants[:1]), (200, 201))
            else:
                verify(port, name, spec, (200,), TODAY_MARK if name.startswith("today") else None)

        # Pages compared by a target run in alternating rounds, so a burst of other work on the
        # machine falls on each of them rather than on one.
        pages = ("trivial", "today new", "today 5-year")
        plan = [(pages, 16), (pages, 64), (("progress new", "progress 5-year"), 16)]
        plan += [("save session", c) for c in CONCURRENCY]  # writes last: the reads see the data as seeded
        rows = []
        for names, c in plan:
            if isinstance(names, tuple):
                results = paired(port, [specs[n] for n in names], c)
            else:
                names, results = (names,), [web_load.run(HOST, port, specs[names], c, WARMUP_S, DURATION_S)]
            for name, r in zip(names, results):
                rows.append({"endpoint": name, "clients": c, **vars(r)})
                print(f"  {db}: {name:<16} {c:>3} clients  {r.rps:>8.1f} req/s  p50 {r.p50_ms:>7.2f} ms  "
                      f"p99 {r.p99_ms:>7.2f} ms  errors {r.errors}", flush=True)
        exports = time_exports(port, old, csrf)
    finally:
        stop_server(server)

    report = summarise(db, rows, seeded, save_name, setup_s)
    report["exports"] = exports
    for e in exports:
        report["checks"].append({"check": f"export {e['export']} (5-year) s", "value": e["seconds"],
                                 "target": f"< {TARGET_EXPORT_S:g}", "pass": e["seconds"] < TARGET_EXPORT_S})
    print_report(report)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"web-{db}.json").write_text(json.dumps(report, indent=2) + "\n")
    return 0 if not any(r["errors"] for r in rows) else 1


def time_exports(port: int, person: dict, csrf: str) -> list[dict]:
    """Each export of the 5-year person, one request at a time through the server: the median of three
    (the first request of each, which also imports the export's library, is reported beside it)."""
    out = []
    ping = Spec("GET", "/ping/")
    for name, path in EXPORTS.items():
        spec = page(person, csrf, path)
        times, size = [], 0
        for _ in range(4):
            t0 = time.perf_counter()
            status, _, body = web_load.fetch(HOST, port, spec)
            times.append(time.perf_counter() - t0)
            if status != 200:
                raise RuntimeError(f"{path} gave {status}: {body[:300]!r}")
            size = len(body)
        t0 = time.perf_counter()
        web_load.fetch(HOST, port, ping)
        base = time.perf_counter() - t0
        out.append({"export": name, "first_s": round(times[0], 3), "seconds": round(statistics.median(times[1:]), 3),
                    "bytes": size, "trivial_s": round(base, 4)})
        print(f"  export {name:<9} 5-year person: {out[-1]['seconds']:.3f} s (first {out[-1]['first_s']:.3f} s), "
              f"{size:,} bytes; trivial request {base * 1000:.1f} ms", flush=True)
    return out


def summarise(db: str, rows: list[dict], seeded: dict, save_name: str, setup_s: float) -> dict:
    at = {(r["endpoint"], r["clients"]): r for r in rows}
    checks = []

    def check(what: str, value: float, target: str, ok: bool) -> None:
        checks.append({"check": what, "value": round(value, 2), "target": target, "pass": ok})

    for c in CONCURRENCY:
        share = at[("today new", c)]["rps"] / max(at[("trivial", c)]["rps"], 1e-9)
        check(f"Today (new) / trivial req/s at {c}", share, f">= {TARGET_TODAY_SHARE}", share >= TARGET_TODAY_SHARE)
    for name in ("trivial", "today new", "today 5-year", "save session"):
        p99 = at[(name, 64)]["p99_ms"]
        check(f"{name} p99 ms at 64", p99, f"< {TARGET_P99_MS:g}", p99 < TARGET_P99_MS)
    for page_name in ("today", "progress"):
        new, old = at[(f"{page_name} new", 16)], at[(f"{page_name} 5-year", 16)]
        slower = old["p50_ms"] / max(new["p50_ms"], 1e-9)
        check(f"{page_name.capitalize()} 5-year/new p50 at 16", slower, f"<= {TARGET_HISTORY_RATIO}",
              slower <= TARGET_HISTORY_RATIO)
        fewer = new["rps"] / max(old["rps"], 1e-9)
        check(f"{page_name.capitalize()} new/5-year req/s at 16", fewer, f"<= {TARGET_HISTORY_RATIO}",
              fewer <= TARGET_HISTORY_RATIO)
    five = seeded["people"]["five_year"]
    return {
        "db": db, "machine": machine(), "warmup_s": WARMUP_S, "duration_s": DURATION_S,
        "save_endpoint": save_name, "writers": len(seeded["writers"]), "setup_s": round(setup_s, 1),
        "five_year_person": {"sessions": five["sessions"], "items": five["items"]},
        "runs": rows, "checks": checks,
    }


def print_report(report: dict) -> None:
    db = report["db"]
    print(f"\n{'SQLite' if db == 'sqlite' else 'PostgreSQL'}  (save = {report['save_endpoint']}, spread over "
          f"{report['writers']} writers; 5-year person: {report['five_year_person']['sessions']} sessions, "
          f"{report['five_year_person']['items']} items; setup {report['setup_s']} s; "
          f"load average after {report['machine']['load_average'][0]})")
    print(f"  {'endpoint':<16} {'clients':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for r in report["runs"]:
        print(f"  {r['endpoint']:<16} {r['clients']:>7} {r['rps']:>9.1f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} "
              f"{r['errors']:>6}")
    print(f"  {'check':<40} {'value':>8}  {'target':<8} result")
    for c in report["checks"]:
        print(f"  {c['check']:<40} {c['value']:>8.2f}  {c['target']:<8} {'PASS' if c['pass'] else 'FAIL'}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        sys.exit(child(sys.argv[2]))
    sys.exit(main())
