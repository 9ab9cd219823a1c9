"""A rank-list report as JSON: ``smartpick ranklist build/check/show --format json`` and the API give this."""

from __future__ import annotations

import dataclasses
from typing import Any

from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.communication.ranking import RankChance, RankEntry, needs_supplemental
from smartpick.services.ranking import RankReport


def _rank_row(n: int, entry: RankEntry, row: RankChance, catalogue: Catalogue) -> dict[str, Any]:
    program = catalogue.get(entry.program)
    return {
        "position": n,
        "program": entry.program,
        "name": program.name if program else None,
        "advanced": needs_supplemental(entry.program, catalogue),
        "supplemental": list(entry.supplemental),
        "chance": row.chance.p,
        "chance_source": row.chance.source,
        "chance_estimate": row.chance.estimate,
        "p_match_here": round(row.p_match_here, 4),
        "cumulative": round(row.cumulative, 4),
    }


def report_doc(report: RankReport, catalogue: Catalogue) -> dict[str, Any]:
    """Each rank with its share of the match probability (estimates), the probability, and the checks."""
    pairs = zip(report.rank_list.rank, report.estimate.rows, strict=True)
    return {
        "rank": [_rank_row(n, entry, row, catalogue) for n, (entry, row) in enumerate(pairs, start=1)],
        "probability": round(report.estimate.probability, 4),
        "method": report.estimate.method,
        "problems": [{**dataclasses.asdict(p), "severity": p.severity.value} for p in report.problems],
    }
