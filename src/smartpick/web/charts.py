"""Server-side charts as geometry for inline SVG: no JavaScript chart library, no matplotlib per request.

The page templates draw these with SVG presentation attributes only (no ``style``), which the
Content-Security-Policy allows; each chart has a title, a description and a data table beside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 44


@dataclass(frozen=True)
class Tick:
    """An axis tick: where it is drawn and its label."""

    at: float
    label: str


@dataclass(frozen=True)
class LineChart:
    """A line over x, with a marked x (the recommended list size)."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    points: str
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    marker_x: float | None
    marker_label: str


def _nice_step(span: float, target: int = 6) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) giving about ``target`` ticks."""
    raw = max(span / target, 1e-9)
    power = 10.0 ** math.floor(math.log10(raw))
    for mult in (1, 2, 5, 10):
        if raw <= mult * power:
            return mult * power
    return 10 * power


def line_chart(
    xs: Sequence[float], ys: Sequence[float], *, marker: float | None, marker_label: str
) -> LineChart:
    """A line chart of ``ys`` (0..1, shown as percent) against ``xs``."""
    x_max = max(max(xs, default=1.0), 1.0)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(x: float) -> float:
        return round(LEFT + plot_w * x / x_max, 1)

    def sy(y: float) -> float:
        return round(TOP + plot_h * (1.0 - y), 1)

    step = _nice_step(x_max)
    count = int(x_max // step)
    x_ticks = tuple(Tick(sx(i * step), f"{i * step:g}") for i in range(count + 1))
    y_ticks = tuple(Tick(sy(v / 100), f"{v}%") for v in range(0, 101, 25))
    points = " ".join(f"{sx(x)},{sy(y)}" for x, y in zip(xs, ys, strict=True))
    marked = sx(marker) if marker else None
    return LineChart(WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM, points, x_ticks, y_ticks, marked, marker_label)


@dataclass(frozen=True)
class BarSegment:
    """One coloured part of a stacked bar."""

    series: str
    x: float
    width: float
    count: int


@dataclass(frozen=True)
class Bar:
    """A horizontal stacked bar with its label and total."""

    label: str
    y: float
    total: int
    segments: tuple[BarSegment, ...]


@dataclass(frozen=True)
class BarChart:
    """Horizontal stacked bars (categories down, counts across)."""

    width: int
    height: int
    left: int
    bar_height: int
    series: tuple[str, ...]
    bars: tuple[Bar, ...]


def stacked_bars(counts: dict[str, dict[str, int]], series: Sequence[str]) -> BarChart:
    """Bars per category (``counts[category][series]``), scaled to the largest total."""
    left, bar_h, gap = 110, 26, 12
    biggest = max((sum(c.values()) for c in counts.values()), default=0) or 1
    span = WIDTH - left - 48
    bars = []
    for n, (label, by_series) in enumerate(counts.items()):
        x, segments = float(left), []
        for name in series:
            width = span * by_series.get(name, 0) / biggest
            segments.append(BarSegment(name, round(x, 1), round(width, 1), by_series.get(name, 0)))
            x += width
        bars.append(Bar(label, TOP + n * (bar_h + gap), sum(by_series.values()), tuple(segments)))
    height = TOP + len(bars) * (bar_h + gap) + 8
    return BarChart(WIDTH, height, left, bar_h, tuple(series), tuple(bars))
