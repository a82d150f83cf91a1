"""Load generators for the web benchmark.

- `run`: N HTTP/1.1 clients repeat one request for a warm-up and a timed period (`wrk` when it is
  installed, otherwise a small asyncio client) and give requests per second, p50 and p99 latency, and
  errors (socket errors and any non-2xx). Used for the trivial view.
- `closed_loop` and `open_loop`: virtual people, each a script of several requests (a day of use)
  made through a `Browser` that keeps the person's cookies. Closed loop: N clients, each starting the
  next person's day when the last one ends. Open loop: days start at random (Poisson) moments at a
  given rate, however the server keeps up, so a slow server shows as latency instead of a lower rate.
  Every request opens its own connection, as gunicorn's sync workers close each one.
"""

from __future__ import annotations

import asyncio
import random
import http.client
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit


@dataclass(frozen=True)
class Variant:
    headers: dict[str, str]
    body: bytes = b""


@dataclass(frozen=True)
class Spec:
    method: str
    path: str
    variants: tuple[Variant, ...] = field(default_factory=lambda: (Variant({}),))


@dataclass(frozen=True)
class Result:
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int


def client_name() -> str:
    return "wrk" if shutil.which("wrk") and not os.environ.get("BENCH_PYTHON_CLIENT") else "python"


def fetch(host: str, port: int, spec: Spec, variant: int = 0) -> tuple[int, str, bytes]:
    """One request: status, Location header and body (to check a response before timing it)."""
    v = spec.variants[variant]
    conn = http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request(spec.method, spec.path, body=v.body or None, headers=v.headers)
        resp = conn.getresponse()
        return resp.status, resp.getheader("Location") or "", resp.read()
    finally:
        conn.close()


def run(host: str, port: int, spec: Spec, connections: int, warmup: float, duration: float) -> Result:
    if client_name() == "wrk":
        return _wrk(host, port, spec, connections, warmup, duration)
    return asyncio.run(_python(host, port, spec, connections, warmup, duration))


# --- wrk --------------------------------------------------------------------------------------------

def _lua_str(s: str | bytes) -> str:
    if isinstance(s, bytes):
        s = s.decode()
    return "'" + "".join(c if c.isalnum() or c in " -_./:;=,{}[]\"" else f"\\{ord(c):03d}" for c in s) + "'"


def _lua_script(spec: Spec) -> str:
    lines = [f"wrk.method = {_lua_str(spec.method)}", f"wrk.path = {_lua_str(spec.path)}"]
    if len(spec.variants) == 1:  # one fixed request: wrk sends it without calling Lua per request
        v = spec.variants[0]
        lines += [f"wrk.headers[{_lua_str(k)}] = {_lua_str(val)}" for k, val in v.headers.items()]
        if v.body:
            lines.append(f"wrk.body = {_lua_str(v.body)}")
    else:
        lines.append("local variants = {")
        for v in spec.variants:
            headers = ", ".join(f"[{_lua_str(k)}] = {_lua_str(val)}" for k, val in v.headers.items())
            lines.append(f"  {{ h = {{ {headers} }}, b = {_lua_str(v.body)} }},")
        lines += [
            "}",
            "local counter = 0",
            "function init(args) counter = id * 7919 end",  # threads start at different people
            "function request()",
            "  counter = counter + 1",
            "  local v = variants[(counter % #variants) + 1]",
            "  return wrk.format(nil, nil, v.h, v.b)",
            "end",
        ]
    lines += [
        "local threads = {}",
        "function setup(thread) thread:set('id', #threads); table.insert(threads, thread) end",
        "bad = 0",
        "function response(status, headers, body) if status < 200 or status > 299 then bad = bad + 1 end end",
        "function done(summary, latency, requests)",
        "  local bad_total = 0",
        "  for _, t in ipairs(threads) do bad_total = bad_total + t:get('bad') end",
        "  local e = summary.errors",
        "  io.write(string.format('BENCHJSON {\"requests\": %d, \"duration_us\": %d, \"p50_us\": %.1f, "
        "\"p99_us\": %.1f, \"socket_errors\": %d, \"non2xx\": %d}\\n', summary.requests, summary.duration, "
        "latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.timeout, bad_total))",
        "end",
    ]
    return "\n".join(lines) + "\n"


def _run_wrk(base: list[str], seconds: float) -> str:
    # wrk takes whole seconds only.
    proc = subprocess.run([base[0], "-d", f"{max(1, round(seconds))}s", *base[1:]], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stderr.strip() or proc.stdout.strip()}")
    return proc.stdout


