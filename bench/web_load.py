"""Load generators for the web benchmark: `wrk` when it is installed, otherwise a small asyncio client.

Both keep N HTTP/1.1 keep-alive connections busy for a warm-up and then a timed period, and give the
same numbers: requests per second, p50 and p99 latency, and errors (socket errors and any non-2xx).
A request spec may hold several variants (headers and body); they are sent in turn, so writes can be
spread over several people.
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field


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
