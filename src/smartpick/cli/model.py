"""``smartpick model``: fit the market model to published figures and check it on held-out ones."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated

import typer

from smartpick.cli.render import DocFormat, console, print_json, print_table

app = typer.Typer(help="Calibrate and validate the market model behind every chance.", no_args_is_help=True)


@app.command("calibrate")
def calibrate(
    runs: Annotated[
        int, typer.Option("--runs", help="Simulated markets per evaluation (same seeds each time).")
    ] = 120,
    workers: Annotated[int, typer.Option("--workers", help="Threads, or Ray workers with --engine ray.")] = 2,
    engine: Annotated[str, typer.Option("--engine", help="local or ray (needs the ray extra).")] = "local",
    resamples: Annotated[
        int, typer.Option("--resamples", help="Refits on resampled figures (intervals).")
    ] = 6,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Directory for the fitted files (default: the package's data)."),
    ] = None,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="Start from market.toml's start values, not the shipped fit.")
    ] = False,
    tables_only: Annotated[
        bool,
        typer.Option("--tables-only", help="Keep the shipped fit; only re-simulate the per-program tables."),
    ] = False,
) -> None:
    """Fit the free parameters to the fit figures; write market_fit.json, market_tables.npz and a report."""
    from smartpick.cli.progress import progress_bar
    from smartpick.services import market as svc
    from smartpick.services.catalogue import current_catalogue

    svc.check_run_options(runs, workers, engine)
    if resamples < 0:
        from smartpick.errors import InputError

        raise InputError("--resamples", resamples, "a whole number >= 0")
    catalogue = current_catalogue(None)
    if tables_only:
        path = svc.rebuild_tables(catalogue, workers=workers, engine=engine, out_dir=out)
        console.print(f"wrote {path.name} from the shipped fit")
        return
    start = None if fresh else svc.fitted_params_or_none()
    with progress_bar(
        "Fitting the market model",
        total=150 + 50 * resamples,
        unit="evaluations (each simulates the markets)",
    ) as advance:
        report = svc.calibrate(
            catalogue,
            runs=runs,
            workers=workers,
            engine=engine,
            resamples=resamples,
            out_dir=out,
            start=start,
            progress=advance,
        )
    print_table("Fitted parameters", ("parameter", "value"), sorted(report.params.items()))
    _print_checks(svc.validation_rows(report.checks))
    console.print(
        f"{report.evaluations} evaluations of {report.runs} markets, {len(report.resampled)} refits, "
        f"{report.seconds:.0f} s; wrote {', '.join(p.name for p in report.files)}"
    )


@app.command("validate")
def validate(
    fmt: Annotated[DocFormat, typer.Option("--format", help="Output format.")] = DocFormat.TABLE,
) -> None:
    """Every published figure against the fitted market; exit 1 when a hold-out figure misses."""
    from smartpick.services import market as svc
    from smartpick.services.catalogue import current_catalogue

    validation = svc.validate_all(current_catalogue(None))
    rows, reported = svc.validation_rows(validation.checks), svc.reported_rows(validation.reported)
    if fmt is DocFormat.JSON:
        print_json({"figures": rows, "reported": reported})
    else:
        _print_checks(rows)
        _print_reported(reported)
    if any(r["set"] == "holdout" and not r["ok"] for r in rows):
        raise typer.Exit(1)


def _print_checks(rows: list[dict[str, object]]) -> None:
    from smartpick.present.labels import label

    numbers = {
        str(r["source"]): n for n, r in enumerate({str(r["source"]): r for r in rows}.values(), start=1)
    }
    columns = ("figure", "set", "published", "model", "error", "tolerance", "source", "ok")
    table = [
        [r["name"], label(str(r["set"])), r["published"], r["model"], _cell("error", r["error"]),
         r["tolerance"], f"[{numbers[str(r['source'])]}]", _cell("ok", r["ok"])]
        for r in rows
    ]  # fmt: skip
    print_table(
        "Published figures vs the market model",
        columns,
        table,
        caption="fit: used by the calibration; held out: never used by it, only checked here",
    )
    for source, n in numbers.items():
        console.print(f"[{n}] {source}", highlight=False, markup=False)


def _print_reported(rows: list[dict[str, object]]) -> None:
    if not rows:
        return
    print_table(
        "Reported by the market model (not fitted; no published figure to check them against)",
        ("figure", "model", "basis"),
        [[r["name"], _percent(r["model"]), r["basis"]] for r in rows],
    )


def _percent(value: object) -> str:
    """A share as a whole percentage ("not simulated" when the markets gave none)."""
    if isinstance(value, float) and math.isfinite(value):
        return f"{value:.0%}"
    return "not simulated"


def _cell(column: str, value: object) -> object:
    """Words for the table: ok as yes/NO, the error with its sign."""
    if column == "ok":
        return "yes" if value else "NO"
    if column == "error" and isinstance(value, float):
        return f"{value:+}"
    return value
