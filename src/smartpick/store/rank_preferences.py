"""Rank preferences: one stored ``rank-preferences`` document per owner."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from smartpick.store.documents import owned
from smartpick.store.models import utcnow
from smartpick.store.web_models import RankPreferencesRow


def rank_preferences(*, session: Session, owner_id: int | None) -> dict[str, Any] | None:
    """The owner's stored ``rank-preferences`` document, if any."""
    row = session.scalar(select(RankPreferencesRow).where(owned(RankPreferencesRow, owner_id)))
    return dict(row.document) if row else None


def save_rank_preferences(*, session: Session, owner_id: int | None, document: dict[str, Any]) -> None:
    """Store (replace) the owner's rank preferences."""
    session.execute(delete(RankPreferencesRow).where(owned(RankPreferencesRow, owner_id)))
    session.add(RankPreferencesRow(owner_id=owner_id, document=document, updated_at=utcnow()))
    session.flush()
