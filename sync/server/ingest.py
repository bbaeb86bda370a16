"""Taking in a station's batch: validate, apply idempotently, acknowledge.

A batch is applied in one transaction. Each change is keyed by (record
uuid, version): a version seen before with the same content is a
duplicate and changes nothing, with other content a conflict; a change the
server cannot take is set aside with its reason and the rest goes on. The
acknowledgement is sent only after the commit, so a lost reply followed by
a retry finds every change already there (case C05).

A batch whose station clock is more than ``CLOCK_TOLERANCE_S`` off the
server's is flagged (RULES §3 item 6), and so is every report first
received in it: a ``ClockFlag`` center record per daily report or answer
to a statistics request, which the assessment counts late until an
inspector accepts it.

Concurrency rests on the database alone: ``INSERT … ON CONFLICT DO
NOTHING`` on the version table decides which request applies a version,
so two workers or two servers given the same batch agree.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from peewee import Database, Model, Tuple
from pydantic import BaseModel, ValidationError

from station_tui.domain import clock
from station_tui.records import RECORDS_BY_KIND
from station_tui.records.center import ClockFlag
from station_tui.storage.db import write_txn
from sync.server import station_status
from sync.server.accounts import Principal
from station_tui.records.server import SERVER_RECORDS, RecordVersion, SyncBatch, SyncRefusal
from sync.wire import (
    BATCH_ADAPTER,
    OLDEST_ACCEPTED,
    SCHEMA_VERSION,
    UPGRADES,
    BatchAck,
    Envelope,
    LooseBatch,
    SetAside,
    content_hash,
    record_wire_model,
)

log = logging.getLogger(__name__)

#: A station whose clock is further off than this is flagged (RULES §3).
CLOCK_TOLERANCE_S = 600
#: Reports whose timeliness rests on the station's clock.
REPORT_KINDS = ("daily_report", "report_submission")
#: Who ``ClockFlag`` records name as having entered them.
FLAGGED_BY = "server"
#: Keeps every statement within SQLite's limit of bound variables.
_MAX_VARIABLES = 30_000


class IngestRefused(Exception):
    """The whole batch is refused; ``detail`` is Chinese."""

    def __init__(self, status: int, detail: str, why: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.why = why


@dataclass
class _Change:
    seq: int
    kind: str
    record: BaseModel


@dataclass
class _Outcome:
    accepted: int = 0
    duplicates: int = 0
    set_aside: list[SetAside] = field(default_factory=list)

    def refuse(self, change: _Change, reason: str) -> None:
        rec = change.record
        self.set_aside.append(SetAside(
            seq=change.seq, kind=change.kind, uuid=str(getattr(rec, "uuid", "")),
            version=getattr(rec, "version", None), reason=reason,
        ))


def _describe(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(p) for p in error["loc"]) or "记录"
        parts.append(f"字段“{where}”：{error['msg']}")
    return "记录格式不符，中心无法接收（" + "；".join(parts) + "）"


def _check_version(version: int) -> None:
    if version < OLDEST_ACCEPTED:
        raise IngestRefused(
            426,
            f"本机 station-tui 版本过旧（数据格式 {version}，中心需要 "
            f"{OLDEST_ACCEPTED} 以上），请升级 station-tui 后再同步",
            f"schema {version} too old",
        )
    if version > SCHEMA_VERSION:
        raise IngestRefused(
            400,
            f"中心服务端版本较旧（数据格式 {SCHEMA_VERSION}），无法接收格式 "
            f"{version}：请联系县中心升级服务端",
            f"schema {version} newer than server",
        )


def parse_batch(body: bytes) -> tuple[Envelope, list[_Change], list[SetAside]]:
    """Validate a raw request body.

    The fast path validates the whole body at once; only a batch with a
    bad change (or from the previous wire version) is taken apart change
    by change, so that one bad record does not hold back the others.
    """
    try:
        batch = BATCH_ADAPTER.validate_json(body)
    except ValidationError:
        batch = None
    if batch is not None:
        _check_version(batch.schema_version)
        if batch.schema_version == SCHEMA_VERSION:
            changes = [_Change(c.seq, c.kind, c.record) for c in batch.changes]
            return batch, changes, []
    try:
        loose = LooseBatch.model_validate_json(body)
    except ValidationError as exc:
        raise IngestRefused(422, "同步批次格式错误：" + _describe(exc),
                            "malformed envelope") from None
    _check_version(loose.schema_version)
    changes, refused = [], []
    for change in loose.changes:
        model = RECORDS_BY_KIND.get(change.kind)
        if model is None:
            refused.append(SetAside(seq=change.seq, kind=change.kind,
                                    reason=f"中心不认识记录类型“{change.kind}”"))
            continue
        record = change.record
        for version in range(loose.schema_version, SCHEMA_VERSION):
            record = UPGRADES[version](change.kind, record)
        try:
            wire = record_wire_model(model).model_validate(record)
        except ValidationError as exc:
            refused.append(SetAside(
                seq=change.seq, kind=change.kind, uuid=str(record.get("uuid")),
                version=record.get("version"), reason=_describe(exc),
            ))
            continue
        changes.append(_Change(change.seq, change.kind, wire))
    return loose, changes, refused


def _chunks(rows: list[Any], width: int) -> Iterator[list[Any]]:
    size = max(1, min(1000, _MAX_VARIABLES // max(1, width)))
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def _foreign_uuids(station: str, uuids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Of ``uuids``, those another station's records already have."""
    found: set[uuid.UUID] = set()
    for chunk in _chunks(uuids, 1):
        query = (RecordVersion.select(RecordVersion.uuid).distinct()
                 .where(RecordVersion.uuid.in_(chunk),
                        RecordVersion.station != station))
        found.update(row.uuid for row in query)
    return found


