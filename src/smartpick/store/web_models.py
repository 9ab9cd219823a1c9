"""Tables of the web app: user accounts, applicant-to-advisor shares, plan progress and rank preferences.

Profiles keep their own ``owner_id`` column (``profiles`` table, revision 0001); it holds a user id here.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from smartpick.store.models import Base, utcnow


class UserRow(Base):
    """An account in multi-user mode."""

    __tablename__ = "web_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ShareRow(Base):
    """An applicant grants an advisor read access to all of the applicant's profiles."""

    __tablename__ = "web_shares"
    __table_args__ = (UniqueConstraint("applicant_id", "advisor_id", name="uq_web_shares_pair"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("web_users.id", ondelete="CASCADE"), index=True)
    advisor_id: Mapped[int] = mapped_column(ForeignKey("web_users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TaskStatusRow(Base):
    """The status a user set on one task of a profile's cycle plan (``done``, ``skipped`` or ``todo``)."""

    __tablename__ = "web_task_statuses"
    __table_args__ = (UniqueConstraint("profile_id", "task_id", name="uq_web_task_statuses_task"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profiles.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RankPreferencesRow(Base):
    """A user's rank-list preferences (the ``rank-preferences.toml`` document), one per owner."""

    __tablename__ = "web_rank_preferences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    document: Mapped[dict[str, object]] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ShareInviteRow(Base):
    """A one-time code an applicant creates so one advisor can read the applicant's profiles.

    Only the SHA-256 of the code is stored; the applicant sees the code once and passes it on.
    """

    __tablename__ = "web_share_invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("web_users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    redeemed_by: Mapped[int | None] = mapped_column(
        ForeignKey("web_users.id", ondelete="CASCADE"), nullable=True
    )
    redeemed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
