"""Summaries of simulated outcomes: P(match) with a 95% interval, per-program odds, the reordered list.

Intervals are Wilson score intervals (binomial proportion over independent runs, z = 1.96).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Z95 = 1.959963984540054


@dataclass(frozen=True)
class Proportion:
    """An estimated probability and its 95% Wilson interval."""

    p: float
    low: float
    high: float

    def to_json_dict(self) -> dict[str, float]:
        """JSON form (4 decimals)."""
        return {"p": round(self.p, 4), "low": round(self.low, 4), "high": round(self.high, 4)}


def wilson(successes: int, n: int) -> Proportion:
    """Wilson score 95% interval of ``successes / n`` (``n == 0`` gives the uninformative [0, 1])."""
    if n <= 0:
        return Proportion(0.0, 0.0, 1.0)
    p = successes / n
    denom = 1 + Z95**2 / n
    centre = (p + Z95**2 / (2 * n)) / denom
    half = Z95 * math.sqrt(p * (1 - p) / n + Z95**2 / (4 * n * n)) / denom
    return Proportion(p, max(0.0, centre - half), min(1.0, centre + half))


@dataclass(frozen=True)
class SimulatedOutcome:
    """Outcome distribution of one rank list (programs in list order)."""

    programs: tuple[str, ...]
    p_match: Proportion
    per_program: tuple[Proportion, ...]
    unmatched: Proportion


def list_outcome(programs: tuple[str, ...], outcomes: NDArray[np.int32]) -> SimulatedOutcome:
    """Summarise one list's per-run outcomes (list position matched, or -1)."""
    runs = len(outcomes)
    counts = np.bincount(outcomes + 1, minlength=len(programs) + 1)
    return SimulatedOutcome(
        programs=programs,
        p_match=wilson(runs - int(counts[0]), runs),
        per_program=tuple(wilson(int(c), runs) for c in counts[1:]),
        unmatched=wilson(int(counts[0]), runs),
    )


@dataclass(frozen=True)
class Reordering:
    """How the true-order list compares run by run with a reordered list of the same programs."""

    true_better: Proportion
    reordered_better: Proportion
    same: Proportion


def compare_orders(
    true_order: tuple[str, ...],
    reordered: tuple[str, ...],
    true_outcomes: NDArray[np.int32],
    reordered_outcomes: NDArray[np.int32],
) -> Reordering:
    """Compare, on common random numbers, the program each list got, judged by the true order."""
    position = {program: i for i, program in enumerate(true_order)}
    unmatched = len(true_order)
    mapped = np.asarray([position[p] for p in reordered] + [unmatched], dtype=np.int64)
    true_rank = np.where(true_outcomes >= 0, true_outcomes, unmatched)
    other_rank = mapped[np.where(reordered_outcomes >= 0, reordered_outcomes, len(reordered))]
    runs = len(true_outcomes)
    return Reordering(
        true_better=wilson(int((true_rank < other_rank).sum()), runs),
        reordered_better=wilson(int((other_rank < true_rank).sum()), runs),
        same=wilson(int((true_rank == other_rank).sum()), runs),
    )


def pgy1_probability(p_each: float, list_length: int) -> float:
    """P(some program on a supplemental list takes the applicant) when each does so with ``p_each``."""
    return 1.0 - (1.0 - p_each) ** list_length
