"""The viewer's tracker, communication checks and rank list, read and written through the services' storage.

The tracker's tables are keyed by owner (a user id; ``None`` for the local user, which is also the CLI's
stored log), so each signed-in user has one tracker and one rank list, separate from everyone else's.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.communication.messages import Finding, check_log
from smartpick.domain.communication.ranking import RankList, RankPreferences, build_rank_list
from smartpick.domain.communication.tracker import CommunicationLog
from smartpick.domain.validation import parse_model
from smartpick.errors import InputError, InputErrors
from smartpick.services import messages as messages_svc
from smartpick.services import tracker as tracker_svc
from smartpick.store import tracker_repo, web_repo
from smartpick.web.deps import Viewer

PROGRAM_ALLOWED = "a catalogue program id, ACGME number or NRMP code (see Programs)"


def viewer_log(session: Session, viewer: Viewer) -> CommunicationLog:
    """The viewer's tracker log."""
    return tracker_repo.load_log(session=session, owner_id=viewer.user_id)


def save_viewer_log(session: Session, viewer: Viewer, log: CommunicationLog) -> None:
    """Replace the viewer's tracker log."""
    tracker_repo.save_log(session=session, log=log, owner_id=viewer.user_id)


def program_id(ref: str, catalogue: Catalogue, field: str = "program") -> str:
    """The catalogue id of a program reference (stored canonical, so checks see one program once).

    Raises:
        InputError: not a catalogue program.
    """
    found = catalogue.get(ref.strip()) if ref.strip() else None
    if found is None:
        raise InputError(field, ref, PROGRAM_ALLOWED)
    return found.id


def updated_log(
    log: CommunicationLog, *, interviews: tuple[Any, ...] = (), messages: tuple[Any, ...] = ()
) -> CommunicationLog:
    """The log with interviews and messages appended (validated as a whole)."""
    try:
        return CommunicationLog(
            application=log.application,
            interview=(*log.interview, *interviews),
            message=(*log.message, *messages),
        )
    except ValueError as exc:  # pydantic's ValidationError is a ValueError
        raise InputError("log", None, str(exc).splitlines()[-1]) from None


def stored_preferences(session: Session, viewer: Viewer, catalogue: Catalogue) -> RankPreferences | None:
    """The viewer's stored rank preferences (``None`` when none, or when they no longer validate)."""
    document = web_repo.rank_preferences(session=session, owner_id=viewer.user_id)
    if document is None:
        return None
    try:
        return parse_model(RankPreferences, document)
    except (InputError, InputErrors):
        return None


def stored_rank_list(session: Session, viewer: Viewer, catalogue: Catalogue) -> RankList | None:
    """The rank list built from the viewer's stored preferences, if it can be built."""
    prefs = stored_preferences(session, viewer, catalogue)
    if prefs is None:
        return None
    try:
        return build_rank_list(prefs, catalogue)
    except (InputError, ValueError):
        return None


def rank_one(session: Session, viewer: Viewer, catalogue: Catalogue) -> str | None:
    """Catalogue id of the viewer's #1 ranked program, when a rank list exists."""
    ranked = stored_rank_list(session, viewer, catalogue)
    if ranked is None:
        return None
    first = ranked.rank[0].program
    found = catalogue.get(first)
    return found.id if found else first


def findings(
    session: Session, viewer: Viewer, catalogue: Catalogue, today: dt.date | None
) -> tuple[Finding, ...]:
    """The communication checks on the viewer's log (knowing the rank #1 when there is a rank list)."""
    log = messages_svc.canonical(viewer_log(session, viewer), catalogue)
    return check_log(log, rank_one=rank_one(session, viewer, catalogue), today=today)


def finding_doc(f: Finding) -> dict[str, Any]:
    """A finding as JSON (the shape of ``smartpick messages check --format json``)."""
    doc = dataclasses.asdict(f)
    return {**doc, "severity": f.severity.value, "date": f.date.isoformat() if f.date else None}


@dataclass(frozen=True)
class TrackedRow:
    """One tracked program."""

    program: str
    name: str
    status: str
    status_date: dt.date | None
    interviews: tuple[dt.date, ...]
    sent: int
    received: int
    last_contact: dt.date | None


def tracked_rows(log: CommunicationLog, catalogue: Catalogue) -> tuple[TrackedRow, ...]:
    """The tracker's per-program summary."""
    return tuple(TrackedRow(**dataclasses.asdict(s)) for s in tracker_svc.summarise(log, catalogue))