def _wrk(host: str, port: int, spec: Spec, connections: int, warmup: float, duration: float) -> Result:
    threads = max(1, min(connections, os.cpu_count() or 1))
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(_lua_script(spec))
    try:
        base = ["wrk", "-t", str(threads), "-c", str(connections), "--timeout", "30s", "-s", f.name,
                f"http://{host}:{port}{spec.path}"]
        if warmup > 0:
            _run_wrk(base, warmup)
        out = _run_wrk(base, duration)
    finally:
        os.unlink(f.name)
    line = next((ln for ln in out.splitlines() if ln.startswith("BENCHJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no result:\n{out}")
    r = json.loads(line.removeprefix("BENCHJSON "))
    seconds = r["duration_us"] / 1e6
    return Result(r["requests"], round(seconds, 2), round(r["requests"] / seconds, 1),
                  round(r["p50_us"] / 1000, 2), round(r["p99_us"] / 1000, 2), r["socket_errors"] + r["non2xx"])


# --- the asyncio fallback ---------------------------------------------------------------------------

def _raw(host: str, port: int, spec: Spec, v: Variant) -> bytes:
    head = [f"{spec.method} {spec.path} HTTP/1.1", f"Host: {host}:{port}", "Connection: keep-alive"]
    head += [f"{k}: {val}" for k, val in v.headers.items()]
    if v.body or spec.method in ("POST", "PUT", "PATCH"):
        head.append(f"Content-Length: {len(v.body)}")
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + v.body


async def _response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Read one response; its status and whether the connection stays open."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for ln in lines[1:]:
        if ":" in ln:
            k, _, val = ln.partition(":")
            headers[k.strip().lower()] = val.strip()
    if headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.readexactly(int(headers.get("content-length", "0")))
    return status, headers.get("connection", "").lower() != "close"


async def _python(host: str, port: int, spec: Spec, connections: int, warmup: float, duration: float) -> Result:
    raws = [_raw(host, port, spec, v) for v in spec.variants]
    start = time.perf_counter()
    measure_from, end = start + warmup, start + warmup + duration
    latencies: list[float] = []
    errors = 0

    async def one(n: int) -> None:
        nonlocal errors
        i = n * 7919
        reader = writer = None
        while time.perf_counter() < end:
            if writer is None:
                try:
                    reader, writer = await asyncio.open_connection(host, port)
                except OSError:
                    errors += time.perf_counter() >= measure_from
                    await asyncio.sleep(0.01)
                    continue
            i += 1
            t0 = time.perf_counter()
            try:
                writer.write(raws[i % len(raws)])
                status, keep = await _response(reader)
            except (OSError, asyncio.IncompleteReadError, ValueError):
                errors += t0 >= measure_from
                writer.close()
                writer = None
                continue
            t1 = time.perf_counter()
            if measure_from <= t1 <= end:  # what completed in the timed period, as wrk counts
                latencies.append(t1 - t0)
                errors += not 200 <= status < 300
            if not keep:
                writer.close()
                writer = None
        if writer is not None:
            writer.close()

    await asyncio.gather(*(one(n) for n in range(connections)))
    latencies.sort()
    if not latencies:
        return Result(0, duration, 0.0, 0.0, 0.0, errors)
    pick = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000  # noqa: E731
    return Result(len(latencies), duration, round(len(latencies) / duration, 1), round(pick(0.50), 2),
                  round(pick(0.99), 2), errors)


# --- virtual people ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Hit:
    """One request of a person's day."""

    page: str
    start: float
    end: float
    ok: bool


TIMEOUT_S = 60  # a request that takes longer fails its day (asyncio's TimeoutError is an OSError)


class DayFailed(Exception):
    pass


class Browser:
    """One person's browser for one day: the cookies the server sets are sent back, as a browser does."""

    def __init__(self, host: str, port: int, hits: list[Hit], cookies: dict[str, str] | None = None):
        self.host, self.port, self.hits = host, port, hits
        self.cookies = dict(cookies or {})

    async def get(self, page: str, path: str, expect: tuple[int, ...] = (200,), mark: bytes | None = None) -> bytes:
        return (await self.send(page, "GET", path, b"", {}, expect, mark))[2]

    async def post_form(self, page: str, path: str, fields: dict, to: str) -> tuple[int, dict, bytes]:
        """A form that redirects `to` a page when it succeeds (a redirect elsewhere is a failure)."""
        return await self.send(page, "POST", path, urlencode(fields).encode(),
                               {"Content-Type": "application/x-www-form-urlencoded"}, (302,), to=to)

    async def post_json(self, page: str, path: str, body: bytes, expect: tuple[int, ...] = (201,),
                        headers: dict | None = None) -> tuple[int, dict, bytes]:
        return await self.send(page, "POST", path, body, {"Content-Type": "application/json", **(headers or {})},
                               expect)

    async def send(self, page: str, method: str, path: str, body: bytes, headers: dict,
                   expect: tuple[int, ...], mark: bytes | None = None, to: str | None = None) -> tuple[int, dict, bytes]:
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", "Connection: close"]
        if self.cookies:
            head.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        head += [f"{k}: {v}" for k, v in headers.items()]
        if body or method != "GET":
            head.append(f"Content-Length: {len(body)}")
        raw = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body
        t0 = time.perf_counter()
        status, got, content = 0, {}, b""
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(self.host, self.port), TIMEOUT_S)
            try:
                writer.write(raw)
                status, got, content = await asyncio.wait_for(_full_response(reader), TIMEOUT_S)
            finally:
                writer.close()
        except (OSError, asyncio.IncompleteReadError, ValueError) as e:
            self.hits.append(Hit(page, t0, time.perf_counter(), False))
            raise DayFailed(f"{page}: {method} {path}: {e!r}") from None
        location = got.get("location", [""])[0]
        ok = status in expect and (mark is None or mark in content) and (to is None or urlsplit(location).path == to)
        self.hits.append(Hit(page, t0, time.perf_counter(), ok))
        for cookie in got.get("set-cookie", ()):
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value and "max-age=0" not in cookie.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        if not ok:
            raise DayFailed(f"{page}: {method} {path} gave {status} {location} {content[:300]!r}")
        return status, got, content


async def _full_response(reader: asyncio.StreamReader) -> tuple[int, dict[str, list[str]], bytes]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers: dict[str, list[str]] = {}
    for ln in lines[1:]:
        if ":" in ln:
            k, _, val = ln.partition(":")
            headers.setdefault(k.strip().lower(), []).append(val.strip())
    if headers.get("transfer-encoding", [""])[0].lower() == "chunked":
        body = b""
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            body += (await reader.readexactly(size + 2))[:size]
            if size == 0:
                break
    elif "content-length" in headers:
        body = await reader.readexactly(int(headers["content-length"][0]))
    else:
        body = await reader.read()
    return status, headers, body


Day = Callable[[Browser], Awaitable[None]]


@dataclass
class Phase:
    """What a load phase did: every request counted, the measured seconds and the days."""

    hits: list[Hit]
    seconds: float
    days: int
    failed: int
    errors: list[str]
    drain_s: float = 0.0  # open loop: how long the last days took to finish after the last arrival


def page_stats(phase: Phase) -> dict[str, dict]:
    """Per page: requests, requests per second, p50 and p99 (ms) and errors."""
    out: dict[str, dict] = {}
    for page in dict.fromkeys(h.page for h in phase.hits):
        mine = [h for h in phase.hits if h.page == page]
        lat = sorted((h.end - h.start) * 1000 for h in mine)
        pick = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]  # noqa: E731
        out[page] = {"requests": len(mine), "rps": round(len(mine) / phase.seconds, 1),
                     "p50_ms": round(pick(0.50), 1), "p99_ms": round(pick(0.99), 1),
                     "errors": sum(not h.ok for h in mine)}
    return out