def _insert(db: Database, model: type[Model], rows: list[dict[str, Any]],
            tail: str) -> list[tuple[Any, ...]]:
    """A multi-row INSERT of ``rows`` followed by ``tail``; returns any rows.

    Written out here rather than built by Peewee's query builder, which
    spends most of an ingest building one node per value; the values still
    go through each field's ``db_value`` as Peewee would send them.
    """
    fields = model._meta.sorted_fields
    names = ", ".join(f'"{f.column_name}"' for f in fields)
    group = "(" + ", ".join([db.param] * len(fields)) + ")"
    table = model._meta.table_name
    returned: list[tuple[Any, ...]] = []
    spec = [(f.name, f.db_value, f.default) for f in fields]
    for chunk in _chunks(rows, len(fields)):
        params = []
        for row in chunk:
            for name, to_db, default in spec:
                value = row[name] if name in row else (
                    default() if callable(default) else default)
                params.append(None if value is None else to_db(value))
        sql = (f'INSERT INTO "{table}" ({names}) VALUES '
               f'{", ".join([group] * len(chunk))} {tail}')
        cursor = db.execute_sql(sql, params)
        if "RETURNING" in tail:
            returned += cursor.fetchall()
    return returned


def _claim_versions(db: Database, rows: list[dict[str, Any]]
                    ) -> set[tuple[uuid.UUID, int]]:
    """Insert version rows; returns the (uuid, version) this call inserted."""
    if not rows:
        return set()
    inserted = _insert(db, RecordVersion, rows,
                       'ON CONFLICT DO NOTHING RETURNING "uuid", "version"')
    as_python = RecordVersion.uuid.python_value
    return {(as_python(u), v) for u, v in inserted}


def _stored_digests(keys: list[tuple[uuid.UUID, int]]) -> dict[tuple[uuid.UUID, int], str]:
    digests = {}
    # A row value is not converted by the field, so the uuid goes in as
    # the column stores it.
    as_column = RecordVersion.uuid.db_value
    for chunk in _chunks([(as_column(u), v) for u, v in keys], 2):
        query = RecordVersion.select(
            RecordVersion.uuid, RecordVersion.version, RecordVersion.digest
        ).where(Tuple(RecordVersion.uuid, RecordVersion.version).in_(chunk))
        digests.update({(r.uuid, r.version): r.digest for r in query})
    return digests


def _upsert(db: Database, kind: str, rows: list[dict[str, Any]]) -> None:
    """Store the newest version of each record; older ones never overwrite."""
    model = SERVER_RECORDS[kind]
    table = model._meta.table_name
    updates = ", ".join(f'"{f.column_name}" = EXCLUDED."{f.column_name}"'
                        for f in model._meta.sorted_fields if f.name != "uuid")
    _insert(db, model, rows,
            f'ON CONFLICT ("uuid") DO UPDATE SET {updates} '
            f'WHERE "{table}"."version" < EXCLUDED."version" '
            f'AND "{table}"."station" = EXCLUDED."station"')


def _newest_per_record(changes: Iterable[_Change]) -> dict[str, list[_Change]]:
    newest: dict[uuid.UUID, _Change] = {}
    for change in changes:
        rec = change.record
        held = newest.get(rec.uuid)  # type: ignore[attr-defined]
        if held is None or held.record.version < rec.version:  # type: ignore[attr-defined]
            newest[rec.uuid] = change  # type: ignore[attr-defined]
    by_kind: dict[str, list[_Change]] = {}
    for change in newest.values():
        by_kind.setdefault(change.kind, []).append(change)
    return by_kind


def _flag_reports(fresh: list[_Change], offset: int, now: int) -> None:
    """A ClockFlag for each report first received in a flagged batch.

    Only a first version carries the submission time the clock decided;
    a later version (a void) keeps it, and so keeps the first verdict.
    """
    rows = []
    for change in fresh:
        rec: Any = change.record
        if change.kind in REPORT_KINDS and rec.version == 1:
            rows.append({
                "uuid": uuid.uuid4(), "version": 1, "station": rec.station,
                "entered_by": FLAGGED_BY, "entered_at": now, "updated_at": now,
                "record_kind_name": change.kind, "record": rec.uuid,
                "skew_seconds": offset, "received_at": now,
            })
    for chunk in _chunks(rows, 12):
        ClockFlag.insert_many(chunk).execute()


