"""Regenerate the fit/hold-out table in README.md from ``smartpick model validate`` (the shipped fit).

Usage: ``PYTHONPATH=src python scripts/readme_validate_table.py`` (rewrites the block between the markers).
"""

from __future__ import annotations

from pathlib import Path

from smartpick.services.catalogue import current_catalogue
from smartpick.services.market import validate, validation_markdown

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- validate:start -->", "<!-- validate:end -->"


def main() -> None:
    """Measure every figure and write the table into the README."""
    table = validation_markdown(validate(current_catalogue(None)))
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{table}\n{END}{tail}", encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
