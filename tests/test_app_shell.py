"""The station app's shell: first run, navigation, checks at start."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import Label

from station_tui.domain import clock
from station_tui.operations import opening
from station_tui.operations.changes import create
from station_tui.records import OpenSpell, ParcelIn, StationProfile, database_proxy
from station_tui.storage.db import open_sqlite, write_txn
from station_tui.ui import app as app_module
from station_tui.ui.app import StationApp
from station_tui.ui.navigation import NAVIGATION, NavEntry
from station_tui.ui.screens.opening_screen import OpeningScreen
from station_tui.ui.screens.setup_screen import SetupScreen
from station_tui.ui.screens.today_screen import TodayScreen
from station_tui.ui.widgets.form_field import FormField
from station_tui.ui.widgets.key_bar import KeyBar
from station_tui.ui.widgets.status_bar import StatusBar

SIZE = (120, 40)


# -- first run -------------------------------------------------------------


async def test_first_run_setup_marks_a_wrong_phone_and_keeps_what_was_typed(
        db_path: Path, db: object) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SetupScreen)
        assert "f1" not in app.screen.active_bindings
        for text in ("QY-001", "城关村服务站", "沁河镇", "城关村", "王建国", "12345"):
            await pilot.press(*text, "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()

        phone = app.screen.query_one("#field-phone", FormField)
        assert phone.has_class("-invalid")
        error = str(phone.query_one(".form-field--error").render())
        assert "12345" in error and "11 位" in error
        assert app.screen.focused is phone.input
        assert app.screen.query_one("#field-name", FormField).value == "城关村服务站"
        assert StationProfile.select().count() == 0

        await pilot.press(*["backspace"] * 5, *"138-0000-1111", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()

        assert isinstance(app.screen, TodayScreen)
        station = StationProfile.get()
        assert (station.code, station.partner_phone) == ("QY-001", "13800001111")
        bar = app.screen.query_one(StatusBar)
        assert "城关村服务站（QY-001）" in str(
            bar.query_one("#status-station", Label).render()
        )


# -- navigation --------------------------------------------------------------


async def test_function_keys_switch_between_today_and_opening(
        station: StationProfile, db_path: Path) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, TodayScreen)

        await pilot.press("f2")
        assert isinstance(app.screen, OpeningScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("f2")
        assert isinstance(app.screen, OpeningScreen)
        assert app.screen.query(KeyBar) and app.screen.query(StatusBar)


async def test_every_screen_key_is_shown_in_the_footer(
        station: StationProfile, db_path: Path) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE):
        shown = {
            key: active.binding.description
            for key, active in app.screen.active_bindings.items()
            if active.binding.show
        }
        for entry in NAVIGATION:
            assert shown[entry.key] == entry.title


@pytest.mark.parametrize("query", ["营业", "opening", "开门"])
async def test_the_palette_opens_a_screen_by_title_mode_or_help(
        station: StationProfile, db_path: Path, query: str) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*query)
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.2)

        assert isinstance(app.screen, OpeningScreen)


async def test_a_screen_not_installed_is_reported_not_fatal(
        station: StationProfile, db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    missing = NavEntry("f3", "parcels_in", "收件", "",
                       "station_tui.ui.screens.no_such_screen:NoSuchScreen")
    monkeypatch.setitem(app_module.NAV_BY_MODE, "parcels_in", missing)
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()

        assert isinstance(app.screen, TodayScreen)
        assert any("还没有安装" in str(n.message) for n in app._notifications)


async def test_the_status_bar_mirrors_the_apps_sync_text(
        station: StationProfile, db_path: Path) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=SIZE) as pilot:
        app.sync_text = "已同步 12 条"
        await pilot.press("f2")
        await pilot.pause()

        for mode in ("today", "opening"):
            bar = app._screen_stacks[mode][0].query_one(StatusBar)
            assert str(bar.query_one("#status-sync", Label).render()) == "已同步 12 条"
        clock_text = str(app.screen.query_one("#status-clock", Label).render())
        assert clock_text.startswith(clock.local_date(clock.now()).isoformat())


# -- checks after the first frame ---------------------------------------------


def _yesterday(hm: str) -> int:
    day = clock.local_date(clock.now()) - timedelta(days=1)
    hour, minute = map(int, hm.split(":"))
    return clock.instant_of(datetime(day.year, day.month, day.day, hour, minute))


async def test_a_spell_left_open_by_a_power_cut_is_settled_at_start(
        station: StationProfile, db_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    opening.open_station(at=_yesterday("09:00"))
    entered = _yesterday("15:20")
    with monkeypatch.context() as patch:
        patch.setattr(clock, "now", lambda: entered)
        with write_txn():
            create(ParcelIn, station=station.code, tracking_no="SF1234567890123",
                   carrier="SF", shelf_slot="A1", pickup_code="1-1-01")

    app = StationApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        modal = app.screen
        field = modal.query_one("#field-closed_at", FormField)
        assert field.value == clock.format_time(_yesterday("15:20"))
        assert not modal.query("#settle-still-open")

        field.value = clock.format_time(_yesterday("08:00"))
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert field.has_class("-invalid")
        assert "早于开门时间" in str(field.query_one(".form-field--error").render())

        field.value = clock.format_time(_yesterday("15:20"))
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()

        assert isinstance(app.screen, TodayScreen)
    spell = OpenSpell.get()
    assert (spell.closed_at, spell.close_kind) == (_yesterday("15:20"), "settled")


async def test_a_spell_begun_today_may_be_kept_open(
        station: StationProfile, db_path: Path) -> None:
    opening.open_station(at=clock.now() - 1)

    app = StationApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.click("#settle-still-open")
        await pilot.pause()

        assert isinstance(app.screen, TodayScreen)
    assert OpenSpell.get().closed_at is None


async def test_a_daily_backup_is_written_after_start(
        station: StationProfile, db_path: Path) -> None:
    app = StationApp(db_path)
    async with app.run_test(size=SIZE):
        await app.workers.wait_for_complete()

    backups = list((db_path.parent / "backups").glob("station-*.sqlite3"))
    assert len(backups) == 1
    copy = open_sqlite(backups[0], migrate=False)
    try:
        assert StationProfile.select().count() == 1
    finally:
        copy.close()
        open_sqlite(db_path)


def _damage(db_path: Path) -> None:
    """Overwrite part of a page in the middle of a filled database."""
    with write_txn():
        for n in range(3000):
            create(ParcelIn, station="QY-001", tracking_no=f"SF{n:013d}",
                   carrier="SF", shelf_slot="A1", pickup_code=str(n))

    database_proxy.obj.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    size = db_path.stat().st_size
    with db_path.open("r+b") as raw:
        raw.seek((size // 4096 // 2) * 4096 + 100)
        raw.write(b"\xff" * 2000)


async def test_a_damaged_database_is_reported_and_not_backed_up(
        station: StationProfile, db_path: Path) -> None:
    _damage(db_path)

    app = StationApp(db_path)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "数据库已损坏" in text and str(db_path.parent / "backups") in text
        # No backup was ever made here: the dialog must not point at one.
        assert "还没有自动备份" in text and "技术细节" in text

        await pilot.click("#damage-quit")
        await pilot.pause()
    assert app.return_code == 3
    assert not (db_path.parent / "backups").exists()


def test_start_up_imports_no_heavy_modules(station: StationProfile,
                                          db_path: Path) -> None:
    script = textwrap.dedent("""
        import asyncio, sys
        from station_tui.storage.db import open_sqlite
        from station_tui.ui.app import StationApp

        open_sqlite(sys.argv[1])

        async def main():
            app = StationApp(sys.argv[1], start_checks=False)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.press("f2")
                await pilot.press("f1")
                await app.workers.wait_for_complete()
                await pilot.pause()

        asyncio.run(main())
        heavy = ("pypinyin", "phonenumbers", "openpyxl", "httpx", "fastapi")
        print(",".join(m for m in heavy if m in sys.modules))
    """)
    done = subprocess.run(
        [sys.executable, "-X", "warn_default_encoding", "-c", script, str(db_path)],
        capture_output=True, text=True, encoding="utf-8", timeout=60,
        cwd=Path(__file__).parent.parent,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_a_second_app_window_on_the_same_database_is_refused(
        station: StationProfile, db_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    """The lock is the OS's: held by another process, released when it ends."""
    from station_tui.cli import main

    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from pathlib import Path
            from station_tui.ui.app import one_app_per_database
            with one_app_per_database(Path({str(db_path)!r})):
                print("held", flush=True)
                sys.stdin.read()
        """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert main(["--db", str(db_path)]) == 2
        err = capsys.readouterr().err
        assert "已经在另一个 station-tui 窗口里打开" in err
    finally:
        holder.communicate("")
    # Gone with its process: the next window may open.
    with app_module.one_app_per_database(db_path):
        pass
