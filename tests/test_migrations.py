"""Schema upgrades run in a transaction, can run twice, keep every record (C09)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from station_tui.errors import StorageError
from station_tui.operations import changes
from station_tui.records import Outbox, ServiceRecord
from station_tui.storage import migrations
from station_tui.storage.db import bind, open_sqlite, write_txn


def _database_at_v1_with_records(path: Path) -> None:
    db = SqliteDatabase(str(path), pragmas={"journal_mode": "wal"})
    bind(db)
    migrations.migrate(db, steps=migrations.STEPS[:1])
    with write_txn(db):
        for amount in (995, 58242):
            changes.create(ServiceRecord, station="QY-001", category="payment",
                           kind="phone", amount_fen=amount)
    db.close()


def _add_column_step(db: SqliteDatabase) -> None:
    db.execute_sql("ALTER TABLE service_record ADD COLUMN channel TEXT")
    db.execute_sql("UPDATE service_record SET channel = 'counter'")


def test_an_upgrade_that_fails_half_way_leaves_the_old_version_intact(
        tmp_path: Path) -> None:
    """C09: the failing step's first statement is rolled back with it."""
    path = tmp_path / "old.sqlite3"
    _database_at_v1_with_records(path)

    def broken_step(db: SqliteDatabase) -> None:
        _add_column_step(db)
        raise RuntimeError("power cut")

    db = SqliteDatabase(str(path))
    bind(db)
    with pytest.raises(RuntimeError):
        migrations.migrate(db, steps=[*migrations.STEPS[:1], broken_step])

    assert migrations.current_version(db) == 1
    columns = {c.name for c in db.get_columns("service_record")}
    assert "channel" not in columns

    reached = migrations.migrate(db, steps=[*migrations.STEPS[:1], _add_column_step])
    assert reached == 2
    assert migrations.migrate(db, steps=[*migrations.STEPS[:1],
                                         _add_column_step]) == 2
    amounts = sorted(r[0] for r in db.execute_sql(
        "SELECT amount_fen FROM service_record WHERE channel = 'counter'"))
    assert amounts == [995, 58242]
    assert Outbox.select().count() == 2
    db.close()


def test_an_upgrade_killed_mid_way_runs_again_at_next_start(tmp_path: Path) -> None:
    """C09: kill -9 during the upgrade, then start again: nothing is lost."""
    path = tmp_path / "old.sqlite3"
    _database_at_v1_with_records(path)
    marker = tmp_path / "in-step"
    script = textwrap.dedent(f"""
        import time
        from peewee import SqliteDatabase
        from station_tui.storage import migrations
        from station_tui.storage.db import bind

        def slow_step(db):
            db.execute_sql("ALTER TABLE service_record ADD COLUMN channel TEXT")
            open({str(marker)!r}, "w", encoding="utf-8").close()
            time.sleep(60)

        db = SqliteDatabase({str(path)!r})
        bind(db)
        migrations.migrate(db, steps=[*migrations.STEPS[:1], slow_step])
    """)
    child = subprocess.Popen([sys.executable, "-c", script],
                             cwd=Path(__file__).resolve().parents[1])
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert child.poll() is None, "upgrade process ended early"
            assert time.monotonic() < deadline, "upgrade never reached its step"
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait()

    db = SqliteDatabase(str(path))
    bind(db)
    assert migrations.current_version(db) == 1
    assert migrations.migrate(db, steps=[*migrations.STEPS[:1],
                                         _add_column_step]) == 2
    count = db.execute_sql(
        "SELECT COUNT(*) FROM service_record WHERE channel = 'counter'"
    ).fetchone()[0]
    assert count == 2
    db.close()


def test_a_database_from_a_newer_release_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    db = open_sqlite(path)
    migrations.SchemaVersion.update(version=migrations.LATEST + 5).execute()
    db.close()
    with pytest.raises(StorageError, match="请升级"):
        open_sqlite(path)


def test_opening_the_current_release_twice_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    open_sqlite(path).close()
    db = open_sqlite(path)
    assert migrations.current_version(db) == migrations.LATEST
    db.close()


def test_a_v2_database_gets_an_index_on_each_record_tables_day(
        tmp_path: Path) -> None:
    """One day's sums (today screen, daily report) walk that day's rows only."""
    path = tmp_path / "v2.sqlite3"
    db = SqliteDatabase(str(path), pragmas={"journal_mode": "wal"})
    bind(db)
    migrations.migrate(db, steps=migrations.STEPS[:2])
    assert "service_record_happened_day" not in {
        index.name for index in db.get_indexes("service_record")}
    db.close()

    db = open_sqlite(path)
    assert migrations.current_version(db) == migrations.LATEST
    from station_tui.records import STATION_RECORDS

    for model in STATION_RECORDS:
        table = model._meta.table_name
        assert f"{table}_happened_day" in {i.name for i in db.get_indexes(table)}
    plan = db.execute_sql(
        "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM parcel_in "
        "WHERE happened_day = '2026-12-04' AND voided_at IS NULL").fetchall()
    assert "parcel_in_happened_day" in str(plan)
    db.close()
