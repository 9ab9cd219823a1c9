"""``smartpick recommend``: the PM&R programs to apply to within a budget, with chances and reasons."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import typer

from smartpick.cli.common import db_session
from smartpick.cli.render import Format, PlainConsole, console, print_csv, print_json, print_table
from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.wording import plural
from smartpick.errors import InputError
from smartpick.present.labels import label
from smartpick.services import catalogue as cat_svc
from smartpick.services import recommend as svc
from smartpick.services.profiles import load_profile

CSV_COLUMNS = (
    "id",
    "name",
    "city",
    "state",
    "tier",
    "p_interview",
    "p_interview_if_signalled",
    "p_match_if_interviewed",
    "signal",
    "utility",
    "reasons",
    "estimate",
)
PLOT_SUFFIXES = (".png", ".svg")


def recommend(
    profile: Annotated[
        Path, typer.Option("--profile", help="profile.toml (format: docs/formats.md#profile).")
    ],
    budget: Annotated[
        float | None, typer.Option(help="USD for ERAS PM&R fees (default: preferences.budget_usd).", min=0)
    ] = None,
    max_programs: Annotated[
        int | None,
        typer.Option("--max-programs", help="Most programs (default: preferences.max_programs).", min=1),
    ] = None,
    utility: Annotated[
        list[str] | None,
        typer.Option(help="Override a program's utility: ID=VALUE (repeatable; default 1-2)."),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.TABLE,
    plot: Annotated[
        Path | None, typer.Option(help="Write a chart (.png or .svg): P(match) curve and map.")
    ] = None,
    wide: Annotated[
        bool,
        typer.Option("--wide/--compact", help="Wide: every column at full width; compact: fit the terminal."),
    ] = False,
) -> None:
    """Recommend the PM&R programs to apply to: list size, tiers, chances with reasons, signals, cost.

    The profile format is described in docs/formats.md#profile.
    """
    PlainConsole.wide = wide
    if plot is not None and plot.suffix.lower() not in PLOT_SUFFIXES:
        raise InputError("--plot", str(plot), "a file name ending in .png or .svg")
    with db_session() as session:
        catalogue = cat_svc.current_catalogue(session)
    overrides = parse_overrides(utility or [], catalogue)
    applicant = load_profile(profile, catalogue)
    rec = svc.recommend(
        applicant, catalogue, budget=budget, max_programs=max_programs, utility_overrides=overrides
    )
    if plot is not None:
        write_plot(rec, plot)
    if fmt is Format.JSON:
        print_json(rec.to_json_dict())
    elif fmt is Format.CSV:
        print_csv(CSV_COLUMNS, (_csv_row(p.to_json_dict()) for p in rec.programs))
    else:
        print_recommendation(rec)


UTILITY_MAX = 100.0
UTILITY_ALLOWED = (
    f"PROGRAM=VALUE with a catalogue program and a number above 0 up to {UTILITY_MAX:g}, e.g. 1104340=2.5"
)


def parse_overrides(items: list[str], catalogue: Catalogue) -> dict[str, float]:
    """``["ID=1.5", ...]`` -> ``{catalogue id: 1.5}``; ids, ACGME numbers and NRMP codes all resolve.

    Raises:
        InputError: a malformed item, a value that is not a finite number in (0, 100], an unknown
            program, or one program given two different values under two ids.
    """
    out: dict[str, float] = {}
    for item in items:
        key, _, value = item.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not key.strip() or not (math.isfinite(number) and 0 < number <= UTILITY_MAX):
            raise InputError("--utility", item, UTILITY_ALLOWED)
        pid = catalogue.canonical_id(key)
        if pid is None:
            raise InputError("--utility", item, "a catalogue program id, ACGME number or NRMP code")
        if out.get(pid, number) != number:
            raise InputError("--utility", item, f"one value per program ({pid} was given {out[pid]:g})")
        out[pid] = number
    return out


def _csv_row(doc: dict[str, object]) -> list[object]:
    reasons = doc["reasons"]
    assert isinstance(reasons, list)
    text = "; ".join(
        f"{r['text']} ({r['logit']:+})" if r["logit"] is not None else r["text"] for r in reasons
    )
    return [text if c == "reasons" else doc[c] for c in CSV_COLUMNS]


def _interval(bounds: tuple[float, float]) -> str:
    """``54-70%``: the range over refits of the market model (parameter uncertainty)."""
    low, high = bounds
    return f"{low * 100:.0f}-{high * 100:.0f}%"


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%" if x >= 0.01 or x == 0 else "<1%"


def print_recommendation(rec: svc.Recommendation) -> None:
    """The terminal view: summary, the list by tier, signals, PGY-1, backup, warnings."""
    score = f"{rec.step2_used:.0f}" + (" (projected, estimate)" if rec.step2_is_estimate else "")
    console.print(
        f"[bold]SmartPick recommendation[/bold] ({label(rec.applicant_type)}, Step 2 CK {score}, "
        f"score band [bold]{label(rec.step2_band)}[/bold])",
        highlight=False,
    )
    out, sig = rec.outcome, rec.outcome_with_signals
    console.print(
        f"Apply to {plural(len(rec.programs), 'program')} (ERAS fees ${rec.cost_usd:,.0f}, "
        "AAMC 2025/26 ladder). "
        f"P(match) {_pct(rec.p_match)} ({_interval(rec.p_match_interval)}) with signals, "
        f"{_pct(out.p_match)} without; expected interviews "
        f"{sig.expected_interviews:.1f} (all model estimates). Tiers: "
        + ", ".join(f"{k} {v}" for k, v in rec.tier_counts.items()),
        highlight=False,
    )
    if rec.programs:
        shared = [
            c
            for c in rec.programs[0].chance.interview_terms
            if c not in rec.programs[0].chance.program_specific
        ]
        text = "; ".join(f"{c.text} {c.logit:+.2f}" for c in sorted(shared, key=lambda c: -abs(c.logit))[:5])
        console.print(
            "What in your profile changes your chance of an interview everywhere (weights of the model, "
            f"estimate; + helps, - hurts): {text or 'nothing beyond the typical applicant'}",
            highlight=False,
            markup=False,
        )
    common = set.intersection(*(set(p.chance.unknowns) for p in rec.programs)) if rec.programs else set()
    if common:
        console.print(
            f"Unknown at every listed program (chances there are less certain): {', '.join(sorted(common))}",
            highlight=False,
        )
    rows = [_table_row(i + 1, p, common) for i, p in enumerate(rec.programs)]
    if PlainConsole.wide:
        columns: tuple[str, ...] = (
            "#", "tier", "program", "city/state", "P(interview) est.", "P(match|int.) est.", "signal",
            "reasons here",
        )  # fmt: skip
    else:  # compact: the place under the name, the signal beside the chance
        columns = ("#", "tier", "program", "P(interview) est.", "P(match|int.) est.", "reasons here")
        rows = [
            [n, tier, f"{name}, {where}", f"{p_int}{' (signal)' if signal else ''}", p_match, why]
            for n, tier, name, where, p_int, p_match, signal, why in rows
        ]
    print_table(
        "Programs to apply to",
        columns,
        rows,
        caption="est. = model estimate; reasons: + raises, - lowers the chance of an interview; "
        "--wide for more",
    )
    _print_extras(rec)


def _table_row(n: int, p: svc.ChosenProgram, common: set[str]) -> list[object]:
    prog, ch = p.program, p.chance
    where = ", ".join(x for x in (prog.city.value, prog.state.value) if x) or "unknown"
    here = [f"{c.text} {c.logit:+.1f}" for c in ch.program_specific if abs(c.logit) >= 0.1]
    if ch.visa_factor < 1:
        here.append(f"visa {'none' if ch.visa_factor == 0 else 'unknown'} x{ch.visa_factor:.2f}")
    extra = [u for u in ch.unknowns if u not in common and u != "visa sponsorship"]
    if extra:
        here.append("unknown: " + ", ".join(extra))
    p_int = _pct(ch.p_interview) + (f" -> {_pct(p.p_interview_signalled)}" if p.signal else "")
    return [
        n,
        label(p.tier.value),
        f"{prog.name} ({prog.id})",
        where,
        p_int,
        _pct(ch.p_match_if_interviewed),
        "yes" if p.signal else "",
        "; ".join(here),
    ]


def _print_extras(rec: svc.Recommendation) -> None:
    names = {p.program.id: p.program.name for p in rec.programs}
    signals = [names.get(pid, pid) for pid in rec.signals]
    console.print(
        f"Signals ({len(signals)}): {'; '.join(signals) or 'none worth sending'}",
        highlight=False,
        markup=False,
    )
    points = [pt for pt in rec.curve if pt.applications in (10, 20, 30, 40, 60, 80, 100)]
    curve = ", ".join(f"{pt.applications}: {_pct(pt.p_match)} ${pt.cost_usd:,.0f}" for pt in points)
    console.print(f"P(match) by number of programs, no signals (estimate): {curve}", highlight=False)
    if rec.pgy1:
        g = rec.pgy1
        console.print(
            f"PGY-1: {g.reason}. Apply to {g.applications} (TY {g.transitional}, IM-prelim "
            f"{g.preliminary}): ${g.cost_usd:,.0f} on their own ERAS ladders.",
            highlight=False,
        )
        if g.secured_line():
            console.print(f"PGY-1: {g.secured_line()}.", highlight=False, markup=False)
    if rec.backup:
        opts = "; or ".join(f"{o} ({n} programs, ${c:,.0f})" for o, n, c in rec.backup.options)
        console.print(f"Backup recommended ({'; '.join(rec.backup.reasons)}): {opts}.", highlight=False)
    for line in rec.explanations:
        console.print(f"why: {line}", highlight=False, markup=False)
    for line in rec.warnings:
        console.print(f"[yellow]warning:[/yellow] {line}", highlight=False)


def write_plot(rec: svc.Recommendation, path: Path) -> None:
    """Chart of the P(match)/cost curve, the list by region and tier, and a lat/lon map where known."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2, ax3) = plt.subplots(1, 3, figsize=(16, 5))
    xs = [pt.applications for pt in rec.curve]
    ax1.plot(xs, [pt.p_match for pt in rec.curve], label="P(match), estimate")
    ax1.axvline(len(rec.programs), color="grey", linestyle="--", label="recommended list")
    ax1.set(xlabel="programs applied to", ylabel="P(match) (model estimate)", title="Diminishing returns")
    twin = ax1.twinx()
    twin.plot(xs, [pt.cost_usd for pt in rec.curve], color="tab:red", label="ERAS fee (USD)")
    twin.set_ylabel("ERAS fee, USD (AAMC 2025/26)")
    ax1.legend(loc="lower right")
    _region_bars(ax2, rec)
    _map(ax3, rec)
    fig.tight_layout()
    try:
        fig.savefig(path)
    except OSError as exc:
        raise InputError("--plot", str(path), f"a writable file path ({exc.strerror})") from None
    finally:
        plt.close(fig)


