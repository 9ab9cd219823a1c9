"""Fellowship planner use-cases: load and store portfolios, build the plan, export TOML, JSON and ICS."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import tomli_w
from sqlalchemy.orm import Session

from smartpick.data.fellowships import bundled_fellowship_programs, bundled_fellowships
from smartpick.domain.catalogue.geography import US_STATE_CODES
from smartpick.domain.fellowship.planner import FellowshipPlan, Milestone, Status, plan
from smartpick.domain.fellowship.portfolio import Portfolio, TrackId, to_document
from smartpick.domain.fellowship.programs import FellowshipProgram
from smartpick.domain.fellowship.tracks import FellowshipData, FellowshipTrack, Window
from smartpick.domain.planning.calendar import Basis, Task, TaskStatus
from smartpick.domain.validation import parse_model
from smartpick.errors import InputError, NotFoundError
from smartpick.services.files import load_model
from smartpick.services.ics import tasks_to_ics
from smartpick.store import fellowship_repo as repo


def load_portfolio(path: Path) -> Portfolio:
    """Read and validate ``portfolio.toml`` (errors name the file and the key path)."""
    return load_model(Portfolio, path)


def portfolio_toml(portfolio: Portfolio) -> str:
    """The portfolio as TOML text that reads back into the same portfolio."""
    return tomli_w.dumps(to_document(portfolio))


def make_plan(portfolio: Portfolio, today: dt.date, data: FellowshipData | None = None) -> FellowshipPlan:
    """The plan for ``portfolio`` on ``today`` against the bundled track data (or ``data``)."""
    return plan(portfolio, data or bundled_fellowships(), today, bundled_fellowship_programs())


PORTFOLIO_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$")
PORTFOLIO_NAME_ALLOWED = "1 to 64 letters, digits, spaces, '.', '-' or '_', starting with a letter or digit"


def check_portfolio_name(name: str) -> str:
    """A portfolio name, trimmed (it appears in page addresses, so no '/' or '..').

    Raises:
        InputError: empty, too long, or with other characters.
    """
    clean = name.strip()
    if not PORTFOLIO_NAME.match(clean):
        raise InputError("name", name, PORTFOLIO_NAME_ALLOWED)
    return clean


TEMPLATE_FILE = "portfolio_template.toml"
CLI_HINT = "the name of a stored portfolio (see `fellowship portfolio list`)"


def validate_portfolio(document: Mapping[str, Any], source: str | None = "portfolio") -> Portfolio:
    """A portfolio document validated like ``fellowship portfolio check`` does.

    Raises:
        InputErrors: every problem, each naming its key path.
    """
    return parse_model(Portfolio, document, source=source)


def template_toml() -> str:
    """The portfolio template to download: every table filled in (``examples/resident-portfolio.toml``)."""
    return resources.files("smartpick.data").joinpath(TEMPLATE_FILE).read_text(encoding="utf-8")


def list_portfolios(session: Session, owner_id: int | None = None) -> list[str]:
    """Names of the owner's portfolios, sorted."""
    return repo.list_portfolios(session=session, owner_id=owner_id)


def save_portfolio(session: Session, name: str, portfolio: Portfolio, owner_id: int | None = None) -> int:
    """Store a portfolio under ``name`` for ``owner_id`` (replacing one with the same name)."""
    clean = check_portfolio_name(name)
    return repo.save_portfolio(session=session, name=clean, portfolio=portfolio, owner_id=owner_id)


def portfolio_exists(session: Session, name: str, owner_id: int | None = None) -> bool:
    """Whether the owner has a portfolio called ``name``."""
    return repo.get_portfolio(session=session, name=name, owner_id=owner_id) is not None


def stored_portfolio(
    session: Session, name: str, owner_id: int | None = None, *, allowed: str = CLI_HINT
) -> Portfolio:
    """The owner's portfolio called ``name``; a missing name is a not-found error saying ``allowed``."""
    found = repo.get_portfolio(session=session, name=name, owner_id=owner_id)
    if found is None:
        raise NotFoundError("portfolio", name, allowed)
    return found


def delete_portfolio(
    session: Session, name: str, owner_id: int | None = None, *, allowed: str = CLI_HINT
) -> None:
    """Delete the owner's portfolio called ``name``.

    Raises:
        NotFoundError: the owner has no portfolio of that name.
    """
    if not repo.delete_portfolio(session=session, name=name, owner_id=owner_id):
        raise NotFoundError("portfolio", name, allowed)


def tracks_doc(data: FellowshipData | None = None) -> dict[str, Any]:
    """The JSON form of ``fellowship tracks``."""
    data = data or bundled_fellowships()
    return {
        "version": data.version,
        "date": data.date.isoformat(),
        "tracks": [track_doc(t) for t in data.track],
        "directors_weigh": [{"text": p.text, "source": p.source} for p in data.directors_weigh],
        "letters": data.letters.model_dump(mode="json"),
        "programs": data.catalogue.model_dump(mode="json"),
    }


