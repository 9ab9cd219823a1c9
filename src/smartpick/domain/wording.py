"""Counted nouns in plain English (``1 program``, ``3 programs``), shared by the domain's messages."""

from __future__ import annotations

_IRREGULAR = {"safety": "safeties", "this": "these", "is": "are", "has": "have", "it": "they"}


def plural_word(n: float, word: str) -> str:
    """``word`` in the form that goes with ``n`` (regular -s, or the few irregular ones SmartPick uses)."""
    if n == 1:
        return word
    return _IRREGULAR.get(word, word + "s")


def plural(n: float, word: str) -> str:
    """``n word`` with the plural form unless ``n`` is 1 (``1 program``, ``0 programs``, ``2.5 months``)."""
    return f"{n:g} {plural_word(n, word)}"
