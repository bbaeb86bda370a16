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


def _pg_base() -> str:
    """The PostgreSQL address; the test is skipped only when none is set."""
    base = pg_url()
    if not base:
        pytest.skip("STATION_TUI_TEST_PG is not set")
    return base


@pytest.fixture(params=["sqlite", "postgresql"])
def center_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty center database URL: embedded SQLite, then PostgreSQL.

    The PostgreSQL one is a uniquely named database made for the test and
    dropped after it; a server process of the test may connect to it.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'center.sqlite3'}"
        return
    from sync_support import pg_database

    with pg_database(_pg_base()) as url:
        yield url


@pytest.fixture(scope="session")
def _pg_session_db() -> Iterator[str]:
    """One PostgreSQL database for the session's ``server_db`` tests,
    emptied before each (making a database per test costs more)."""
    from sync_support import pg_database

    with pg_database(_pg_base()) as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def server_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    """An empty center database with the server's own schema, opened and
    bound as ``serve`` opens it: SQLite, and PostgreSQL too when
    STATION_TUI_TEST_PG is set. ``test_url`` is its address."""
    from station_tui.assessment.database import migrate_center, open_server_db
    from station_tui.records.server import ServerSetting
    from station_tui.storage.migrations import SchemaVersion

    if request.param == "postgresql":
        _pg_base()
        url = request.getfixturevalue("_pg_session_db")
    else:
        url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    database = open_server_db(url)
    migrate_center(database)
    if request.param == "postgresql":
        keep = {ServerSetting._meta.table_name, SchemaVersion._meta.table_name}
        tables = ", ".join(f'"{name}"' for name in database.get_tables()
                           if name not in keep)
        database.execute_sql(f"TRUNCATE {tables}")
    database.test_url = url  # type: ignore[attr-defined]
    yield database
    database.close_all()
