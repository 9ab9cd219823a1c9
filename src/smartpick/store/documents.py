"""One row <-> document mapping for every table that stores a named, owner-scoped JSON document.

Such a table has ``name``, ``owner_id`` (``None`` = the local single user), ``document`` (the validated
model as JSON), ``created_at`` and ``updated_at``, plus key columns copied from the model for queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from smartpick.store.models import utcnow

M = TypeVar("M", bound=BaseModel)


def owned(table: Any, owner_id: int | None) -> Any:
    """The SQL condition "this row belongs to ``owner_id``" (``None`` matches the local user's rows)."""
    return table.owner_id.is_(None) if owner_id is None else table.owner_id == owner_id


@dataclass(frozen=True)
class NamedDocuments(Generic[M]):
    """Keyword-only access to one table of named documents.

    Attributes:
        table: the ORM row class.
        model: the pydantic model stored in ``document``.
        key_columns: the row's query columns, computed from a model value.
    """

    table: Any
    model: type[M]
    key_columns: Callable[[M], dict[str, Any]]

    def to_row(self, row: Any, value: M) -> Any:
        """Copy a domain value onto its row (key columns + the full document)."""
        for column, cell in self.key_columns(value).items():
            setattr(row, column, cell)
        row.document = value.model_dump(mode="json", exclude_none=True)
        row.updated_at = utcnow()
        return row

    def to_domain(self, row: Any) -> M:
        """The validated domain value stored in a row."""
        return self.model.model_validate(row.document)

    def row(self, session: Session, name: str, owner_id: int | None) -> Any:
        """The owner's row called ``name``, or ``None``."""
        return session.scalar(select(self.table).where(self.table.name == name, owned(self.table, owner_id)))

    def save(self, *, session: Session, name: str, value: M, owner_id: int | None = None) -> int:
        """Insert or replace the owner's document called ``name``; returns its row id."""
        row = self.row(session, name, owner_id)
        if row is None:
            row = self.table(name=name, owner_id=owner_id, created_at=utcnow())
            session.add(row)
        self.to_row(row, value)
        session.flush()
        return int(row.id)

    def get(self, *, session: Session, name: str, owner_id: int | None = None) -> M | None:
        """The owner's document called ``name``, or ``None``."""
        row = self.row(session, name, owner_id)
        return self.to_domain(row) if row is not None else None

    def names(self, *, session: Session, owner_id: int | None = None) -> list[str]:
        """Names of the owner's documents, sorted."""
        query = select(self.table.name).where(owned(self.table, owner_id)).order_by(self.table.name)
        return list(session.scalars(query))

    def delete(self, *, session: Session, name: str, owner_id: int | None = None) -> bool:
        """Delete the owner's document called ``name``; True when one was deleted."""
        row = self.row(session, name, owner_id)
        if row is None:
            return False
        session.delete(row)
        return True
