"""Rebuild src/smartpick/data/catalogue.json from data/raw/ (and optional CSVs of newer facts).

Usage:
    python scripts/build_catalogue.py [--facts newer.csv ...] [--dry-run]

Prints a summary, the field-by-field coverage (sourced / estimated / unknown, with the current
bundled file's sourced counts alongside) and every change against the current bundled file.
Fails (exit 2) when a fact has neither a source nor an estimate rule.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from smartpick.cli.progress import progress_bar
from smartpick.data.build import (
    build_catalogue,
    build_steps,
    coverage,
    diff_catalogues,
    format_coverage,
    write_catalogue,
)
from smartpick.errors import SmartPickError

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "src" / "smartpick" / "data" / "catalogue.json"


def main() -> int:
    """Build, report, write."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--facts", type=Path, action="append", default=[], help="CSV of newer facts (long format)"
    )
    parser.add_argument("--raw", type=Path, default=ROOT / "data" / "raw")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.datetime.now(dt.UTC).date())
    parser.add_argument("--dry-run", action="store_true", help="report changes without writing")
    args = parser.parse_args()
    try:
        with progress_bar("Building the catalogue", total=build_steps(args.facts)) as advance:
            doc, report = build_catalogue(
                args.raw, extra_facts=args.facts, today=args.today, progress=advance
            )
    except SmartPickError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("stopped (Ctrl-C); the catalogue was not changed.", file=sys.stderr)
        return 130
    old = json.loads(TARGET.read_text(encoding="utf-8")) if TARGET.exists() else None
    changes = diff_catalogues(old, doc)
    print(
        f"{report.programs} programs, {report.tracks} tracks, {report.facts_applied} facts applied, "
        f"{report.estimates} positions estimated; {len(changes)} changes"
    )
    print(format_coverage(report.coverage, coverage(old) if old else None))
    for line in changes:
        print(line)
    if not args.dry_run:
        try:
            write_catalogue(doc, TARGET)  # temporary file + rename: never half-written
        except KeyboardInterrupt:
            print("stopped (Ctrl-C); the catalogue was not changed.", file=sys.stderr)
            return 130
        print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
