"""Building a station database with many parcels, fast, for benchmarks and
the big-list tests (case C10).

``python -m benchmarks.fixtures OUT.sqlite3 [COUNT]`` writes one to disk.
Rows go in inside one transaction, without outbox rows: a fixture of
history, not a sequence of counter actions. Peewee's ``insert_many`` writes
the statement once; the rows are bound by sqlite3's ``executemany``,
because building SQL text for 200,000 × 20 values in Python is what would
take the time.
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from pathlib import Path

from peewee import SqliteDatabase

from station_tui.domain import clock
from station_tui.domain.carriers import CARRIERS
from station_tui.domain.pinyin import initials
from station_tui.operations.parcels_in import shelf_slots
from station_tui.operations.station import set_setting
from station_tui.records import ParcelIn, StationProfile
from station_tui.storage.db import open_sqlite, write_txn

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "建国丽华强军敏静磊洋勇艳杰娟涛明超秀英霞平刚桂英"
_BATCH = 1000


def setup_demo_station() -> StationProfile:
    from station_tui.operations.station import profile, setup_station

    return profile() or setup_station(
        code="QY-001", name="城关村服务站", town="沁河镇", village="城关村",
        partner="王建国", phone="13800001111")


def fill_parcels(count: int = 200_000, *, seed: int = 1, waiting_share: float = 0.02,
                 days: int = 365) -> int:
    """Add ``count`` inbound parcels to the bound database; returns count.

    About 20,000 villagers share the parcels, so a last-four search finds
    a handful to a few dozen; ``waiting_share`` of them (the newest) are
    still on the shelf with unique pickup codes.
    """
    station = setup_demo_station()
    rng = random.Random(seed)
    villagers = []
    for _ in range(20_000):
        name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
        phone = f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"
        villagers.append((name, phone, initials(name)))
    carriers = [c for c in CARRIERS if c != "OTHER"]
    end = clock.now()
    start = end - days * 86_400
    step = (end - start) / count
    waiting_from = int(count * (1 - waiting_share))
    fields = [ParcelIn.uuid, ParcelIn.station, ParcelIn.version, ParcelIn.happened_at,
              ParcelIn.happened_day, ParcelIn.entered_at, ParcelIn.updated_at,
              ParcelIn.tracking_no, ParcelIn.carrier, ParcelIn.recipient_name,
              ParcelIn.recipient_phone, ParcelIn.phone_last4, ParcelIn.name_initials,
              ParcelIn.shelf_slot, ParcelIn.pickup_code, ParcelIn.status,
              ParcelIn.notified_at, ParcelIn.notify_method, ParcelIn.picked_up_at,
              ParcelIn.picked_up_by, ParcelIn.damaged_on_arrival]
    slots = shelf_slots()
    sql, _ = ParcelIn.insert_many([[None] * len(fields)], fields=fields).sql()
    day_of: dict[int, str] = {}
    rows = []
    with write_txn():
        cursor = ParcelIn._meta.database.cursor()
        for i in range(count):
            at = int(start + i * step)
            name, phone, abbr = rng.choice(villagers)
            waiting = i >= waiting_from
            # The intake's own round-robin, so waiting codes are unique.
            j = i - waiting_from
            slot = slots[j % len(slots)] if waiting else slots[i % len(slots)]
            code = f"{slot}-{(j if waiting else i) % 999 + 1:03d}"
            hour = at // 3600
            if hour not in day_of:
                day_of[hour] = clock.local_date(at).isoformat()
            rows.append((
                uuid.UUID(int=rng.getrandbits(128)).hex, station.code, 1, at,
                day_of[hour], at, at, f"YT{9_000_000_000_000 + i}",
                rng.choice(carriers), name, phone, phone[-4:], abbr, slot, code,
                "waiting" if waiting else "picked_up", at + 3600, "sms",
                None if waiting else at + 86_400, None if waiting else "self", False,
            ))
            if len(rows) == _BATCH:
                cursor.executemany(sql, rows)
                rows.clear()
        cursor.executemany(sql, rows)
        set_setting("parcel_in.code_counter", str(count - waiting_from))
    return count


def build_station_db(path: Path, count: int = 200_000, *,
                     seed: int = 1) -> SqliteDatabase:
    """A fresh station database at ``path`` holding ``count`` parcels."""
    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    db = open_sqlite(path)
    fill_parcels(count, seed=seed)
    return db


if __name__ == "__main__":
    target = Path(sys.argv[1])
    how_many = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    began = time.perf_counter()
    build_station_db(target, how_many).close()
    print(f"{how_many} parcels in {time.perf_counter() - began:.1f} s → {target}")
