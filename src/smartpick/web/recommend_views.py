"""The recommendation as the page shows it: program rows, summary, charts and the CSV export."""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass

from smartpick.errors import InputError
from smartpick.services.recommend import ChosenProgram, Recommendation
from smartpick.web.charts import BarChart, LineChart, line_chart, stacked_bars

REGIONS = ("Northeast", "Midwest", "South", "West", "unknown")
TIERS = ("reach", "core", "safety")
CSV_COLUMNS = (
    "id", "name", "city", "state", "tier", "p_interview", "p_interview_if_signalled",
    "p_match_if_interviewed", "signal", "utility", "reasons", "estimate",
)  # fmt: skip
MAX_BUDGET = 100_000.0
MAX_PROGRAMS = 1000


@dataclass(frozen=True)
class ReasonView:
    """One term of a program's chance, with its push on the log-odds."""

    text: str
    logit: float | None


@dataclass(frozen=True)
class ProgramRow:
    """One program on the recommended list (probabilities are model estimates)."""

    id: str
    name: str
    where: str
    region: str
    tier: str
    p_interview: float
    p_interview_if_signalled: float
    p_match_if_interviewed: float
    signal: bool
    reasons: tuple[ReasonView, ...]
    utility_reasons: tuple[str, ...]
    unknowns: tuple[str, ...]


@dataclass(frozen=True)
class CurveRow:
    """A point of the P(match)-vs-applications curve shown in the data table."""

    applications: int
    p_match: float
    cost_usd: float


@dataclass(frozen=True)
class RecommendationView:
    """Everything the recommendations page shows."""

    applicant_type: str
    step2_band: str
    step2_used: float
    step2_is_estimate: bool
    count: int
    cost_usd: float
    p_match: float
    p_match_without_signals: float
    expected_interviews: float
    p_match_interval: tuple[float, float]
    tier_counts: dict[str, int]
    programs: tuple[ProgramRow, ...]
    signals: tuple[str, ...]
    curve: LineChart
    curve_rows: tuple[CurveRow, ...]
    regions: BarChart
    pgy1: str | None
    backup: tuple[str, ...]
    explanations: tuple[str, ...]
    warnings: tuple[str, ...]
    excluded: tuple[str, ...]
    sources: tuple[str, ...]
    max_cost_usd: float


def region_of(choice: ChosenProgram) -> str:
    """The program's census region, or ``unknown``."""
    region = choice.program.region.value
    return region.value if region else "unknown"


def program_row(choice: ChosenProgram) -> ProgramRow:
    """A table row for one recommended program."""
    p, ch = choice.program, choice.chance
    where = ", ".join(x for x in (p.city.value, p.state.value) if x) or "unknown"
    reasons = tuple(
        ReasonView(r.text, round(r.logit, 3) if math.isfinite(r.logit) else None) for r in ch.reasons(4)
    )
    return ProgramRow(
        p.id, p.name, where, region_of(choice), choice.tier.value, ch.p_interview,
        choice.p_interview_signalled, ch.p_match_if_interviewed, choice.signal, reasons,
        choice.utility.reasons, ch.unknowns,
    )  # fmt: skip


def recommendation_view(rec: Recommendation) -> RecommendationView:
    """The page's view of a recommendation."""
    n = len(rec.programs)
    xs = [pt.applications for pt in rec.curve]
    ys = [pt.p_match for pt in rec.curve]
    at_n = next((pt.p_match for pt in rec.curve if pt.applications == n), 0.0)
    label = f"your list: {n} programs, {at_n:.0%} without signals (estimate)"
    counts = {r: {t: 0 for t in TIERS} for r in REGIONS}
    for choice in rec.programs:
        counts[region_of(choice)][choice.tier.value] += 1
    marks = {1, 5, 10, 20, 30, 40, 60, 80, 100, n, len(rec.curve)} & set(xs)
    backup = tuple(f"{o}: {k} programs, ${c:,.0f}" for o, k, c in rec.backup.options) if rec.backup else ()
    return RecommendationView(
        applicant_type=rec.applicant_type, step2_band=rec.step2_band, step2_used=rec.step2_used,
        step2_is_estimate=rec.step2_is_estimate, count=n, cost_usd=rec.cost_usd, p_match=rec.p_match,
        p_match_without_signals=rec.outcome.p_match, p_match_interval=rec.p_match_interval,
        expected_interviews=rec.outcome_with_signals.expected_interviews, tier_counts=rec.tier_counts,
        programs=tuple(program_row(c) for c in rec.programs), signals=rec.signals,
        curve=line_chart(xs, ys, marker=n or None, marker_label=label),
        curve_rows=tuple(CurveRow(pt.applications, pt.p_match, pt.cost_usd) for pt in rec.curve
                         if pt.applications in marks),
        regions=stacked_bars({r: c for r, c in counts.items() if sum(c.values())}, TIERS),
        pgy1=rec.pgy1.reason if rec.pgy1 else None,
        backup=(*(rec.backup.reasons if rec.backup else ()), *backup),
        explanations=rec.explanations, warnings=rec.warnings,
        excluded=tuple(f"{i}: {why}" for i, why in rec.excluded), sources=rec.sources,
        max_cost_usd=rec.curve[-1].cost_usd if rec.curve else 0.0,
    )  # fmt: skip


def recommendation_csv(rec: Recommendation) -> str:
    """The list as CSV, the columns of ``smartpick recommend --format csv``."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for choice in rec.programs:
        doc = choice.to_json_dict()
        reasons = "; ".join(
            f"{r['text']} ({r['logit']:+})" if r["logit"] is not None else str(r["text"])
            for r in doc["reasons"]  # type: ignore[attr-defined]
        )
        writer.writerow([reasons if c == "reasons" else doc[c] for c in CSV_COLUMNS])
    return out.getvalue()


def optional_number(
    raw: str | None, field: str, *, lo: float, hi: float, whole: bool = False
) -> float | None:
    """A number from a query string; empty means "not given".

    Raises:
        InputError: not a number, or outside ``lo..hi``.
    """
    text = (raw or "").strip()
    if not text:
        return None
    allowed = f"{'a whole number' if whole else 'a number'} from {lo:g} to {hi:g}, or empty for the default"
    try:
        value = float(text)
    except ValueError:
        raise InputError(field, raw, allowed) from None
    if not lo <= value <= hi or (whole and not value.is_integer()):
        raise InputError(field, raw, allowed)
    return value