async def _day(host: str, port: int, day: Day, hits: list[Hit], errors: list[str]) -> bool:
    try:
        await day(Browser(host, port, hits))
        return True
    except DayFailed as e:
        errors.append(str(e))
        return False


def closed_loop(host: str, port: int, days: Iterator[Day], clients: int, duration: float,
                warmup: float = 0.0) -> Phase:
    """`clients` people at once, each starting the next day as soon as theirs ends. The clients start
    one by one over the `warmup` seconds, so they are at different pages of their days;
    the requests that start after `warmup` and end within `duration` seconds after it are counted
    (the days then under way still finish)."""
    async def main() -> Phase:
        hits: list[Hit] = []
        errors: list[str] = []
        start = time.perf_counter()
        begin, end = start + warmup, start + warmup + duration
        counts = [0, 0]

        async def client(k: int) -> None:
            await asyncio.sleep(warmup * k / clients)
            while time.perf_counter() < end:
                day = next(days, None)
                if day is None:
                    errors.append("ran out of people")
                    return
                counts[0] += 1
                counts[1] += not await _day(host, port, day, hits, errors)

        await asyncio.gather(*(client(k) for k in range(clients)))
        counted = [h for h in hits if begin <= h.start and h.end <= end]
        return Phase(counted, duration, counts[0], counts[1], errors)

    return asyncio.run(main())


def open_loop(host: str, port: int, days: Iterator[Day], rate: float, duration: float, seed: int = 0,
              patience: float = 30.0) -> Phase:
    """Days starting at `rate` a second on average (Poisson arrivals) for `duration` seconds. Every
    request of those days counts; days still running `patience` seconds after the last arrival fail."""
    async def main() -> Phase:
        rnd = random.Random(seed)
        hits: list[Hit] = []
        errors: list[str] = []
        tasks = []
        start = time.perf_counter()
        at = start
        while True:
            at += rnd.expovariate(rate)
            if at >= start + duration:
                break
            day = next(days, None)
            if day is None:
                errors.append("ran out of people")
                break
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            tasks.append(asyncio.create_task(_day(host, port, day, hits, errors)))
        last = time.perf_counter()
        done, pending = await asyncio.wait(tasks, timeout=max(0.0, start + duration - last) + patience) \
            if tasks else (set(), set())
        for t in pending:
            t.cancel()
        if pending:
            errors.append(f"{len(pending)} days still running {patience:g} s after the last arrival")
        failed = len(pending) + sum(not t.result() for t in done)
        return Phase(hits, duration, len(tasks), failed, errors, round(max(0.0, time.perf_counter() - max(last, start + duration)), 2))

    return asyncio.run(main())
