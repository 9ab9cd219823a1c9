"""Loopback load test of the web app's main pages: requests/s, p99 latency and server CPU per request.

Starts ``smartpick serve`` on a free port with a fresh SQLite file, and again on PostgreSQL when
``SMARTPICK_TEST_POSTGRES_URL`` is set; in ``multi`` mode (the default) it signs up one account and
sends its session cookie, so pages are measured signed in; seeds one profile; warms every page up
(``--warmup`` seconds of the same load, not counted); then drives each page with ``wrk`` (if installed)
or an httpx asyncio loop. The whole timed run is bounded by ``--seconds`` (default 30), split evenly
over pages and databases.

Besides req/s it prints the server's CPU time per request (``CPU ms``: all its processes, read from /proc;
``DB ms``: the PostgreSQL server's, when ``SMARTPICK_TEST_POSTGRES_DATA`` names its data directory as
``scripts/start_test_postgres.sh`` exports it) and the load average, because the machine may be shared:
``2 cores/CPU`` estimates req/s on two idle cores from both (the load generator's own CPU left out).

    PYTHONPATH=src python benchmarks/load_web.py [--seconds 30] [--connections 16] [--workers 2]
        [--mode multi|local] [--only recommendation,/programs]   # pages whose path contains one of these
        [--pages /healthz,/programs]                              # exactly these pages of the list
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).parents[1]
PAGES = (
    "/healthz",
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


def start(url: str, workers: int, mode: str) -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "SMARTPICK_DATABASE_URL": url,
        "SMARTPICK_SECRET_KEY": secrets.token_urlsafe(32),
    }
    cmd = [sys.executable, "-m", "smartpick", "serve", "--port", str(port), "--workers", str(workers)]
    cmd += ["--mode", mode]
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


def seed(base: str, mode: str) -> tuple[dict[str, str], dict[str, str]]:
    """The ids the pages take, and the session cookie to send (signed in, in multi mode)."""
    doc = _jsonable(tomllib.loads((ROOT / "examples" / "strong-us-img.toml").read_text()))
    name = f"load-{time.time_ns()}"
    with httpx.Client(base_url=base, timeout=30) as client:
        if mode == "multi":
            account = {"username": name, "password": "load test horse battery staple"}
            client.post("/api/v1/users", json=account).raise_for_status()
        response = client.post("/api/v1/profiles", json={"name": name, "profile": doc})
        response.raise_for_status()
        program = client.get("/api/v1/programs").json()["programs"][0]["id"]
        client.get("/").raise_for_status()  # a page puts the CSRF token in the session, as a browser keeps it
        cookies = dict(client.cookies.items())
    return {"profile": str(response.json()["id"]), "program": program}, cookies


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value.isoformat() if hasattr(value, "isoformat") else value


def _ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def run_wrk(url: str, seconds: float, connections: int, cookies: dict[str, str]) -> Load:
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{max(int(seconds), 1)}s", "--latency", url]
    if cookies:
        cmd += ["-H", f"Cookie: {_cookie_header(cookies)}"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    count = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    # the distribution's own line: a stdev column such as "89.99%" must not match
    p99 = _ms(re.search(r"^\s*99%\s+(\S+)", out, re.MULTILINE).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return Load(rps, p99, int(errors.group(1)) if errors else 0, count)


async def _httpx_loop(url: str, seconds: float, connections: int, cookies: dict[str, str]) -> Load:
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
    limits = httpx.Limits(max_connections=connections)
    async with httpx.AsyncClient(limits=limits, headers={"cookie": _cookie_header(cookies)}) as client:
        await asyncio.gather(*(worker(client) for _ in range(connections)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    return Load(len(latencies) / elapsed, latencies[int(0.99 * (len(latencies) - 1))], errors, len(latencies))


def drive(url: str, seconds: float, connections: int, cookies: dict[str, str]) -> Load:
    if shutil.which("wrk"):
        return run_wrk(url, seconds, connections, cookies)
    return asyncio.run(_httpx_loop(url, seconds, connections, cookies))


def postmaster_pid() -> int:
    """The test PostgreSQL server's main process (its backends are its children), or 0 when unknown."""
    data = os.environ.get("SMARTPICK_TEST_POSTGRES_DATA", "")
    pid_file = Path(data) / "postmaster.pid"
    return int(pid_file.read_text().split()[0]) if data and pid_file.exists() else 0


