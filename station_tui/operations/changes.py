"""Writing a record change together with its outbox row."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Any, TypeVar

from playhouse.shortcuts import model_to_dict

from station_tui.domain import clock
from station_tui.records import Outbox, Record

R = TypeVar("R", bound=Record)


def snapshot(record: Record) -> dict[str, Any]:
    """The record as a JSON-ready dict: every field, UUIDs and dates as text."""
    data = model_to_dict(record, recurse=False)
    for key, value in data.items():
        if isinstance(value, uuid.UUID):
            data[key] = str(value)
        elif isinstance(value, date):
            data[key] = value.isoformat()
    return data


def _write_outbox(record: Record, at: int) -> None:
    Outbox.create(
        kind=record.record_kind(),
        record_uuid=record.uuid,
        version=record.version,
        snapshot=json.dumps(snapshot(record), ensure_ascii=False),
        created_at=at,
    )


def create(model: type[R], *, station: str, happened_at: int | None = None,
           day: date | None = None, **fields: Any) -> R:
    """Insert a new record and its outbox row. Call inside ``write_txn``.

    ``day`` overrides the Shanghai date derived from ``happened_at``, for a
    record that belongs to another day than the instant it was made (a late
    daily report for yesterday is submitted today but is yesterday's).
    """
    at = clock.now()
    happened = at if happened_at is None else happened_at
    record = model(
        uuid=uuid.uuid4(),
        station=station,
        version=1,
        happened_at=happened,
        happened_day=clock.local_date(happened) if day is None else day,
        entered_at=at,
        updated_at=at,
        **fields,
    )
    record.save(force_insert=True)
    _write_outbox(record, at)
    return record


def update(record: R, **fields: Any) -> R:
    """Change fields, bump the version, write the outbox row.

    Call inside ``write_txn``; the row is re-read there first by the caller
    when another writer may have changed it.
    """
    at = clock.now()
    for name, value in fields.items():
        setattr(record, name, value)
    if "happened_at" in fields:
        record.happened_day = clock.local_date(record.happened_at)
    record.version += 1
    record.updated_at = at
    record.save()
    _write_outbox(record, at)
    return record


def void(record: R, reason: str) -> R:
    """Void a record with a reason; records are never deleted."""
    from station_tui.errors import InputError

    reason = (reason or "").strip()
    if not reason:
        raise InputError("作废必须填写原因", field="reason")
    return update(record, voided_at=clock.now(), void_reason=reason)
