"""Pieces shared by inbound parcels, outbound parcels and handover lists."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from peewee import SQL, ModelSelect, Tuple

from station_tui.domain import clock
from station_tui.domain.carriers import CARRIERS, guess_carrier
from station_tui.domain.phone import last_four, mask, normalize_mobile
from station_tui.domain.pinyin import initials
from station_tui.domain.text import clean
from station_tui.errors import FieldChecks, InputError, NotFoundError
from station_tui.operations.order_fields import (
    FUTURE_SLACK_S,
    happened_at,
    optional,
    required,
)
from station_tui.records import ParcelIn, ParcelOut, Record

R = TypeVar("R", bound=Record)

#: A keyset position in a newest-first list: (happened_at, entry order).
Cursor = tuple[int, int]

#: The order rows were entered in. Station databases are SQLite, where
#: every row has a rowid that grows with each insert and that every index
#: holds as its last column; entered_at (whole seconds) cannot order the
#: parcels a scanner takes in within one second.
ENTRY_ORDER = SQL("rowid")

_CARRIER_BY_NAME = {name: code for code, name in CARRIERS.items()}

#: The longest name a parcel keeps for a person (recipient, sender, proxy,
#: courier, signer): well above any real name, and its pinyin initials
#: still fit their column (32).
NAME_MAX = 32


def resolve_carrier(text: str | None, tracking_no: str | None = None,
                    *, field: str = "carrier") -> str:
    """A carrier code from a code or Chinese name; guessed when empty."""
    raw = clean(text)
    if not raw:
        return guess_carrier(tracking_no) if tracking_no else "OTHER"
    if raw.upper() in CARRIERS:
        return raw.upper()
    if raw in _CARRIER_BY_NAME:
        return _CARRIER_BY_NAME[raw]
    names = "、".join(CARRIERS.values())
    raise InputError(f"不认识快递公司“{raw}”，可选：{names}", field=field)


def person_name(text: str | None, *, field: str, label: str,
                needed: bool = False) -> str | None:
    """A person's name as typed; None when left empty and not ``needed``.

    Longer than NAME_MAX is refused: a name that long is something else
    pasted or typed into the field.
    """
    if needed:
        return required(text, field=field, label=label, max_length=NAME_MAX)
    return optional(text, field=field, label=label, max_length=NAME_MAX)


def contact(phone: str | None, name: str | None, *, phone_key: str,
            name_key: str, phone_field: str = "phone", name_field: str = "name",
            name_label: str = "姓名") -> dict[str, Any]:
    """Phone and name fields plus their search helpers (last four, initials).

    An empty phone or name is stored as NULL; a phone that is given must be
    a valid mobile number (case C01), a name at most NAME_MAX characters.
    """
    checks = FieldChecks()
    phone_text = clean(phone)
    number = (checks.take(normalize_mobile, phone_text, field=phone_field)
              if phone_text else None)
    person = checks.take(person_name, name, field=name_field, label=name_label)
    checks.raise_all()
    return {
        phone_key: number,
        name_key: person,
        "phone_last4": last_four(number),
        "name_initials": initials(person),
    }


def load(model: type[R], ref: R | uuid.UUID | str, *, label: str) -> R:
    """Re-read a record by its UUID (inside the caller's transaction)."""
    key = ref.uuid if isinstance(ref, Record) else ref
    try:
        key = key if isinstance(key, uuid.UUID) else uuid.UUID(str(key))
    except ValueError:
        raise NotFoundError(f"找不到{label}“{key}”") from None
    record = model.get_or_none(model.uuid == key)
    if record is None or record.voided_at is not None:
        raise NotFoundError(f"找不到{label}（可能已作废）")
    return record


def listed(model: type[R]) -> ModelSelect:
    """A select of ``model`` that also reads each row's entry order."""
    return model.select(model, ENTRY_ORDER.alias("entry_order"))


def newest_first(model: type[Record]) -> tuple[Any, Any]:
    """ORDER BY for the lists: latest happened first, then latest entered."""
    return (model.happened_at.desc(), ENTRY_ORDER.desc())


def after_clause(model: type[Record], after: Cursor | None) -> Any:
    """WHERE part for the page that follows ``after`` (newest first)."""
    if after is None:
        return True
    return Tuple(model.happened_at, ENTRY_ORDER) < Tuple(after[0], after[1])


def cursor_of(record: Record) -> Cursor:
    """Where a row stands in its list; the row must come from ``listed``."""
    return (record.happened_at, record.entry_order)  # type: ignore[attr-defined]


def initials_prefix(model: type[Record], prefix: str) -> Any:
    """Names whose pinyin initials start with ``prefix`` (``oy`` finds
    欧阳娜娜, ``oynn``), as a range on the index: ``>= 'oy' AND < 'oz'``.

    The same rows as ``LIKE 'oy%'`` for lower-case letters, but SQLite
    walks an index only for a range: its LIKE ignores case, the index not.
    """
    following = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return (model.name_initials >= prefix) & (model.name_initials < following)


def short_time(instant: int | None) -> str:
    """``12-05 17:30`` this year; with the year for any other year."""
    if instant is None:
        return ""
    this_year = clock.local_date(clock.now()).year
    if clock.local_date(instant).year == this_year:
        return clock.format_time(instant, "%m-%d %H:%M")
    return clock.format_time(instant, "%Y-%m-%d %H:%M")


def typed_time(value: int | str | None, *, field: str) -> int:
    """A time typed at the counter (or given by code): empty means now,
    a time still to come is refused as the order forms refuse it."""
    if isinstance(value, int):
        if value > clock.now() + FUTURE_SLACK_S:
            shown = clock.format_time(value)
            raise InputError(f"时间“{shown}”还没到，请核对日期和钟点", field=field)
        return value
    return happened_at(value, field=field)


def parcel_in_label(parcel: ParcelIn) -> str:
    """How a dialog names an inbound parcel: code, number, recipient."""
    who = " ".join(x for x in (parcel.recipient_name, mask(parcel.recipient_phone))
                   if x) or "收件人未登记"
    return f"取件码 {parcel.pickup_code} · 单号 {parcel.tracking_no} · {who}"


def parcel_out_label(parcel: ParcelOut) -> str:
    """How a dialog names an outbound parcel: number, carrier, sender."""
    number = f"单号 {parcel.tracking_no}" if parcel.tracking_no else "单号待补"
    carrier = CARRIERS.get(parcel.carrier, parcel.carrier)
    who = " ".join(x for x in (parcel.sender_name, mask(parcel.sender_phone)) if x)
    place = parcel.destination_region or clean(parcel.destination)[:12]
    return f"{number}（{carrier}） · 寄件人 {who} · 寄往 {place}"


def required_text(value: str | None, *, field: str, label: str) -> str:
    text = clean(value)
    if not text:
        raise InputError(f"请填写{label}", field=field)
    return text
