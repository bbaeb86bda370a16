"""The station app's sync pieces: controller, status line, requests screen."""

from __future__ import annotations

import uuid
from pathlib import Path

from textual.app import App

from station_tui.domain import clock
from station_tui.records import Outbox, ReportSubmission, StationProfile
from station_tui.records.center import Notice, ReportRequest
from station_tui.storage.db import write_txn
from station_tui.ui.screens.requests_screen import RequestsScreen
from station_tui.ui.sync_controller import SyncController, describe
from sync.client.http import CenterClient
from sync.client.rounds import SyncStatus as Status


def one_quick_try(url: str, token: str) -> CenterClient:
    return CenterClient(url, token, timeout=1.0, attempts=1)


class StatusApp(App[None]):
    def __init__(self, interval: float = 300.0, client_factory=one_quick_try) -> None:
        super().__init__()
        self.interval = interval
        self.client_factory = client_factory
        self.statuses: list[Status] = []

    async def round_finished(self, pilot) -> None:
        for _ in range(100):
            await pilot.pause(0.05)
            if self.statuses and not self.statuses[-1].running:
                break

    def on_mount(self) -> None:
        self.sync_controller = SyncController(self, interval=self.interval,
                                              client_factory=self.client_factory)
        self.sync_controller.start()

    def on_sync_controller_status_changed(
            self, message: SyncController.StatusChanged) -> None:
        self.statuses.append(message.status)


def test_the_status_line_says_last_sync_waiting_and_errors_in_chinese() -> None:
    at = clock.instant_of(__import__("datetime").datetime(2026, 4, 1, 8, 30))

    text = describe(Status(at, 12, 2, "连不上中心服务器", "本机时钟比中心快 15 分钟"))

    assert text == ("上次同步 04-01 08:30 · 待上传 12 条 · 退回 2 条待处理 · "
                    "错误：连不上中心服务器 · 本机时钟比中心快 15 分钟")
    assert describe(Status(None, 0, 0, None, None, True, (1000, 2500))) == (
        "正在同步 1000/2500 · 尚未同步 · 待上传 0 条")


async def test_a_round_in_the_background_reports_a_missing_center_setting(
        station: StationProfile) -> None:
    app = StatusApp()
    async with app.run_test() as pilot:
        await app.round_finished(pilot)
        line = describe(app.sync_controller.status)

    assert app.statuses[0].running and not app.statuses[-1].running
    assert "中心地址或令牌" in (app.statuses[-1].error or "")
    assert "错误：还没有设置中心地址或令牌" in line


async def test_recording_goes_on_while_a_round_waits_for_the_network(
        station: StationProfile, tmp_path: Path) -> None:
    """The round hangs on an unreachable center; a write still goes through."""
    import socket

    from station_tui.operations import changes
    from station_tui.operations.station import set_setting
    from station_tui.records import ServiceRecord

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # accepts, never answers
    set_setting("center_url", f"http://127.0.0.1:{silent.getsockname()[1]}")
    set_setting("center_token", "t.s")
    app = StatusApp()
    async with app.run_test() as pilot:
        await pilot.pause(0.3)
        assert app.sync_controller.running
        started = clock.now()
        with write_txn():
            changes.create(ServiceRecord, station=station.code, category="payment",
                           kind="water", amount_fen=100)
        assert clock.now() - started <= 1
        await app.round_finished(pilot)
    silent.close()

    assert "连不上中心服务器" in (app.statuses[-1].error or "")


def _seed_center_records(code: str) -> str:
    now = clock.now()
    with write_txn():
        request = ReportRequest.create(
            uuid=uuid.uuid4(), station=code, entered_by="admin", entered_at=now,
            updated_at=now, title="三月农产品销售统计", description="按品种填写销量",
            deadline_at=now + 86400)
        Notice.create(uuid=uuid.uuid4(), station=None, entered_by="admin",
                      entered_at=now, updated_at=now, title="培训通知",
                      body="4月10日县中心培训", published_at=now)
    return str(request.uuid)


class ScreenApp(App[None]):
    def on_mount(self) -> None:
        self.push_screen(RequestsScreen())


async def test_a_report_request_is_answered_from_the_requests_screen(
        station: StationProfile) -> None:
    request = _seed_center_records(station.code)
    app = ScreenApp()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause(0.3)
        screen = app.screen
        assert screen.query_one("#requests").row_count == 1
        assert screen.query_one("#notices").row_count == 1
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        assert "请填写报送内容" in str(screen.query_one(".form-field--error").render())
        screen.query_one("#input-content").value = "小米 1200 斤"
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        state = screen.query_one("#requests").get_row_at(0)[2]

    (answer,) = ReportSubmission.select()
    assert str(answer.request) == request and answer.content == "小米 1200 斤"
    assert Outbox.select().where(Outbox.kind == "report_submission").count() == 1
    assert state.startswith("已报送")