def _region_bars(ax: Any, rec: svc.Recommendation) -> None:
    regions = ["Northeast", "Midwest", "South", "West", "unknown"]
    bottom = [0] * len(regions)
    for tier in ("reach", "core", "safety"):
        counts = [
            sum(
                1
                for p in rec.programs
                if p.tier.value == tier
                and (p.program.region.value.value if p.program.region.value else "unknown") == r
            )
            for r in regions
        ]
        ax.bar(regions, counts, bottom=bottom, label=tier)
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    ax.set(title="Recommended programs by region and tier", ylabel="programs")
    ax.legend()


def _map(ax: Any, rec: svc.Recommendation) -> None:
    known = [
        p
        for p in rec.programs
        if p.program.latitude.value is not None and p.program.longitude.value is not None
    ]
    for tier, colour in (("reach", "tab:blue"), ("core", "tab:orange"), ("safety", "tab:green")):
        pts = [p for p in known if p.tier.value == tier]
        ax.scatter(
            [p.program.longitude.value for p in pts],
            [p.program.latitude.value for p in pts],
            c=colour,
            label=tier,
            s=[30 + 200 * p.chance.p_interview for p in pts],
        )
    ax.set(
        xlim=(-125, -66),
        ylim=(24, 50),
        xlabel="longitude",
        ylabel="latitude",
        title=f"Programs with known location ({len(known)} of {len(rec.programs)})",
    )
    ax.legend(loc="lower left")
