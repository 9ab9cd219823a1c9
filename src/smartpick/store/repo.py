"""Repository functions: keyword-only, domain objects in and out."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartpick.data.facts import FactRow
from smartpick.domain.profile.applicant import Profile
from smartpick.store.models import FactImportRow, ProfileRow, ProgramFactRow, utcnow


def profile_from_domain(row: ProfileRow, profile: Profile) -> ProfileRow:
    """Copy a domain profile onto its row (key columns + the full document)."""
    row.applicant_type = profile.applicant.type.value
    row.needs_visa = profile.applicant.needs_visa
    row.target_start_year = profile.applicant.target_start_year
    row.step2_ck = profile.exams.step2_ck
    row.document = profile.model_dump(mode="json", exclude_none=True)
    row.updated_at = utcnow()
    return row


def profile_to_domain(row: ProfileRow) -> Profile:
    """The validated domain profile stored in a row."""
    return Profile.model_validate(row.document)


def save_profile(*, session: Session, name: str, profile: Profile, owner_id: int | None = None) -> int:
    """Insert or replace the profile called ``name`` for ``owner_id``; returns its id."""
    row = session.scalar(select(ProfileRow).where(ProfileRow.name == name, _owner(owner_id)))
    if row is None:
        row = ProfileRow(name=name, owner_id=owner_id, created_at=utcnow())
        session.add(row)
    profile_from_domain(row, profile)
    session.flush()
    return row.id


def get_profile(*, session: Session, name: str, owner_id: int | None = None) -> Profile | None:
    """The profile called ``name`` for ``owner_id``, or ``None``."""
    row = session.scalar(select(ProfileRow).where(ProfileRow.name == name, _owner(owner_id)))
    return profile_to_domain(row) if row else None


def list_profiles(*, session: Session, owner_id: int | None = None) -> list[str]:
    """Names of the owner's profiles, sorted."""
    return list(session.scalars(select(ProfileRow.name).where(_owner(owner_id)).order_by(ProfileRow.name)))


def delete_profile(*, session: Session, name: str, owner_id: int | None = None) -> bool:
    """Delete a profile; True when one was deleted."""
    row = session.scalar(select(ProfileRow).where(ProfileRow.name == name, _owner(owner_id)))
    if row is None:
        return False
    session.delete(row)
    return True


def _owner(owner_id: int | None) -> Any:
    return ProfileRow.owner_id.is_(None) if owner_id is None else ProfileRow.owner_id == owner_id


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


def fact_imports(*, session: Session) -> list[tuple[int, str, int, str]]:
    """(id, filename, rows, when) of every import."""
    rows = session.scalars(select(FactImportRow).order_by(FactImportRow.id))
    return [(r.id, r.filename, r.rows, r.imported_at.isoformat()) for r in rows]
