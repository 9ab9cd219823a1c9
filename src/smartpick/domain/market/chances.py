"""An applicant's program-specific chances, read off the simulated markets.

For program ``j`` and simulated market ``r`` the tables hold ``j``'s interview threshold ``t[r, j]`` (the
score of the last applicant it invited) and rank cutoff ``c[r, j]`` (the rank score of the last applicant
it held when the match ended). An applicant with interview score ``x_j`` and rank score ``y_j`` (their
terms plus their type's fitted offset) is interviewed there in that market with probability ``sigmoid(x_j
- t[r, j])`` (noise is standard logistic) and then taken with probability ``sigmoid(y_j - c[r, j])``. So,
averaging over markets:

    P(interview at j)             = mean_r visa[r, j] sigmoid(x_j - t[r, j])
    P(match | interviewed at j)   = mean_r sigmoid(y_j - c[r, j])
    P(match with list S)          = mean_r [1 - prod_{j in S} (1 - visa_j sigmoid(x_j - t) sigmoid(y_j - c))]

The PGY-1 side reads the same way: the PGY-1 pool's programs are alike but for taste, an applicant applies
to ``A`` of them (:func:`smartpick.domain.market.pgy1.pgy1_applications`), is interviewed at each with
probability ``s sigmoid(b + o)`` (``b`` their interview base with the type offset, ``o`` =
``pgy1.logit_offset``, ``s`` the visa-sponsoring share when a visa is needed) and taken with
``sigmoid(y - c1[r, k])``, so

    P(PGY-1 | matched advanced)   = mean_r [1 - (1 - mean_k s sigmoid(b + o) sigmoid(y - c1[r, k]))^A]

``visa[r, j]`` is 1 when no visa is needed or a usable one is sponsored, 0 when none is, and, where the
program's policy is unknown, whether it sponsored in market ``r`` (drawn with the labelled share; competition
there differs between those years). The last line keeps the markets' common swings (a strong year is strong
everywhere), which a product of per-program averages would miss. P(match | interviewed) therefore depends on
the program's interviews per position (more interviewees per seat -> higher cutoff), on who else it
interviews, and on the applicant's standing there (their rank score against that cutoff).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from smartpick.domain.catalogue.figures import Figures
from smartpick.domain.catalogue.programs import Program
from smartpick.domain.chances.individual import (
    ApplicantTerms,
    ProgramChance,
    ProgramScores,
    applicant_terms,
    program_scores,
)
from smartpick.domain.market.build import type_offsets
from smartpick.domain.market.pgy1 import pgy1_applications
from smartpick.domain.profile.applicant import Profile

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class TableSet:
    """Thresholds and cutoffs of simulated markets under one parameter set (``(runs, programs)`` each)."""

    params: Mapping[str, float]
    thresholds: NDArray[np.float32]
    cutoffs: NDArray[np.float32]
    sponsors: NDArray[np.bool_] | None = None
    """Whether each program sponsored a visa in each market (programs whose policy is unknown vary)."""
    pgy1_cutoffs: NDArray[np.float32] | None = None
    """``(runs, PGY-1 programs)``: rank score of the last applicant each PGY-1 program of the pool holds."""


@dataclass(frozen=True, eq=False)
class MarketTables:
    """The calibrated market's per-program tables, plus the same under refitted parameter sets (intervals)."""

    version: str
    catalogue_version: str
    program_ids: tuple[str, ...]
    central: TableSet
    resampled: tuple[TableSet, ...] = ()

    def columns(self, program_ids: Sequence[str]) -> NDArray[np.int64]:
        """Column of each program id (KeyError names the first unknown id)."""
        index = {p: k for k, p in enumerate(self.program_ids)}
        return np.asarray([index[p] for p in program_ids], dtype=np.int64)


def _sigmoid(x: FloatArray) -> FloatArray:
    out: FloatArray = 0.5 * (1.0 + np.tanh(0.5 * x))
    return out


