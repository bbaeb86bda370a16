"""The station's sync client on its own: retries, errors, clock warnings."""

from __future__ import annotations

import re
from typing import Callable

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


def test_giving_up_on_a_failing_server_says_it_erred_not_that_it_was_unreachable(
        ) -> None:
    client, sleeps, seen = scripted(503, 503, 503, 503)

    with pytest.raises(ServerUnreachable,
                       match="^中心服务器出错（HTTP 503），已试 4 次，稍后自动重试$"):
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


def replying(handler) -> "Callable[[str, str], CenterClient]":
    """A client factory whose center is ``handler`` (an httpx MockTransport)."""
    def factory(url: str, token: str) -> CenterClient:
        return CenterClient(url, token, attempts=2, sleep=lambda s: None,
                            transport=httpx.MockTransport(handler))

    return factory


def configure_center() -> None:
    from station_tui.operations.station import set_setting

    with write_txn():
        set_setting("center_url", "http://center.test")
        set_setting("center_token", "t.s")


PORTAL = "可能是网络代理或登录页面拦截，请检查中心地址和网络"


@pytest.mark.parametrize(("reply", "says"), [
    pytest.param(httpx.Response(200, html="<html>nginx error</html>"),
                 "（HTTP 200，不是 JSON）", id="html-200"),
    pytest.param(httpx.Response(200, json={"hello": 1}),
                 "（HTTP 200，内容格式不对）", id="wrong-shape"),
    pytest.param(httpx.Response(302, headers={"Location": "http://portal/login"}),
                 "（HTTP 302，跳转到 http://portal/login）", id="portal-redirect"),
    pytest.param(httpx.Response(404, html="<html>Not Found</html>"),
                 "（HTTP 404，不是 JSON）", id="html-404"),
])
def test_an_unexpected_reply_ends_the_round_with_one_chinese_error(
        station, reply: httpx.Response, says: str) -> None:
    configure_center()

    result = run_round(client_factory=replying(lambda request: reply))

    assert not result.ok
    assert result.error == f"中心服务器的回答无法识别{says}，{PORTAL}"
    assert read_status().error == result.error


def test_a_malformed_record_in_a_pull_is_an_unrecognized_reply(station) -> None:
    configure_center()
    pull = {"server_time": clock.now(), "since": 0, "next_since": 1,
            "phone_key": "00" * 16,
            "records": [{"kind": "notice", "record": {"uuid": "not-a-uuid"}}]}

    result = run_round(
        client_factory=replying(lambda request: httpx.Response(200, json=pull)))

    assert not result.ok
    assert result.error == "中心下发的notice记录格式不对，已停止同步，请联系中心"


def test_an_unforeseen_failure_in_a_round_is_recorded_as_a_failed_round(
        station, monkeypatch: pytest.MonkeyPatch) -> None:
    from sync.client import rounds

    def broken(center: CenterClient) -> None:
        raise KeyError("bug")

    configure_center()
    monkeypatch.setattr(rounds, "pull_center", broken)

    result = run_round(client_factory=replying(lambda r: httpx.Response(200)))

    assert not result.ok
    assert result.error == "同步出错（KeyError），详情见日志，稍后自动重试"
    (row,) = SyncRound.select()
    assert row.finished_at is not None and row.error == result.error


@pytest.mark.parametrize(("failure", "reason"), [
    pytest.param(httpx.ConnectError("refused"), "对方拒绝连接或网络不通", id="connect"),
    pytest.param(httpx.ReadTimeout("slow"), "连接超时", id="read-timeout"),
    pytest.param(httpx.ConnectTimeout("slow"), "连接超时", id="connect-timeout"),
    pytest.param(httpx.RemoteProtocolError("dropped"), "连接中途断开", id="dropped"),
])
def test_network_failures_are_named_in_chinese(failure: Exception, reason: str) -> None:
    client, _, _ = scripted(failure, failure, failure, failure)

    with pytest.raises(ServerUnreachable) as caught:
        client.send("GET", "/x")

    message = caught.value.message
    assert message == (f"连不上中心服务器 http://center.test（{reason}），"
                       "已试 4 次，稍后自动重试")
    assert not re.search("[A-Za-z]", message.replace("http://center.test", ""))


def test_a_busy_server_is_called_busy() -> None:
    client, _, _ = scripted(429, 429, 429, 429)

    with pytest.raises(ServerUnreachable, match="^中心服务器繁忙（HTTP 429）"):
        client.send("GET", "/x")


class FakeClock:
    """Monotonic time that moves only when the client waits or times out."""

    def __init__(self) -> None:
        self.now = 0.0

    def sleep(self, seconds: float) -> None:
        self.now += seconds

    def silent_center(self, request: httpx.Request) -> httpx.Response:
        self.now += request.extensions["timeout"]["read"]
        raise httpx.ReadTimeout("no answer", request=request)


def _app_client(**kwargs: object) -> CenterClient:
    from station_tui.ui.sync_controller import _background_client

    return _background_client("http://c.test", "t.s", **kwargs)


@pytest.mark.parametrize(("make", "budget"), [
    pytest.param(lambda **kw: CenterClient("http://c.test", "t.s", **kw), 60.0,
                 id="command"),
    pytest.param(_app_client, 30.0, id="app"),
])
def test_a_silent_center_costs_at_most_the_retry_budget(make, budget: float) -> None:
    """It used to take 2 min 46 s (5 tries of 30 s plus waits) to give up."""
    fake = FakeClock()
    client = make(sleep=fake.sleep, monotonic=lambda: fake.now,
                  transport=httpx.MockTransport(fake.silent_center))

    with pytest.raises(ServerUnreachable, match="连接超时"):
        client.send("GET", "/api/v1/sync/pull")

    assert budget - 5 <= fake.now <= budget


def test_a_real_silent_socket_gives_up_within_the_budget() -> None:
    import socket
    import time

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # accepts, never answers
    client = CenterClient(f"http://127.0.0.1:{silent.getsockname()[1]}", "t.s",
                          timeout=0.5, attempts=10, backoff=0.2, retry_budget=2.0)
    started = time.monotonic()
    try:
        with pytest.raises(ServerUnreachable, match="连接超时"):
            client.send("GET", "/x")
    finally:
        client.close()
        silent.close()

    assert time.monotonic() - started < 3.0


def test_the_sync_command_says_one_line_and_exits_1_on_an_html_reply(
        station, db_path, capsys: pytest.CaptureFixture[str]) -> None:
    """A proxy's page on 127.0.0.1 used to end in a pydantic traceback."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from station_tui.cli import main
    from station_tui.operations.station import set_setting

    class Nginx(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            body = b"<html>nginx error</html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Nginx)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    set_setting("center_url", f"http://127.0.0.1:{server.server_port}")
    set_setting("center_token", "t.s")
    try:
        code = main(["sync", "--db", str(db_path)])
    finally:
        server.shutdown()
        server.server_close()

    err = capsys.readouterr().err.strip()
    assert code == 1
    assert err == ("同步失败：中心服务器的回答无法识别（HTTP 200，不是 JSON），"
                   f"{PORTAL}")
