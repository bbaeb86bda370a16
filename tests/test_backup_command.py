"""``station-tui backup FILE`` and the app's rolling daily backup."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Iterator

import pytest

from station_tui.cli import main
from station_tui.domain import clock
from station_tui.records import StationProfile
from station_tui.storage.backup import rolling_backup


def test_backup_refuses_to_overwrite_an_existing_file(
        station: StationProfile, db_path: Path, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "昨天的备份.sqlite3"
    target.write_bytes(b"yesterday")

    code = main(["backup", "--db", str(db_path), str(target)])

    assert code == 2
    assert capsys.readouterr().err.strip() == (
        f"错误：{target} 已经存在，没有覆盖。请换一个文件名，或加 --force 覆盖它")
    assert target.read_bytes() == b"yesterday"


def test_backup_with_force_overwrites_the_file(
        station: StationProfile, db_path: Path, tmp_path: Path) -> None:
    import sqlite3

    target = tmp_path / "backup.sqlite3"
    target.write_bytes(b"yesterday")

    assert main(["backup", "--db", str(db_path), "--force", str(target)]) == 0

    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT code FROM station_profile").fetchall() == [
            ("QY-001",)]


@pytest.fixture
def pc_in_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A PC whose own clock runs on UTC, not Beijing time."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_rolling_backup_is_named_for_the_shanghai_date(
        station: StationProfile, db_path: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, pc_in_utc: None) -> None:
    """01:00 on 1 April in Shanghai is still 31 March on a UTC PC."""
    early = clock.instant_of(datetime(2026, 4, 1, 1, 0))
    monkeypatch.setattr(time, "time", lambda: float(early))

    target = rolling_backup(db_path, tmp_path / "backups")

    assert target.name == "station-20260401.sqlite3"
