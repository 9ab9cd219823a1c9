"""Time ``smartpick match run`` end to end on a national-sized JSON instance, beside the in-process solve.

The instance: 45,000 applicants, 5,000 programs (8% advanced, 8% pgy1, the rest categorical),
12 ranks each; 12% of applicants apply in an advanced specialty (they rank advanced programs, each with a
supplemental list of 3 PGY-1 programs), the others rank categorical programs.
Preferences are correlated (shared desirability/strength + noise) and the seed is fixed. Reported:

- ``cli_s``: wall time of the whole command (a new Python process: start-up, read, validate, solve, check,
  write the JSON result to a file), median of ``--repeats``;
- ``parse_s``/``solve_ms``: validating the parsed JSON and building its arrays (the fast path
  ``parse_market``), and the in-process solve of the same market (median after the JIT warm-up);
- ``reference_ms``: the same solve by the pure-Python reference procedure (one run; what ``match run``
  used for instances with couples before the compiled couples procedure);
- ``matching_ms``: the `matching` package's resident-optimal algorithm on the same market without the
  supplemental lists (it has no such concept), beside our kernel on that market (``kernel_ms``);
- ``peak_rss_mb``: the command's peak resident memory.

``--couples N`` turns the last 2N applicants into N couples whose pairs zip the two members' ROLs.

Usage: ``PYTHONPATH=src python benchmarks/bench_instance.py [--applicants N] [--programs M] [--repeats R]``.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np


def make_instance(
    applicants: int, programs: int, ranks: int, seed: int, advanced_share: float = 0.12
) -> dict[str, Any]:
    """A national-sized instance following the JSON contract, with supplemental lists."""
    rng = np.random.default_rng(seed)
    tracks = np.array(["categorical"] * programs, dtype=object)
    kinds = rng.permutation(programs)
    n_advanced, n_pgy1 = programs * 8 // 100, programs * 8 // 100
    tracks[kinds[:n_advanced]] = "advanced"
    tracks[kinds[n_advanced : n_advanced + n_pgy1]] = "pgy1"
    pgy1 = np.flatnonzero(tracks == "pgy1")
    # an applicant applies in an advanced specialty (ranks advanced programs, each with a supplemental
    # list of PGY-1 years) or in a categorical one; PGY-1 years are ranked on supplemental lists only
    wants_advanced = rng.random(applicants) < advanced_share
    desirability = rng.normal(size=programs)
    rols = np.empty((applicants, ranks), dtype=np.int64)
    for group, pool in (
        (wants_advanced, np.flatnonzero(tracks == "advanced")),
        (~wants_advanced, np.flatnonzero(tracks == "categorical")),
    ):
        who_group = np.flatnonzero(group)
        for start in range(0, who_group.size, 2_000):
            rows = who_group[start : start + 2_000]
            utility = desirability[pool] + rng.normal(scale=1.5, size=(rows.size, pool.size))
            top = np.argpartition(-utility, ranks, axis=1)[:, :ranks]
            order = np.argsort(-np.take_along_axis(utility, top, axis=1), axis=1)
            rols[rows] = pool[np.take_along_axis(top, order, axis=1)]
    strength = rng.normal(size=applicants)
    who = np.repeat(np.arange(applicants), ranks)
    score = strength[who] + rng.normal(scale=0.5, size=who.size)
    # supplemental PGY-1 lists: applicants who rank an advanced program also rank 3 pgy1 programs,
    # and those pgy1 programs rank them back
    supplemental: list[dict[str, list[str]]] = [{} for _ in range(applicants)]
    extra_who, extra_prog = [], []
    for a, row in enumerate(rols):
        advanced = [int(p) for p in row if tracks[p] == "advanced"]
        if advanced:
            chosen = rng.choice(pgy1, size=3, replace=False)
            for p in advanced:
                supplemental[a][f"P{p}"] = [f"P{q}" for q in chosen]
            extra_who += [a] * 3
            extra_prog += chosen.tolist()
    all_who = np.concatenate([who, np.array(extra_who, dtype=np.int64)])
    all_prog = np.concatenate([rols.ravel(), np.array(extra_prog, dtype=np.int64)])
    all_score = np.concatenate([score, strength[extra_who] if extra_who else np.empty(0)])
    pairs = np.unique(np.stack([all_prog, all_who], axis=1), axis=0, return_index=True)[1]
    all_who, all_prog, all_score = all_who[pairs], all_prog[pairs], all_score[pairs]
    order = np.lexsort((-all_score, all_prog))
    bounds = np.searchsorted(all_prog[order], np.arange(programs + 1))
    ranked = all_who[order]
    capacity = 1 + rng.multinomial(int(applicants * 0.9) - programs, np.full(programs, 1 / programs))
    return {
        "programs": [
            {
                "id": f"P{p}",
                "capacity": int(capacity[p]),
                "track": str(tracks[p]),
                "rank": [f"A{a}" for a in ranked[bounds[p] : bounds[p + 1]].tolist()],
            }
            for p in range(programs)
        ],
        "applicants": [
            {"id": f"A{a}", "rank": [f"P{p}" for p in rols[a].tolist()]}
            | ({"supplemental": supplemental[a]} if supplemental[a] else {})
            for a in range(applicants)
        ],
    }


def add_couples(data: dict[str, Any], couples: int) -> dict[str, Any]:
    """Turn the last ``2 * couples`` applicants into couples ranking their ROLs zipped into pairs."""
    if couples <= 0:
        return data
    singles, members = data["applicants"][: -2 * couples], data["applicants"][-2 * couples :]
    pairs = [
        {
            "members": [a["id"], b["id"]],
            "rank": [list(pair) for pair in zip(a["rank"], b["rank"], strict=False)],
        }
        for a, b in zip(members[::2], members[1::2], strict=True)
    ]
    return data | {"applicants": singles, "couples": pairs}


def _median_s(run: Any, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main(argv: list[str] | None = None) -> None:
    """Write the instance, time the command and the in-process steps, print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=45_000)
    parser.add_argument("--programs", type=int, default=5_000)
    parser.add_argument("--ranks", type=int, default=12)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20260320)
    parser.add_argument("--couples", type=int, default=0, help="turn 2N applicants into N couples")
    parser.add_argument("--no-matching", action="store_true", help="skip the `matching` package")
    args = parser.parse_args(argv)

    from smartpick.domain.match.algorithm import run_match, run_nrmp_procedure
    from smartpick.domain.match.columnar import parse_market
    from smartpick.domain.match.kernel import NUMBA_AVAILABLE, deferred_acceptance

    data = add_couples(make_instance(args.applicants, args.programs, args.ranks, args.seed), args.couples)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "instance.json"
        out = Path(tmp) / "result.json"
        path.write_text(json.dumps(data))
        command = [sys.executable, "-m", "smartpick", "match", "run", "--instance", str(path)]
        command += ["--format", "json"]

        def cli() -> None:
            with out.open("w") as sink:
                subprocess.run(command, check=True, stdout=sink, env=os.environ.copy())

        cli()  # warm the on-disk JIT cache
        cli_s = _median_s(cli, args.repeats)
        peak_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        matched = sum(1 for v in json.loads(out.read_text())["matches"].values() if v)

    parse_s = _median_s(lambda: parse_market(data), args.repeats)
    market, _ = parse_market(data)
    run_match(market)
    solve_ms = _median_s(lambda: run_match(market), max(args.repeats, 10)) * 1e3
    reference_ms = _median_s(lambda: run_nrmp_procedure(market), 1) * 1e3
    result: dict[str, Any] = {
        "applicants": args.applicants,
        "programs": args.programs,
        "couples": args.couples,
        "supplemental_applicants": sum(1 for a in data["applicants"] if "supplemental" in a),
        "cli_s": round(cli_s, 3),
        "peak_rss_mb": round(peak_rss_mb, 1),
        "parse_s": round(parse_s, 3),
        "solve_ms": round(solve_ms, 2),
        "reference_ms": round(reference_ms, 1),
        "matched": matched,
        "numba": NUMBA_AVAILABLE,
    }
    if not args.no_matching:
        sys.setrecursionlimit(10_000)
        from bench_match import matching_package_run  # same folder

        def kernel() -> Any:
            return deferred_acceptance(
                market.rol_indptr, market.rol_indices, market.rol_program_rank, market.capacity
            )

        ours = kernel()
        result["kernel_ms"] = round(_median_s(kernel, max(args.repeats, 10)) * 1e3, 2)
        theirs_ms, theirs = matching_package_run(market, 1)
        result["matching_ms"] = round(theirs_ms, 1)
        result["matching_agrees"] = bool(np.array_equal(theirs, ours))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
