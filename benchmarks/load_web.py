"""Loopback load test of the web app's main pages: requests/s and p99 latency.

Starts ``smartpick serve`` (local mode) on a free port with a fresh SQLite file, and again on
PostgreSQL when ``SMARTPICK_TEST_POSTGRES_URL`` is set; seeds one profile; then drives each page
with ``wrk`` (if installed) or an httpx asyncio loop. The whole run is bounded by ``--seconds``
(default 30), split evenly over pages and databases.

    PYTHONPATH=src python benchmarks/load_web.py [--seconds 30] [--connections 16] [--workers 2]
        [--only recommendation]     # only pages whose path contains this text
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

import httpx

ROOT = Path(__file__).parents[1]
PAGES = (
    "/",
    "/programs",
    "/programs?region=South&track=advanced",
    "/programs/{program}",
    "/profiles/{profile}",
    "/api/v1/programs",
    "/profiles/{profile}/recommendations",
    "/profiles/{profile}/recommendations?budget=500",
    "/api/v1/profiles/{profile}/recommendation",
    "/profiles/{profile}/plan",
    "/tracker",
    "/ranklist",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(url: str, workers: int) -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "SMARTPICK_DATABASE_URL": url}
    cmd = [sys.executable, "-m", "smartpick", "serve", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return base, proc
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


def seed(base: str) -> dict[str, str]:
    doc = tomllib.loads((ROOT / "examples" / "strong-us-img.toml").read_text())
    doc = _jsonable(doc)
    name = f"load-{time.time_ns()}"
    response = httpx.post(base + "/api/v1/profiles", json={"name": name, "profile": doc}, timeout=30)
    response.raise_for_status()
    program = httpx.get(base + "/api/v1/programs", timeout=30).json()["programs"][0]["id"]
    return {"profile": str(response.json()["id"]), "program": program}


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


def _ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(url: str, seconds: float, connections: int) -> tuple[float, float, int]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{max(int(seconds), 1)}s", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    # the distribution's own line: a stdev column such as "89.99%" must not match
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)", out, re.MULTILINE).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p99, int(errors.group(1)) if errors else 0


async def _httpx_loop(url: str, seconds: float, connections: int) -> tuple[float, float, int]:
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            response = await client.get(url)
            latencies.append((time.perf_counter() - t0) * 1000)
            errors += response.status_code >= 400

    start = time.perf_counter()
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=connections)) as client:
        await asyncio.gather(*(worker(client) for _ in range(connections)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    return len(latencies) / elapsed, latencies[int(0.99 * (len(latencies) - 1))], errors


def measure(
    base: str, ids: dict[str, str], pages: list[str], seconds: float, connections: int
) -> list[tuple[str, float, float, int]]:
    rows = []
    for page in pages:
        url = base + page.format(**ids)
        if shutil.which("wrk"):
            rps, p99, errors = run_wrk(url, seconds, connections)
        else:
            rps, p99, errors = asyncio.run(_httpx_loop(url, seconds, connections))
        rows.append((page, rps, p99, errors))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=30.0, help="total load time over all pages and databases"
    )
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers")
    parser.add_argument("--only", default="", help="only pages whose path contains this text")
    args = parser.parse_args()
    pages = [p for p in PAGES if args.only in p]
    tmp = Path(tempfile.mkdtemp(prefix="smartpick-load-"))
    databases = [("SQLite", f"sqlite:///{tmp / 'load.sqlite3'}")]
    if os.environ.get("SMARTPICK_TEST_POSTGRES_URL"):
        databases.append(("PostgreSQL", os.environ["SMARTPICK_TEST_POSTGRES_URL"]))
    per_page = args.seconds / (len(pages) * len(databases))
    tool = "wrk" if shutil.which("wrk") else "httpx"
    print(
        f"# {tool}, {args.connections} connections, {args.workers} workers, {per_page:.1f} s/page, loopback"
    )
    print(f"{'database':<11} {'page':<40} {'req/s':>8} {'p99 ms':>8} {'errors':>6}")
    for label, url in databases:
        base, proc = start(url, args.workers)
        try:
            ids = seed(base)
            for page, rps, p99, errors in measure(base, ids, pages, per_page, args.connections):
                print(f"{label:<11} {page:<40} {rps:>8.0f} {p99:>8.1f} {errors:>6}")
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
