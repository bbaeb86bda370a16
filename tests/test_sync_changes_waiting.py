"""A station's changes still waiting to be sent, as the center sees them.

Each batch says how many unsent changes the station keeps after it
(``pending_after``); the server keeps the last figure in the station's
status row and the console lists it as 待上传.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from station_tui.assessment.database import migrate_center
from station_tui.storage.migrations import SchemaVersion
from sync.client.rounds import run_round
from sync.server.app import create_app
from sync_support import (
    LiveServer,
    add_payments,
    center_db,
    make_center,
    make_station,
    station_db,
)
from test_sync_server import batch, payment, push

CODE = "QY-001"


def console_row(base: str, token: str, code: str = CODE) -> dict[str, Any]:
    reply = httpx.get(f"{base}/console/stations", params={"q": code},
                      headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert reply.status_code == 200, reply.text
    return next(r for r in reply.json()["rows"] if r["code"] == code)


def test_a_station_pushing_in_small_batches_leaves_its_waiting_count_at_zero(
        center_db_url: str, tmp_path: Path) -> None:
    tokens = make_center(center_db_url, (CODE,))
    server = LiveServer(center_db_url).start(tmp_path / "server.log")
    try:
        path = tmp_path / "station.sqlite3"
        make_station(path, CODE, server.url, tokens[CODE])
        add_payments(path, 7)
        assert console_row(server.url, tokens["viewer"])["changes_waiting"] is None
        seen: list[tuple[int, int]] = []

        def after_batch(done: int, total: int) -> None:
            row = console_row(server.url, tokens["viewer"])
            seen.append((total - done, row["changes_waiting"]))

        with station_db(path):
            result = run_round(batch_size=3, progress=after_batch)
        assert result.ok, result.error
    finally:
        server.stop()

    assert len(seen) >= 3
    assert [expected for expected, _ in seen] == [w for _, w in seen]
    assert seen[-1] == (0, 0)
    assert [w for _, w in seen] == sorted((w for _, w in seen), reverse=True)


@pytest.fixture
def api(center_db_url: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    tokens = make_center(center_db_url, (CODE,))
    app = create_app(center_db_url)
    with TestClient(app) as client:
        yield client, tokens
    app.state.db.close_all()


def waiting(client: TestClient, tokens: dict[str, str]) -> Any:
    reply = client.get("/console/stations", params={"q": CODE},
                       headers={"Authorization": f"Bearer {tokens['viewer']}"})
    assert reply.status_code == 200
    return reply.json()["rows"][0]["changes_waiting"]


def with_pending(body: bytes, pending: Any) -> bytes:
    envelope = json.loads(body)
    envelope["pending_after"] = pending
    return json.dumps(envelope).encode("utf-8")


def test_an_envelope_without_the_waiting_count_is_still_accepted(api) -> None:
    client, tokens = api
    reply = push(client, tokens[CODE], with_pending(batch([payment()]), 12))
    assert reply.status_code == 200, reply.text
    assert waiting(client, tokens) == 12

    reply = push(client, tokens[CODE], batch([payment()], start=2))

    assert reply.status_code == 200, reply.text
    assert reply.json()["accepted"] == 1
    # An older client cannot say: the figure is unknown, not the stale 12.
    assert waiting(client, tokens) is None


def test_a_negative_waiting_count_is_refused(api) -> None:
    client, tokens = api

    reply = push(client, tokens[CODE], with_pending(batch([payment()]), -1))

    assert reply.status_code == 422


def test_a_center_database_made_before_the_column_gets_it_on_upgrade(
        tmp_path: Path) -> None:
    with center_db(f"sqlite:///{tmp_path / 'center.sqlite3'}") as db:
        db.execute_sql("ALTER TABLE station_status DROP COLUMN changes_waiting")
        with db.bind_ctx([SchemaVersion]):
            SchemaVersion.update(version=2).execute()

        assert migrate_center(db) == 3
        columns = {c.name for c in db.get_columns("station_status")}
    assert "changes_waiting" in columns
