"""Tracker repository: keyword-only functions, `CommunicationLog` in and out.

The log is small (one applicant's season), so writes replace the owner's rows in one transaction:
simple, and the stored order is always the log's order.
"""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from smartpick.domain.communication.tracker import (
    Application,
    ApplicationStatus,
    CommunicationLog,
    Direction,
    Interview,
    Message,
    MessageKind,
    PreInterviewReason,
)
from smartpick.store.documents import owned
from smartpick.store.tracker_models import TrackerApplicationRow, TrackerInterviewRow, TrackerMessageRow

T = TypeVar("T", TrackerApplicationRow, TrackerInterviewRow, TrackerMessageRow)
_TABLES = (TrackerApplicationRow, TrackerInterviewRow, TrackerMessageRow)


def load_log(*, session: Session, owner_id: int | None = None) -> CommunicationLog:
    """The owner's whole tracker as a domain log, in stored order."""
    apps = _rows(session, TrackerApplicationRow, owner_id)
    ivs = _rows(session, TrackerInterviewRow, owner_id)
    msgs = _rows(session, TrackerMessageRow, owner_id)
    return CommunicationLog(
        application=tuple(application_to_domain(r) for r in apps),
        interview=tuple(Interview(program=r.program, date=r.date) for r in ivs),
        message=tuple(message_to_domain(r) for r in msgs),
    )


def save_log(*, session: Session, log: CommunicationLog, owner_id: int | None = None) -> None:
    """Replace the owner's tracker with ``log`` (inside the caller's transaction)."""
    for table in _TABLES:
        session.execute(delete(table).where(owned(table, owner_id)))
    session.add_all(application_from_domain(a, owner_id) for a in log.application)
    session.add_all(
        TrackerInterviewRow(owner_id=owner_id, program=i.program, date=i.date) for i in log.interview
    )
    session.add_all(message_from_domain(m, owner_id) for m in log.message)
    session.flush()


def application_to_domain(row: TrackerApplicationRow) -> Application:
    """A stored application as a domain object."""
    return Application(
        program=row.program, status=ApplicationStatus(row.status), date=row.date, note=row.note
    )


def application_from_domain(app: Application, owner_id: int | None) -> TrackerApplicationRow:
    """A new row for a domain application."""
    return TrackerApplicationRow(
        owner_id=owner_id, program=app.program, status=app.status.value, date=app.date, note=app.note
    )


def message_to_domain(row: TrackerMessageRow) -> Message:
    """A stored message as a domain object."""
    return Message(
        program=row.program,
        date=row.date,
        direction=Direction(row.direction),
        kind=MessageKind(row.kind),
        text=row.text,
        reason=PreInterviewReason(row.reason) if row.reason else None,
    )


def message_from_domain(msg: Message, owner_id: int | None) -> TrackerMessageRow:
    """A new row for a domain message."""
    return TrackerMessageRow(
        owner_id=owner_id,
        program=msg.program,
        date=msg.date,
        direction=msg.direction.value,
        kind=msg.kind.value,
        text=msg.text,
        reason=msg.reason.value if msg.reason else None,
    )


def _rows(session: Session, table: type[T], owner_id: int | None) -> list[T]:
    query = select(table).where(owned(table, owner_id)).order_by(table.id)
    return list(session.scalars(query))
