"""Rebuilding a station PC from the center.

Every record of this station comes back at the version the center holds,
without outbox rows (the center has them already). Personal fields never
left the PC, so they come back only from a local backup.
"""

from __future__ import annotations

import logging
from typing import Callable

from peewee import IntegrityError

from station_tui.records import STATION_RECORDS, StationProfile
from station_tui.storage.db import write_txn
from sync.client.http import CenterClient
from sync.client.pull import columns_only, pull_center, store_rows, wire_record
from sync.wire import RecordPage

log = logging.getLogger(__name__)

PAGE = 1000


def restore_station(center: CenterClient, profile: StationProfile,
                    progress: Callable[[str, int], None] | None = None
                    ) -> dict[str, int]:
    """Pull back all of this station's records; returns counts by kind."""
    counts: dict[str, int] = {}
    for model in STATION_RECORDS:
        kind = model.record_kind()
        after: str | None = None
        counts[kind] = 0
        while True:
            params = {"limit": PAGE, **({"after": after} if after else {})}
            page = center.fetch("GET", f"/api/v1/records/{kind}", RecordPage,
                                params=params)
            rows = [columns_only(model, wire_record(model, r).model_dump())
                    for r in page.records]
            rows = [r for r in rows if r["station"] == profile.code]
            _store(model, rows)
            counts[kind] += len(rows)
            if progress:
                progress(kind, counts[kind])
            if page.next_after is None:
                break
            after = page.next_after
    pull_center(center, since=0)
    log.info("restored %d records from the center", sum(counts.values()))
    return counts


def _store(model: type, rows: list[dict]) -> None:
    try:
        with write_txn():
            store_rows(model, rows)
    except IntegrityError:
        # Two devices of one station may both hold what one counter
        # allows once (a tracking number); keep what fits, log the rest.
        for row in rows:
            try:
                with write_txn():
                    store_rows(model, [row])
            except IntegrityError as exc:
                log.warning("restore skipped %s %s: %s", model.record_kind(),
                            row["uuid"], exc)
