"""ORM rows. Each feature's tables live here or in its own module importing `Base`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> dt.datetime:
    """Timezone-aware now, for row timestamps."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base of every SmartPick table."""


class ProfileRow(Base):
    """An applicant profile: key columns for queries plus the full validated document."""

    __tablename__ = "profiles"
    __table_args__ = (UniqueConstraint("owner_id", "name", name="uq_profiles_owner_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    applicant_type: Mapped[str] = mapped_column(String(20))
    needs_visa: Mapped[bool]
    target_start_year: Mapped[int]
    step2_ck: Mapped[int | None] = mapped_column(Integer, nullable=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


class FactImportRow(Base):
    """One ``programs import`` of a CSV of newer program facts."""

    __tablename__ = "fact_imports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filename: Mapped[str] = mapped_column(String(500))
    rows: Mapped[int]
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProgramFactRow(Base):
    """One imported fact; later imports win over earlier ones and over the bundled file."""

    __tablename__ = "program_facts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    import_id: Mapped[int] = mapped_column(ForeignKey("fact_imports.id", ondelete="CASCADE"), index=True)
    line: Mapped[int]
    program_id: Mapped[str] = mapped_column(String(100), index=True)
    field: Mapped[str] = mapped_column(String(100))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    source: Mapped[str | None] = mapped_column(Text, nullable=True)
    estimate: Mapped[str | None] = mapped_column(Text, nullable=True)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
