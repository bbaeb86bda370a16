"""Normalising what people type: full-width forms, stray spaces."""

from __future__ import annotations

import unicodedata


def fold_width(text: str) -> str:
    """Turn full-width digits, letters and signs into their ASCII forms.

    NFKC does exactly this for the forms a Chinese IME produces
    (``１２３``, ``＋``, ``．``, the ideographic space) and leaves Han
    characters alone.
    """
    return unicodedata.normalize("NFKC", text)


def clean(text: str | None) -> str:
    """Width-folded text with surrounding whitespace removed."""
    if text is None:
        return ""
    return fold_width(text).strip()
