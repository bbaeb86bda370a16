"""Authorization matrix: every endpoint × every kind of caller."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any, Iterator

import pytest
from fastapi.testclient import TestClient

from station_tui.domain import clock
from sync import wire
from sync.server import accounts
from sync.server.app import create_app
from sync_support import center_db, make_center

OWN, OTHER = "QY-001", "QY-002"
CALLERS = ("none", "revoked", "other_station", "own_station", "admin", "inspector",
           "viewer")


def _push_body() -> bytes:
    now = clock.now()
    record = {"uuid": str(uuid.uuid4()), "station": OWN, "version": 1,
              "happened_at": now, "happened_day": clock.local_date(now).isoformat(),
              "entered_at": now, "updated_at": now, "category": "payment",
              "kind": "phone", "amount_fen": 10}
    return json.dumps({
        "schema_version": wire.SCHEMA_VERSION, "batch_id": str(uuid.uuid4()),
        "station": OWN, "device": "d", "client_clock": now,
        "changes": [{"seq": 1, "kind": "service_record", "record": record}],
    }).encode()


# endpoint -> (method, path, body, expected status for each caller in CALLERS)
MATRIX: dict[str, tuple[str, str, Any, tuple[int, ...]]] = {
    "push": ("POST", "/api/v1/sync/push", "push",
             (401, 401, 403, 200, 403, 403, 403)),
    "pull": ("GET", "/api/v1/sync/pull", None,
             (401, 401, 200, 200, 403, 403, 403)),
    "own records": ("GET", f"/api/v1/records/service_record?station={OWN}", None,
                    (401, 401, 403, 200, 200, 200, 200)),
    "me": ("GET", "/api/v1/me", None, (401, 401, 200, 200, 200, 200, 200)),
    "stations": ("GET", "/api/v1/stations", None,
                 (401, 401, 403, 403, 200, 200, 200)),
    "refusals": ("GET", "/api/v1/sync/refusals", None,
                 (401, 401, 403, 403, 200, 200, 200)),
    "post notice": ("POST", "/api/v1/center-records/notice",
                    {"title": "通知", "body": "内容", "published_at": 1},
                    (401, 401, 403, 403, 201, 201, 403)),
    "list notices": ("GET", "/api/v1/center-records/notice", None,
                     (401, 401, 403, 403, 200, 200, 200)),
}


@pytest.fixture
def world(center_db_url: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    tokens = make_center(center_db_url, (OWN, OTHER))
    with center_db(center_db_url):
        token_id, tokens["revoked"], _ = accounts.add_station("QY-009", "九号", "镇",
                                                              "村")
        accounts.revoke(token_id)
    tokens["own_station"], tokens["other_station"] = tokens[OWN], tokens[OTHER]
    app = create_app(center_db_url)
    with TestClient(app) as client:
        yield client, tokens
    app.state.db.close_all()


def _call(client: TestClient, tokens: dict[str, str], caller: str,
          method: str, path: str, body: Any) -> int:
    headers = {} if caller == "none" else {"Authorization": f"Bearer {tokens[caller]}"}
    if body == "push":
        return client.request(method, path, content=_push_body(),
                              headers=headers).status_code
    return client.request(method, path, json=body, headers=headers).status_code


def test_every_endpoint_admits_exactly_the_callers_it_should(
        world, caplog: pytest.LogCaptureFixture) -> None:
    client, tokens = world
    caplog.set_level(logging.WARNING, logger="sync.server.auth")
    got, want = {}, {}

    for name, (method, path, body, expected) in MATRIX.items():
        for caller, status in zip(CALLERS, expected):
            got[(name, caller)] = _call(client, tokens, caller, method, path, body)
            want[(name, caller)] = status

    assert got == want
    refusals = sum(1 for s in want.values() if s in (401, 403))
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == refusals
    assert not any(tokens["admin"].split(".")[1] in r.getMessage() for r in warnings)


def test_a_forged_secret_with_a_real_token_id_is_refused(world) -> None:
    client, tokens = world
    token_id = tokens[OWN].split(".")[0]

    reply = client.get("/api/v1/me", headers={"Authorization":
                                              f"Bearer {token_id}.forged"})

    assert reply.status_code == 401
    assert reply.json()["detail"].startswith("令牌无效")


def test_a_station_reading_records_gets_its_own_only(world) -> None:
    client, tokens = world
    assert client.post("/api/v1/sync/push", content=_push_body(), headers={
        "Authorization": f"Bearer {tokens[OWN]}"}).status_code == 200

    mine = client.get("/api/v1/records/service_record", headers={
        "Authorization": f"Bearer {tokens[OWN]}"}).json()["records"]
    theirs = client.get("/api/v1/records/service_record", headers={
        "Authorization": f"Bearer {tokens[OTHER]}"}).json()["records"]

    assert len(mine) == 1 and theirs == []


def test_records_pushed_keep_who_entered_them(world, center_db_url: str) -> None:
    from station_tui.records.server import SERVER_RECORDS

    client, tokens = world
    client.post("/api/v1/sync/push", content=_push_body(),
                headers={"Authorization": f"Bearer {tokens[OWN]}"})

    with center_db(center_db_url):
        (row,) = SERVER_RECORDS["service_record"].select()
    assert row.entered_by == f"station:{OWN}"
    assert row.received_at > 0 and row.batch_id
