"""A full disk: the write is refused in Chinese, the app keeps running (trial)."""

from __future__ import annotations

from pathlib import Path

import pytest
from peewee import SqliteDatabase
from textual.widgets import Static

from station_tui.errors import StorageError
from station_tui.operations import parcels_in
from station_tui.records import Outbox, ParcelIn, StationProfile
from station_tui.ui.app import StationApp
from station_tui.ui.screens.parcels_in_screen import ParcelsInScreen


def fill_the_disk(db: SqliteDatabase) -> None:
    """No page may be added: SQLite answers "database or disk is full"."""
    pages = db.execute_sql("PRAGMA page_count").fetchone()[0]
    db.execute_sql(f"PRAGMA max_page_count = {pages}")


def test_a_write_on_a_full_disk_is_a_storage_error_and_saves_nothing(
        station: StationProfile, db: SqliteDatabase) -> None:
    fill_the_disk(db)
    before = Outbox.select().count()
    with pytest.raises(StorageError, match="磁盘已满"):
        for n in range(200):  # enough rows to need a new page
            parcels_in.intake(f"SF{n:013d}")
    # Each intake is its own transaction: what came before the failure is
    # whole, the failing one left nothing behind.
    stored = ParcelIn.select().count()
    assert Outbox.select().count() - before == stored


async def test_scanning_on_a_full_disk_says_so_and_keeps_going(
        station: StationProfile, db: SqliteDatabase, db_path: Path) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        fill_the_disk(db)
        for n in range(15):
            await pilot.press(*f"FULL{n:06d}", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ParcelsInScreen)
        assert "error" in [outcome for _, outcome in screen.scan_log]
        assert "磁盘已满" in str(screen.query_one("#scan-result", Static).render())
        assert app.focused is screen.scan_input
    assert app._exception is None
