"""Rendering helpers shared by every command: table, JSON and CSV output."""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys
from collections.abc import Collection, Iterable, Sequence
from enum import StrEnum
from typing import Any

from rich.console import Console
from rich.table import Table

from smartpick.present.labels import name_programs, plain

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


_NAMES: dict[str, str] | None = None


def program_names() -> dict[str, str]:
    """Catalogue id -> program name (the bundled catalogue, loaded once per process)."""
    global _NAMES
    if _NAMES is None:
        from smartpick.services.catalogue import current_catalogue

        _NAMES = {p.id: p.name for p in current_catalogue(None).programs}
    return _NAMES


def words(text: str, *, context: str = "") -> str:
    """A sentence as users read it: programs by name, guides by title, no internal spellings."""
    if any(ch.isdigit() for ch in text):
        text = name_programs(text, program_names(), context=context)
    return plain(text)


class PlainConsole:
    """A Rich console sized to the terminal at each call, passing every sentence through `plain`."""

    wide = False
    """Set by ``--wide``: tables take the width they need instead of fitting the terminal."""

    def rich(self) -> Console:
        """A Rich console of the current terminal width (for progress bars and other live output)."""
        return self._console()

    def _console(self) -> Console:
        return Console(soft_wrap=self.wide, width=terminal_width(), highlight=False)

    def print(self, *objects: Any, **kwargs: Any) -> None:
        """Print like `rich.console.Console.print`, sentences in plain words."""
        objects = tuple(words(o) if isinstance(o, str) else o for o in objects)
        self._console().print(*objects, **kwargs)


console = PlainConsole()


def echo(message: str = "", *, err: bool = False, nl: bool = True, raw: bool = False) -> None:
    """Plain text (no markup) to stdout or stderr; ``raw`` for file contents, written exactly as given."""
    stream = sys.stderr if err else sys.stdout
    stream.write((message if raw else words(message)) + ("\n" if nl else ""))


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
    title: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    caption: str = "",
    optional: Sequence[str] = (),
) -> None:
    """Write a readable table to the terminal.

    ``optional`` columns are left out, in the order given, while the table cannot fit the terminal without
    breaking words; ``--wide`` (or ``SMARTPICK_WIDE=1``) shows them all.
    """
    wide = PlainConsole.wide or os.environ.get("SMARTPICK_WIDE", "") == "1"
    table_rows: list[list[Any]] = [list(r) for r in rows]
    columns = list(columns)
    dropped: list[str] = []
    if not wide:
        for name in optional:
            if name not in columns or _fits(columns, table_rows):
                break
            i = columns.index(name)
            columns.pop(i)
            table_rows = [r[:i] + r[i + 1 :] for r in table_rows]
            dropped.append(name)
    if dropped:
        caption = (
            f"{caption}; --wide adds: {', '.join(dropped)}"
            if caption
            else f"--wide adds: {', '.join(dropped)}"
        )
    # A column headed "id" holds what the user types back (program ids, track ids): shown as is.
    raw = {i for i, c in enumerate(columns) if c.strip().lower() == "id"}
    cells = []
    for row in table_rows:
        line = " ".join("" if v is None else str(v) for v in row)
        cells.append(
            [
                "" if v is None else (str(v) if i in raw else words(str(v), context=line))
                for i, v in enumerate(row)
            ]
        )
    table = Table(title=title, caption=plain(caption) or None, show_lines=False, expand=False)
    widths = column_widths(columns, cells, None if wide else terminal_width(), whole=raw)
    for col, width in zip(columns, widths, strict=True):
        table.add_column(col, overflow="fold", width=width)
    for row in cells:
        table.add_row(*row, end_section=False)
    if wide:
        Console(width=max(terminal_width(), _natural_width(columns, cells)), highlight=False).print(table)
    else:
        console.print(table)


def _fits(columns: Sequence[str], rows: list[list[Any]]) -> bool:
    """Whether every column can be as wide as its longest word within the terminal."""
    cells = [["" if v is None else plain(str(v)) for v in r] for r in rows]
    least = [
        min(
            18,
            max(
                [len(w) for t in [c, *(r[i] for r in cells if i < len(r))] for w in str(t).split()], default=1
            ),
        )
        for i, c in enumerate(columns)
    ]
    return sum(least) + 3 * len(columns) + 1 <= terminal_width()


def column_widths(
    columns: Sequence[str], cells: list[list[str]], total: int | None, *, whole: Collection[int] = ()
) -> list[int]:
    """Column widths that fit ``total`` characters of terminal (None: no limit) without cutting words.

    Columns start at their natural width (longest cell); while the table is too wide, the column with the
    most room
    above its longest word gives way. Only when every column is down to its longest word (at most 18 letters)
    do
    words fold, in the widest column first.
    """
    natural, least = [], []
    for i, col in enumerate(columns):
        texts = [r[i] for r in cells if i < len(r)]
        natural.append(max([len(col), *(len(t) for t in texts)], default=1) or 1)
        words = [len(w) for t in [col, *texts] for w in t.split()]
        cap = natural[-1] if i in whole else 18  # identifiers never fold: they are typed back
        least.append(min(natural[-1], max(min(cap, max(words, default=1)), 1)))
    if total is None:
        return natural
    room = max(len(columns), total - 3 * len(columns) - 1)
    widths = list(natural)
    excess = sum(widths) - room
    while excess > 0:
        i = max(range(len(widths)), key=lambda k: widths[k] - least[k])
        if widths[i] <= least[i]:
            break
        give = min(excess, widths[i] - least[i], max(1, (widths[i] - least[i]) // 2))
        widths[i] -= give
        excess -= give
    while excess > 0:  # every column at its longest word: fold in the widest column only
        i = max((k for k in range(len(widths)) if k not in whole), key=lambda k: widths[k], default=0)
        if widths[i] <= 4:
            break
        widths[i] -= 1
        excess -= 1
    return widths


def _natural_width(columns: Sequence[str], cells: list[list[str]]) -> int:
    widths = [max([len(c), *(len(r[i]) for r in cells if i < len(r))]) for i, c in enumerate(columns)]
    return sum(widths) + 3 * len(widths) + 1
