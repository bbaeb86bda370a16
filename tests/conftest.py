"""Shared fixtures: a fresh station database per test."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest
from peewee import SqliteDatabase

from station_tui.records import StationProfile
from station_tui.storage.db import open_sqlite


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep data, config and logs of every test out of the real home."""
    home = tmp_path_factory.mktemp("home")
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME",
                "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "station.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[SqliteDatabase]:
    database = open_sqlite(db_path)
    yield database
    database.close()


@pytest.fixture
def station(db: SqliteDatabase) -> StationProfile:
    from station_tui.operations.station import setup_station

    return setup_station(code="QY-001", name="城关村服务站", town="沁河镇",
                         village="城关村", partner="王建国",
                         phone="13800001111")


def pg_url() -> str | None:
    """PostgreSQL address for tests; required (never skipped) when set."""
    return os.environ.get("STATION_TUI_TEST_PG")


@pytest.fixture
def server_db(tmp_path: Path) -> Iterator[object]:
    """An empty server database (SQLite) with every station and center table."""
    from station_tui.assessment.database import create_schema, open_server_db

    database = open_server_db(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    create_schema(database)
    yield database
    database.close()
