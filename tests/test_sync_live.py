"""Station and center over real HTTP: a real ``station-tui serve`` process.

Each fault test ends with every record on the server exactly once and the
station's and server's counts and sums equal.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from station_tui.domain import clock
from sync.client.http import CenterClient
from sync.client.rounds import RoundResult, run_round
from sync_support import (
    ROOT,
    FaultProxy,
    LiveServer,
    add_payments,
    assert_same_on_both_sides,
    make_center,
    make_station,
    server_records,
    station_db,
)

CODE = "QY-001"


@pytest.fixture
def center(center_db_url: str, tmp_path: Path) -> Iterator[tuple[LiveServer, dict]]:
    tokens = make_center(center_db_url, ("QY-001", "QY-002"))
    server = LiveServer(center_db_url).start(tmp_path / "server.log")
    try:
        yield server, tokens
    finally:
        server.stop()


def new_pc(center, tmp_path: Path, records: int, *, via: str | None = None,
           name: str = "station.sqlite3") -> Path:
    """A set-up station PC with ``records`` payments of 0.10 waiting."""
    server, tokens = center
    path = tmp_path / name
    make_station(path, CODE, via or server.url, tokens[CODE])
    add_payments(path, records)
    return path


def quick_client(timeout: float = 2.0, attempts: int = 4):
    def factory(url: str, token: str) -> CenterClient:
        return CenterClient(url, token, timeout=timeout, attempts=attempts,
                            backoff=0.05, max_backoff=0.2)
    return factory


def sync_once(path: Path, **kwargs) -> RoundResult:
    with station_db(path):
        return run_round(**kwargs)


def test_a_round_puts_every_station_record_on_the_server_once(
        center, tmp_path: Path) -> None:
    server, tokens = center
    path = new_pc(center, tmp_path, 25)

    result = sync_once(path)

    assert result.ok, result.error
    assert result.sent == 25
    assert_same_on_both_sides(path, server.url, tokens["viewer"], CODE)
    again = sync_once(path)
    assert again.ok and again.sent == 0


def test_c03_ten_payments_of_ten_fen_sum_to_one_yuan_on_both_sides(
        center, tmp_path: Path) -> None:
    """C03: ten 0.10 payments sum to exactly 1.00 on station and server."""
    from station_tui.domain.money import format_fen, parse_yuan

    server, tokens = center
    path = tmp_path / "station.sqlite3"
    make_station(path, CODE, server.url, tokens[CODE])
    add_payments(path, 10, fen=parse_yuan("0.1"))

    assert sync_once(path).ok
    rows = server_records(server.url, tokens["viewer"], CODE)["service_record"]

    assert [type(r["amount_fen"]) for r in rows] == [int] * 10
    assert format_fen(sum(r["amount_fen"] for r in rows)) == "1.00"
    assert_same_on_both_sides(path, server.url, tokens["viewer"], CODE)


def test_c04_a_sale_at_half_past_midnight_on_1_april_counts_in_april_on_the_server(
        center, tmp_path: Path) -> None:
    """C04: 00:30 Beijing time on 1 April is April on the server and reads
    back as the same local time."""
    from station_tui.operations import changes
    from station_tui.records import SaleOrder
    from station_tui.storage.db import write_txn

    server, tokens = center
    path = tmp_path / "station.sqlite3"
    make_station(path, CODE, server.url, tokens[CODE])
    at = clock.instant_of(datetime(2026, 4, 1, 0, 30))
    with station_db(path), write_txn():
        changes.create(SaleOrder, station=CODE, happened_at=at, product="小米",
                       quantity=2, unit_price_fen=1500, amount_fen=3000,
                       channel="o2o", status="ordered", ordered_at=at,
                       ordered_day=clock.local_date(at))

    assert sync_once(path).ok
    (row,) = server_records(server.url, tokens["viewer"], CODE)["sale_order"]

    assert row["happened_day"] == "2026-04-01"
    assert row["ordered_day"] == "2026-04-01"
    assert clock.format_time(row["happened_at"]) == "2026-04-01 00:30"


def test_no_villager_name_phone_or_address_reaches_the_server(
        center, tmp_path: Path) -> None:
    server, tokens = center
    path = new_pc(center, tmp_path, 1)

    assert sync_once(path).ok
    (row,) = server_records(server.url, tokens["admin"], CODE)["service_record"]

    text = str(row)
    assert "张三" not in text and "13800002222" not in text and "2222" not in text
    assert row["customer_name_filled"] and row["customer_phone_filled"]
    assert len(row["phone_hash"]) == 32


def test_server_down_loses_nothing_and_the_next_round_catches_up(
        center, tmp_path: Path) -> None:
    server, tokens = center
    path = new_pc(center, tmp_path, 5)
    assert sync_once(path).ok
    server.stop()
    add_payments(path, 7)

    failed = sync_once(path, client_factory=quick_client())
    server.start()
    add_payments(path, 3)
    caught_up = sync_once(path)

    assert not failed.ok and "连不上中心" in (failed.error or "")
    assert caught_up.ok and caught_up.sent == 10
    assert_same_on_both_sides(path, server.url, tokens["viewer"], CODE)


@pytest.mark.parametrize("fault", ["lose_reply", "slow_reply"])
def test_c05_a_batch_committed_whose_reply_is_lost_is_not_doubled(
        center, tmp_path: Path, fault: str) -> None:
    """C05: the server commits, the reply is lost (connection dropped after
    the body, or the reply comes after the client's timeout); the retry
    finds every change there already."""
    server, tokens = center
    proxy = FaultProxy(server.port, delay=3.0)
    path = new_pc(center, tmp_path, 30, via=proxy.url)
    proxy.faults.extend([fault, fault])

    result = sync_once(path, batch_size=10, client_factory=quick_client(timeout=1.5))

    assert result.ok, result.error
    assert [a for _, a in proxy.seen].count(fault) == 2
    assert_same_on_both_sides(path, server.url, tokens["viewer"], CODE)
    proxy.close()


@pytest.mark.parametrize("fault", ["503", "drop_mid_body"])
def test_bursts_of_503_and_bodies_cut_short_are_retried_until_through(
        center, tmp_path: Path, fault: str) -> None:
    server, tokens = center
    proxy = FaultProxy(server.port)
    path = new_pc(center, tmp_path, 20, via=proxy.url)
    proxy.faults.extend([fault] * 3)

    result = sync_once(path, batch_size=5, client_factory=quick_client(attempts=5))

    assert result.ok, result.error
    assert [a for _, a in proxy.seen].count(fault) == 3
    assert_same_on_both_sides(path, server.url, tokens["viewer"], CODE)
    proxy.close()


def test_c05_a_client_killed_between_send_and_ack_resends_the_same_batch(
        center, tmp_path: Path) -> None:
    """C05: the app is killed mid-sync after the server committed; after a
    restart the same batch goes again and nothing is doubled."""
    from station_tui.records import Outbox

    server, tokens = center
    proxy = FaultProxy(server.port)
    path = new_pc(center, tmp_path, 12, via=proxy.url)
    proxy.faults.append("hold")

    client = subprocess.Popen(
        [sys.executable, "-m", "station_tui", "sync", "--db", str(path)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    assert proxy.replied.wait(30), "the server never answered the push"
    os.kill(client.pid, signal.SIGKILL)
    client.wait(10)
    proxy.release.set()
    with station_db(path):
        held = {r.batch_id for r in Outbox.select().where(Outbox.sent_at.is_null())}

    result = sync_once(path)

    assert len(held) == 1 and None not in held
    assert result.ok and result.sent == 12
    pushes = [a for p, a in proxy.seen if p.startswith("/api/v1/sync/push")]
    assert pushes == ["hold", "pass"]
    assert_same_on_both_sides(path, server.url, tokens["viewer"], CODE)
    proxy.close()


def test_a_batch_sent_twice_changes_nothing_the_second_time(
        center, tmp_path: Path) -> None:
    import gzip

    server, tokens = center
    path = new_pc(center, tmp_path, 4)
    sent: list[bytes] = []

    def recording(url: str, token: str) -> CenterClient:
        def hook(request: httpx.Request) -> None:
            if request.url.path.endswith("/push"):
                sent.append(request.read())
        client = CenterClient(url, token)
        client._client.event_hooks["request"].append(hook)
        return client

    assert sync_once(path, client_factory=recording).ok
    again = httpx.post(f"{server.url}/api/v1/sync/push", content=sent[0], headers={
        "Authorization": f"Bearer {tokens[CODE]}", "Content-Encoding": "gzip",
        "Content-Type": "application/json"})

    assert again.status_code == 200
    assert again.json()["accepted"] == 0 and again.json()["duplicates"] == 4
    assert gzip.decompress(sent[0])
    assert_same_on_both_sides(path, server.url, tokens["viewer"], CODE)


def test_two_pcs_sharing_one_token_both_get_everything_through(
        center, tmp_path: Path) -> None:
    server, tokens = center
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    for path in (first, second):
        make_station(path, CODE, server.url, tokens[CODE])
        add_payments(path, 15)

    runs = [subprocess.Popen([sys.executable, "-m", "station_tui", "sync", "--db",
                              str(p)], cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE) for p in (first, second)]
    codes = [r.wait(60) for r in runs]

    assert codes == [0, 0], [r.stderr.read().decode() for r in runs]
    rows = server_records(server.url, tokens["viewer"], CODE)["service_record"]
    with station_db(first):
        from station_tui.records import ServiceRecord
        mine = {str(r.uuid) for r in ServiceRecord.select()}
    with station_db(second):
        theirs = {str(r.uuid) for r in ServiceRecord.select()}
    assert sorted(r["uuid"] for r in rows) == sorted(mine | theirs)
    assert len(rows) == 30


def test_a_station_using_another_stations_code_is_refused_and_writes_nothing(
        center, tmp_path: Path) -> None:
    server, tokens = center
    honest, impostor = tmp_path / "honest.sqlite3", tmp_path / "impostor.sqlite3"
    make_station(honest, CODE, server.url, tokens[CODE])
    make_station(impostor, CODE, server.url, tokens["QY-002"])
    add_payments(honest, 3)
    add_payments(impostor, 4)

    assert sync_once(honest).ok
    refused = sync_once(impostor, client_factory=quick_client())

    assert not refused.ok and "QY-002" in (refused.error or "")
    assert_same_on_both_sides(honest, server.url, tokens["viewer"], CODE)
    assert "refused POST /api/v1/sync/push with 403" in server.log_path.read_text(
        encoding="utf-8")


def test_restore_rebuilds_a_dead_pc_from_the_center(center, tmp_path: Path) -> None:
    from station_tui.records import Outbox, ServiceRecord

    server, tokens = center
    old, new = tmp_path / "old.sqlite3", tmp_path / "new.sqlite3"
    make_station(old, CODE, server.url, tokens[CODE])
    add_payments(old, 40)
    assert sync_once(old).ok
    make_station(new, CODE, server.url, tokens[CODE])

    done = subprocess.run(
        [sys.executable, "-m", "station_tui", "restore", "--db", str(new)],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", timeout=60,
    )

    assert done.returncode == 0, done.stderr
    assert "已从中心恢复 40 条记录" in done.stdout
    with station_db(new):
        rows = list(ServiceRecord.select())
        assert Outbox.select().count() == 0
    assert len(rows) == 40 and {r.customer_name for r in rows} == {None}
    assert sum(r.amount_fen for r in rows) == 400
    assert sync_once(new).sent == 0


def test_several_workers_give_the_same_results_as_one(
        center_db_url: str, tmp_path: Path) -> None:
    tokens = make_center(center_db_url, (CODE,))
    server = LiveServer(center_db_url, workers=3).start(tmp_path / "server.log")
    try:
        paths = [tmp_path / f"pc{i}.sqlite3" for i in range(3)]
        for path in paths:
            make_station(path, CODE, server.url, tokens[CODE])
            add_payments(path, 50)
        runs = [subprocess.Popen([sys.executable, "-m", "station_tui", "sync",
                                  "--db", str(p)], cwd=ROOT,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                for p in paths]
        assert [r.wait(90) for r in runs] == [0, 0, 0]
        rows = server_records(server.url, tokens["viewer"], CODE)["service_record"]
        assert len(rows) == 150 == len({r["uuid"] for r in rows})
        assert sum(r["amount_fen"] for r in rows) == 1500
    finally:
        server.stop()


def test_a_long_first_sync_shows_progress(center, tmp_path: Path) -> None:
    server, tokens = center
    path = new_pc(center, tmp_path, 2500)
    seen: list[tuple[int, int]] = []

    started = time.monotonic()
    result = sync_once(path, batch_size=1000,
                       progress=lambda done, total: seen.append((done, total)))

    assert result.ok and result.sent == 2500
    assert seen == [(1000, 2500), (2000, 2500), (2500, 2500)]
    assert time.monotonic() - started < 60
