"""Repository functions for resident portfolios: keyword-only, domain objects in and out."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from smartpick.domain.fellowship.portfolio import Portfolio
from smartpick.store.fellowship_models import ResidentPortfolioRow
from smartpick.store.models import utcnow


def portfolio_from_domain(row: ResidentPortfolioRow, portfolio: Portfolio) -> ResidentPortfolioRow:
    """Copy a domain portfolio onto its row (key columns + the full JSON document)."""
    row.resident_name = portfolio.resident.name
    row.pgy = portfolio.resident.pgy
    row.residency_start_year = portfolio.resident.residency_start_year
    row.primary_track = portfolio.primary_track.value
    row.document = portfolio.model_dump(mode="json", exclude_none=True)
    row.updated_at = utcnow()
    return row


def portfolio_to_domain(row: ResidentPortfolioRow) -> Portfolio:
    """The validated domain portfolio stored in a row."""
    return Portfolio.model_validate(row.document)


def save_portfolio(*, session: Session, name: str, portfolio: Portfolio, owner_id: int | None = None) -> int:
    """Insert or replace the portfolio called ``name`` for ``owner_id``; returns its id."""
    row = _row(session, name, owner_id)
    if row is None:
        row = ResidentPortfolioRow(name=name, owner_id=owner_id, created_at=utcnow())
        session.add(row)
    portfolio_from_domain(row, portfolio)
    session.flush()
    return row.id


def get_portfolio(*, session: Session, name: str, owner_id: int | None = None) -> Portfolio | None:
    """The portfolio called ``name`` for ``owner_id``, or ``None``."""
    row = _row(session, name, owner_id)
    return portfolio_to_domain(row) if row else None


def list_portfolios(*, session: Session, owner_id: int | None = None) -> list[str]:
    """Names of the owner's portfolios, sorted."""
    query = select(ResidentPortfolioRow.name).where(_owner(owner_id)).order_by(ResidentPortfolioRow.name)
    return list(session.scalars(query))


def delete_portfolio(*, session: Session, name: str, owner_id: int | None = None) -> bool:
    """Delete a portfolio; True when one was deleted."""
    row = _row(session, name, owner_id)
    if row is None:
        return False
    session.delete(row)
    return True


def _row(session: Session, name: str, owner_id: int | None) -> ResidentPortfolioRow | None:
    query = select(ResidentPortfolioRow).where(ResidentPortfolioRow.name == name, _owner(owner_id))
    return session.scalar(query)


def _owner(owner_id: int | None) -> Any:
    col = ResidentPortfolioRow.owner_id
    return col.is_(None) if owner_id is None else col == owner_id
