"""A barcode scanner's keys through a real pseudo-terminal (C02, C06).

The keys go to a child process running ParcelsInScreen on a pty, written
on an absolute 1 ms-per-key schedule, and the database is checked after.
"""

from __future__ import annotations

import threading
from pathlib import Path

from peewee import OperationalError

from station_tui.domain import clock
from station_tui.records import Outbox, ParcelIn, StationProfile
from station_tui.storage.db import write_txn
from tests.pty_scan import PtyScanner, scan_keys



def _scanner(db_path: Path, tmp_path: Path) -> PtyScanner:
    scanner = PtyScanner(db_path, tmp_path / "progress.txt")
    scanner.wait_for_text("扫描或输入单号")
    return scanner


def test_repeated_scans_are_stored_once_and_reported_case_c02(
        station: StationProfile, db_path: Path, tmp_path: Path) -> None:
    """C02: 100 × SF1234567890123 at 1 ms a key → one parcel, 99 duplicates."""
    with _scanner(db_path, tmp_path) as scanner:
        scanner.feed(scan_keys(["SF1234567890123"] * 100))
        scanner.wait_for_scans(100)
        scanner.wait_for_text("本次共 99 次重复")
        outcomes = scanner.progress()

    assert [o for o, _ in outcomes].count("stored") == 1
    assert [o for o, _ in outcomes].count("duplicate") == 99
    assert {v for _, v in outcomes} == {"SF1234567890123"}
    assert ParcelIn.select().count() == 1


def test_distinct_scans_are_all_stored_none_merged_or_split_case_c02(
        station: StationProfile, db_path: Path, tmp_path: Path) -> None:
    """C02: 100 distinct numbers at 1 ms a key → 100 parcels, exactly those."""
    numbers = [f"SF{1234567890000 + i}" for i in range(100)]
    with _scanner(db_path, tmp_path) as scanner:
        scanner.feed(scan_keys(numbers))
        scanner.wait_for_scans(100)
        outcomes = scanner.progress()

    assert outcomes == [("stored", n) for n in numbers]
    stored = [p.tracking_no for p in ParcelIn.select()]
    assert sorted(stored) == sorted(numbers)


def test_scans_survive_a_sync_marking_outbox_rows_sent_case_c06(
        station: StationProfile, db_path: Path, tmp_path: Path) -> None:
    """C06: scans saved while another writer marks hundreds of rows sent."""
    now = clock.now()
    with write_txn():
        Outbox.insert_many([
            {"kind": "parcel_in", "record_uuid": f"{i:032x}", "version": 1,
             "snapshot": "{}", "created_at": now} for i in range(600)
        ]).execute()
    seqs = [row.seq for row in Outbox.select(Outbox.seq)]
    errors: list[Exception] = []
    stop = threading.Event()

    def mark_sent() -> None:
        try:
            for seq in seqs:
                with write_txn():
                    Outbox.update(sent_at=clock.now()).where(
                        Outbox.seq == seq).execute()
                if stop.is_set():
                    return
        except OperationalError as exc:
            errors.append(exc)

    numbers = [f"SF{1234567890000 + i}" for i in range(100)]
    with _scanner(db_path, tmp_path) as scanner:
        sync = threading.Thread(target=mark_sent)
        sync.start()
        scanner.feed(scan_keys(numbers))
        scanner.wait_for_scans(100)
        sync.join(timeout=60)
        outcomes = scanner.progress()
        screen = scanner.text()

    assert errors == []
    assert outcomes == [("stored", n) for n in numbers]
    assert "locked" not in screen
    assert ParcelIn.select().count() == 100
    assert Outbox.select().where(Outbox.seq.in_(seqs),
                                 Outbox.sent_at.is_null()).count() == 0
