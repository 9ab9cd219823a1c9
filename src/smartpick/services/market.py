"""Use-cases of the market model: calibrate, validate, and the per-program tables every chance reads."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from smartpick.atomic import write_atomically
from smartpick.data import market as store
from smartpick.data.figures import bundled_figures
from smartpick.domain.catalogue.figures import Figures
from smartpick.domain.catalogue.programs import Catalogue
from smartpick.domain.market.build import MarketArrays, build_arrays, parameter_vector
from smartpick.domain.market.calibrate import (
    FigureCheck,
    ReportedValue,
    fit,
    measure,
    report,
    resampled_values,
)
from smartpick.domain.market.chances import MarketTables, TableSet
from smartpick.domain.market.run import MarketRuns, UserEntry, chunks, run_markets, spawn_seeds
from smartpick.domain.market.spec import MarketSpec
from smartpick.domain.provenance import Source
from smartpick.errors import InputError

Progress = Callable[[int], None]
TABLE_RUNS = 1000
RESAMPLED_TABLE_RUNS = 100
VALIDATE_SEED = 20260
VALIDATE_RUNS = 300


@contextmanager
def numba_threads(workers: int) -> Iterator[None]:
    """Run compiled runs on ``workers`` threads (capped at numba's pool size); results do not change."""
    try:
        import numba
    except ImportError:  # pragma: no cover - interpreted fallback: one thread
        yield
        return
    before = numba.get_num_threads()
    numba.set_num_threads(max(1, min(workers, numba.config.NUMBA_NUM_THREADS)))  # type: ignore[attr-defined]
    try:
        yield
    finally:
        numba.set_num_threads(before)


def check_run_options(runs: int, workers: int, engine: str) -> None:
    """One-line errors for bad ``--runs``, ``--workers``, ``--engine``."""
    if runs < 1:
        raise InputError("--runs", runs, "a whole number >= 1")
    if workers < 1:
        raise InputError("--workers", workers, "a whole number >= 1")
    if engine not in ("local", "ray"):
        raise InputError("--engine", engine, "local or ray")


def simulate_markets(
    arrays: MarketArrays,
    pv: NDArray[np.float64],
    seeds: NDArray[np.uint32],
    *,
    user: UserEntry | None = None,
    workers: int = 1,
    engine: str = "local",
    progress: Progress | None = None,
    chains: bool = False,
) -> MarketRuns:
    """Run one market per seed, locally on threads or as Ray tasks; same seeds, same result."""
    if engine == "ray":
        return _ray_runs(arrays, pv, seeds, user, workers, progress, chains)
    parts = chunks(seeds, max(1, min(len(seeds) // 200, 40)))
    out = []
    with numba_threads(workers):
        for part in parts:
            out.append(run_markets(arrays, pv, part, user, chains=chains))
            if progress is not None:
                progress(len(part))
    return _concat(out)


def _concat(parts: Sequence[MarketRuns]) -> MarketRuns:
    return MarketRuns(
        np.concatenate([p.stats for p in parts]),
        np.concatenate([p.thresholds for p in parts]),
        np.concatenate([p.cutoffs for p in parts]),
        np.concatenate([p.user for p in parts]),
        np.concatenate([p.sponsors for p in parts]),
        np.concatenate([p.pgy1_cutoffs for p in parts]),
    )


def _ray_runs(
    arrays: MarketArrays,
    pv: NDArray[np.float64],
    seeds: NDArray[np.uint32],
    user: UserEntry | None,
    workers: int,
    progress: Progress | None,
    chains: bool,
) -> MarketRuns:
    try:
        import ray  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        raise InputError(
            "--engine", "ray", "an installed Ray (pip install 'smartpick[ray]'), or --engine local"
        ) from None
    if not ray.is_initialized():
        ray.init(ignore_reinit_error=True, log_to_driver=False, num_cpus=workers)
    remote = ray.remote(_run_part)
    a, p, u = ray.put(arrays), ray.put(pv), ray.put(user)
    parts = chunks(seeds, max(workers, len(seeds) // 100))
    refs = [remote.remote(a, p, part, u, chains) for part in parts]
    out = []
    for ref, part in zip(refs, parts, strict=True):
        out.append(ray.get(ref))
        if progress is not None:
            progress(len(part))
    return _concat(out)


def _run_part(
    arrays: MarketArrays,
    pv: NDArray[np.float64],
    seeds: NDArray[np.uint32],
    user: UserEntry | None,
    chains: bool,
) -> MarketRuns:
    """One Ray task: a batch of markets."""
    return run_markets(arrays, pv, seeds, user, chains=chains)


@dataclass(frozen=True)
class CalibrationReport:
    """What ``model calibrate`` did and measured."""

    params: dict[str, float]
    resampled: tuple[dict[str, float], ...]
    checks: tuple[FigureCheck, ...]
    runs: int
    evaluations: int
    seconds: float
    files: tuple[Path, ...]


def calibrate(
    catalogue: Catalogue,
    *,
    runs: int = 120,
    workers: int = 1,
    engine: str = "local",
    resamples: int = 6,
    max_evaluations: int = 150,
    seed: int = 2026,
    start: Mapping[str, float] | None = None,
    out_dir: Path | None = None,
    progress: Progress | None = None,
) -> CalibrationReport:
    """Fit the free parameters on the fit figures, refit on resampled figures, write the fitted files.

    Every evaluation simulates ``runs`` markets with the same seeds (common random numbers). The hold-out
    figures are measured afterwards on fresh seeds and never enter the fit.
    """
    check_run_options(runs, workers, engine)
    started = time.perf_counter()
    figures, spec, targets = bundled_figures(), store.bundled_spec(), store.bundled_targets()
    seeds = spawn_seeds(seed, runs)

    def simulate(params: Mapping[str, float]) -> NDArray[np.float64]:
        arrays = build_arrays(catalogue, figures, spec, params)
        pv = parameter_vector(figures, spec, params)
        return simulate_markets(arrays, pv, seeds, workers=workers, engine=engine).stats

    central = fit(
        simulate, targets, spec.free, start=start, max_evaluations=max_evaluations, progress=progress
    )
    rng = np.random.default_rng(seed + 1)
    refits = []
    for _ in range(resamples):
        values = resampled_values(targets, rng)
        refit = fit(
            simulate,
            targets,
            spec.free,
            values=values,
            start=central.params,
            max_evaluations=max_evaluations // 3,
            progress=progress,
        )
        refits.append(refit.params)
    tables = build_tables(catalogue, figures, spec, central.params, refits, workers=workers, engine=engine)
    validation = validate_params(catalogue, central.params, workers=workers, engine=engine)
    checks = validation.checks
    out = out_dir or store.data_dir()
    out.mkdir(parents=True, exist_ok=True)
    doc = {
        "version": f"{spec.version}+fit{dt.datetime.now(dt.UTC):%Y%m%d}",
        "params": central.params,
        "runs": runs,
        "seed": seed,
        "objective": round(central.objective, 4),
        "resampled": refits,
        "extra": {"evaluations": central.evaluations, "catalogue_version": catalogue.version},
    }
    report_text = _report_markdown(doc, validation)
    files = (
        store.write_fitted(doc, out),
        store.write_tables(tables, out),
        write_atomically(out / store.REPORT_FILE, report_text),
    )
    seconds = time.perf_counter() - started
    return CalibrationReport(central.params, tuple(refits), checks, runs, central.evaluations, seconds, files)


def rebuild_tables(
    catalogue: Catalogue, *, workers: int = 2, engine: str = "local", out_dir: Path | None = None
) -> Path:
    """Re-simulate the per-program tables from the shipped fit (after a catalogue or kernel change)."""
    check_run_options(1, workers, engine)
    fitted = store.bundled_fitted()
    tables = build_tables(
        catalogue,
        bundled_figures(),
        store.bundled_spec(),
        fitted.params,
        fitted.resampled,
        workers=workers,
        engine=engine,
    )
    out = out_dir or store.data_dir()
    out.mkdir(parents=True, exist_ok=True)
    return store.write_tables(tables, out)


def _report_markdown(doc: Mapping[str, object], validation: Validation) -> str:
    lines = [f"# Market calibration {doc['version']}", "", "Fitted parameters:", ""]
    params = doc["params"]
    assert isinstance(params, dict)
    lines += [f"- {k} = {v}" for k, v in params.items()]
    lines += ["", validation_markdown(validation.checks), "", "Reported (not fitted, not checked):", ""]
    lines += [f"- {r['name']}: {r['model']} ({r['basis']})" for r in reported_rows(validation.reported)]
    return "\n".join(lines) + "\n"


def build_tables(
    catalogue: Catalogue,
    figures: Figures,
    spec: MarketSpec,
    params: Mapping[str, float],
    resampled: Sequence[Mapping[str, float]],
    *,
    runs: int = TABLE_RUNS,
    resampled_runs: int = RESAMPLED_TABLE_RUNS,
    workers: int = 1,
    engine: str = "local",
    seed: int = 7,
) -> MarketTables:
    """Per-program thresholds and cutoffs of markets simulated with the fitted (and refitted) parameters."""

    def table(p: Mapping[str, float], n: int, s: int) -> TableSet:
        arrays = build_arrays(catalogue, figures, spec, p)
        result = simulate_markets(
            arrays,
            parameter_vector(figures, spec, p),
            spawn_seeds(s, n),
            workers=workers,
            engine=engine,
            chains=True,
        )
        return TableSet(dict(p), result.thresholds, result.cutoffs, result.sponsors, result.pgy1_cutoffs)

    return MarketTables(
        version=spec.version,
        catalogue_version=catalogue.version,
        program_ids=tuple(p.id for p in catalogue.programs),
        central=table(params, runs, seed),
        resampled=tuple(table(p, resampled_runs, seed + k + 1) for k, p in enumerate(resampled)),
    )


@dataclass(frozen=True)
class Validation:
    """Every fit and hold-out figure against the model, and the figures it only reports."""

    checks: tuple[FigureCheck, ...]
    reported: tuple[ReportedValue, ...]


def validate_params(
    catalogue: Catalogue,
    params: Mapping[str, float],
    *,
    runs: int = VALIDATE_RUNS,
    workers: int = 1,
    engine: str = "local",
) -> Validation:
    """Every fit, hold-out and reported figure in markets simulated with ``params`` (fixed fresh seeds)."""
    figures, spec = bundled_figures(), store.bundled_spec()
    arrays = build_arrays(catalogue, figures, spec, params)
    stats = simulate_markets(
        arrays,
        parameter_vector(figures, spec, params),
        spawn_seeds(VALIDATE_SEED, runs),
        workers=workers,
        engine=engine,
    ).stats
    return Validation(measure(stats, store.bundled_targets()), report(stats, store.bundled_reported()))


def validate_all(catalogue: Catalogue, *, workers: int = 2) -> Validation:
    """The shipped fitted parameters against every published figure, and the reported figures."""
    return validate_params(catalogue, store.bundled_fitted().params, workers=workers)


def validate(catalogue: Catalogue, *, workers: int = 2) -> tuple[FigureCheck, ...]:
    """The shipped fitted parameters against every published figure."""
    return validate_all(catalogue, workers=workers).checks


def source_citation(key: str) -> str:
    """A target's source by title and address (``market_targets.toml``'s sources, then ``figures.toml``'s)."""
    raw = store.target_document().get("sources", {}).get(key)
    source = Source.model_validate(raw) if raw is not None else bundled_figures().sources.get(key)
    if source is None:
        return key
    return source.title + (f" <{source.url}>" if source.url else "")


def validation_rows(checks: Sequence[FigureCheck]) -> list[dict[str, object]]:
    """Rows of ``model validate``: the figure in words, set, published, model, error, tolerance, source, ok.

    ``id`` and ``source_id`` are the stable keys of the figure and its source (JSON readers join on them).
    """
    return [
        {
            "id": c.target.name,
            "name": c.target.title,
            "set": c.target.set,
            "published": c.target.value,
            "model": round(float(c.model), 4),
            "error": round(float(c.error), 4),
            "tolerance": c.target.tolerance,
            "source": source_citation(c.target.source),
            "source_id": c.target.source,
            "ok": c.ok,
        }
        for c in checks
    ]


def reported_rows(values: Sequence[ReportedValue]) -> list[dict[str, object]]:
    """Rows of the figures the market only reports: id, the figure in words, the model's value, its basis."""
    return [
        {
            "id": v.figure.name,
            "name": v.figure.title,
            "model": round(float(v.model), 4),
            "basis": v.figure.note,
        }
        for v in values
    ]


def validation_markdown(checks: Sequence[FigureCheck]) -> str:
    """The validation table in Markdown (README and calibration report)."""
    head = "| figure | set | published | model | error | tolerance | source | ok |\n" + "|---" * 8 + "|"
    rows = [
        f"| {r['name']} | {r['set']} | {r['published']} | {r['model']} | {r['error']:+} | {r['tolerance']} "
        f"| {r['source']} | {'yes' if r['ok'] else 'NO'} |"
        for r in validation_rows(checks)
    ]
    return "\n".join([head, *rows])


_SIMULATED_TABLES: dict[tuple[str, ...], MarketTables] = {}


def market_tables(catalogue: Catalogue) -> MarketTables:
    """The per-program tables for this catalogue's programs.

    The shipped tables when they cover every program; otherwise (a catalogue with programs the calibration
    did not see) tables simulated now with the fitted parameters, kept for the life of the process.
    """
    shipped = store.bundled_tables()
    ids = tuple(p.id for p in catalogue.programs)
    if set(ids) <= set(shipped.program_ids):
        return shipped
    if ids not in _SIMULATED_TABLES:
        fitted = store.bundled_fitted()
        _SIMULATED_TABLES[ids] = build_tables(
            catalogue,
            bundled_figures(),
            store.bundled_spec(),
            fitted.params,
            fitted.resampled,
            runs=200,
            resampled_runs=30,
            workers=2,
        )
    return _SIMULATED_TABLES[ids]


def fitted_params() -> dict[str, float]:
    """The shipped fitted parameters."""
    return dict(store.bundled_fitted().params)


def fitted_params_or_none() -> dict[str, float] | None:
    """The shipped fitted parameters, or None when no fitted file ships (a fresh checkout)."""
    try:
        return fitted_params()
    except (FileNotFoundError, KeyError, ValueError):
        return None
