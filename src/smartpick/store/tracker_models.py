"""ORM rows of the application tracker: applications, interviews and the communication log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from smartpick.store.models import Base


class TrackerApplicationRow(Base):
    """The status of one application (one row per owner and program)."""

    __tablename__ = "tracker_applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    program: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20))
    date: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class TrackerInterviewRow(Base):
    """An interview day at a program."""

    __tablename__ = "tracker_interviews"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    program: Mapped[str] = mapped_column(String(100))
    date: Mapped[dt.date] = mapped_column(Date)


class TrackerMessageRow(Base):
    """One message sent to or received from a program; ``id`` keeps the log's order."""

    __tablename__ = "tracker_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    program: Mapped[str] = mapped_column(String(100), index=True)
    date: Mapped[dt.date] = mapped_column(Date)
    direction: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text)
    reason: Mapped[str | None] = mapped_column(String(20), nullable=True)