@dataclass(frozen=True, eq=False)
class ApplicantInMarket:
    """An applicant's scores at a set of programs, ready to be evaluated against any table set."""

    profile: Profile
    programs: tuple[Program, ...]
    base: ApplicantTerms
    scores: tuple[ProgramScores, ...]
    signal: float

    @classmethod
    def of(cls, profile: Profile, programs: Sequence[Program], figures: Figures) -> ApplicantInMarket:
        """Score the applicant at each program (terms computed once)."""
        base = applicant_terms(profile, figures)
        scores = tuple(program_scores(profile, p, figures, base=base) for p in programs)
        return cls(
            profile,
            tuple(programs),
            base,
            scores,
            math.log(figures.signals["interview_odds_multiplier"].value),
        )

    def arrays(self, params: Mapping[str, float]) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Interview scores, rank scores (type offset added) and visa factors."""
        offset = type_offsets(params)[self.profile.applicant.type]
        x = np.asarray([s.interview for s in self.scores]) + offset
        y = np.asarray([s.rank for s in self.scores]) + offset
        v = np.asarray([s.visa_factor for s in self.scores])
        return x, y, v

    def per_market(
        self, tables: MarketTables, table: TableSet, signalled: NDArray[np.bool_] | None = None
    ) -> tuple[FloatArray, FloatArray]:
        """``(runs, programs)`` P(interview) and P(interview and taken) in each simulated market."""
        cols, x, y, t, factor = self._columns(tables, table)
        if signalled is not None:
            x = x + self.signal * signalled
        p_int = factor * _sigmoid(x - t)
        c = table.cutoffs[:, cols].astype(np.float64)
        return p_int, p_int * _sigmoid(y - c)

    def _columns(
        self, tables: MarketTables, table: TableSet
    ) -> tuple[NDArray[np.int64], FloatArray, FloatArray, FloatArray, FloatArray]:
        """Columns, interview and rank scores, thresholds and each year's visa factor at the programs."""
        cols = tables.columns([p.id for p in self.programs])
        x, y, v = self.arrays(table.params)
        t = table.thresholds[:, cols].astype(np.float64)
        factor = np.broadcast_to(v, t.shape)
        if table.sponsors is not None:  # unknown policy: sponsored in exactly the simulated years it was
            unknown = (v > 0) & (v < 1)
            factor = np.where(unknown, table.sponsors[:, cols], factor)
        return cols, x, y, t, factor

    def interview_and_rank(self, tables: MarketTables) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Mean P(interview), P(interview | signal) and P(match | interviewed) per program (central table).

        The same values as :meth:`per_market` averaged over the years, each logistic computed once.
        """
        table = tables.central
        cols, x, y, t, factor = self._columns(tables, table)
        p_int = (factor * _sigmoid(x - t)).mean(axis=0)
        p_sig = (factor * _sigmoid(x + self.signal - t)).mean(axis=0)
        q = _sigmoid(y - table.cutoffs[:, cols].astype(np.float64)).mean(axis=0)
        return p_int, p_sig, q


def program_chances(applicant: ApplicantInMarket, tables: MarketTables) -> tuple[ProgramChance, ...]:
    """P(interview), P(interview | signal) and P(match | interviewed) at each program, with reasons.

    P(match | interviewed) is how often the program ranks the applicant above the last applicant it keeps,
    over the simulated years (``mean_r sigmoid(y_j - c[r, j])``): it rises with the applicant's rank score, so
    it never orders applicant types against their standing. The list's P(match) uses the per-year joint
    chances instead (:func:`list_p_match`).
    """
    mean_int, mean_sig, q = applicant.interview_and_rank(tables)
    x, y, _ = applicant.arrays(tables.central.params)
    return tuple(
        ProgramChance(
            program_id=s.program_id,
            interview_score=float(x[k]),
            rank_score=float(y[k]),
            visa_factor=s.visa_factor,
            p_interview=float(mean_int[k]),
            p_interview_if_signalled=float(mean_sig[k]),
            p_match_if_interviewed=float(q[k]),
            interview_terms=s.interview_terms,
            rank_terms=s.rank_terms,
            unknowns=s.unknowns,
            sources=(*s.sources, "market_fit.type_offsets"),
            program_specific=s.program_specific,
        )
        for k, s in enumerate(applicant.scores)
    )


def list_p_match(
    applicant: ApplicantInMarket, tables: MarketTables, chosen: Sequence[int], signalled: Sequence[bool]
) -> float:
    """P(match) of applying to ``chosen`` (indices into the applicant's programs) with those signals."""
    return _list_p(applicant, tables, tables.central, chosen, signalled)


def list_p_match_interval(
    applicant: ApplicantInMarket,
    tables: MarketTables,
    chosen: Sequence[int],
    signalled: Sequence[bool],
    coverage: float = 0.8,
    centre: float | None = None,
) -> tuple[float, float]:
    """Interval of the list's P(match) from the refits on resampled published figures.

    The refits' spread (their central ``coverage`` range about their own mean) is placed around the central
    estimate, so the interval shows parameter uncertainty and always contains the figure shown. Falls back to
    the central value twice when the tables carry no refits.
    """
    if centre is None:
        centre = list_p_match(applicant, tables, chosen, signalled)
    values = [_list_p(applicant, tables, t, chosen, signalled) for t in tables.resampled]
    if not values:
        return centre, centre
    tail = (1 - coverage) / 2 * 100
    low, high = np.percentile(values, [tail, 100 - tail])
    mean = float(np.mean(values))
    return max(0.0, centre - (mean - float(low))), min(1.0, centre + (float(high) - mean))


def _list_p(
    applicant: ApplicantInMarket,
    tables: MarketTables,
    table: TableSet,
    chosen: Sequence[int],
    signalled: Sequence[bool],
) -> float:
    if not len(chosen):
        return 0.0
    mask = np.zeros(len(applicant.programs), dtype=np.bool_)
    for i, s in zip(chosen, signalled, strict=True):
        mask[i] = s
    sub = ApplicantInMarket(
        applicant.profile,
        tuple(applicant.programs[i] for i in chosen),
        applicant.base,
        tuple(applicant.scores[i] for i in chosen),
        applicant.signal,
    )
    _, p_both = sub.per_market(tables, table, mask[list(chosen)])
    return float(np.mean(1.0 - np.prod(1.0 - p_both, axis=1)))


def pgy1_interview_logit(applicant: ApplicantInMarket, params: Mapping[str, float]) -> float:
    """The applicant's PM&R interview base with their type's fitted offset (before ``pgy1.logit_offset``)."""
    return applicant.base.interview_base + type_offsets(params)[applicant.profile.applicant.type]


def pgy1_chance(
    applicant: ApplicantInMarket, tables: MarketTables, figures: Figures, applications: int | None = None
) -> float | None:
    """P(secured a PGY-1 seat on the supplemental list | matched an advanced program), or None without tables.

    The applicant joins the simulated PGY-1 pool as the competitors do (same interview rule and, unless
    ``applications`` says otherwise, as many applications as the PGY-1 plan advises: sized for the target
    number of interviews, so a stronger applicant is advised fewer); the advanced position is kept whatever
    this gives (NRMP's rule).
    """
    table = tables.central
    if table.pgy1_cutoffs is None or table.pgy1_cutoffs.shape[1] == 0:
        return None
    cfg = figures.pgy1
    share = (
        figures.visa["sponsor_share_when_unknown"].value if applicant.profile.applicant.needs_visa else 1.0
    )
    b = pgy1_interview_logit(applicant, table.params)
    p_interview = share * float(_sigmoid(np.asarray(b + cfg.logit_offset)))
    y = applicant.base.rank_base + type_offsets(table.params)[applicant.profile.applicant.type]
    taken = _sigmoid(y - table.pgy1_cutoffs.astype(np.float64))
    if applications is None:
        applications = pgy1_applications(p_interview, cfg.target_interviews, 2 * cfg.max_per_ladder)
    apps = min(applications, table.pgy1_cutoffs.shape[1])
    per_market = 1.0 - (1.0 - p_interview * taken.mean(axis=1)) ** apps
    return float(per_market.mean())
