"""Compile SmartPick's numba kernels once, into their on-disk cache, before the test processes start.

A fresh clone has no compiled code: without this step every pytest-xdist worker (and every CLI
subprocess a test starts before the cache is written) compiles the same kernels again, at once.
This runs the commands whose paths reach every compiled entry point (the instance procedure with
and without couples, deferred acceptance, the simulated market) on the bundled examples.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "examples" / "strong-us-img.toml"


def smartpick(*args: str) -> str:
    """Run one command; stop with its message when it fails."""
    done = subprocess.run(
        [sys.executable, "-m", "smartpick", *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if done.returncode not in (0, 1):
        sys.exit(f"warm-up: smartpick {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def _instances() -> dict[str, dict[str, object]]:
    """The example instance as it is (couples), without couples, and without supplemental lists too."""
    example = json.loads((ROOT / "examples" / "instance.json").read_text())
    ids = {a["id"] for a in example["applicants"]}
    programs = [p | {"rank": [a for a in p["rank"] if a in ids]} for p in example["programs"]]
    plain = [{k: v for k, v in a.items() if k != "supplemental"} for a in example["applicants"]]
    return {
        "couples.json": example,
        "supplemental.json": {"programs": programs, "applicants": example["applicants"]},
        "plain.json": {"programs": programs, "applicants": plain},
    }


def main() -> None:
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for name, instance in _instances().items():
            path = Path(tmp) / name
            path.write_text(json.dumps(instance))
            smartpick("match", "run", "--instance", str(path), "--format", "json")
        listing = Path(tmp) / "list.json"
        listing.write_text(smartpick("recommend", "--profile", str(PROFILE), "--format", "json"))
        simulate = ("match", "simulate", "--profile", str(PROFILE), "--runs", "40", "--format", "json")
        smartpick(*simulate, "--applications", str(listing))
        smartpick(*simulate, "--rank-list", str(ROOT / "examples" / "ranklist.toml"))
    print(f"compiled kernels cached in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
