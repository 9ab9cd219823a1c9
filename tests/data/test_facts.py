from __future__ import annotations

from pathlib import Path

import pytest

from smartpick.data.facts import read_fact_rows
from smartpick.errors import InputErrors

HEADER = "program_id,field,value,source,note\n"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "facts.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_valid_rows_are_typed(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "1007340,visa_j1,yes,https://x.example/p,\n"
        "1007340,img_share,35%,https://x.example/p,\n"
        "1007340,track.1007340C0.positions,5,NRMP 2025,\n"
        "1007340,strength.sci,false,,estimate: no SCI model system listed\n",
    )
    rows = read_fact_rows(path, known_ids=frozenset({"1007340"}))
    assert [r.value for r in rows] == [True, 0.35, 5, False]
    assert rows[3].estimate == "no SCI model system listed" and rows[3].source is None


def test_every_bad_row_is_reported_with_its_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "1007340,city,Birmingham,https://x.example,\n"
        "1007340,state,Alabama,https://x.example,\n"
        "1007340,colour,red,https://x.example,\n"
        "1007340,city,Birmingham,,\n"
        "9999340,city,Nowhere,https://x.example,\n",
    )
    with pytest.raises(InputErrors) as info:
        read_fact_rows(path, known_ids=frozenset({"1007340"}))
    lines = info.value.lines()
    assert len(lines) == 4
    assert (
        lines[0] == f"{path}: line 3: value (field state): got 'Alabama'; "
        "allowed: a two-letter US state code such as IL"
    )
    assert lines[1].startswith(f"{path}: line 4: field: got 'colour'; one of name, alias")
    assert lines[2].startswith(f"{path}: line 5: source: got ''; every value needs a source")
    assert lines[3].startswith(f"{path}: line 6: program_id: got '9999340'; not in the catalogue")


def test_a_new_program_is_accepted_when_fully_described(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "new-x,name,New X PM&R,https://x.example,\nnew-x,city,Austin,https://x.example,\n"
        "new-x,state,TX,https://x.example,\nnew-x,track.5555340C0.positions,4,https://x.example,\n",
    )
    assert len(read_fact_rows(path, known_ids=frozenset())) == 4


def test_missing_columns_and_unreadable_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,value\n1,2\n")
    with pytest.raises(InputErrors, match="columns needed: program_id, field, value, source"):
        read_fact_rows(bad, known_ids=None)
    with pytest.raises(InputErrors, match="a readable UTF-8 CSV file"):
        read_fact_rows(tmp_path / "absent.csv", known_ids=None)
    binary = tmp_path / "bin.csv"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(InputErrors, match="a readable UTF-8 CSV file"):
        read_fact_rows(binary, known_ids=None)
