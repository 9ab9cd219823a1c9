"""Loaders (and the calibration's writers) of the market model's bundled files.

``market.toml`` (hand-set figures), ``market_targets.toml`` (fit and hold-out figures), ``market_fit.json``
(fitted parameters, written by ``smartpick model calibrate``) and ``market_tables.npz`` (per-program
thresholds and cutoffs of the calibrated markets, read by every chance SmartPick shows).
"""

from __future__ import annotations

import io
import json
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from smartpick.domain.market.chances import MarketTables, TableSet
from smartpick.domain.market.spec import (
    Fitted,
    MarketSpec,
    Reported,
    Target,
    parse_fitted,
    parse_reported,
    parse_spec,
    parse_targets,
)

SPEC_FILE = "market.toml"
TARGETS_FILE = "market_targets.toml"
FIT_FILE = "market_fit.json"
TABLES_FILE = "market_tables.npz"
REPORT_FILE = "market_report.md"


def data_dir() -> Path:
    """The package's data directory (where calibrate writes by default)."""
    return Path(str(resources.files("smartpick.data")))


def _text(name: str) -> str:
    return resources.files("smartpick.data").joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def bundled_spec() -> MarketSpec:
    """The hand-set market figures."""
    return parse_spec(tomllib.loads(_text(SPEC_FILE)))


@lru_cache(maxsize=1)
def target_document() -> dict[str, Any]:
    """The raw targets document (its [sources] complete figures.toml's)."""
    return tomllib.loads(_text(TARGETS_FILE))


@lru_cache(maxsize=1)
def bundled_targets() -> tuple[Target, ...]:
    """The fit and hold-out figures."""
    return parse_targets(target_document())


@lru_cache(maxsize=1)
def bundled_reported() -> tuple[Reported, ...]:
    """The figures the market reports without fitting or checking them."""
    return parse_reported(target_document())


def read_fitted(path: Path | None = None) -> Fitted:
    """The fitted parameters (the bundled file by default)."""
    text = path.read_text(encoding="utf-8") if path else _text(FIT_FILE)
    return parse_fitted(json.loads(text))


@lru_cache(maxsize=1)
def bundled_fitted() -> Fitted:
    """The shipped fitted parameters."""
    return read_fitted()


def write_fitted(fitted_doc: dict[str, Any], directory: Path) -> Path:
    """Write ``market_fit.json`` (atomically: a temporary file renamed over the old one)."""
    path = directory / FIT_FILE
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(fitted_doc, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path


_F16_OPEN = 6.0e4
"""Open thresholds/cutoffs (+-1e9 in the kernel) are stored as +-6e4, still far beyond any score."""


def _f16(values: Any) -> Any:
    return np.clip(values, -_F16_OPEN, _F16_OPEN).astype(np.float16)


def tables_bytes(tables: MarketTables) -> bytes:
    """The ``.npz`` form of the tables (float16 keeps the shipped file small; scores are O(1))."""
    arrays: dict[str, Any] = {
        "program_ids": np.asarray(tables.program_ids),
        "meta": np.asarray([tables.version, tables.catalogue_version]),
        "params_0": np.asarray(json.dumps(dict(tables.central.params))),
        "thr_0": _f16(tables.central.thresholds),
        "cut_0": _f16(tables.central.cutoffs),
    }
    if tables.central.sponsors is not None:
        arrays["spon_0"] = tables.central.sponsors
    if tables.central.pgy1_cutoffs is not None:
        arrays["pgy1_0"] = _f16(tables.central.pgy1_cutoffs)
    for k, t in enumerate(tables.resampled, 1):
        arrays[f"params_{k}"] = np.asarray(json.dumps(dict(t.params)))
        arrays[f"thr_{k}"] = _f16(t.thresholds)
        arrays[f"cut_{k}"] = _f16(t.cutoffs)
        if t.sponsors is not None:
            arrays[f"spon_{k}"] = t.sponsors
        if t.pgy1_cutoffs is not None:
            arrays[f"pgy1_{k}"] = _f16(t.pgy1_cutoffs)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def write_tables(tables: MarketTables, directory: Path) -> Path:
    """Write ``market_tables.npz`` atomically."""
    path = directory / TABLES_FILE
    tmp = path.with_suffix(".npz.tmp")
    tmp.write_bytes(tables_bytes(tables))
    tmp.replace(path)
    return path


def _table_set(data: Any, k: int) -> TableSet:
    thr = data[f"thr_{k}"].astype(np.float32)
    cut = data[f"cut_{k}"].astype(np.float32)
    spon = data[f"spon_{k}"].astype(np.bool_) if f"spon_{k}" in data.files else None
    pgy1 = data[f"pgy1_{k}"].astype(np.float32) if f"pgy1_{k}" in data.files else None
    return TableSet(json.loads(str(data[f"params_{k}"])), thr, cut, spon, pgy1)


def read_tables(raw: bytes) -> MarketTables:
    """Parse the ``.npz`` bytes of the tables."""
    with np.load(io.BytesIO(raw), allow_pickle=False) as data:
        count = sum(1 for name in data.files if name.startswith("thr_"))
        meta = [str(x) for x in data["meta"]]
        return MarketTables(
            version=meta[0],
            catalogue_version=meta[1],
            program_ids=tuple(str(x) for x in data["program_ids"]),
            central=_table_set(data, 0),
            resampled=tuple(_table_set(data, k) for k in range(1, count)),
        )


@lru_cache(maxsize=1)
def bundled_tables() -> MarketTables:
    """The shipped per-program tables of the calibrated market."""
    return read_tables(resources.files("smartpick.data").joinpath(TABLES_FILE).read_bytes())
