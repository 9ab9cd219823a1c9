"""ORM row for resident portfolios (the fellowship planner's stored input)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from smartpick.store.models import Base, utcnow


class ResidentPortfolioRow(Base):
    """A resident portfolio: key columns for queries plus the full validated document."""

    __tablename__ = "resident_portfolios"
    __table_args__ = (UniqueConstraint("owner_id", "name", name="uq_resident_portfolios_owner_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    resident_name: Mapped[str] = mapped_column(String(500))
    pgy: Mapped[int]
    residency_start_year: Mapped[int]
    primary_track: Mapped[str] = mapped_column(String(40))
    document: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
