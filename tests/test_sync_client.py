"""The station's sync client on its own: retries, errors, clock warnings."""

from __future__ import annotations

import httpx
import pytest

from station_tui.domain import clock
from station_tui.records import SyncRound
from station_tui.storage.db import write_txn
from sync.client.http import CenterClient
from sync.client.rounds import clock_warning, read_status, run_round
from sync.errors import AuthRefused, ClientTooOld, NotConfigured, ServerUnreachable


def scripted(*steps: object) -> tuple[CenterClient, list[float], list[str]]:
    """A client whose transport plays ``steps``: a status code or an exception."""
    queue, seen, sleeps = list(steps), [], []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        step = queue.pop(0)
        if isinstance(step, Exception):
            raise step
        status, headers = step if isinstance(step, tuple) else (step, {})
        return httpx.Response(status, headers=headers, json={"detail": "详情"})

    client = CenterClient("http://center.test", "t.s", attempts=4, backoff=1.0,
                          max_backoff=8.0, sleep=sleeps.append,
                          transport=httpx.MockTransport(handler))
    return client, sleeps, seen


@pytest.mark.parametrize("failure", [
    pytest.param(httpx.ConnectError("refused"), id="connect-error"),
    pytest.param(httpx.ReadTimeout("slow"), id="read-timeout"),
    pytest.param(httpx.RemoteProtocolError("dropped"), id="dropped-mid-reply"),
    pytest.param(503, id="503"),
    pytest.param(500, id="500"),
])
def test_passing_failures_are_retried_with_growing_waits(failure: object) -> None:
    client, sleeps, seen = scripted(failure, failure, 200)

    assert client.send("GET", "/x").status_code == 200

    assert len(seen) == 3
    assert 0.5 <= sleeps[0] <= 1.0 and 1.0 <= sleeps[1] <= 2.0


def test_retry_after_of_a_429_is_honoured() -> None:
    client, sleeps, _ = scripted((429, {"Retry-After": "3"}), 200)

    client.send("GET", "/x")

    assert sleeps == [3.0]


def test_giving_up_says_so_in_chinese() -> None:
    client, sleeps, seen = scripted(503, 503, 503, 503)

    with pytest.raises(ServerUnreachable, match="连不上中心服务器.*已试 4 次"):
        client.send("GET", "/x")
    assert len(seen) == 4 and len(sleeps) == 3


@pytest.mark.parametrize(("status", "error"), [(401, AuthRefused), (403, AuthRefused),
                                               (426, ClientTooOld)])
def test_refusals_are_not_retried(status: int, error: type) -> None:
    client, sleeps, seen = scripted(status)

    with pytest.raises(error, match="详情"):
        client.send("GET", "/x")
    assert seen == ["/x"] and sleeps == []


def test_a_pc_without_center_settings_is_told_what_to_fill_in(station) -> None:
    result = run_round()

    assert not result.ok and "中心地址或令牌" in (result.error or "")
    assert read_status().error == result.error
    with pytest.raises(NotConfigured):
        CenterClient("", "")


def test_a_clock_set_back_before_the_last_sync_is_warned_about(station) -> None:
    now = clock.now()
    with write_txn():
        SyncRound.create(started_at=now, finished_at=now, ok=True,
                         server_time=now + 3600, clock_offset=-3600)

    warning = clock_warning(now)

    assert warning is not None and "早于上次同步时间" in warning


def test_a_clock_far_off_the_centers_is_warned_about(station) -> None:
    now = clock.now()
    with write_txn():
        SyncRound.create(started_at=now, finished_at=now, ok=True,
                         server_time=now - 900, clock_offset=900)

    assert clock_warning(now) == "本机时钟比中心快 15 分钟，请校对电脑时间"


def test_status_counts_waiting_and_set_aside_changes(station) -> None:
    from station_tui.operations import changes
    from station_tui.records import Outbox, ServiceRecord

    with write_txn():
        for _ in range(3):
            changes.create(ServiceRecord, station=station.code, category="payment",
                           kind="water", amount_fen=100)
        Outbox.update(set_aside=True, error="冲突").where(Outbox.seq == 1).execute()

    status = read_status()

    assert (status.pending, status.set_aside, status.last_ok_at) == (2, 1, None)
