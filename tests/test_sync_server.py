"""The center server through its ASGI app: ingest, pull, schema versions."""

from __future__ import annotations

import gzip
import json
import threading
import uuid
from typing import Any, Iterator

import pytest
from fastapi.testclient import TestClient

from station_tui.domain import clock
from station_tui.domain.phone import phone_hash
from sync import wire
from sync.server.app import create_app
from sync_support import ROOT, make_center

CODE = "QY-001"


@pytest.fixture
def api(center_db_url: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    tokens = make_center(center_db_url, (CODE, "QY-002"))
    app = create_app(center_db_url)
    with TestClient(app) as client:
        yield client, tokens
    app.state.db.close_all()


def payment(station: str = CODE, *, version: int = 1, amount: int = 10,
            record_uuid: str | None = None, **extra: Any) -> dict[str, Any]:
    now = clock.now()
    return {
        "uuid": record_uuid or str(uuid.uuid4()), "station": station,
        "version": version, "happened_at": now,
        "happened_day": clock.local_date(now).isoformat(), "entered_at": now,
        "updated_at": now, "category": "payment", "kind": "phone",
        "amount_fen": amount, "customer_phone_filled": True,
        "phone_hash": phone_hash("13800002222", b"k" * 32), **extra,
    }


def batch(records: list[dict[str, Any]], *, station: str = CODE, start: int = 1,
          kind: str = "service_record", clock_at: int | None = None,
          version: int = wire.SCHEMA_VERSION, batch_id: str | None = None) -> bytes:
    return json.dumps({
        "schema_version": version, "batch_id": batch_id or str(uuid.uuid4()),
        "station": station, "device": "dev-1",
        "client_clock": clock.now() if clock_at is None else clock_at,
        "changes": [{"seq": start + i, "kind": kind, "record": r}
                    for i, r in enumerate(records)],
    }).encode("utf-8")


def push(client: TestClient, token: str, body: bytes, **headers: str) -> Any:
    return client.post("/api/v1/sync/push", content=body,
                       headers={"Authorization": f"Bearer {token}", **headers})


def stored(client: TestClient, tokens: dict[str, str],
           kind: str = "service_record") -> list[dict[str, Any]]:
    reply = client.get(f"/api/v1/records/{kind}",
                       headers={"Authorization": f"Bearer {tokens['viewer']}"})
    assert reply.status_code == 200
    return reply.json()["records"]


def test_a_batch_is_acknowledged_with_its_last_change_and_a_repeat_changes_nothing(
        api) -> None:
    client, tokens = api
    body = batch([payment() for _ in range(5)], start=41)

    first = push(client, tokens[CODE], body)
    again = push(client, tokens[CODE], body)

    assert first.status_code == 200, first.text
    assert first.json()["last_seq"] == 45 and first.json()["accepted"] == 5
    assert again.json()["accepted"] == 0 and again.json()["duplicates"] == 5
    assert len(stored(client, tokens)) == 5


def test_a_gzip_compressed_batch_is_taken_like_a_plain_one(api) -> None:
    client, tokens = api

    reply = push(client, tokens[CODE], gzip.compress(batch([payment()])),
                 **{"Content-Encoding": "gzip"})

    assert reply.status_code == 200 and reply.json()["accepted"] == 1


def test_the_same_version_with_other_content_is_a_conflict_set_aside(api) -> None:
    client, tokens = api
    record = payment(amount=10)
    push(client, tokens[CODE], batch([record]))
    changed = {**record, "amount_fen": 99}
    other = payment()

    reply = push(client, tokens[CODE], batch([changed, other], start=7)).json()

    assert reply["accepted"] == 1
    assert [(s["seq"], s["uuid"]) for s in reply["set_aside"]] == [(7, record["uuid"])]
    assert "冲突" in reply["set_aside"][0]["reason"]
    amounts = {r["uuid"]: r["amount_fen"] for r in stored(client, tokens)}
    assert amounts == {record["uuid"]: 10, other["uuid"]: 10}
    refusals = client.get("/api/v1/sync/refusals",
                          headers={"Authorization": f"Bearer {tokens['inspector']}"})
    assert [r["seq"] for r in refusals.json()] == [7]


@pytest.mark.parametrize(("bad", "why"), [
    pytest.param({"amount_fen": 2**40}, "amount_fen", id="int-beyond-column"),
    pytest.param({"note": "a\x00b"}, "note", id="nul-character"),
    pytest.param({"customer_phone": "13800002222"}, "customer_phone",
                 id="a-phone-on-the-wire"),
    pytest.param({"kind": "x" * 25}, "kind", id="string-beyond-column"),
])
def test_a_record_the_server_cannot_take_is_set_aside_without_blocking_the_rest(
        api, bad: dict[str, Any], why: str) -> None:
    client, tokens = api
    good = [payment(), payment()]

    reply = push(client, tokens[CODE],
                 batch([good[0], payment(**bad), good[1]])).json()

    assert reply["accepted"] == 2 and reply["last_seq"] == 3
    (aside,) = reply["set_aside"]
    assert aside["seq"] == 2 and why in aside["reason"]
    assert {r["uuid"] for r in stored(client, tokens)} == {g["uuid"] for g in good}


def test_an_unknown_record_kind_is_set_aside(api) -> None:
    client, tokens = api
    body = json.loads(batch([payment()]))
    body["changes"].append({"seq": 2, "kind": "spaceship", "record": {}})

    reply = push(client, tokens[CODE], json.dumps(body).encode()).json()

    assert reply["accepted"] == 1
    assert reply["set_aside"][0]["reason"] == "中心不认识记录类型“spaceship”"


def test_the_newest_version_wins_whatever_order_versions_arrive_in(api) -> None:
    client, tokens = api
    first = payment(amount=10)
    rid = first["uuid"]
    v2, v3 = payment(record_uuid=rid, version=2, amount=20), payment(
        record_uuid=rid, version=3, amount=30)

    push(client, tokens[CODE], batch([first, v3]))
    reply = push(client, tokens[CODE], batch([v2], start=3)).json()

    assert reply["accepted"] == 1
    (row,) = stored(client, tokens)
    assert (row["version"], row["amount_fen"]) == (3, 30)


def test_a_record_of_another_station_inside_a_batch_is_set_aside(api) -> None:
    client, tokens = api

    reply = push(client, tokens[CODE], batch([payment(station="QY-002")])).json()

    assert reply["accepted"] == 0 and "QY-002" in reply["set_aside"][0]["reason"]


def test_an_older_client_is_told_in_chinese_to_upgrade(api) -> None:
    client, tokens = api

    reply = push(client, tokens[CODE],
                 batch([payment()], version=wire.OLDEST_ACCEPTED - 1))

    assert reply.status_code == 426
    assert "请升级 station-tui" in reply.json()["detail"]


def test_a_client_one_version_behind_is_accepted_through_the_upgrade_step(
        api, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the server at wire version 2, a version-1 batch still goes in."""
    import sync.server.ingest as ingest

    def rename_note(kind: str, record: dict[str, Any]) -> dict[str, Any]:
        record = dict(record)
        record["note"] = record.pop("remark", None)
        return record

    monkeypatch.setattr(ingest, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(ingest, "OLDEST_ACCEPTED", 1)
    monkeypatch.setitem(ingest.UPGRADES, 1, rename_note)
    client, tokens = api
    record = payment(remark="旧版备注")
    record.pop("note", None)

    reply = push(client, tokens[CODE], batch([record], version=1))

    assert reply.status_code == 200 and reply.json()["accepted"] == 1
    assert stored(client, tokens)[0]["note"] == "旧版备注"
    assert push(client, tokens[CODE], batch([payment()], version=0)).status_code == 426


def test_a_batch_from_a_clock_twenty_minutes_off_is_flagged_with_both_times(
        api) -> None:
    client, tokens = api
    now = clock.now()

    reply = push(client, tokens[CODE], batch([payment()], clock_at=now - 1200)).json()
    stations = client.get("/api/v1/stations", headers={
        "Authorization": f"Bearer {tokens['viewer']}"}).json()

    assert reply["clock_flagged"] and -1260 < reply["clock_offset"] < -1140
    (row,) = stored(client, tokens)
    assert row["happened_at"] <= now
    flagged = {s["code"]: s["clock_flagged"] for s in stations}
    assert flagged == {CODE: True, "QY-002": False}


def test_identical_batches_racing_on_two_threads_are_applied_once(api) -> None:
    """C05 on the server side: a retry arriving while the first try is
    still in its transaction."""
    client, tokens = api
    body = batch([payment() for _ in range(300)])
    replies: list[Any] = []

    def send() -> None:
        replies.append(push(client, tokens[CODE], body))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert [r.status_code for r in replies] == [200] * 4
    assert sum(r.json()["accepted"] for r in replies) == 300
    assert len(stored(client, tokens)) == 300


def test_pull_sends_this_stations_and_everyones_center_records_only(api) -> None:
    client, tokens = api
    staff = {"Authorization": f"Bearer {tokens['admin']}"}
    deadline = clock.now() + 86400
    for fields in (
        {"kind": "notice", "station": None, "title": "全县通知", "body": "开会",
         "published_at": clock.now()},
        {"kind": "report_request", "station": CODE, "title": "三月统计",
         "deadline_at": deadline},
        {"kind": "report_request", "station": "QY-002", "title": "别站的",
         "deadline_at": deadline},
    ):
        kind = fields.pop("kind")
        made = client.post(f"/api/v1/center-records/{kind}", json=fields,
                           headers=staff)
        assert made.status_code == 201, made.text
        assert made.json()["entered_by"] == "admin-1"

    reply = client.get("/api/v1/sync/pull", params={"since": 0},
                       headers={"Authorization": f"Bearer {tokens[CODE]}"}).json()
    later = client.get("/api/v1/sync/pull", params={"since": clock.now() + 10},
                       headers={"Authorization": f"Bearer {tokens[CODE]}"}).json()

    titles = sorted(c["record"]["title"] for c in reply["records"])
    assert titles == ["三月统计", "全县通知"]
    assert len(bytes.fromhex(reply["phone_key"])) == 32
    assert later["records"] == [] and later["phone_key"] == reply["phone_key"]


def test_pull_carries_the_rules_file_and_its_version(center_db_url: str,
                                                     tmp_path) -> None:
    tokens = make_center(center_db_url, (CODE,))
    rules = tmp_path / "rules.toml"
    rules.write_text("[grading]\nmode = \"caps\" # 等级\n", encoding="utf-8")
    app = create_app(center_db_url, str(rules))
    with TestClient(app) as client:
        reply = client.get("/api/v1/sync/pull", headers={
            "Authorization": f"Bearer {tokens[CODE]}"}).json()
    app.state.db.close_all()

    assert reply["rules_text"] == rules.read_text(encoding="utf-8")
    assert len(reply["rules_version"]) == 12


def test_health_docs_and_schemas_are_published(api) -> None:
    client, _ = api

    health = client.get("/healthz").json()
    docs = client.get("/docs")
    openapi = client.get("/openapi.json").json()
    schema = client.get("/api/v1/schema").json()

    assert health["status"] == "ok"
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    push_body = openapi["paths"]["/api/v1/sync/push"]["post"]["requestBody"]
    assert push_body["content"]["application/json"]["schema"]["$ref"].endswith("/Batch")
    assert "ServiceRecordWire" in openapi["components"]["schemas"]
    assert schema["version"] == wire.SCHEMA_VERSION


def test_the_published_json_schema_file_is_up_to_date() -> None:
    path = ROOT / "docs" / "sync-wire.schema.json"

    assert json.loads(path.read_text(encoding="utf-8")) == wire.json_schema(), (
        "regenerate with: python -m sync.wire > docs/sync-wire.schema.json")
