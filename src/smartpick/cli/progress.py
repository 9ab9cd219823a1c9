"""Progress bars and time estimates for long commands (``match simulate``, the catalogue build, ...).

Use :func:`progress_bar` around any loop that reports work done; it yields an ``advance(n)`` callback
to pass down to a service's ``progress`` hook::

    check_runs(runs)
    with progress_bar("Simulating markets", total=runs, unit="markets") as advance:
        report = svc.simulate(..., progress=advance)

The bar goes to stderr (so ``--format json`` output stays clean), is shown only on a terminal unless
``force=True``, and after the first tenth of the work (at least 2 s) it prints one line with the
expected duration when the whole run will take longer than a minute. Ctrl-C is handled by the
top-level command group (exit 130, one line); write files with :func:`smartpick.atomic.write_atomically` so an
interrupted command leaves nothing half-written.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from smartpick.errors import InputError

MAX_RUNS = 1_000_000
"""Upper bound of ``--runs``: a million markets estimate a probability to +/-0.001 (95%)."""

ESTIMATE_AFTER_S = 60.0
"""Runs expected to take longer than this get a one-line estimate before most of the work."""

stderr = Console(stderr=True)


def check_runs(runs: int, *, maximum: int = MAX_RUNS, option: str = "--runs") -> int:
    """Return ``runs`` if it lies in ``1..maximum``, else raise a one-line input error."""
    if runs < 1 or runs > maximum:
        raise InputError(option, runs, f"a whole number from 1 to {maximum:,}")
    return runs


def describe_duration(seconds: float) -> str:
    """``about 40 seconds`` / ``about 3 minutes`` / ``about 1.5 hours``."""
    if seconds < 90:
        return f"about {max(1, round(seconds))} seconds"
    if seconds < 90 * 60:
        return f"about {round(seconds / 60)} minutes"
    return f"about {seconds / 3600:.1f} hours"


class _Estimator:
    """Prints one estimate line once enough work is done to project the total."""

    def __init__(self, total: int, unit: str, say: Callable[[str], None]) -> None:
        self.total, self.unit, self.say = total, unit, say
        self.done, self.start, self.told = 0, time.perf_counter(), False

    def advance(self, n: int) -> None:
        self.done += n
        if self.told or self.done <= 0 or self.done >= self.total:
            return
        elapsed = time.perf_counter() - self.start
        if self.done < self.total / 10 and elapsed < 2.0:
            return
        projected = elapsed * self.total / self.done
        self.told = True
        if projected > ESTIMATE_AFTER_S:
            self.say(
                f"This run of {self.total:,} {self.unit} will take {describe_duration(projected)} "
                f"({describe_duration(projected - elapsed)} left). Ctrl-C stops it; nothing is written."
            )


@contextmanager
def progress_bar(
    description: str, total: int, *, unit: str = "steps", force: bool = False, console: Console | None = None
) -> Iterator[Callable[[int], None]]:
    """A rich progress bar on stderr; yields ``advance(n)``.

    Args:
        description: What is being done, e.g. ``"Simulating markets"``.
        total: Units of work in the whole run.
        unit: Name of one unit, for the estimate line (``"markets"``).
        force: Show the bar even when stderr is not a terminal.
        console: Where to draw (default: stderr).
    """
    out = console or stderr
    estimator = _Estimator(total, unit, lambda line: out.print(line, markup=False, highlight=False))
    if not (force or out.is_terminal):
        yield estimator.advance
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=out, transient=True) as bar:
        task = bar.add_task(description, total=total)

        def advance(n: int) -> None:
            bar.advance(task, n)
            estimator.advance(n)

        yield advance
