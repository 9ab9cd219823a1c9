"""Imported program facts: each ``programs import`` batch and its rows."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from smartpick.data.facts import FactRow
from smartpick.store.models import FactImportRow, ProgramFactRow, utcnow


def record_fact_import(*, session: Session, filename: str, rows: list[FactRow]) -> int:
    """Store a validated import; returns its id."""
    batch = FactImportRow(filename=filename, rows=len(rows), imported_at=utcnow())
    session.add(batch)
    session.flush()
    session.add_all(
        ProgramFactRow(
            import_id=batch.id,
            line=r.line,
            program_id=r.program_id,
            field=r.field,
            value=r.value,
            source=r.source,
            estimate=r.estimate,
            note=r.note,
        )
        for r in rows
    )
    session.flush()
    return batch.id


def imported_facts(*, session: Session) -> list[FactRow]:
    """Every imported fact, oldest import first (later ones win when applied in order)."""
    rows = session.scalars(select(ProgramFactRow).order_by(ProgramFactRow.import_id, ProgramFactRow.line))
    return [FactRow(r.line, r.program_id, r.field, r.value, r.source, r.estimate, r.note) for r in rows]


def latest_fact_import_id(*, session: Session) -> int:
    """The newest fact import's id (0 when none): a cheap key for caching the merged catalogue."""
    return int(session.scalar(select(func.coalesce(func.max(FactImportRow.id), 0))) or 0)
