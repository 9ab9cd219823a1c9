"""Fit the market's free parameters to the *fit* figures; measure every figure (fit and hold-out).

Steps of :func:`fit`:
1. Draw the per-run seeds once (common random numbers: every evaluation simulates the very same markets, so
   differences between parameter values are not Monte Carlo noise).
2. Minimise the sum over the fit figures of ((model - published) / se)^2 with SciPy's bounded Nelder-Mead
   (the objective is piecewise constant in small steps, so a derivative-free method).
3. Hold-out figures are never read by the fit: :func:`measure` reports them afterwards.
:func:`resampled_fits` refits on fit figures redrawn from N(published, se): the spread of those refits is the
parameter uncertainty behind the intervals ``recommend`` shows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import minimize

from smartpick.domain.market import layout as L
from smartpick.domain.market.spec import FREE_NAMES, TYPES, FreeParameter, Reported, Target

Simulator = Callable[[Mapping[str, float]], NDArray[np.float64]]
"""Parameters -> per-run statistics ``(runs, N_STATS)`` of markets simulated with fixed seeds."""


def statistics(stats: NDArray[np.float64]) -> dict[str, float]:
    """Named market figures from summed per-run statistics (see :mod:`.layout`)."""
    s = stats.sum(axis=0) if stats.ndim == 2 else stats
    out: dict[str, float] = {}
    matched_all = sum(s[L.STAT_WIDTH * t + 1] for t in range(len(TYPES)))
    for t, kind in enumerate(TYPES):
        b = L.STAT_WIDTH * t
        n, matched = s[b], s[b + 1]
        unmatched = n - matched
        out[f"match_rate.{kind.value}"] = matched / n if n else float("nan")
        out[f"ranks_matched.{kind.value}"] = s[b + 2] / matched if matched else float("nan")
        out[f"ranks_unmatched.{kind.value}"] = s[b + 3] / unmatched if unmatched else float("nan")
        out[f"rank_gap.{kind.value}"] = (
            out[f"ranks_matched.{kind.value}"] - out[f"ranks_unmatched.{kind.value}"]
        )
        gap = s[b + 4] / matched - s[b + 5] / unmatched if matched and unmatched else float("nan")
        out[f"step2_gap.{kind.value}"] = gap
        out[f"share_of_matched.{kind.value}"] = matched / matched_all if matched_all else float("nan")
    base = L.STAT_WIDTH * len(TYPES)
    out["fill_rate"] = s[base] / s[base + 1] if s[base + 1] else float("nan")
    for t, kind in enumerate(TYPES):
        held, secured = s[L.PGY1_STATS + 2 * t], s[L.PGY1_STATS + 2 * t + 1]
        out[f"pgy1_if_advanced.{kind.value}"] = secured / held if held else float("nan")
    return out


@dataclass(frozen=True)
class FigureCheck:
    """One published figure against the model."""

    target: Target
    model: float

    @property
    def error(self) -> float:
        """Model minus published."""
        return self.model - self.target.value

    @property
    def ok(self) -> bool:
        """Within the stated tolerance."""
        return bool(np.isfinite(self.model) and abs(self.error) <= self.target.tolerance)


def measure(stats: NDArray[np.float64], targets: Sequence[Target]) -> tuple[FigureCheck, ...]:
    """Every target against the simulated markets."""
    named = statistics(stats)
    return tuple(FigureCheck(t, named.get(t.statistic, float("nan"))) for t in targets)


@dataclass(frozen=True)
class ReportedValue:
    """A figure the market reports (no published value to fit or check it against)."""

    figure: Reported
    model: float


def report(stats: NDArray[np.float64], figures: Sequence[Reported]) -> tuple[ReportedValue, ...]:
    """Every reported figure in the simulated markets."""
    named = statistics(stats)
    return tuple(ReportedValue(f, named.get(f.statistic, float("nan"))) for f in figures)


def objective(named: Mapping[str, float], fit_targets: Sequence[Target], values: Sequence[float]) -> float:
    """Sum of squared standardised misses over the fit figures (``values`` may be resampled)."""
    total = 0.0
    for target, value in zip(fit_targets, values, strict=True):
        model = named.get(target.statistic, float("nan"))
        total += ((model - value) / target.se) ** 2 if np.isfinite(model) else 1e6
    return total


@dataclass(frozen=True)
class FitResult:
    """Fitted parameters and the optimiser's record."""

    params: dict[str, float]
    objective: float
    evaluations: int


def fit(
    simulate: Simulator,
    targets: Sequence[Target],
    free: Sequence[FreeParameter],
    *,
    values: Sequence[float] | None = None,
    start: Mapping[str, float] | None = None,
    max_evaluations: int = 120,
    progress: Callable[[int], None] | None = None,
) -> FitResult:
    """Fit the free parameters to the fit figures (hold-outs are filtered out here and never seen)."""
    fit_targets = [t for t in targets if t.set == "fit"]
    values = [t.value for t in fit_targets] if values is None else list(values)
    names = [p.name for p in free]
    if sorted(names) != sorted(FREE_NAMES):
        raise ValueError(f"free parameters must be {', '.join(FREE_NAMES)}")
    x0 = np.asarray([(start or {}).get(p.name, p.start) for p in free])
    count = 0

    def loss(x: NDArray[np.float64]) -> float:
        nonlocal count
        count += 1
        if progress is not None:
            progress(1)
        params = dict(zip(names, (float(v) for v in x), strict=True))
        return objective(statistics(simulate(params)), fit_targets, values)

    result = minimize(
        loss,
        x0,
        method="Nelder-Mead",
        bounds=[(p.low, p.high) for p in free],
        options={
            "maxfev": max_evaluations,
            "xatol": 0.01,
            "fatol": 0.05,
            "initial_simplex": _simplex(x0, free),
        },
    )
    params = dict(zip(names, (round(float(v), 4) for v in result.x), strict=True))
    return FitResult(params, float(result.fun), count)


def _simplex(x0: NDArray[np.float64], free: Sequence[FreeParameter]) -> NDArray[np.float64]:
    """Start simplex: each vertex moves one parameter by a fifth of its range (inside the bounds)."""
    rows = [x0]
    for k, p in enumerate(free):
        step = (p.high - p.low) / 5
        v = x0.copy()
        v[k] = x0[k] + step if x0[k] + step <= p.high else x0[k] - step
        rows.append(v)
    return np.asarray(rows)


def resampled_values(targets: Sequence[Target], rng: np.random.Generator) -> list[float]:
    """Fit figures redrawn from N(published, se), clipped to the unit interval for rates."""
    out = []
    for t in targets:
        if t.set != "fit":
            continue
        v = float(rng.normal(t.value, t.se))
        out.append(min(max(v, 0.0), 1.0) if t.value <= 1 else v)
    return out
