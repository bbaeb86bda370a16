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


@pytest.fixture(params=["sqlite", "postgresql"])
def center_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty center database URL: embedded SQLite, then PostgreSQL.

    The PostgreSQL one is a uniquely named database made for the test and
    dropped after it; skipped only when STATION_TUI_TEST_PG is unset.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'center.sqlite3'}"
        return
    base = pg_url()
    if not base:
        pytest.skip("STATION_TUI_TEST_PG is not set")
    from sync_support import pg_database

    with pg_database(base) as url:
        yield url


@pytest.fixture(scope="session")
def _pg_server() -> Iterator[str]:
    """A PostgreSQL database of our own for the session, dropped after."""
    import uuid

    from playhouse.db_url import connect

    url = pg_url()
    assert url, "STATION_TUI_TEST_PG is not set"
    name = f"station_tui_test_{uuid.uuid4().hex[:8]}"
    admin = connect(url)
    admin.connect()  # fails, never skips, when PostgreSQL does not answer
    admin.execute_sql(f'CREATE DATABASE "{name}"')
    base = url.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def server_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[object]:
    """An empty server database with every station and center table: SQLite,
    and PostgreSQL too when STATION_TUI_TEST_PG is set."""
    from station_tui.assessment.database import create_schema, open_server_db
    from station_tui.records import STATION_RECORDS
    from station_tui.records.center import CENTER_RECORDS

    if request.param == "postgresql":
        if not pg_url():
            pytest.skip("STATION_TUI_TEST_PG is not set")
        url = request.getfixturevalue("_pg_server")
        database = open_server_db(url)
        create_schema(database)
        tables = ", ".join(f'"{m._meta.table_name}"'
                           for m in (*STATION_RECORDS, *CENTER_RECORDS))
        database.execute_sql(f"TRUNCATE {tables}")
    else:
        url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
        database = open_server_db(url)
        create_schema(database)
    database.test_url = url  # type: ignore[attr-defined]
    yield database
    database.close()
