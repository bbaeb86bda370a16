"""Pushing the outbox: in order, in batches, marked sent only when acked.

A batch id is written onto its outbox rows before the batch goes out, so
a client killed between sending and the acknowledgement sends the very
same batch again when it restarts; the server finds every change already
there and acknowledges without changing anything (case C05).
"""

from __future__ import annotations

import gzip
import json
import logging
import uuid
from dataclasses import dataclass
from typing import Any, Callable

from pydantic import ValidationError

from station_tui.domain import clock
from station_tui.records import RECORDS_BY_KIND, Outbox, StationProfile
from station_tui.storage.db import write_txn
from sync.client.http import CenterClient
from sync.errors import ServerRefused
from sync.wire import SCHEMA_VERSION, BatchAck, record_wire_model, to_wire

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
Progress = Callable[[int, int], None]


@dataclass
class PushResult:
    sent: int = 0
    duplicates: int = 0
    set_aside: int = 0
    batches: int = 0
    server_time: int | None = None
    clock_offset: int | None = None


def pending_query() -> Any:
    return Outbox.select().where(Outbox.sent_at.is_null(), Outbox.set_aside == False)  # noqa: E712


def _next_batch(size: int) -> list[Outbox]:
    """The oldest unsent changes: a batch already sent once, or a new one."""
    first = pending_query().order_by(Outbox.seq).first()
    if first is None:
        return []
    if first.batch_id:
        return list(pending_query().where(Outbox.batch_id == first.batch_id)
                    .order_by(Outbox.seq))
    with write_txn():
        rows = list(pending_query().where(Outbox.batch_id.is_null())
                    .order_by(Outbox.seq).limit(size))
        batch_id = str(uuid.uuid4())
        Outbox.update(batch_id=batch_id).where(
            Outbox.seq.in_([r.seq for r in rows])).execute()
    for row in rows:
        row.batch_id = batch_id
    return rows


def _set_aside(rows: dict[int, str]) -> None:
    for seq, reason in rows.items():
        Outbox.update(set_aside=True, error=reason).where(Outbox.seq == seq).execute()


def _changes(rows: list[Outbox], key: bytes) -> tuple[list[dict[str, Any]], dict[int, str]]:
    """Wire changes of ``rows``; those that cannot be sent, with the reason."""
    changes, bad = [], {}
    for row in rows:
        model = RECORDS_BY_KIND.get(row.kind)
        if model is None:
            bad[row.seq] = f"本程序不认识记录类型“{row.kind}”"
            continue
        record = to_wire(model, json.loads(row.snapshot), key)
        try:
            record_wire_model(model).model_validate(record)
        except ValidationError as exc:
            bad[row.seq] = f"记录格式不符，无法上传：{exc.errors()[0]['msg']}"
            continue
        changes.append({"seq": row.seq, "kind": row.kind, "record": record})
    return changes, bad


def _settle(rows: list[Outbox], ack: BatchAck) -> None:
    now = clock.now()
    refused = {s.seq: s.reason for s in ack.set_aside}
    with write_txn():
        _set_aside(refused)
        done = [r.seq for r in rows if r.seq <= ack.last_seq and r.seq not in refused]
        for start in range(0, len(done), 500):
            Outbox.update(sent_at=now).where(
                Outbox.seq.in_(done[start:start + 500])).execute()


def _left_after(rows: list[Outbox]) -> int:
    """Unsent changes outside this batch, for the center's stations list."""
    return pending_query().where(
        Outbox.batch_id.is_null() | (Outbox.batch_id != rows[0].batch_id)).count()


def push_outbox(center: CenterClient, profile: StationProfile, key: bytes, *,
                batch_size: int = BATCH_SIZE,
                progress: Progress | None = None) -> PushResult:
    """Send every pending change; returns what the server made of them."""
    result = PushResult()
    total = pending_query().count()
    done = 0
    while rows := _next_batch(batch_size):
        changes, bad = _changes(rows, key)
        if bad:
            with write_txn():
                _set_aside(bad)
            result.set_aside += len(bad)
        if not changes:
            continue
        envelope = {
            "schema_version": SCHEMA_VERSION, "batch_id": rows[0].batch_id,
            "station": profile.code, "device": profile.device_id,
            "client_clock": clock.now(), "pending_after": _left_after(rows),
            "changes": changes,
        }
        body = gzip.compress(json.dumps(envelope, ensure_ascii=False).encode("utf-8"),
                             compresslevel=5)
        ack = center.fetch(
            "POST", "/api/v1/sync/push", BatchAck, content=body,
            headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        )
        if str(ack.batch_id) != rows[0].batch_id:
            raise ServerRefused(f"中心确认的批次 {ack.batch_id} 不是本批次，已停止同步")
        _settle([r for r in rows if r.seq not in bad], ack)
        result.batches += 1
        result.sent += ack.accepted + ack.duplicates
        result.duplicates += ack.duplicates
        result.set_aside += len(ack.set_aside)
        result.server_time, result.clock_offset = ack.server_time, ack.clock_offset
        done += len(rows)
        if progress:
            progress(done, max(total, done))
    return result
