"""Progress bars, estimates, the --runs bound, interrupted runs and atomic writes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from smartpick.atomic import write_atomically
from smartpick.cli import app
from smartpick.cli import progress as prog
from smartpick.errors import InputError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
runner = CliRunner()
SIMULATE = ["match", "simulate", "--profile", str(EXAMPLES / "strong-us-img.toml")]
SIMULATE += ["--rank-list", str(EXAMPLES / "ranklist.toml")]


@pytest.mark.parametrize("runs", [0, -5, prog.MAX_RUNS + 1])
def test_runs_outside_the_bound_is_one_line_error(runs: int) -> None:
    result = runner.invoke(app, [*SIMULATE, "--runs", str(runs)])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert "--runs" in result.stderr and f"{prog.MAX_RUNS:,}" in result.stderr and str(runs) in result.stderr


def test_check_runs_accepts_the_bounds() -> None:
    assert prog.check_runs(1) == 1 and prog.check_runs(prog.MAX_RUNS) == prog.MAX_RUNS
    with pytest.raises(InputError):
        prog.check_runs(11, maximum=10, option="--iterations")


def test_estimate_printed_once_when_projected_over_a_minute(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([0.0, 30.0, 31.0, 32.0])
    monkeypatch.setattr(prog.time, "perf_counter", lambda: next(clock))
    said: list[str] = []
    estimator = prog._Estimator(1000, "markets", said.append)
    estimator.advance(100)  # 10% in 30 s: 300 s in all
    estimator.advance(100)
    assert len(said) == 1 and "1,000 markets" in said[0] and "about 5 minutes" in said[0]


def test_no_estimate_for_a_short_run(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([0.0, 1.0, 2.0])
    monkeypatch.setattr(prog.time, "perf_counter", lambda: next(clock))
    said: list[str] = []
    estimator = prog._Estimator(1000, "markets", said.append)
    estimator.advance(500)
    estimator.advance(400)
    assert said == []


def test_progress_bar_draws_on_a_terminal_and_counts() -> None:
    sink = io.StringIO()
    console = Console(file=sink, force_terminal=True, width=100)
    with prog.progress_bar("Simulating markets", total=10, unit="markets", console=console) as advance:
        for _ in range(10):
            advance(1)
    assert "Simulating markets" in sink.getvalue()


def test_progress_bar_silent_off_a_terminal() -> None:
    sink = io.StringIO()
    with prog.progress_bar("x", total=3, console=Console(file=sink, force_terminal=False)) as advance:
        advance(3)
    assert sink.getvalue() == ""


@pytest.mark.parametrize(
    ("seconds", "text"), [(5, "about 5 seconds"), (150, "about 2 minutes"), (7200, "about 2.0 hours")]
)
def test_describe_duration(seconds: float, text: str) -> None:
    assert prog.describe_duration(seconds) == text


def test_write_atomically_leaves_old_file_when_interrupted(tmp_path: Path) -> None:
    target = tmp_path / "catalogue.json"
    target.write_text("old", encoding="utf-8")

    with pytest.raises(KeyboardInterrupt), _interrupt_on_write():
        write_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["catalogue.json"]
    write_atomically(target, "new")
    assert target.read_text(encoding="utf-8") == "new"


class _interrupt_on_write:
    def __enter__(self) -> None:
        import os

        self._replace = os.replace

        def interrupted(*_: object) -> None:
            raise KeyboardInterrupt

        os.replace = interrupted  # type: ignore[assignment]

    def __exit__(self, *_: object) -> None:
        import os

        os.replace = self._replace


def test_simulate_interrupted_exits_130_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from smartpick.services import match as svc

    def interrupted(*_: object, **__: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(svc, "simulate", interrupted)
    result = runner.invoke(app, [*SIMULATE, "--runs", "100"])
    assert result.exit_code == 130 and result.stdout == ""
    assert result.stderr.strip().count("\n") == 0


def test_interpreted_engine_notice_is_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from smartpick.domain.match import kernel

    path = tmp_path / "instance.json"
    doc = {
        "programs": [{"id": "P1", "capacity": 1, "rank": ["A1"]}],
        "applicants": [{"id": "A1", "rank": ["P1"]}],
    }
    path.write_text(json.dumps(doc))
    args = ["match", "run", "--instance", str(path), "--format", "json"]
    monkeypatch.setattr(kernel, "NUMBA_AVAILABLE", False)
    without = runner.invoke(app, args)
    assert without.exit_code == 0 and without.stderr.count("\n") == 1 and "numba" in without.stderr
    monkeypatch.setattr(kernel, "NUMBA_AVAILABLE", True)
    assert runner.invoke(app, args).stderr == ""
