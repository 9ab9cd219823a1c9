"""The iCalendar export round-trips through a parser with the same tasks and alarms."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from smartpick.domain.planning.calendar import Basis, Task, TaskStatus
from smartpick.errors import InputError
from smartpick.services.ics import task_uid, tasks_to_ics, write_ics

D = dt.date
STAMP = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
TASKS = (
    Task(
        "eras-submit",
        "Submit the MyERAS application",
        "eras",
        D(2026, 9, 2),
        D(2026, 9, 23),
        TaskStatus.TODO,
        "Programs review on the 23rd.",
        "AAMC ERAS timeline",
        Basis.COMPUTED,
    ),
    Task(
        "match-day",
        "Match Day: learn where you matched",
        "match",
        D(2027, 3, 19),
        D(2027, 3, 19),
        TaskStatus.TODO,
        "Third Friday of March.",
        "NRMP",
        Basis.COMPUTED,
    ),
    Task(
        "rotation-1-rotation",
        "Away rotation: Site, Chicago; ümlaut",
        "rotation",
        D(2026, 5, 4),
        D(2026, 6, 1),
        TaskStatus.DONE,
        "Letters.",
        "seeds/001",
        Basis.PROFILE,
    ),
    Task(
        "step2-test-by",
        "Take USMLE Step 2 CK",
        "exam",
        D(2026, 6, 1),
        D(2026, 7, 31),
        TaskStatus.LATE,
        "Score back by September.",
        "seeds/002",
        Basis.COMPUTED,
        "Test as soon as possible.",
    ),
    Task(
        "letter-core-1",
        "Ask for a letter",
        "letters",
        D(2026, 6, 1),
        D(2026, 7, 1),
        TaskStatus.SKIPPED,
        "Core letter.",
        "seeds/002",
    ),
)


def _parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def test_round_trip_keeps_every_task_and_alarm() -> None:
    cal = _parse(tasks_to_ics(TASKS, "SmartPick plan", stamp=STAMP))
    assert str(cal["version"]) == "2.0" and str(cal["prodid"]).startswith("-//SmartPick")
    assert str(cal["x-wr-calname"]) == "SmartPick plan"
    events = {str(e["uid"]): e for e in cal.walk("VEVENT")}
    assert len(events) == len(TASKS)
    for task in TASKS:
        event = events[task_uid(task.id, _scope(cal, task.id))]
        assert str(event["summary"]) == task.title
        assert event.decoded("dtstart") == task.due
        assert event.decoded("dtend") == task.due + dt.timedelta(days=1)
        assert event.decoded("dtstamp") == STAMP
        assert task.why in str(event["description"])
        alarms = event.walk("VALARM")
        if task.status in (TaskStatus.TODO, TaskStatus.LATE):
            (alarm,) = alarms
            assert str(alarm["action"]) == "DISPLAY"
            lead = min(7, max(1, (task.due - task.start).days))
            assert alarm.decoded("trigger") == -dt.timedelta(days=lead)
        else:
            assert alarms == []
    assert str(events[task_uid("letter-core-1", _scope(cal, "letter-core-1"))]["status"]) == "CANCELLED"
    late = events[task_uid("step2-test-by", _scope(cal, "step2-test-by"))]
    assert "Test as soon as possible." in str(late["description"])


def _scope(cal: Calendar, task_id: str) -> str:
    uid = next(str(e["uid"]) for e in cal.walk("VEVENT") if str(e["uid"]).startswith(task_id + "."))
    return uid.removeprefix(task_id + ".").removesuffix("@smartpick")


def test_uids_are_stable_per_calendar_name_and_differ_between_names() -> None:
    first = _parse(tasks_to_ics(TASKS, "Plan A", stamp=STAMP))
    again = _parse(tasks_to_ics(TASKS, "Plan A", stamp=STAMP + dt.timedelta(days=3)))
    other = _parse(tasks_to_ics(TASKS, "Plan B", stamp=STAMP))

    def uids(c: Calendar) -> set[str]:
        return {str(e["uid"]) for e in c.walk("VEVENT")}

    assert uids(first) == uids(again)
    assert not uids(first) & uids(other)


def test_output_is_crlf_folded_and_utf8() -> None:
    data = tasks_to_ics(TASKS, "SmartPick plan", stamp=STAMP)
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in data.split(b"\r\n"))
    assert "ümlaut" in data.decode("utf-8").replace("\r\n ", "")


def test_write_ics_reports_unwritable_paths(tmp_path: Path) -> None:
    assert write_ics(tmp_path / "plan.ics", TASKS, "x") == len(TASKS)
    with pytest.raises(InputError) as err:
        write_ics(tmp_path / "missing" / "plan.ics", TASKS, "x")
    assert err.value.field == "--ics"


task_strategy = st.builds(
    lambda i, start, days, status: Task(
        f"t{i}", f"Task {i}", "c", start, start + dt.timedelta(days=days), status, "why", "src"
    ),
    st.integers(0, 10_000),
    st.dates(D(2020, 1, 1), D(2035, 12, 31)),
    st.integers(0, 400),
    st.sampled_from(list(TaskStatus)),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(task_strategy, max_size=12, unique_by=lambda t: t.id))
def test_any_task_list_round_trips(tasks: list[Task]) -> None:
    cal = _parse(tasks_to_ics(tasks, "prop", stamp=STAMP))
    events = cal.walk("VEVENT")
    assert sorted(e.decoded("dtstart") for e in events) == sorted(t.due for t in tasks)
    open_count = sum(t.status in (TaskStatus.TODO, TaskStatus.LATE) for t in tasks)
    assert sum(len(e.walk("VALARM")) for e in events) == open_count
