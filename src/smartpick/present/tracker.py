"""Tracked programs as JSON: ``smartpick track list --format json`` and ``GET /api/v1/tracker`` give this."""

from __future__ import annotations

from typing import Any

from smartpick.services.tracker import ProgramSummary


def summary_doc(s: ProgramSummary) -> dict[str, Any]:
    """One tracked program: status since when, interview dates, messages sent and received, last contact."""
    return {
        "program": s.program,
        "name": s.name,
        "status": s.status,
        "since": s.status_date.isoformat() if s.status_date else None,
        "interviews": [d.isoformat() for d in s.interviews],
        "sent": s.sent,
        "received": s.received,
        "last_contact": s.last_contact.isoformat() if s.last_contact else None,
    }