async def test_a_set_aside_change_is_listed_and_can_be_sent_again(
        station: StationProfile) -> None:
    from station_tui.operations import changes
    from station_tui.records import ServiceRecord

    with write_txn():
        changes.create(ServiceRecord, station=station.code, category="payment",
                       kind="water", amount_fen=100)
        Outbox.update(set_aside=True, error="冲突：第 1 版已以不同内容上传过").execute()
    app = ScreenApp()
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause(0.3)
        table = app.screen.query_one("#set-aside")
        assert table.get_row_at(0)[1] == "便民服务"
        assert "冲突" in table.get_row_at(0)[3]
        app.screen.query_one("#set-aside").focus()
        await pilot.press("r")
        await pilot.pause(0.3)
        assert table.row_count == 0

    (row,) = Outbox.select()
    assert not row.set_aside and row.error is None


async def test_the_station_app_without_a_center_says_it_records_locally(
        station: StationProfile, db_path: Path) -> None:
    from station_tui.ui.app import StationApp

    app = StationApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.press("f12")
        await pilot.pause()

        assert app.sync_controller is None
        assert "未设置中心" in app.sync_text
        assert any("还没有设置中心" in str(n.message) for n in app._notifications)


async def test_the_station_app_syncs_in_the_background_and_shows_errors(
        station: StationProfile, db_path: Path, monkeypatch) -> None:
    """An unreachable center: the status line and a notice say so in Chinese."""
    import socket

    from station_tui.operations.station import set_setting
    from station_tui.ui import sync_controller
    from station_tui.ui.app import StationApp

    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    set_setting("center_url", f"http://127.0.0.1:{port}")
    set_setting("center_token", "t.s")
    monkeypatch.setattr(sync_controller, "_background_client", one_quick_try)

    app = StationApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            status = app.sync_controller and app.sync_controller.status
            if status and not status.running and status.error:
                break
        await pilot.pause()

        assert app.sync_controller is not None
        assert "连不上中心服务器" in app.sync_text
        assert any(n.title == "同步" for n in app._notifications)



async def _center_screen_of_the_real_app(db_path: Path, keys: list[str]
                                         ) -> dict[str, object]:
    """Press F11 in the real StationApp, then ``keys``; what the screen showed."""
    from station_tui.ui.app import StationApp

    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f11")
        await pilot.pause(0.3)
        screen = app.screen
        for key in keys:
            await pilot.press(key)
            await pilot.pause(0.1)
        seen = {
            "screen": screen,
            "regions": {type(w).__name__: w.region for w in screen.children},
            "footers": len(screen.query("KeyBar")),
            "rows": screen.query_one("#requests").row_count,
            "detail": str(screen.query_one("#request-detail").render()),
        }
    # run_test re-raises a handler's exception here, which fails the test.
    seen["crashed"] = app._exception is not None
    return seen


async def test_the_center_screen_in_the_app_lays_out_content_above_footer_and_status(
        station: StationProfile, db_path: Path) -> None:
    """With no center data the status bar used to cover the whole screen."""
    seen = await _center_screen_of_the_real_app(db_path, [])
    regions = seen["regions"]

    assert isinstance(seen["screen"], RequestsScreen)
    assert regions["Horizontal"].height >= 30
    assert regions["StatusBar"].height == 1
    assert 1 <= regions["KeyBar"].height <= 3 and 0 <= regions["KeyBar"].y < 40
    assert seen["footers"] == 1


async def test_arrow_keys_on_an_empty_center_screen_do_not_crash_the_app(
        station: StationProfile, db_path: Path) -> None:
    seen = await _center_screen_of_the_real_app(db_path, ["down", "up", "down"])

    assert not seen["crashed"]
    assert seen["rows"] == 0 and seen["detail"] == ""


async def test_arrow_keys_on_a_filled_center_screen_show_the_request_detail(
        station: StationProfile, db_path: Path) -> None:
    _seed_center_records(station.code)
    seen = await _center_screen_of_the_real_app(db_path, ["down", "up"])

    assert not seen["crashed"]
    assert seen["rows"] == 1 and seen["detail"] == "按品种填写销量"


