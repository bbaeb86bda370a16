"""Checking the typed fields that purchase, sale and service forms share.

Every checker takes the text as typed and the form field's name, and raises
InputError naming that field and the concrete value, so the form can mark
the field in place and keep what was typed.
"""

from __future__ import annotations

from station_tui.domain import clock
from station_tui.domain.text import clean
from station_tui.errors import InputError

#: A record may be entered late (the 24-hour rule scores that), but a time
#: in the future is a typing mistake; a few minutes cover a slow PC clock.
FUTURE_SLACK_S = 5 * 60
MAX_QUANTITY = 100_000


def required(text: str | None, *, field: str, label: str,
             max_length: int = 200) -> str:
    """Cleaned text that must not be empty and must fit its column."""
    value = clean(text)
    if not value:
        raise InputError(f"请填写{label}", field=field)
    if len(value) > max_length:
        raise InputError(f"{label}太长（{len(value)} 字），最多 {max_length} 字",
                         field=field)
    return value


def optional(text: str | None, *, field: str, label: str,
             max_length: int = 64) -> str | None:
    """Cleaned text or None when left empty."""
    value = clean(text)
    if not value:
        return None
    return required(value, field=field, label=label, max_length=max_length)


def quantity(text: str | None, *, field: str = "count") -> int:
    """A whole number of items, at least 1."""
    raw = clean(text)
    if not raw:
        raise InputError("请填写数量", field=field)
    if not raw.isdigit():
        raise InputError(f"数量“{raw}”必须是正整数", field=field)
    count = int(raw)
    if count <= 0:
        raise InputError(f"数量“{raw}”必须大于 0", field=field)
    if count > MAX_QUANTITY:
        raise InputError(f"数量“{raw}”过大，请核对", field=field)
    return count


def happened_at(text: str | None, *, field: str = "when") -> int:
    """When the transaction happened: empty means now.

    Accepts ``HH:MM`` (today) or ``YYYY-MM-DD HH:MM`` in Shanghai time.
    """
    if not clean(text):
        return clock.now()
    instant = clock.parse_local(text or "", field=field)
    if instant > clock.now() + FUTURE_SLACK_S:
        raise InputError(
            f"时间“{clean(text)}”还没到，请核对日期和钟点", field=field
        )
    return instant
