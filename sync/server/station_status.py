"""The per-station status row the center console lists stations from.

Ingest calls ``note_batch`` inside the batch's own transaction, so the row
is as current as the sync log and costs one upsert per batch. A database
made before the row existed is filled once from the sync log by
``backfill``.
"""

from __future__ import annotations

import logging

from peewee import Database, fn

from station_tui.domain import clock
from station_tui.records.center import StationStatus
from station_tui.records.server import SyncBatch, SyncRefusal

log = logging.getLogger(__name__)


def note_batch(*, station: str, batch_id: str, received_at: int,
               clock_offset: int, clock_flagged: bool, accepted: int,
               set_aside: int, changes_waiting: int | None = None) -> None:
    """Record one ingested batch in its station's status row."""
    row = {
        StationStatus.code: station,
        StationStatus.last_received_at: received_at,
        StationStatus.last_batch_id: batch_id,
        StationStatus.clock_offset: clock_offset,
        StationStatus.clock_flagged: clock_flagged,
        StationStatus.accepted: accepted,
        StationStatus.set_aside: set_aside,
        StationStatus.changes_waiting: changes_waiting,
        StationStatus.updated_at: clock.now(),
    }
    StationStatus.insert(row).on_conflict(
        conflict_target=[StationStatus.code],
        update={
            StationStatus.last_received_at: received_at,
            StationStatus.last_batch_id: batch_id,
            StationStatus.clock_offset: clock_offset,
            StationStatus.clock_flagged: clock_flagged,
            StationStatus.accepted: StationStatus.accepted + accepted,
            StationStatus.set_aside: StationStatus.set_aside + set_aside,
            StationStatus.changes_waiting: changes_waiting,
            StationStatus.updated_at: row[StationStatus.updated_at],
        },
    ).execute()


def backfill(db: Database) -> int:
    """Build the status rows from the sync log when there are none yet."""
    with db.connection_context():
        db.create_tables([StationStatus], safe=True)
        if StationStatus.select().exists() or not SyncBatch.select().exists():
            return 0
        refused = dict(SyncRefusal.select(SyncRefusal.station, fn.COUNT(SyncRefusal.id))
                       .group_by(SyncRefusal.station).tuples())
        rows = []
        for station in SyncBatch.select(SyncBatch.station).distinct().tuples():
            code = station[0]
            last = (SyncBatch.select().where(SyncBatch.station == code)
                    .order_by(SyncBatch.received_at.desc()).first())
            accepted = (SyncBatch.select(fn.SUM(SyncBatch.accepted))
                        .where(SyncBatch.station == code).scalar()) or 0
            rows.append({
                "code": code, "last_received_at": last.received_at,
                "last_batch_id": last.batch_id, "clock_offset": last.clock_offset,
                "clock_flagged": last.clock_flagged, "accepted": accepted,
                "set_aside": refused.get(code, 0), "updated_at": clock.now(),
            })
        with db.atomic():
            for start in range(0, len(rows), 500):
                StationStatus.insert_many(rows[start:start + 500]).execute()
    log.info("station status: %d rows built from the sync log", len(rows))
    return len(rows)