def center_answering(handler):
    """A client factory whose center is ``handler`` (an httpx MockTransport)."""
    import httpx

    def factory(url: str, token: str) -> CenterClient:
        return CenterClient(url, token, attempts=1,
                            transport=httpx.MockTransport(handler))

    return factory


async def test_an_html_reply_ends_the_round_on_the_status_line_with_the_reason(
        station: StationProfile) -> None:
    """A captive portal's page used to leave the line at 正在同步… for good."""
    import httpx

    from station_tui.operations.station import set_setting

    set_setting("center_url", "http://center.test")
    set_setting("center_token", "t.s")
    app = StatusApp(client_factory=center_answering(
        lambda request: httpx.Response(200, html="<html>nginx error</html>")))
    async with app.run_test() as pilot:
        await app.round_finished(pilot)
        line = describe(app.sync_controller.status)

    assert not app.statuses[-1].running
    assert "正在同步" not in line
    assert "错误：中心服务器的回答无法识别（HTTP 200，不是 JSON）" in line


async def test_a_crashed_round_still_ends_and_the_next_one_can_start(
        station: StationProfile, monkeypatch) -> None:
    from station_tui.ui import sync_controller

    calls = []

    def crash(**kwargs: object) -> None:
        calls.append(1)
        raise RuntimeError("bug")

    monkeypatch.setattr(sync_controller, "run_round", crash)
    app = StatusApp()
    async with app.run_test() as pilot:
        await app.round_finished(pilot)
        first = app.statuses[-1]
        app.sync_controller.sync_now()  # what F12 does
        await pilot.pause(0.3)
        await app.round_finished(pilot)

    assert not first.running
    assert first.error == "同步出错（RuntimeError），详情见日志，稍后自动重试"
    assert len(calls) == 2 and not app.statuses[-1].running


async def test_the_center_screen_sets_the_center_of_a_station_set_up_in_the_app(
        station: StationProfile, db_path: Path, monkeypatch) -> None:
    """Ctrl+O on 中心 opens 中心设置; a wrong address is marked at its field."""
    import socket

    from station_tui.operations.station import get_setting
    from station_tui.ui import sync_controller
    from station_tui.ui.app import StationApp
    from station_tui.ui.screens.fields_modal import FieldsModal

    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{closed.getsockname()[1]}"
    closed.close()
    monkeypatch.setattr(sync_controller, "_background_client", one_quick_try)
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f11")
        await pilot.pause(0.3)
        await pilot.press("ctrl+o")
        await pilot.pause(0.1)
        modal = app.screen
        assert isinstance(modal, FieldsModal)
        modal.query_one("#input-center").value = "center.example.gov.cn"
        modal.query_one("#input-token").value = "5fd4f2c451e9.secret"
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        error = str(modal.query_one("#field-center .form-field--error").render())
        assert app.screen is modal
        modal.query_one("#input-center").value = url + "/"
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        assert isinstance(app.screen, RequestsScreen)
        controller = app.sync_controller

    assert "中心地址“center.example.gov.cn”不对，应以 http:// 或 https:// 开头" in error
    assert get_setting("center_url") == url
    assert get_setting("center_token") == "5fd4f2c451e9.secret"
    assert controller is not None


def test_a_blank_token_in_center_settings_keeps_the_stored_one(
        station: StationProfile) -> None:
    import pytest

    from station_tui.errors import InputError
    from station_tui.operations.station import get_setting
    from station_tui.ui.screens.requests_screen import save_typed_center

    with pytest.raises(InputError, match="请填写中心发放的令牌"):
        save_typed_center({"center": "https://c.example", "token": ""}, False)
    save_typed_center({"center": "https://c.example", "token": "a.b"}, False)

    save_typed_center({"center": "https://d.example", "token": "  "}, True)

    assert get_setting("center_url") == "https://d.example"
    assert get_setting("center_token") == "a.b"


async def test_f12_starts_sync_when_the_center_was_set_after_start(
        station: StationProfile, db_path: Path, monkeypatch) -> None:
    """init --center … on a running PC: F12 picks the new setting up."""
    from station_tui.operations.station import set_setting
    from station_tui.ui import sync_controller
    from station_tui.ui.app import StationApp

    monkeypatch.setattr(sync_controller, "_background_client", one_quick_try)
    app = StationApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        assert app.sync_controller is None
        set_setting("center_url", "http://127.0.0.1:9")
        set_setting("center_token", "t.s")

        await pilot.press("f12")
        await pilot.pause()

        assert app.sync_controller is not None
