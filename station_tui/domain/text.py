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


def join_surrogates(text: str) -> str:
    """Rejoin a character outside the basic plane (𠮷, emoji) that arrived
    as two UTF-16 halves, as a Windows console may type it; a half left
    alone becomes U+FFFD. Either way the text can be stored as UTF-8."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def clean(text: str | None) -> str:
    """Width-folded text with surrounding whitespace removed."""
    if text is None:
        return ""
    return fold_width(join_surrogates(text)).strip()
