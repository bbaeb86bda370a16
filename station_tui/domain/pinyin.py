"""Pinyin initials of names, so a villager is found by ``zs`` for 张三."""

from __future__ import annotations

import re
from functools import lru_cache

# A Latin word counts as one syllable (``Lily王`` → ``lw``); anything else
# that is not ASCII goes to pypinyin, which reads Han characters in and
# outside the BMP (𪚥) and has no reading for a few rare ones (𠮷).
_PARTS = re.compile(r"[A-Za-z]+|[^\x00-\x7f]+")


@lru_cache(maxsize=4096)
def initials(name: str | None) -> str:
    """Lower-case initials, letters ``a``–``z`` only.

    Each Han character that pypinyin reads gives the initial of its first
    reading (what people type for names); each Latin word its first
    letter. Every other character (digits, signs, emoji, a Han character
    without a reading) is skipped, so a search by initials never has to
    type something that is not a letter. pypinyin loads a large
    dictionary, so it is imported on first use.
    """
    if not name:
        return ""
    from station_tui.domain.text import fold_width

    # A character outside the BMP that arrived as two UTF-16 halves (as a
    # Windows console may deliver it) is read as the one character it is.
    whole = name.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    letters: list[str] = []
    for part in _PARTS.findall(fold_width(whole)):
        if part.isascii():
            letters.append(part[0].lower())
            continue
        from pypinyin import Style, lazy_pinyin

        read = lazy_pinyin(part, style=Style.FIRST_LETTER, errors="ignore")
        letters += [p[:1].lower() for p in read if p[:1].isascii() and p[:1].isalpha()]
    return "".join(letters)