def fellowship_programs(track: str | None = None, state: str | None = None) -> tuple[FellowshipProgram, ...]:
    """Fellowship programs of one track and/or state.

    Raises:
        InputError: an unknown track id or state code.
    """
    track_id = None
    if track is not None:
        try:
            track_id = TrackId(track.strip().lower())
        except ValueError:
            allowed = ", ".join(t.value for t in TrackId)
            raise InputError("track", track, f"one of {allowed}") from None
    if state is not None and state.strip().upper() not in US_STATE_CODES:
        raise InputError("state", state, "a two-letter US state code such as IL")
    return bundled_fellowship_programs().select(track=track_id, state=state)


FACT_FIELDS = ("city", "state", "positions", "route", "timeline")


def program_doc(program: FellowshipProgram) -> dict[str, Any]:
    """One fellowship program with every value's provenance (``null`` values are unknown)."""
    data = bundled_fellowships()
    doc = program.model_dump(mode="json", exclude_none=True, exclude={*FACT_FIELDS})
    for name in FACT_FIELDS:
        fact = getattr(program, name)
        doc[name] = {"value": None, **fact.model_dump(mode="json", exclude_none=True, exclude_defaults=True)}
    doc["track_name"] = data.get(program.track).name
    if program.timeline.value is None:
        track = data.get(program.track)
        doc["track_window"] = {
            "opens": track.opens.model_dump(mode="json", exclude_none=True),
            "deadline": track.deadline.model_dump(mode="json", exclude_none=True),
        }
    return doc


def programs_doc(programs: Sequence[FellowshipProgram]) -> dict[str, Any]:
    """The JSON form of ``fellowship programs``."""
    listing = bundled_fellowship_programs()
    return {
        "version": listing.version,
        "date": listing.date.isoformat(),
        "programs": [program_doc(p) for p in programs],
    }


def track_doc(track: FellowshipTrack) -> dict[str, Any]:
    """One track with every value's provenance."""
    doc = track.model_dump(mode="json", exclude_none=True)
    doc["typical_applications"] = track.applications.text
    return doc


def plan_doc(result: FellowshipPlan) -> dict[str, Any]:
    """The JSON form of ``fellowship plan``."""
    return {
        "resident": result.resident,
        "today": result.today.isoformat(),
        "pgy_now": result.pgy_now,
        "fellowship_start_year": result.cycle_year,
        "data_version": result.data_version,
        "windows": [_window_doc(w) for w in result.windows],
        "milestones": [milestone_doc(m) for m in result.milestones],
        "letters": [_plain(dataclasses.asdict(x)) for x in result.letters],
        "program_lists": [_plain(dataclasses.asdict(x)) for x in result.lists],
        "reapplication": [dataclasses.asdict(a) for a in result.reapplication],
        "notes": list(result.notes),
        "programs": [program_doc(p) for p in result.programs],
        "summary": summary(result.milestones),
    }


def milestone_doc(m: Milestone) -> dict[str, Any]:
    """One milestone as JSON (the calendar ``Task`` fields)."""
    doc: dict[str, Any] = _plain(dataclasses.asdict(m))
    return doc


def summary(milestones: Sequence[Milestone]) -> dict[str, int]:
    """Count of milestones per status."""
    counts = {s: 0 for s in ("done", "on_track", "late", "missing")}
    for m in milestones:
        counts[m.status.value] += 1
    return counts


def ics_bytes(result: FellowshipPlan) -> bytes:
    """The milestones as an iCalendar document, through the one calendar writer."""
    return _to_ics(result.milestones, f"SmartPick fellowship plan: {result.resident}")


def write_ics(result: FellowshipPlan, path: Path) -> int:
    """Write the milestones to an iCalendar file; returns the count."""
    payload = ics_bytes(result)
    try:
        path.write_bytes(payload)
    except OSError as exc:
        raise InputError("--ics", str(path), f"a writable file path ({exc.__class__.__name__})") from None
    return len(result.milestones)


_TASK_STATUS = {
    Status.DONE: TaskStatus.DONE,
    Status.ON_TRACK: TaskStatus.TODO,
    Status.LATE: TaskStatus.LATE,
    Status.MISSING: TaskStatus.LATE,
}
"""Fellowship statuses on the calendar's scale: a missing milestone is overdue work for the calendar."""


def _to_ics(milestones: Sequence[Milestone], calendar_name: str) -> bytes:
    """Milestones through the one ICS writer, ``smartpick.services.ics.tasks_to_ics``."""
    return tasks_to_ics(_as_tasks(milestones), calendar_name)


def _as_tasks(milestones: Sequence[Milestone]) -> list[Task]:
    """Milestones as calendar tasks (same fields; dates computed from the track's route)."""
    return [
        Task(
            id=m.id,
            title=m.title,
            category=m.category,
            start=m.start,
            due=m.due,
            status=_TASK_STATUS[m.status],
            why=m.why,
            source=m.source,
            basis=Basis.COMPUTED,
        )
        for m in milestones
    ]


def _window_doc(w: Window) -> dict[str, Any]:
    t = w.track
    return {
        "track": t.id.value,
        "route": t.route.value.value,
        "opens": {"date": w.opens.isoformat(), "provenance": t.opens.provenance},
        "deadline": {"date": w.deadline.isoformat(), "provenance": t.deadline.provenance},
        "interviews": {"date": w.interviews.isoformat(), "provenance": t.interviews.provenance},
        "decision": {"date": w.decision.isoformat(), "provenance": t.decision.provenance},
    }


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return getattr(value, "value", value)
