"""``smartpick match run`` and ``smartpick match simulate``: output shapes and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from smartpick.cli import app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
INSTANCE = EXAMPLES / "instance.json"
runner = CliRunner()


def _write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_run_example_prints_the_four_keys_and_is_stable() -> None:
    result = runner.invoke(app, ["match", "run", "--instance", str(INSTANCE), "--format", "json", "--verify"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert set(doc) == {"matches", "pgy1_matches", "unfilled", "stats"}
    # Worked by hand: C1+C2 lose (EAST, WEST) to A2 at WEST, then (ADV, TY) to A3/A4, and settle for
    # (EAST, null); A3 and A4 hold PMR-ADV with PGY-1 seats from their supplemental lists.
    assert doc["matches"] == {
        "A1": "PMR-EAST",
        "A2": "PMR-WEST",
        "A3": "PMR-ADV",
        "A4": "PMR-ADV",
        "C1": "PMR-EAST",
        "C2": None,
    }
    assert doc["pgy1_matches"] == {"A3": "TY-LOCAL", "A4": "IM-PRELIM"}
    assert doc["unfilled"] == {"IM-PRELIM": 1}
    assert doc["stats"]["stable"] and doc["stats"]["status"] == "converged"


def test_run_table_is_the_default_output() -> None:
    result = runner.invoke(app, ["match", "run", "--instance", str(INSTANCE)])
    assert result.exit_code == 0
    assert "Matches" in result.stdout and "TY-LOCAL" in result.stdout
    assert "stable: no applicant" in result.stdout


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d["programs"][0].update(capacity=-1),
            "programs[0].capacity: got -1; expected an integer >= 0",
        ),
        (lambda d: d["applicants"][0]["rank"].append("NOPE"), 'applicants[0].rank[2]: got "NOPE"'),
        (lambda d: d["applicants"][0]["rank"].append("PMR-EAST"), "each program at most once"),
        (lambda d: d["applicants"].append({"id": "C1", "rank": []}), "not also listed alone"),
    ],
)
def test_run_bad_instance_exits_2_with_one_line(tmp_path: Path, mutate: Any, message: str) -> None:
    data = json.loads(INSTANCE.read_text(encoding="utf-8"))
    mutate(data)
    result = runner.invoke(app, ["match", "run", "--instance", str(_write(tmp_path, data))])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0]


def test_run_missing_or_broken_file_exits_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["match", "run", "--instance", str(tmp_path / "none.json")]).exit_code == 2
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    result = runner.invoke(app, ["match", "run", "--instance", str(broken)])
    assert result.exit_code == 2 and result.stderr.startswith("error: ")


def test_verify_exits_1_when_no_stable_matching_is_found(tmp_path: Path) -> None:
    # No stable matching exists (single S vs the couple): the procedure cycles and --verify says so.
    data = {
        "programs": [
            {"id": "P0", "capacity": 1, "rank": ["M1", "S"]},
            {"id": "P1", "capacity": 1, "rank": ["S", "M2"]},
        ],
        "applicants": [{"id": "S", "rank": ["P0", "P1"]}],
        "couples": [{"members": ["M1", "M2"], "rank": [["P0", "P1"]]}],
    }
    path = _write(tmp_path, data)
    result = runner.invoke(app, ["match", "run", "--instance", str(path), "--format", "json", "--verify"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["stats"]["status"] == "cycle"
    assert "no stable matching" in result.stderr
    assert runner.invoke(app, ["match", "run", "--instance", str(path), "--format", "json"]).exit_code == 0


def test_simulate_json_same_seed_same_result_with_workers() -> None:
    args = ["match", "simulate", "--profile", str(EXAMPLES / "strong-us-img.toml")]
    args += [
        "--rank-list",
        str(EXAMPLES / "ranklist.toml"),
        "--runs",
        "400",
        "--seed",
        "5",
        "--format",
        "json",
    ]
    one = runner.invoke(app, args)
    assert one.exit_code == 0, one.output
    doc = json.loads(one.stdout)
    assert 0 < doc["p_match"]["low"] <= doc["p_match"]["p"] <= doc["p_match"]["high"] < 1
    assert doc["safest_first"]["p_match"] == doc["p_match"]
    assert doc["safest_first"]["safest_first_better"]["p"] == 0.0
    two = runner.invoke(app, [*args, "--workers", "2"])
    assert two.exit_code == 0 and json.loads(two.stdout) == doc


@pytest.mark.parametrize(
    "extra", [["--runs", "0"], ["--workers", "0"], ["--engine", "spark"], ["--engine", "ray"]]
)
def test_simulate_bad_options_exit_2(extra: list[str]) -> None:
    pytest.importorskip("numpy")
    if extra == ["--engine", "ray"]:
        try:
            import ray  # noqa: F401
        except ImportError:
            pass
        else:
            pytest.skip("ray is installed")
    args = ["match", "simulate", "--profile", str(EXAMPLES / "strong-us-img.toml")]
    result = runner.invoke(app, [*args, "--rank-list", str(EXAMPLES / "ranklist.toml"), *extra])
    assert result.exit_code == 2 and result.stderr.startswith("error: ")


def test_simulate_applications_text_file_json(tmp_path: Path) -> None:
    from smartpick.data import bundled_catalogue

    ids = [p.id for p in bundled_catalogue().programs[:12]]
    path = tmp_path / "apps.txt"
    path.write_text(
        "# my list\n" + "\n".join(ids[:11]) + f"\n{ids[11]} signal  # signalled\n", encoding="utf-8"
    )
    args = [
        "match",
        "simulate",
        "--profile",
        str(EXAMPLES / "strong-us-img.toml"),
        "--applications",
        str(path),
    ]
    result = runner.invoke(app, [*args, "--runs", "300", "--seed", "3", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["runs"] == 300 and doc["programs"] == ids and doc["signals"] == [ids[11]]
    low, high = doc["p_match_ci"]
    assert 0 <= low <= doc["p_match"] <= high <= 1
    again = runner.invoke(app, [*args, "--runs", "300", "--seed", "3", "--format", "json"])
    assert json.loads(again.stdout) == doc


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("NOT-A-PROGRAM\n", "program"),
        ("# only comments\n", "applications"),
        ("1147340 twice\n", "applications"),
    ],
)
def test_simulate_applications_bad_file_exit_2(tmp_path: Path, text: str, field: str) -> None:
    path = tmp_path / "apps.txt"
    path.write_text(text, encoding="utf-8")
    args = [
        "match",
        "simulate",
        "--profile",
        str(EXAMPLES / "strong-us-img.toml"),
        "--applications",
        str(path),
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and result.stderr.startswith("error: ") and field in result.stderr


def test_simulate_needs_exactly_one_list() -> None:
    result = runner.invoke(app, ["match", "simulate", "--profile", str(EXAMPLES / "strong-us-img.toml")])
    assert result.exit_code == 2 and "exactly one" in result.stderr
