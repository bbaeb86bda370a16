"""Pieces shared by inbound parcels, outbound parcels and handover lists."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from peewee import Tuple

from station_tui.domain.carriers import CARRIERS, guess_carrier
from station_tui.domain.phone import last_four, normalize_mobile
from station_tui.domain.pinyin import initials
from station_tui.domain.text import clean
from station_tui.errors import InputError, NotFoundError
from station_tui.records import Record

R = TypeVar("R", bound=Record)

#: A keyset position in a newest-first list: (happened_at, uuid hex).
Cursor = tuple[int, str]

_CARRIER_BY_NAME = {name: code for code, name in CARRIERS.items()}


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


def contact(phone: str | None, name: str | None, *, phone_key: str,
            name_key: str, phone_field: str = "phone") -> dict[str, Any]:
    """Phone and name fields plus their search helpers (last four, initials).

    An empty phone or name is stored as NULL; a phone that is given must be
    a valid mobile number (case C01).
    """
    phone_text = clean(phone)
    number = normalize_mobile(phone_text, field=phone_field) if phone_text else None
    person = clean(name) or None
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


def after_clause(model: type[Record], after: Cursor | None) -> Any:
    """WHERE part for the page that follows ``after`` (newest first)."""
    if after is None:
        return True
    return Tuple(model.happened_at, model.uuid) < Tuple(after[0], after[1])


def cursor_of(record: Record) -> Cursor:
    return (record.happened_at, record.uuid.hex)


def required_text(value: str | None, *, field: str, label: str) -> str:
    text = clean(value)
    if not text:
        raise InputError(f"请填写{label}", field=field)
    return text