def apply_batch(db: Database, envelope: Envelope, changes: list[_Change],
                refused: list[SetAside], principal: Principal,
                now: int | None = None) -> BatchAck:
    """Apply validated changes in one transaction; the ack is for after commit."""
    now = clock.now() if now is None else now
    offset = envelope.client_clock - now
    flagged = abs(offset) > CLOCK_TOLERANCE_S
    batch_id = str(envelope.batch_id)
    outcome = _Outcome(set_aside=list(refused))
    stamp = {"received_at": now, "batch_id": batch_id, "entered_by": principal.label,
             "clock_offset": offset, "clock_flagged": flagged}

    with db.connection_context(), write_txn(db):
        foreign = _foreign_uuids(envelope.station,
                                 [c.record.uuid for c in changes])  # type: ignore[attr-defined]
        candidates: list[tuple[_Change, str]] = []
        for change in changes:
            rec: Any = change.record
            if rec.station != envelope.station:
                outcome.refuse(change, f"记录属于站点“{rec.station}”，"
                                       f"不是本站“{envelope.station}”")
            elif rec.uuid in foreign:
                outcome.refuse(change, "记录编号已被其他站点使用，中心不能接收")
            else:
                candidates.append((change, content_hash(rec)))

        claimed = _claim_versions(db, [
            {"uuid": c.record.uuid, "version": c.record.version,  # type: ignore[attr-defined]
             "kind": c.kind, "station": envelope.station, "digest": digest,
             "batch_id": batch_id, "received_at": now}
            for c, digest in candidates
        ])
        stored = _stored_digests([
            (c.record.uuid, c.record.version) for c, _ in candidates  # type: ignore[attr-defined]
            if (c.record.uuid, c.record.version) not in claimed  # type: ignore[attr-defined]
        ])
        fresh: list[_Change] = []
        for change, digest in candidates:
            rec = change.record
            key = (rec.uuid, rec.version)
            if key in claimed:
                fresh.append(change)
            elif stored.get(key) == digest:
                outcome.duplicates += 1
            else:
                outcome.refuse(change, f"冲突：第 {rec.version} 版已以不同内容上传过，"
                                       "请核对后修改该记录再同步")
        outcome.accepted = len(fresh)

        for kind, newest in _newest_per_record(fresh).items():
            _upsert(db, kind, [{**c.record.model_dump(), **stamp} for c in newest])
        if flagged:
            _flag_reports(fresh, offset, now)

        if outcome.set_aside:
            SyncRefusal.insert_many([
                {"station": envelope.station, "batch_id": batch_id, "seq": s.seq,
                 "kind": s.kind, "record_uuid": s.uuid, "version": s.version,
                 "reason": s.reason, "received_at": now}
                for s in outcome.set_aside
            ]).execute()
        seqs = [c.seq for c in changes] + [s.seq for s in refused]
        last_seq = max(seqs, default=0)
        SyncBatch.insert(
            batch_id=batch_id, station=envelope.station, device=envelope.device,
            token_id=principal.token_id, schema_version=envelope.schema_version,
            client_clock=envelope.client_clock, received_at=now,
            clock_offset=offset, clock_flagged=flagged, changes=len(seqs),
            accepted=outcome.accepted, duplicates=outcome.duplicates,
            set_aside=len(outcome.set_aside), last_seq=last_seq,
        ).on_conflict_ignore().execute()
        station_status.note_batch(
            station=envelope.station, batch_id=batch_id, received_at=now,
            clock_offset=offset, clock_flagged=flagged,
            accepted=outcome.accepted, set_aside=len(outcome.set_aside),
            changes_waiting=envelope.pending_after)

    return BatchAck(
        batch_id=envelope.batch_id, last_seq=last_seq, accepted=outcome.accepted,
        duplicates=outcome.duplicates, set_aside=outcome.set_aside,
        server_time=now, clock_offset=offset, clock_flagged=flagged,
    )


def ingest(db: Database, body: bytes, principal: Principal) -> BatchAck:
    """Validate and apply one raw batch from ``principal``."""
    started = time.perf_counter()
    envelope, changes, refused = parse_batch(body)
    if envelope.station != principal.name:
        raise IngestRefused(
            403, f"令牌属于站点“{principal.name}”，不能上传站点“{envelope.station}”"
                 "的数据：请核对本机的站点编码和令牌",
            f"station token for {principal.name} sent {envelope.station}",
        )
    ack = apply_batch(db, envelope, changes, refused, principal)
    log.info("batch %s from %s/%s: %d changes, %d new, %d duplicate, "
             "%d set aside, clock offset %ds, in %.0f ms",
             envelope.batch_id, envelope.station, envelope.device,
             len(changes) + len(refused), ack.accepted, ack.duplicates,
             len(ack.set_aside), ack.clock_offset,
             (time.perf_counter() - started) * 1000)
    return ack
