"""One exception hierarchy for every failure a user can cause or see.

The CLI and the web layer turn `InputError` into exit code 2 / HTTP 422 with its one-line
message; nothing below them prints a traceback for bad input.
"""

from __future__ import annotations

from typing import Any

HIDDEN: Any = object()
"""The value of a secret (a password): its message says what is allowed without repeating it."""


class SmartPickError(Exception):
    """Base class of every error SmartPick raises on purpose."""


class InputError(SmartPickError):
    """Bad input: names the field, the value and what is allowed.

    Attributes:
        field: dotted key path (``exams.step2_ck``) or ``file:line`` location.
        value: the offending value as the user wrote it (``None`` when missing).
        allowed: a short phrase saying what would be accepted.
    """

    def __init__(self, field: str, value: Any, allowed: str, *, source: str | None = None) -> None:
        self.field = field
        self.value = value
        self.allowed = allowed
        self.source = source
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The one-line message shown to the user."""
        where = f"{self.source}: " if self.source else ""
        if self.value is None:
            return f"{where}{self.field}: missing; {self.allowed}"
        if self.value is HIDDEN:
            return f"{where}{self.field}: not accepted; {self.allowed}"
        return f"{where}{self.field}: got {_show(self.value)}; {self.allowed}"


class InputErrors(SmartPickError):
    """Several input errors found at once (e.g. every bad row of an import)."""

    def __init__(self, errors: list[InputError], *, source: str | None = None) -> None:
        self.errors = errors
        self.source = source
        head = f"{source}: " if source and not (errors and errors[0].source) else ""
        first = errors[0].message if errors else "no details"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{head}{first}{more}")

    def lines(self) -> list[str]:
        """Every error as its own line."""
        return [e.message for e in self.errors]


class NotFoundError(InputError):
    """A reference (program id, profile name) that does not exist."""


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 80 else text[:38] + "..." + text[-39:]  # the tail names a file
