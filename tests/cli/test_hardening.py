"""Issue 16 regressions on the command line: bad input is exit 2 with one line naming field and value,
never a traceback; one id per program; imports that keep what the file does not mention."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from smartpick.cli import app
from smartpick.data import bundled_catalogue

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PROFILE = EXAMPLES / "strong-us-img.toml"
runner = CliRunner()
MIAMI_ID, MIAMI_CODE, MIAMI_ACGME = "1104340", "1104340A0", "3401121107"


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def assert_bad_input(result, *words: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    text = result.stderr
    assert "Traceback" not in result.output and text.startswith("error: "), text
    for word in words:
        assert word in text, text


# ---- one id per program ----


def test_one_program_under_three_ids_is_tracked_once() -> None:
    assert run("track", "add", MIAMI_ID).exit_code == 0
    for ref in (MIAMI_CODE, MIAMI_ACGME, MIAMI_CODE.lower()):
        assert_bad_input(run("track", "add", ref), "already tracked")
    listed = json.loads(run("track", "list", "--format", "json").stdout)["programs"]
    assert [row["program"] for row in listed] == [MIAMI_ID]


def test_track_add_by_nrmp_code_or_acgme_id_stores_the_catalogue_id_and_names_it() -> None:
    added = run("track", "add", MIAMI_ACGME)
    name = bundled_catalogue().get(MIAMI_ID).name  # type: ignore[union-attr]
    assert added.exit_code == 0 and name in added.stdout and MIAMI_ID in added.stdout
    assert run("track", "show", MIAMI_CODE, "--format", "json").exit_code == 0
    shown = json.loads(run("track", "show", MIAMI_CODE, "--format", "json").stdout)
    assert shown["application"]["program"] == MIAMI_ID


def test_an_unlisted_track_code_of_a_catalogue_program_resolves_to_it() -> None:
    assert bundled_catalogue().canonical_id("1104340P1") == MIAMI_ID
    assert bundled_catalogue().canonical_id("9999340C0") is None


def test_log_imported_under_two_ids_is_one_program_for_messages_check(tmp_path: Path) -> None:
    log = tmp_path / "log.toml"
    log.write_text(
        f'[[application]]\nprogram = "{MIAMI_ID}"\nstatus = "applied"\ndate = 2026-09-20\nnote = "first"\n\n'
        f'[[application]]\nprogram = "{MIAMI_ACGME}"\nstatus = "invited"\n',
        encoding="utf-8",
    )
    assert run("track", "import", str(log)).exit_code == 0
    listed = json.loads(run("track", "list", "--format", "json").stdout)["programs"]
    assert [(r["program"], r["status"], r["since"]) for r in listed] == [(MIAMI_ID, "invited", "2026-09-20")]
    checked = run("messages", "check")
    assert (checked.exit_code in (0, 1) and checked.exception is None) or isinstance(
        checked.exception, SystemExit
    )


def test_rank_list_naming_one_hospital_under_two_ids_is_rejected(tmp_path: Path) -> None:
    ranks = tmp_path / "ranklist.toml"
    ranks.write_text(f'[[rank]]\nprogram = "{MIAMI_ID}"\n\n[[rank]]\nprogram = "{MIAMI_ACGME}"\n', "utf-8")
    assert_bad_input(
        run("ranklist", "check", "--rank-list", str(ranks)), "rank[1].program", "each program once"
    )


def test_rank_list_may_hold_two_tracks_of_one_program(tmp_path: Path) -> None:
    codes = [t.code for t in bundled_catalogue().get("1024340").tracks]  # type: ignore[union-attr]
    assert len(codes) == 2
    ranks = tmp_path / "ranklist.toml"
    ranks.write_text("".join(f'[[rank]]\nprogram = "{c}"\n\n' for c in codes), "utf-8")
    assert run("ranklist", "check", "--rank-list", str(ranks)).exit_code in (0, 1)


@pytest.mark.parametrize(
    ("item", "word"),
    [
        ("1104340=nan", "number above 0"),
        ("1104340=inf", "number above 0"),
        ("9999999=3", "catalogue"),
        ("1104340=-1", "number above 0"),
        ("=2", "PROGRAM=VALUE"),
    ],
)
def test_recommend_utility_rejects_nan_and_unknown_ids(item: str, word: str) -> None:
    assert_bad_input(run("recommend", "--profile", str(PROFILE), "--utility", item), "--utility", word)


def test_recommend_utility_one_program_two_values_is_an_error() -> None:
    result = run(
        "recommend", "--profile", str(PROFILE), "--utility", f"{MIAMI_ID}=2", "--utility", f"{MIAMI_ACGME}=3"
    )
    assert_bad_input(result, "one value per program")


# ---- tracebacks that were ----


@pytest.mark.parametrize("target", ["missing-dir/x.toml", "."])
def test_track_export_to_a_bad_path_is_exit_2(tmp_path: Path, target: str) -> None:
    assert run("track", "add", MIAMI_ID).exit_code == 0
    assert_bad_input(run("track", "export", "--out", str(tmp_path / target)), "--out")


def test_ranklist_build_to_a_folder_is_exit_2(tmp_path: Path) -> None:
    prefs = EXAMPLES / "rank-preferences.toml"
    assert_bad_input(
        run("ranklist", "build", "--preferences", str(prefs), "--out", str(tmp_path)), "--out", "not a folder"
    )


@pytest.mark.parametrize(("option", "value"), [("--seed", "-1"), ("--runs", "100000000"), ("--runs", "0")])
def test_match_simulate_rejects_out_of_range_seed_and_runs(option: str, value: str) -> None:
    result = run(
        "match",
        "simulate",
        "--profile",
        str(PROFILE),
        "--rank-list",
        str(EXAMPLES / "ranklist.toml"),
        option,
        value,
    )
    assert_bad_input(result, option, value)


# ---- plausible dates ----


def test_track_dates_outside_1990_to_2100_are_rejected() -> None:
    for day in ("1900-01-01", "3000-01-01"):
        assert_bad_input(run("track", "add", MIAMI_ID, "--date", day), "--date", day, "1990-01-01")


@pytest.mark.parametrize(
    "command",
    [
        ("plan", "--profile", str(PROFILE)),
        ("fellowship", "plan", "--portfolio", str(EXAMPLES / "resident-portfolio.toml")),
    ],
)
def test_today_outside_the_window_is_rejected(command: tuple[str, ...]) -> None:
    assert_bad_input(run(*command, "--today", "1900-01-01"), "--today", "1900-01-01", "2100-12-31")


def test_profile_rotation_in_1900_is_rejected(tmp_path: Path) -> None:
    text = PROFILE.read_text(encoding="utf-8") + (
        '\n[[rotations]]\nsite = "Somewhere"\nkind = "hands_on"\nstart = 1900-01-01\nweeks = 4\n'
    )
    bad = tmp_path / "profile.toml"
    bad.write_text(text, encoding="utf-8")
    assert_bad_input(run("profile", "check", str(bad)), "start", "1990-01-01")


def test_profile_with_ten_thousand_rotations_is_rejected(tmp_path: Path) -> None:
    rotation = '\n[[rotations]]\nsite = "Somewhere"\nkind = "hands_on"\nstart = 2026-07-01\nweeks = 4\n'
    bad = tmp_path / "profile.toml"
    bad.write_text(PROFILE.read_text(encoding="utf-8") + rotation * 10_000, encoding="utf-8")
    assert_bad_input(run("profile", "check", str(bad)), "rotations")


def test_deeply_nested_and_nan_toml_are_input_errors(tmp_path: Path) -> None:
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 2000 + "]" * 2000 + "\n", encoding="utf-8")
    assert_bad_input(run("profile", "check", str(deep)), "nested")
    nan = tmp_path / "nan.toml"
    nan.write_text(
        PROFILE.read_text(encoding="utf-8").replace("[exams]", "[exams]\nstep2_ck = nan", 1), "utf-8"
    )
    assert_bad_input(run("profile", "check", str(nan)), "nan")


# ---- small CLI promises ----


def test_programs_list_with_unknown_state_is_exit_2_naming_the_allowed_codes() -> None:
    assert_bad_input(run("programs", "list", "--state", "ZZ"), "--state", "'ZZ'", "IL")


def test_profile_save_rejects_an_empty_name_and_needs_force_to_replace() -> None:
    assert_bad_input(run("profile", "save", str(PROFILE), "--name", ""), "--name")
    assert run("profile", "save", str(PROFILE), "--name", "mine").exit_code == 0
    assert_bad_input(run("profile", "save", str(PROFILE), "--name", "mine"), "--force")
    replaced = run("profile", "save", str(PROFILE), "--name", "mine", "--force")
    assert replaced.exit_code == 0 and "replaced" in replaced.stdout


def test_track_log_with_both_text_and_file_says_so(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_text("Thank you", encoding="utf-8")
    result = run(
        "track",
        "log",
        MIAMI_ID,
        "--kind",
        "thank_you",
        "--date",
        "2026-11-05",
        "--text",
        "Hi",
        "--file",
        str(note),
    )
    assert_bad_input(result, "not both")


def test_track_import_over_an_existing_entry_keeps_its_date_and_note(tmp_path: Path) -> None:
    assert (
        run(
            "track", "add", MIAMI_ID, "--status", "applied", "--date", "2026-09-20", "--note", "keep"
        ).exit_code
        == 0
    )
    update = tmp_path / "update.toml"
    update.write_text(f'[[application]]\nprogram = "{MIAMI_CODE}"\nstatus = "invited"\n', encoding="utf-8")
    assert run("track", "import", str(update)).exit_code == 0
    shown = json.loads(run("track", "show", MIAMI_ID, "--format", "json").stdout)["application"]
    assert shown == {"program": MIAMI_ID, "status": "invited", "date": "2026-09-20", "note": "keep"}


# ---- programs import ----


def _facts(tmp_path: Path, body: str, header: str = "program_id,field,value,source,note") -> Path:
    path = tmp_path / "facts.csv"
    path.write_text(header + "\n" + body, encoding="utf-8")
    return path


def test_programs_import_rejects_a_source_that_is_neither_url_nor_dataset(tmp_path: Path) -> None:
    path = _facts(tmp_path, "1007340,visa_j1,true,my friend said,\n")
    assert_bad_input(run("programs", "import", str(path)), "source", "URL")


def test_programs_import_rejects_conflicting_rows_naming_both_lines(tmp_path: Path) -> None:
    url = "https://example.org/program"
    path = _facts(tmp_path, f"1007340,visa_j1,true,{url},\n1007340,visa_j1,false,{url},\n")
    assert_bad_input(run("programs", "import", str(path)), "line 3", "line 2")


def test_programs_import_collapses_identical_rows_and_resolves_ids(tmp_path: Path) -> None:
    url = "https://example.org/program"
    path = _facts(
        tmp_path,
        f"1007340,visa_j1,true,{url},\n3400121002,visa_j1,true,{url},\n1007340,visa_j1,true,{url},\n",
    )
    result = run("programs", "import", str(path))
    assert result.exit_code == 0 and "imported 1 facts for 1 programs" in result.stdout


def test_programs_import_rejects_extra_columns(tmp_path: Path) -> None:
    path = _facts(
        tmp_path, "1007340,visa_j1,true,https://example.org,,x\n", "program_id,field,value,source,note,extra"
    )
    assert_bad_input(run("programs", "import", str(path)), "header", "only the columns")


def test_programs_import_rejects_a_huge_file(tmp_path: Path) -> None:
    row = "1007340,visa_j1,true,https://example.org/program,\n"
    path = _facts(tmp_path, row * (5_000_000 // len(row) + 10))
    assert_bad_input(run("programs", "import", str(path)), "file", "MB")


def test_programs_import_keeps_facts_the_file_does_not_mention(tmp_path: Path) -> None:
    before = bundled_catalogue().get("1007340")
    assert before is not None and before.city.value
    path = _facts(tmp_path, "1007340,visa_j1,true,https://example.org/program,\n")
    assert run("programs", "import", str(path)).exit_code == 0
    after = json.loads(run("programs", "show", "1007340", "--format", "json").stdout)
    assert after["city"]["value"] == before.city.value and after["visa_j1"]["value"] is True
    assert after["name"] == before.name and len(after["tracks"]) == len(before.tracks)


def test_programs_version_counts_imported_programs(tmp_path: Path) -> None:
    count = len(bundled_catalogue())
    src = "https://example.org/new"
    rows = "".join(
        f"9990340,{f},{v},{src},\n" for f, v in (("name", "New PM&R"), ("city", "Austin"), ("state", "TX"))
    )
    path = _facts(tmp_path, rows + f"9990340,track.9990340C0.positions,4,{src},\n")
    assert run("programs", "import", str(path)).exit_code == 0, run("programs", "import", str(path)).output
    assert f"{count + 1} programs" in run("programs", "--version").stdout
