"""Tracker storage: round trips through the database and through TOML/CSV files, all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartpick.data import bundled_catalogue
from smartpick.domain.communication.tracker import CommunicationLog
from smartpick.errors import InputErrors
from smartpick.services import tracker as svc
from smartpick.store.db import make_engine, migrate, session_scope
from smartpick.store.tracker_repo import load_log, save_log

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "messages.toml"
CAT = bundled_catalogue()
IDS = [p.id for p in CAT.programs[:6]]


@pytest.fixture(scope="module")
def engine():  # type: ignore[no-untyped-def]
    eng = make_engine("sqlite://")
    migrate(eng)
    return eng


texts = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), min_size=1, max_size=80
)
dates = st.dates(dt.date(2026, 1, 1), dt.date(2027, 6, 30))


@st.composite
def logs(draw: st.DrawFn) -> CommunicationLog:
    interviews = draw(st.lists(st.builds(dict, program=st.sampled_from(IDS), date=dates), max_size=4))
    apps = [
        {
            "program": p,
            "status": draw(st.sampled_from(["planned", "applied", "invited", "rejected"])),
            "date": draw(st.none() | dates),
            "note": draw(st.sampled_from(["", "called twice"])),
        }
        for p in draw(st.lists(st.sampled_from(IDS), unique=True, max_size=4))
    ]
    messages = draw(
        st.lists(
            st.builds(
                dict,
                program=st.sampled_from(IDS),
                date=dates,
                direction=st.sampled_from(["sent", "received"]),
                kind=st.sampled_from(["thank_you", "update", "other", "pre_interview"]),
                text=texts,
                reason=st.none() | st.just("connection"),
            ),
            max_size=6,
        )
    )
    return CommunicationLog.model_validate(
        {"application": apps, "interview": interviews, "message": messages}
    )


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(log=logs())
def test_database_round_trip_is_lossless(engine, log: CommunicationLog) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        save_log(session=session, log=log)
    with session_scope(engine) as session:
        assert load_log(session=session) == log


@settings(max_examples=40, deadline=None)
@given(log=logs(), suffix=st.sampled_from([".toml", ".csv"]))
def test_file_round_trip_is_lossless(
    tmp_path_factory: pytest.TempPathFactory, log: CommunicationLog, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("rt") / f"log{suffix}"
    path.write_text(svc.log_to_toml(log) if suffix == ".toml" else svc.log_to_csv(log), encoding="utf-8")
    assert svc.read_log_file(path, CAT) == log


def test_example_log_imports_and_reimport_adds_nothing(engine) -> None:  # type: ignore[no-untyped-def]
    with session_scope(engine) as session:
        summary = svc.import_log(EXAMPLE, session, CAT, replace=True)
        assert (summary.applications, summary.interviews, summary.messages) == (4, 3, 7)
    with session_scope(engine) as session:
        svc.import_log(EXAMPLE, session, CAT)
        assert len(load_log(session=session).message) == 7


def test_malformed_csv_line_is_named_and_nothing_is_stored(engine, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = svc.read_log_file(EXAMPLE, CAT)
    with session_scope(engine) as session:
        save_log(session=session, log=good)
    text = svc.log_to_csv(good).splitlines()
    text.append('message,1147340,2027-02-30,,sent,intent,,,"bad date"')
    text.append("message,1147340,2027-02-03,,sent,love_letter,,,x")
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(InputErrors) as err, session_scope(engine) as session:
        svc.import_log(bad, session, CAT, replace=True)
    lines = err.value.lines()
    total = svc.log_to_csv(good).count("\n")
    assert any(f"bad.csv:{total + 1}: date" in line for line in lines), lines
    assert any(f"bad.csv:{total + 2}: kind" in line for line in lines), lines
    with session_scope(engine) as session:
        assert load_log(session=session) == good


def test_malformed_toml_table_names_its_line(tmp_path: Path) -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace('kind = "intent"', 'kind = "love_letter"', 1)
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), start=1) if "love_letter" in t)
    with pytest.raises(InputErrors) as err:
        svc.read_log_file(bad, CAT)
    assert f"bad.toml:{line}: message[5].kind" in err.value.lines()[0]


def test_unknown_program_is_reported_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[interview]]\nprogram = "1147340"\ndate = 2026-11-03\n\n[[interview]]\nprogram = "NOPE"\n'
        "date = 2026-11-04\n",
        encoding="utf-8",
    )
    with pytest.raises(InputErrors) as err:
        svc.read_log_file(bad, CAT)
    assert len(err.value.lines()) == 1
    assert "bad.toml:5: interview[1].program: got 'NOPE'" in err.value.lines()[0]


def test_interviewed_status_needs_an_interview_date() -> None:
    with pytest.raises(ValueError, match="interview"):
        CommunicationLog.model_validate({"application": [{"program": "1147340", "status": "interviewed"}]})
