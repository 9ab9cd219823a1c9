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


@dataclass(frozen=True)
class GanttBar:
    """One task as a bar from its start to its due date."""

    label: str
    x: float
    y: float
    width: float
    status: str
    late: bool
    dates: str


@dataclass(frozen=True)
class GanttChart:
    """Tasks as bars on a month axis, with today marked."""

    width: int
    height: int
    left: int
    top: int
    bar_height: int
    months: tuple[Tick, ...]
    bars: tuple[GanttBar, ...]
    today_x: float | None


def gantt(tasks: Sequence[tuple[str, object, object, str]], today: object) -> GanttChart | None:
    """A timeline chart of ``(title, start, due, status)`` tasks: months across, one bar per task.

    Late tasks (status ``late``) are flagged so the template can mark them; today is a vertical line when it
    falls
    inside the span. ``None`` when there are no tasks.
    """
    import datetime as dt

    if not tasks:
        return None
    starts = [t[1] for t in tasks]
    dues = [t[2] for t in tasks]
    assert all(isinstance(d, dt.date) for d in [*starts, *dues])
    first: dt.date = min(starts)  # type: ignore[type-var,assignment]
    last: dt.date = max(dues)  # type: ignore[type-var,assignment]
    lo = dt.date(first.year, first.month, 1)
    hi = dt.date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    label_w, row, top = 210, 22, 30
    width = 860
    span = max((hi - lo).days, 1)
    plot = width - label_w - 12

    def x_of(day: dt.date) -> float:
        return round(label_w + plot * (day - lo).days / span, 1)

    months, cur = [], lo
    while cur < hi:
        months.append(Tick(x_of(cur), cur.strftime("%b %y")))
        cur = dt.date(cur.year + (cur.month == 12), cur.month % 12 + 1, 1)
    step = max(1, math.ceil(len(months) / 14))
    months = months[::step]
    bars = []
    for i, (title, start, due, status) in enumerate(tasks):
        assert isinstance(start, dt.date) and isinstance(due, dt.date)
        x0, x1 = x_of(start), x_of(max(due, start + dt.timedelta(days=3)))
        short = title if len(title) <= 30 else title[:29] + "…"
        bars.append(
            GanttBar(
                short, x0, top + i * row, max(x1 - x0, 3.0), status, status == "late", f"{start} to {due}"
            )
        )
    today_x = x_of(today) if isinstance(today, dt.date) and lo <= today <= hi else None
    return GanttChart(
        width, top + len(tasks) * row + 8, label_w, top, row - 6, tuple(months), tuple(bars), today_x
    )
