"""Checking the typed fields that purchase, sale and service forms share.

Every checker takes the text as typed and the form field's name, and raises
InputError naming that field and the concrete value, so the form can mark
the field in place and keep what was typed.
"""

from __future__ import annotations

import logging
from typing import Any, Literal, Sequence

from station_tui.domain import clock
from station_tui.domain.money import format_fen, parse_yuan
from station_tui.domain.text import clean
from station_tui.errors import InputError, raise_all
from station_tui.operations.station import get_setting

log = logging.getLogger(__name__)

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


# -- amounts above the limit ------------------------------------------------

LimitKind = Literal["purchase", "sale", "service"]
#: What each limit is called in messages.
LIMIT_NOUNS: dict[LimitKind, str] = {
    "purchase": "代购", "sale": "代销", "service": "便民服务",
}
#: Above this much (yuan) in one order, payment or refund a form asks
#: before saving: a village counter rarely handles more, and a slip of
#: the finger (1000000 for 100.00) is far likelier. Setting
#: ``amount_limit.<kind>`` (yuan) changes it for one kind.
DEFAULT_LIMIT_YUAN = 50_000
LIMIT_SETTING = "amount_limit.{kind}"


class LargeAmount(InputError):
    """A well-formed amount above its kind's limit: saved once confirmed."""


def amount_limit_fen(kind: LimitKind) -> int:
    """The kind's limit in fen: its setting, else the default."""
    key = LIMIT_SETTING.format(kind=kind)
    text = get_setting(key)
    if text:
        try:
            return parse_yuan(text, field=key)
        except InputError:
            log.warning("setting %s=%r is not an amount; using %d yuan",
                        key, text, DEFAULT_LIMIT_YUAN)
    return DEFAULT_LIMIT_YUAN * 100


def check_limit(kind: LimitKind, amounts: Sequence[tuple[str, str, int | None]],
                *, large_ok: bool) -> None:
    """Refuse each (field, label, fen) above the kind's limit, unless confirmed.

    Run after every field check passed, so the partner is asked only about
    a form that is otherwise right; raises LargeAmount (one per field).
    """
    if large_ok:
        return
    limit = amount_limit_fen(kind)
    raise_all([
        LargeAmount(
            f"{label} {format_fen(fen)} 元超过{LIMIT_NOUNS[kind]}单笔提醒上限 "
            f"{format_fen(limit)} 元，请核对",
            field=field,
        )
        for field, label, fen in amounts
        if fen is not None and fen > limit
    ])


# -- an order number already on another order -------------------------------

#: Statuses of an order that no longer stands for goods or money.
_DEAD_STATUSES = ("cancelled",)


def shared_number_warning(order: Any, column: Any, *, noun: str, label: str,
                          who: str, what: str) -> str:
    """A warning naming the other live orders with ``order``'s number, or "".

    One platform order may legitimately hold goods for two villagers (the
    partner bought both in one basket), so the same number is saved, not
    refused; but a typing slip is likelier, so the partner is told which
    order already has it.
    """
    number = getattr(order, column.name)
    if not number:
        return ""
    model = type(order)
    others = list(
        model.select()
        .where(column == number, model.uuid != order.uuid,
               model.voided_at.is_null(), model.status.not_in(_DEAD_STATUSES))
        .order_by(model.happened_at.desc())
        .limit(3)
    )
    if not others:
        return ""
    named = "；".join(
        f"{getattr(o, who) or '（未留名）'} {getattr(o, what)}"
        f"（{clock.format_time(o.happened_at, '%m-%d %H:%M')} 登记）"
        for o in others
    )
    return (f"注意：{label} {number} 已用于另一笔{noun}：{named}。"
            f"若是同一平台订单里给几位村民一起买的，可不理会；否则请核对订单号")
