"""Money as integer fen (分); yuan only at the edges, for people."""

from __future__ import annotations

import re

from station_tui.domain.text import clean
from station_tui.errors import InputError

_AMOUNT = re.compile(r"^(?P<sign>-)?(?P<yuan>\d+)(?:\.(?P<frac>\d*))?$")
MAX_FEN = 10_000_000_00  # ten million yuan: nothing at a counter is larger


def parse_yuan(text: str | None, *, field: str = "amount",
               allow_zero: bool = False) -> int:
    """Parse a yuan amount typed by a person into fen.

    Accepts full-width digits, a leading ``¥``/``￥``, a trailing ``元``
    (``１２元``, as weights take ``3斤``) and thousands commas.
    More than two decimals is refused, never rounded: a person who typed
    ``9.995`` meant something we cannot guess.
    """
    raw = clean(text).replace(",", "").replace("，", "").strip()
    raw = raw.removeprefix("¥").removeprefix("￥").strip()
    raw = raw.removesuffix("元").strip()
    if not raw:
        raise InputError("请填写金额", field=field)
    match = _AMOUNT.match(raw)
    if match is None:
        raise InputError(f"金额“{raw}”不是数字，例如 12.50", field=field)
    frac = match["frac"] or ""
    if len(frac) > 2:
        raise InputError(f"金额“{raw}”超过两位小数，请精确到分", field=field)
    fen = int(match["yuan"]) * 100 + int(frac.ljust(2, "0") or 0)
    if match["sign"]:
        fen = -fen
    if fen < 0:
        raise InputError("金额不能为负数；退款请单独登记", field=field)
    if fen == 0 and not allow_zero:
        raise InputError("金额必须大于 0", field=field)
    if fen > MAX_FEN:
        raise InputError(f"金额“{raw}”过大，请核对", field=field)
    return fen


def format_fen(fen: int | None) -> str:
    """Show fen as yuan with two decimals: 58242 → ``582.42``."""
    if fen is None:
        return ""
    sign = "-" if fen < 0 else ""
    whole, part = divmod(abs(fen), 100)
    return f"{sign}{whole}.{part:02d}"
