"""``match simulate --engine ray`` on a local Ray instance gives exactly the local engine's results."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from smartpick.data import bundled_catalogue
from smartpick.services import match as svc

ray = pytest.importorskip("ray")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    os.environ.pop("RAY_ADDRESS", None)  # always a fresh local instance in tests
    ray.init(num_cpus=max(1, min(2, os.cpu_count() or 1)), include_dashboard=False, log_to_driver=False)
    try:
        yield
    finally:
        ray.shutdown()


def _simulate(engine: str, seed: int, progress: list[int] | None = None) -> svc.SimulationReport:
    return svc.simulate(
        EXAMPLES / "strong-us-img.toml",
        EXAMPLES / "ranklist.toml",
        catalogue=bundled_catalogue(),
        runs=600,
        seed=seed,
        workers=2,
        engine=engine,
        progress=None if progress is None else progress.append,
    )


@pytest.mark.usefixtures("local_ray")
def test_ray_engine_matches_local_engine_for_the_same_seed() -> None:
    done: list[int] = []
    remote = _simulate("ray", 11, done)
    local = _simulate("local", 11)
    assert sum(done) == 600
    assert remote.ranked == local.ranked and remote.safest == local.safest
    assert remote.reordering == local.reordering
    other = _simulate("ray", 12)
    assert other.ranked != remote.ranked  # the seed matters: not a constant answer


@pytest.mark.usefixtures("local_ray")
def test_ray_cli_json_equals_local(tmp_path: Path) -> None:
    import json

    from typer.testing import CliRunner

    from smartpick.cli import app

    args = ["match", "simulate", "--profile", str(EXAMPLES / "strong-us-img.toml")]
    args += ["--rank-list", str(EXAMPLES / "ranklist.toml"), "--runs", "300", "--seed", "3"]
    args += ["--format", "json"]
    runner = CliRunner()
    by_ray = runner.invoke(app, [*args, "--engine", "ray"])
    by_local = runner.invoke(app, args)
    assert by_ray.exit_code == 0, by_ray.output
    assert json.loads(by_ray.stdout) == json.loads(by_local.stdout)
    assert np.isfinite(json.loads(by_ray.stdout)["p_match"]["p"])
