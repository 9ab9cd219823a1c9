"""Every figure ``smartpick advise`` shows says where it comes from, and the costs and months are right."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from smartpick.cli import app
from smartpick.data.figures import bundled_figures
from smartpick.services import advise as svc

sys.path.insert(0, str(Path(__file__).parents[1]))
from examples_as_of import as_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
LOW = EXAMPLES / "us-img-228-step1-fail.toml"
DAY = "2026-04-01"
runner = CliRunner()
FIGURES = (
    "delta_p_match",
    "delta_interval",
    "p_match_after",
    "cost_usd",
    "months",
    "p_match",
    "p_match_interval",
)


def _doc() -> dict[str, Any]:
    profile = str(as_of(LOW, DAY))
    args = ["advise", "--profile", profile, "--today", DAY, "--budget", "3500", "--format", "json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def _cited(source: str) -> bool:
    """A source line with a title and an address, or one that says it is an estimate."""
    return ("<http" in source and ">" in source) or "estimate" in source.lower()


def _unsourced(item: dict[str, Any]) -> list[str]:
    shown = [k for k in FIGURES if item.get(k) not in (None, 0, 0.0, [])]
    if not shown:
        return []
    if item.get("estimate") is not True or not item.get("sources"):
        return shown
    return [s for s in item["sources"] if not _cited(s)]


def test_every_figure_of_the_actions_and_the_plan_has_a_source_or_an_estimate_label() -> None:
    doc = _doc()
    assert doc["actions"] and doc["plan"] is not None
    for item in [*doc["actions"], doc["plan"]]:
        assert _unsourced(item) == [], item.get("id", "plan")
    for a in doc["actions"]:
        if a["cost_usd"] > 0:  # a cost is a published fee (with its address) or a labelled SmartPick estimate
            assert "ERAS" in a["cost_note"] or "estimate" in a["cost_note"], a["id"]
    assert doc["model_sources"][0].startswith("chances: SmartPick's simulated PM&R Match")
    assert "model estimate" in doc["model_sources"][0] and doc["estimate"] is True


def test_the_plan_cites_the_sources_of_its_actions() -> None:
    doc = _doc()
    by_id = {a["id"]: a for a in doc["actions"]}
    plan = doc["plan"]
    for action_id in plan["actions"]:
        assert set(by_id[action_id]["sources"]) <= set(plan["sources"]), action_id
    assert plan["cost_usd"] == pytest.approx(sum(by_id[i]["cost_usd"] for i in plan["actions"]))
    assert plan["months"] == pytest.approx(sum(by_id[i]["months"] for i in plan["actions"]), abs=0.05)


def test_eras_fees_are_11_dollars_to_30_programs_then_30_dollars() -> None:
    fees = bundled_figures().residency_fees
    assert [fees.cost(n) for n in (0, 1, 30, 31, 40)] == [0, 11, 330, 360, 630]


def test_costs_and_months_match_hand_computed_values() -> None:
    """Away rotation: host fee 500 + one month away 2,500; US clinical month: 1,500 + 2,500 (advice.toml)."""
    costs = svc.bundled_advice_figures()
    away, month, usce = (
        costs.value(k) for k in ("rotation_host_fee", "travel_housing_month", "usce_month_fee")
    )
    assert (away, month, usce) == (500, 2500, 1500)
    by_id = {a["id"]: a for a in _doc()["actions"]}
    assert (by_id["away-rotation"]["cost_usd"], by_id["away-rotation"]["months"]) == (3000.0, 1.0)
    assert (by_id["usce-months"]["cost_usd"], by_id["usce-months"]["months"]) == (4000.0, 1.0)
    assert by_id["backup-specialty"]["cost_usd"] == 330.0  # 30 programs at $11, the first tier of the ladder
    assert (
        "estimate" in by_id["away-rotation"]["cost_note"] and "travel" in by_id["away-rotation"]["cost_note"]
    )
