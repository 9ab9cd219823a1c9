"""Rendering helpers shared by every command: table, JSON and CSV output."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table

console = Console(soft_wrap=False, width=None if sys.stdout.isatty() else 160)


class Format(StrEnum):
    """Output formats every data command accepts."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


class DocFormat(StrEnum):
    """Output formats for commands whose output is not rows."""

    TABLE = "table"
    JSON = "json"


def print_json(doc: Any) -> None:
    """Write a JSON document to stdout (stable key order, UTF-8)."""
    sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False, default=str) + "\n")


def print_csv(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write rows as CSV to stdout."""
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])


def print_table(
    title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]], *, caption: str = ""
) -> None:
    """Write a readable table to the terminal."""
    table = Table(title=title, caption=caption or None, show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)
