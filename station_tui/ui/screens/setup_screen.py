"""First run: the station's code, name, place and partner."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Input, Static

from station_tui.errors import StationError
from station_tui.operations.station import setup_station
from station_tui.records import StationProfile
from station_tui.ui.widgets.form_field import (
    FormField,
    clear_errors,
    enter_pressed,
    show_error,
    values,
)
from station_tui.ui.widgets.chrome import screen_chrome
from station_tui.ui.workers import worker_connection

#: (field name as setup_station reports it, label, placeholder)
FIELDS = (
    ("code", "站点编码", "中心分配的编码，例如 QY-001"),
    ("name", "站点名称", "例如 城关村电商服务站"),
    ("town", "乡镇", "例如 沁河镇"),
    ("village", "村", "例如 城关村"),
    ("partner", "合伙人姓名", ""),
    ("phone", "合伙人手机号", "11 位手机号"),
)


class SetupScreen(Screen[StationProfile | None]):
    """Asks for the station profile; dismisses with the saved profile."""

    BINDINGS = [("ctrl+s", "save", "保存")]

    class Saved(Message):
        def __init__(self, station: StationProfile) -> None:
            super().__init__()
            self.station = station

    class Failed(Message):
        def __init__(self, error: StationError) -> None:
            super().__init__()
            self.error = error

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="setup-form"):
            yield Static("首次使用：设置本站点", classes="screen-title")
            yield Static(
                "这些信息写在站点协议和中心的站点名单上；编码由县公共服务中心分配。",
                classes="hint",
            )
            for name, label, placeholder in FIELDS:
                yield FormField(label, name=name, placeholder=placeholder)
            with Horizontal(classes="buttons"):
                yield Button("保存并开始使用", id="setup-save", variant="primary")
        yield from screen_chrome()

    def on_mount(self) -> None:
        self.query_one("#input-code", Input).focus()

    @on(Input.Submitted)
    def _next_or_save(self, event: Input.Submitted) -> None:
        if enter_pressed(self, event):
            self.action_save()

    @on(Button.Pressed, "#setup-save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        clear_errors(self)
        self.query_one("#setup-save", Button).disabled = True
        self._save(values(self))

    @work(thread=True, exclusive=True, group="setup")
    def _save(self, typed: dict[str, str]) -> None:
        try:
            with worker_connection():
                station = setup_station(**typed)
        except StationError as exc:
            self.post_message(self.Failed(exc))
        else:
            self.post_message(self.Saved(station))

    @on(Saved)
    def _saved(self, event: Saved) -> None:
        self.dismiss(event.station)

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.query_one("#setup-save", Button).disabled = False
        if not show_error(self, event.error):
            self.notify(event.error.message, severity="error")
