"""Server ingest speed, and a 200,000-record first sync (not run in CI).

    python benchmarks/bench_ingest.py [--records 50000] [--first-sync 200000]

Part 1 compares the server's ingest of raw request bodies (JSON parsing,
pydantic validation of every record, the idempotency table and the
version-guarded upsert, in batches of 1,000) with a plain sqlite3
``executemany`` INSERT of the same rows into the same table and indexes,
in the same run. Part 2 pushes a station's first sync through a real
server process and samples the client's memory as batches go.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from station_tui.domain import clock  # noqa: E402
from station_tui.domain.phone import phone_hash  # noqa: E402
from sync import wire  # noqa: E402

BATCH = 1000
KEY = b"k" * 32


def parcel(station: str, i: int, now: int) -> dict:
    return {
        "uuid": str(uuid.uuid4()), "station": station, "version": 1,
        "happened_at": now - i, "happened_day": clock.local_date(now - i).isoformat(),
        "entered_at": now, "updated_at": now, "tracking_no": f"SF{i:013d}",
        "carrier": "sf", "shelf_slot": f"A-{i % 40}", "pickup_code": f"{i % 9999:04d}",
        "status": "waiting", "recipient_name_filled": True,
        "recipient_phone_filled": True, "phone_hash": phone_hash("13800002222", KEY),
    }


def bodies(station: str, count: int) -> list[bytes]:
    now = clock.now()
    out = []
    for start in range(0, count, BATCH):
        changes = [{"seq": start + i + 1, "kind": "parcel_in",
                    "record": parcel(station, start + i, now)}
                   for i in range(min(BATCH, count - start))]
        out.append(json.dumps({
            "schema_version": wire.SCHEMA_VERSION, "batch_id": str(uuid.uuid4()),
            "station": station, "device": "bench", "client_clock": now,
            "changes": changes}).encode())
    return out


def bench_ingest(count: int, workdir: Path) -> None:
    from station_tui.assessment.database import migrate_center, open_server_db
    from station_tui.records.server import SERVER_RECORDS
    from sync.server.accounts import Principal
    from sync.server.ingest import ingest

    payloads = bodies("QY-001", count)
    url = f"sqlite:///{workdir / 'ingest.sqlite3'}"
    db = open_server_db(url)
    migrate_center(db)
    who = Principal("bench", "station", "QY-001")
    started = time.perf_counter()
    for body in payloads:
        ingest(db, body, who)
    server_s = time.perf_counter() - started
    db.close_all()

    # The baseline: same table, same indexes, rows already as tuples.
    model = SERVER_RECORDS["parcel_in"]
    columns = [f.column_name for f in model._meta.sorted_fields]
    base = workdir / "baseline.sqlite3"
    plain = open_server_db(f"sqlite:///{base}")
    migrate_center(plain)
    plain.close_all()
    conn = sqlite3.connect(base)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute("PRAGMA synchronous=2")
    now = clock.now()
    rows = []
    for i in range(count):
        record = parcel("QY-001", i, now)
        full = {f.column_name: f.default() if callable(f.default) else f.default
                for f in model._meta.sorted_fields}
        full.update(record, uuid=uuid.UUID(record["uuid"]).hex, received_at=now)
        rows.append(tuple(full[c] for c in columns))
    sql = (f"INSERT INTO parcel_in ({', '.join(columns)}) "
           f"VALUES ({', '.join('?' * len(columns))})")
    started = time.perf_counter()
    for start in range(0, count, BATCH):
        with conn:
            conn.executemany(sql, rows[start:start + BATCH])
    plain_s = time.perf_counter() - started
    conn.close()

    server_rate, plain_rate = count / server_s, count / plain_s
    print(f"ingest: {count} parcel_in records in batches of {BATCH}")
    print(f"  server ingest (raw body -> validated -> stored): {server_rate:,.0f} rec/s")
    print(f"  plain sqlite3 executemany INSERT:                {plain_rate:,.0f} rec/s")
    print(f"  ratio {server_rate / plain_rate:.2f} (goal >= 0.25)")


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def bench_first_sync(count: int, workdir: Path) -> None:
    from station_tui.operations import changes
    from station_tui.records import ParcelIn
    from station_tui.storage.db import write_txn
    from sync.client.rounds import run_round
    from sync_support import LiveServer, make_center, make_station, station_db

    url = f"sqlite:///{workdir / 'center.sqlite3'}"
    tokens = make_center(url)
    server = LiveServer(url).start(workdir / "server.log")
    path = workdir / "station.sqlite3"
    make_station(path, "QY-001", server.url, tokens["QY-001"])
    try:
        with station_db(path):
            made = time.perf_counter()
            for start in range(0, count, 5000):
                with write_txn():
                    for i in range(start, min(count, start + 5000)):
                        changes.create(
                            ParcelIn, station="QY-001", tracking_no=f"YT{i:013d}",
                            carrier="yto", recipient_name="张三",
                            recipient_phone="13800002222", shelf_slot="A-1",
                            pickup_code=f"{i % 9999:04d}")
            print(f"first sync: {count} parcels recorded in "
                  f"{time.perf_counter() - made:.0f} s")
            samples: list[float] = []

            def progress(done: int, total: int) -> None:
                samples.append(rss_mb())
                if done % 20_000 < BATCH or done == total:
                    print(f"  {done}/{total} sent, client RSS {samples[-1]:.0f} MB")

            started = time.perf_counter()
            result = run_round(progress=progress)
            took = time.perf_counter() - started
            assert result.ok, result.error
            tail = samples[len(samples) // 10:]
            print(f"  {result.sent} records in {took:.0f} s "
                  f"({result.sent / took:,.0f} rec/s); client RSS "
                  f"{min(tail):.0f}-{max(tail):.0f} MB after the first tenth")
            assert ParcelIn.select().count() == count
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=50_000)
    parser.add_argument("--first-sync", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("XDG_DATA_HOME", tmp)
        bench_ingest(args.records, Path(tmp))
        if args.first_sync:
            bench_first_sync(args.first_sync, Path(tmp))


if __name__ == "__main__":
    main()
