"""The demo county the console tests serve: complete once copied."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import httpx

from console_support import copy_demo, live_server
from station_tui.domain import clock
from test_console_stations import demo_template  # noqa: F401


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(str(path)) as conn:
        return int(conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0])


def test_a_copied_demo_county_keeps_every_onsite_round_of_the_template(
        demo_template: Path, tmp_path: Path) -> None:
    """Onsite rounds are written last; a copy that missed the template's WAL
    served a county without them (every station scored 0 on items 1–3)."""
    rounds = _count(demo_template, "onsite_round")
    assert rounds > 0
    copy = copy_demo(demo_template, tmp_path)
    assert _count(copy, "onsite_round") == rounds
    with live_server(copy) as live:
        answer = httpx.get(f"{live.url}/center/assessments/{_year()}",
                           headers={"Authorization": f"Bearer {live.tokens['viewer']}"},
                           timeout=60)
    answer.raise_for_status()
    stations = answer.json()["stations"]
    assert len(stations) == _count(copy, "center_station")
    assert not [s["code"] for s in stations if s["warnings"]]


def test_copying_a_database_takes_what_is_still_in_its_wal(
        tmp_path: Path) -> None:
    """A connection left open (as a pooled one is after ``close()``) keeps
    its last commits in the WAL file, not yet in the main file."""
    source = tmp_path / "source.sqlite3"
    writer = sqlite3.connect(str(source))
    try:
        writer.execute("PRAGMA journal_mode=WAL")
        writer.execute("CREATE TABLE onsite_round (item INTEGER)")
        writer.executemany("INSERT INTO onsite_round VALUES (?)",
                           [(i,) for i in range(12)])
        writer.commit()
        assert Path(f"{source}-wal").stat().st_size > 0
        (tmp_path / "copy").mkdir()
        copy = copy_demo(source, tmp_path / "copy")
        assert _count(copy, "onsite_round") == 12
    finally:
        writer.close()


def _year() -> int:
    return clock.local_date(clock.now()).year
