"""Rendering helpers shared by every command: table, JSON and CSV output."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table

from smartpick.present.labels import plain

DEFAULT_WIDTH = 100
"""Columns when neither ``COLUMNS`` nor a terminal says (output piped to a file or another program)."""


def terminal_width() -> int:
    """``COLUMNS`` when set, else the terminal's width, else `DEFAULT_WIDTH`; at least 40."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return max(40, int(env))
    if sys.stdout.isatty():
        return max(40, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)
    return DEFAULT_WIDTH


class PlainConsole:
    """A Rich console sized to the terminal at each call, passing every sentence through `plain`."""

    wide = False
    """Set by ``--wide``: tables take the width they need instead of fitting the terminal."""

    def _console(self) -> Console:
        return Console(soft_wrap=self.wide, width=terminal_width(), highlight=False)

    def print(self, *objects: Any, **kwargs: Any) -> None:
        """Print like `rich.console.Console.print`, sentences in plain words."""
        objects = tuple(plain(o) if isinstance(o, str) else o for o in objects)
        self._console().print(*objects, **kwargs)


console = PlainConsole()


def echo(message: str = "", *, err: bool = False) -> None:
    """One line of plain text (no markup) to stdout or stderr."""
    stream = sys.stderr if err else sys.stdout
    stream.write(plain(message) + "\n")


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
    cells = [["" if v is None else plain(str(v)) for v in row] for row in rows]
    table = Table(title=title, caption=plain(caption) or None, show_lines=False, expand=False)
    for i, col in enumerate(columns):
        # A column never narrower than its longest word (up to 18 letters), so words wrap whole.
        longest = max((len(w) for r in cells for w in re.split(r"\s+", r[i]) if i < len(r)), default=0)
        table.add_column(
            col, overflow="fold", min_width=min(18, max(longest, len(col.split()[0]) if col else 1))
        )
    for row in cells:
        table.add_row(*row, end_section=False)
    if PlainConsole.wide:
        Console(width=max(terminal_width(), _natural_width(columns, cells)), highlight=False).print(table)
    else:
        console.print(table)


def _natural_width(columns: Sequence[str], cells: list[list[str]]) -> int:
    widths = [max([len(c), *(len(r[i]) for r in cells if i < len(r))]) for i, c in enumerate(columns)]
    return sum(widths) + 3 * len(widths) + 1
