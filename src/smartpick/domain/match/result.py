"""The outcome of a match run in domain words (frozen, no I/O), convertible to the JSON contract."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class MatchStats:
    """Counts and diagnostics of one run.

    Attributes:
        applicants: Applicants in the match (couple members included).
        matched: Applicants holding a primary position.
        unmatched: Applicants without one.
        seats: Total positions offered.
        filled: Positions filled (primary and supplemental PGY-1).
        unfilled_seats: ``seats - filled``.
        couples: Couples in the match.
        couples_matched: Couples holding one of their ranked pairs.
        pgy1_matched: Applicants who got a PGY-1 through a supplemental list.
        iterations: Proposals made by the algorithm.
        stable: True when a check found no blocking pair (of any kind).
        blocking_pairs: Number of blocking pairs found.
        cycle_detected: True when the couples phase repeated a state or ran out of budget.
        status: ``"converged"``, ``"cycle"`` or ``"iteration_limit"``.
    """

    applicants: int
    matched: int
    unmatched: int
    seats: int
    filled: int
    unfilled_seats: int
    couples: int
    couples_matched: int
    pgy1_matched: int
    iterations: int
    stable: bool
    blocking_pairs: int
    cycle_detected: bool
    status: str


@dataclass(frozen=True, eq=False)
class MatchResult:
    """Who matched where, by id.

    Attributes:
        matches: Every applicant id -> primary program id, or None when unmatched.
        pgy1_matches: Applicant id -> PGY-1 program obtained through a supplemental list.
        unfilled: Program id -> seats left empty (programs with at least one).
        stats: Counts and diagnostics.
    """

    matches: Mapping[str, str | None]
    pgy1_matches: Mapping[str, str]
    unfilled: Mapping[str, int]
    stats: MatchStats

    def to_json_dict(self) -> dict[str, Any]:
        """Return ``{"matches", "pgy1_matches", "unfilled", "stats"}`` as plain JSON-ready values."""
        return {
            "matches": dict(self.matches),
            "pgy1_matches": dict(self.pgy1_matches),
            "unfilled": dict(self.unfilled),
            "stats": asdict(self.stats),
        }
