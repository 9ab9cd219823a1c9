"""Stored resident portfolios listed for an owner (saving and reading: ``smartpick.services.fellowship``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from smartpick.store import fellowship_repo


def portfolio_names(session: Session, owner_id: int | None = None) -> list[str]:
    """Names of the owner's stored portfolios, sorted."""
    return fellowship_repo.list_portfolios(session=session, owner_id=owner_id)
