"""Communication findings as JSON: ``smartpick messages check --format json`` and the API give this shape."""

from __future__ import annotations

import dataclasses
from typing import Any

from smartpick.domain.communication.messages import Finding


def finding_doc(f: Finding) -> dict[str, Any]:
    """A finding as JSON (severity in words, the date as an ISO date)."""
    doc = dataclasses.asdict(f)
    return {**doc, "severity": f.severity.value, "date": f.date.isoformat() if f.date else None}
