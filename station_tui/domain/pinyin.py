"""Pinyin initials of names, so a villager is found by ``zs`` for 张三."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)
def initials(name: str | None) -> str:
    """Lower-case initials of each character; other letters kept as typed.

    pypinyin loads a large dictionary, so it is imported on first use.
    Heteronyms take every reading's initial joined by nothing extra: only
    the first reading is used, which is what people type for names.
    """
    if not name:
        return ""
    from pypinyin import Style, lazy_pinyin

    from station_tui.domain.text import fold_width

    parts = lazy_pinyin(fold_width(name), style=Style.FIRST_LETTER, errors="default")
    return "".join(p[:1] for p in parts if p).lower()
