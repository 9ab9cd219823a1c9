"""``match run``'s reader: orjson where it parses, the standard reader's one-line errors where it does not."""

from __future__ import annotations

import gc
import json
import subprocess
import sys
from pathlib import Path

import pytest

from smartpick.errors import InputError
from smartpick.services.match_instance import run_instance_file

_INSTANCE = {
    "programs": [{"id": "P1", "capacity": 1, "rank": ["A1", "A2"]}],
    "applicants": [{"id": "A1", "rank": ["P1"]}, {"id": "A2", "rank": ["P1"]}],
}


def test_a_valid_instance_matches_and_the_collector_is_back_on(tmp_path: Path) -> None:
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(_INSTANCE))
    run = run_instance_file(path)
    assert run.result.matches == {"A1": "P1", "A2": None}
    assert run.blocking_pairs == ()
    assert gc.isenabled()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"programs": [', "valid JSON"),  # orjson rejects it; the standard reader names the position
        ('{"programs": [], "applicants": [{"id": "A1", "rank": [NaN]}]}', "finite number"),
        ("\ufeff{}", "valid JSON"),
    ],
)
def test_what_orjson_rejects_gets_the_standard_one_line_error(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "instance.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        run_instance_file(path)
    assert expected in caught.value.message
    assert "\n" not in caught.value.message
    assert gc.isenabled()


def test_a_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        run_instance_file(tmp_path / "absent.json")
    assert "absent.json" in caught.value.message


def test_numba_skips_its_scipy_probe_and_scipy_still_imports() -> None:
    code = (
        "import sys; import smartpick.domain.match.jit as j; "
        "assert 'scipy.linalg' not in sys.modules, 'probe imported scipy.linalg'; "
        "import scipy.linalg.cython_blas; print(j.NUMBA_AVAILABLE)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() in {"True", "False"}
