"""``smartpick plan``, ``exam advise`` and ``rotations plan`` through the CLI, on the example profiles."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar
from typer.testing import CliRunner

from smartpick.cli import app
from smartpick.data import bundled_catalogue
from smartpick.domain.planning.calendar import TaskStatus
from smartpick.domain.profile.applicant import Profile
from smartpick.errors import InputError
from smartpick.services.files import load_model
from smartpick.services.plan import build_plan

sys.path.insert(0, str(Path(__file__).parents[1]))
from examples_as_of import as_of

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PENDING = EXAMPLES / "non-us-img-visa.toml"  # Step 2 pending, planned 2027-06-20, start 2028
STRONG = EXAMPLES / "strong-us-img.toml"  # Step 2 251, 2 rotations, start 2027
LOW = EXAMPLES / "us-img-228-step1-fail.toml"  # 228, Step 1 repeat, 1 observership, start 2027
runner = CliRunner()


@pytest.fixture(scope="module", autouse=True)
def _database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    mp = pytest.MonkeyPatch()
    mp.setenv("SMARTPICK_DATABASE_URL", f"sqlite:///{tmp_path_factory.mktemp('db') / 'plan.sqlite3'}")
    yield
    mp.undo()


def _run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def _plan(profile: Path, today: str, *extra: str) -> dict[str, Any]:
    past = as_of(profile, today)
    result = _run("plan", "--profile", str(past), "--today", today, "--format", "json", *extra)
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def _ids(doc: dict[str, Any]) -> set[str]:
    return {t["id"] for t in doc["tasks"]}


def test_plan_json_contract() -> None:
    doc = _plan(STRONG, "2026-01-15")
    assert next(iter(doc)) == "tasks"
    for task in doc["tasks"]:
        assert list(task)[:8] == ["id", "title", "category", "start", "due", "status", "why", "source"]
        assert task["status"] in {"todo", "done", "late", "skipped"}
        assert task["start"] <= task["due"] and task["source"]
    dues = [t["due"] for t in doc["tasks"]]
    assert dues == sorted(dues)
    assert doc["cycle"]["match_day"] == {
        "date": "2027-03-19",
        "basis": "computed",
        "source": doc["cycle"]["match_day"]["source"],
    }


def test_example_profiles_produce_different_plans() -> None:
    pending, strong, low = _plan(PENDING, "2026-01-15"), _plan(STRONG, "2026-01-15"), _plan(LOW, "2026-01-15")
    assert "step2-test-by" in _ids(pending) and "step2-test-by" not in _ids(strong) | _ids(low)
    test_by = next(t for t in pending["tasks"] if t["id"] == "step2-test-by")
    assert test_by["due"] == "2027-07-31" and "2027-06-20 is in time" in test_by["why"]
    assert pending["cycle"]["match_day"]["date"] == "2028-03-17"
    assert not any("apply" in i for i in _ids(strong))  # 2 rotations + 2 US physiatrist letters: enough
    assert "rotation-new-1-apply" in _ids(low)
    assert len({frozenset(_ids(d)) for d in (pending, strong, low)}) == 3


def test_three_rotations_done_gets_no_rotation_application(tmp_path: Path) -> None:
    third = '[[rotations]]\nsite = "Third site"\nkind = "hands_on"\nstart = 2026-04-06\nweeks = 4\n'
    text = STRONG.read_text(encoding="utf-8") + "\n" + third + "letter = true\n"
    profile = tmp_path / "three.toml"
    profile.write_text(text.replace("2026-06-01", "2026-03-02").replace("2026-07-06", "2026-05-04"), "utf-8")
    doc = _plan(profile, "2026-06-20")
    assert not [i for i in _ids(doc) if "apply" in i or "international" in i]
    rotations = [t for t in doc["tasks"] if t["id"].endswith("-rotation")]
    assert len(rotations) == 3 and {t["status"] for t in rotations} == {"done"}


def test_late_start_flags_late_tasks_with_what_to_do_instead() -> None:
    doc = _plan(LOW, "2026-10-05")
    late = {t["id"]: t for t in doc["tasks"] if t["status"] == "late"}
    assert {"eras-prepare", "eras-submit", "letters-reminder"} <= set(late)
    assert all(t["instead"] for t in late.values())
    assert doc["summary"]["late"] == len(late)
    assert all(t["instead"] is None for t in doc["tasks"] if t["status"] != "late")


def test_status_file_updates_tasks(tmp_path: Path) -> None:
    status = tmp_path / "status.toml"
    status.write_text('[tasks]\n"eras-prepare" = "done"\n"eras-submit" = "skipped"\n', encoding="utf-8")
    tasks = {t["id"]: t for t in _plan(LOW, "2026-10-05", "--status", str(status))["tasks"]}
    assert tasks["eras-prepare"]["status"] == "done" and tasks["eras-submit"]["status"] == "skipped"


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ('[tasks]\n"no-such-task" = "done"\n', "no-such-task"),
        ('[tasks]\n"eras-submit" = "finished"\n', "tasks.eras-submit"),
        ('[documents]\npassport = "ready"\n', "documents.passport"),
        ("[tasks\n", "valid TOML"),
    ],
)
def test_bad_status_file_is_exit_2(tmp_path: Path, content: str, needle: str) -> None:
    status = tmp_path / "status.toml"
    status.write_text(content, encoding="utf-8")
    result = _run("plan", "--profile", str(LOW), "--today", "2026-10-05", "--status", str(status))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and needle in result.stderr


def test_bad_today_and_finished_cycle_are_exit_2() -> None:
    bad = _run("plan", "--profile", str(STRONG), "--today", "2026-13-01")
    assert bad.exit_code == 2 and "--today" in bad.stderr
    past = _run("plan", "--profile", str(STRONG), "--today", "2027-04-01")
    assert past.exit_code == 2
    assert "applicant.target_start_year" in past.stderr and "use 2028 or later" in past.stderr
    assert "Traceback" not in past.output


def test_ics_export_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "plan.ics"
    doc = _plan(PENDING, "2026-01-15", "--ics", str(path))
    cal = Calendar.from_ical(path.read_bytes())
    events = cal.walk("VEVENT")
    assert len(events) == len(doc["tasks"])
    open_tasks = [t for t in doc["tasks"] if t["status"] in ("todo", "late")]
    assert sum(len(e.walk("VALARM")) for e in events) == len(open_tasks)
    assert {e.decoded("dtstart").isoformat() for e in events} == {t["due"] for t in doc["tasks"]}


def test_plan_table_output() -> None:
    result = _run("plan", "--profile", str(LOW), "--today", "2026-10-05")
    assert result.exit_code == 0, result.output
    assert "Plan for a July 2027 start" in result.stdout
    assert "Late: what to do instead" in result.stdout
    assert "Match Day 2027-03-19" in result.stdout


def test_exam_advise() -> None:
    result = _run("exam", "advise", "--profile", str(PENDING), "--today", "2027-04-01", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["decision"] == "test_as_planned" and doc["recommended_date"] == "2027-06-20"
    assert doc["low"] <= doc["expected"] <= doc["high"] and doc["band"] == "viable"
    assert doc["latest_safe_date"] == "2027-08-25" and len(doc["projections"]) == 5
    table = _run("exam", "advise", "--profile", str(as_of(STRONG, "2026-04-01")), "--today", "2026-04-01")
    assert table.exit_code == 0 and "scored" in table.stdout


def test_rotations_plan() -> None:
    early = as_of(LOW, "2026-01-15")
    result = _run("rotations", "plan", "--profile", str(early), "--today", "2026-01-15", "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert (doc["recommended"], doc["existing"], doc["new_needed"]) == (2, 1, 1)
    assert {s["role"] for s in doc["sites"]} <= {"letter", "target"}
    assert all(s["img_friendliness"] in ("high", "medium") for s in doc["sites"] if s["role"] == "letter")
    assert all(s["access"] in ("open", "unknown") for s in doc["sites"])
    assert {d["key"] for d in doc["checklist"]} >= {"cv", "transcript", "usmle", "english", "malpractice"}
    assert any(t["id"] == "rotation-new-1-apply" for t in doc["tasks"])
    table = _run("rotations", "plan", "--profile", str(early), "--today", "2026-01-15")
    assert table.exit_code == 0 and "Documents" in table.stdout


@pytest.mark.parametrize("command", [["plan"], ["exam", "advise"], ["rotations", "plan"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = _run(*command, "--help")
    assert result.exit_code == 0 and "--profile" in result.stdout and "--format" in result.stdout


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from([PENDING, STRONG, LOW]),
    st.integers(2026, 2032),
    st.dates(dt.date(2024, 1, 1), dt.date(2031, 12, 31)),
)
def test_any_start_year_and_day_gives_a_plan_or_a_clear_error(path: Path, year: int, today: dt.date) -> None:
    """Whatever the dates: a sorted, well-formed plan (late only when past due), or a clear input error."""
    base = load_model(Profile, path)
    doc = base.model_dump()
    doc["applicant"]["target_start_year"] = year
    doc["applicant"]["graduation_year"] = min(doc["applicant"]["graduation_year"], year)
    profile = Profile.model_validate(doc)
    try:
        plan = build_plan(profile, bundled_catalogue(), today)
    except InputError as exc:
        assert today > dt.date(year, 3, 13) and "target_start_year" in exc.message
        return
    assert [t.due for t in plan.tasks] == sorted(t.due for t in plan.tasks)
    assert len({t.id for t in plan.tasks}) == len(plan.tasks)
    for task in plan.tasks:
        assert task.start <= task.due
        assert (task.status is TaskStatus.LATE) == (
            task.due < today and task.status is not TaskStatus.DONE and task.status is not TaskStatus.SKIPPED
        )
    assert ("step2-test-by" in {t.id for t in plan.tasks}) == (profile.exams.step2_ck is None)