def warm_up(url: str, cookies: dict[str, str], count: int) -> None:
    """A few requests one after another, each on a new connection (so every worker gets some)."""
    for _ in range(count):
        httpx.get(url, headers={"cookie": _cookie_header(cookies)}, timeout=120).raise_for_status()


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and all its descendants (Linux /proc), in seconds (0 for pid 0)."""
    if pid == 0:
        return 0.0
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # a process that ended while we looked
        child = int(stat.parent.name)
        parents[child] = int(fields[1])
        times[child] = (int(fields[11]) + int(fields[12])) / tick
    tree, grew = {pid}, True
    while grew:
        more = {c for c, p in parents.items() if p in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(times.get(p, 0.0) for p in tree)


def measure(server: Server, ids: dict[str, str], pages: list[str], args: argparse.Namespace) -> list[Row]:
    rows = []
    for page in pages:
        url = server.base + page.format(**ids)
        warm_up(url, server.cookies, 4 * args.workers)
        drive(url, args.warmup, args.connections, server.cookies)  # then warm under the same load
        load = os.getloadavg()[0]
        cpu, db_cpu = tree_cpu_seconds(server.pid), tree_cpu_seconds(server.db_pid)
        result = drive(url, args.per_page, args.connections, server.cookies)
        per_request = 1000 / max(result.requests, 1)
        cpu_ms = (tree_cpu_seconds(server.pid) - cpu) * per_request
        db_ms = (tree_cpu_seconds(server.db_pid) - db_cpu) * per_request
        rows.append(Row(page, result, cpu_ms, db_ms, load))
    return rows


@dataclass(frozen=True)
class Load:
    """What one timed run measured."""

    rps: float
    p99_ms: float
    errors: int
    requests: int


@dataclass(frozen=True)
class Server:
    base: str
    pid: int
    cookies: dict[str, str]
    db_pid: int = 0  # the PostgreSQL server's postmaster (0: SQLite, inside the app's processes)


@dataclass(frozen=True)
class Row:
    page: str
    load: Load
    cpu_ms: float
    db_ms: float
    load_average: float

    def line(self, database: str) -> str:
        work = self.cpu_ms + self.db_ms
        idle = 2000 / work if work > 0 else float("inf")
        return (
            f"{database:<11} {self.page:<48} {self.load.rps:>7.0f} {self.load.p99_ms:>7.1f} "
            f"{self.load.errors:>6} {self.cpu_ms:>7.2f} {self.db_ms:>6.2f} {idle:>9.0f} "
            f"{self.load_average:>5.2f}"
        )


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds", type=float, default=30.0, help="total load time over all pages and databases"
    )
    parser.add_argument("--warmup", type=float, default=1.0, help="untimed load per page first (s)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers")
    parser.add_argument("--mode", choices=("multi", "local"), default="multi", help="multi: signed in")
    parser.add_argument("--only", default="", help="pages whose path contains one of these (comma-separated)")
    parser.add_argument("--pages", default="", help="exactly these pages of the list (comma-separated)")
    return parser.parse_args()


def main() -> None:
    args = arguments()
    wanted = [w for w in args.only.split(",") if w] or [""]
    exact = [p for p in args.pages.split(",") if p]
    pages = [p for p in PAGES if (p in exact if exact else any(w in p for w in wanted))]
    tmp = Path(tempfile.mkdtemp(prefix="smartpick-load-"))
    databases = [("SQLite", f"sqlite:///{tmp / 'load.sqlite3'}")]
    if os.environ.get("SMARTPICK_TEST_POSTGRES_URL"):
        databases.append(("PostgreSQL", os.environ["SMARTPICK_TEST_POSTGRES_URL"]))
    args.per_page = args.seconds / (len(pages) * len(databases))
    tool = "wrk" if shutil.which("wrk") else "httpx"
    print(
        f"# {tool}, {args.connections} connections, {args.workers} workers, {args.mode} mode, "
        f"{args.per_page:.1f} s/page after {args.warmup:g} s warm-up, loopback; {os.cpu_count()} cores"
    )
    print(
        f"{'database':<11} {'page':<48} {'req/s':>7} {'p99 ms':>7} {'errors':>6} {'CPU ms':>7} {'DB ms':>6} "
        f"{'2 cores/CPU':>9} {'load':>5}"
    )
    for label, url in databases:
        base, proc = start(url, args.workers, args.mode)
        try:
            ids, cookies = seed(base, args.mode)
            server = Server(base, proc.pid, cookies, postmaster_pid() if label == "PostgreSQL" else 0)
            for row in measure(server, ids, pages, args):
                print(row.line(label), flush=True)
        finally:
            proc.terminate()
            proc.wait(timeout=15)
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
