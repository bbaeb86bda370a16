"""The center console app: one mode per area, each keeping its screens, so
switching from data entry to the board and back loses nothing typed.

    F1 站点  F2 录入  F3 考核  F4 季度交易额  F5 培训  F6 合作周期  F7 公示
"""

from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive

from station_tui.console import credentials
from station_tui.console.client import ConsoleClient, ConsoleError, NotSignedIn
from station_tui.console.messages import Reconnected
from station_tui.errors import InputError

log = logging.getLogger(__name__)

ENV_URL = "STATION_TUI_CENTER_URL"
ROLE_LABELS = {"admin": "管理员", "inspector": "检查员", "viewer": "查看"}
#: Seconds between two tries to reach a lost server.
RETRY_SECONDS = 3.0


def _mode(module: str, cls: str) -> object:
    def make() -> object:
        import importlib

        return getattr(importlib.import_module(
            f"station_tui.console.screens.{module}"), cls)()
    return make


class ConsoleApp(App[None]):
    """Center staff's keyboard console against a running server."""

    TITLE = "县级电商公共服务中心控制台"
    MODES = {
        "stations": _mode("stations_screen", "StationsScreen"),
        "entry": _mode("entry_screen", "EntryScreen"),
        "board": _mode("board_screen", "BoardScreen"),
        "volumes": _mode("volumes_screen", "VolumesScreen"),
        "training": _mode("training_grid_screen", "TrainingGridScreen"),
        "lifecycle": _mode("lifecycle_screen", "LifecycleScreen"),
        "publish": _mode("publish_screen", "PublishScreen"),
    }
    DEFAULT_MODE = "stations"
    BINDINGS = [
        Binding("f1", "switch_mode('stations')", "站点"),
        Binding("f2", "switch_mode('entry')", "录入"),
        Binding("f3", "switch_mode('board')", "考核"),
        Binding("f4", "switch_mode('volumes')", "季度"),
        Binding("f5", "switch_mode('training')", "培训"),
        Binding("f6", "switch_mode('lifecycle')", "周期"),
        Binding("f7", "switch_mode('publish')", "公示"),
        Binding("ctrl+q", "quit", "退出", priority=True),
    ]

    #: Whether the server answered the last request.
    online: reactive[bool] = reactive(True)
    role: reactive[str | None] = reactive(None)
    staff_name: reactive[str] = reactive("")

    class ConnectionNoted(Message):
        def __init__(self, ok: bool) -> None:
            super().__init__()
            self.ok = ok

    class SignedIn(Message):
        def __init__(self, name: str, role: str) -> None:
            super().__init__()
            self.name = name
            self.role = role

    def __init__(self, url: str, *, client: ConsoleClient | None = None,
                 token_file: Path | None = None) -> None:
        super().__init__()
        self.server_url = url.rstrip("/")
        self.token_file = token_file
        token = credentials.load_token(self.server_url, token_file)
        self.client = client or ConsoleClient(self.server_url, token)
        if client is not None and token and not client.token:
            client.token = token
        self.assessments: dict[str, dict[str, object]] = {}
        self._asking = False
        self._retry_timer = None

    def on_mount(self) -> None:
        self.sub_title = self.server_url
        if self.client.token:
            self.sign_in()
        else:
            self.ask_token("首次使用请输入令牌")

    def on_unmount(self) -> None:
        self.client.close()

    # --- signing in ---------------------------------------------------------

    def ask_token(self, reason: str = "") -> None:
        if self._asking:
            return
        from station_tui.console.screens.token_modal import TokenModal

        self._asking = True
        self.push_screen(TokenModal(self.server_url, reason), self._token_given)

    def _token_given(self, token: str | None) -> None:
        self._asking = False
        if token is None:
            if not self.client.token:
                self.exit()
            return
        self.client.token = token
        self.sign_in(remember=True)

    @work(thread=True, exclusive=True, group="sign-in", exit_on_error=False)
    def sign_in(self, remember: bool = False) -> None:
        try:
            me = self.client.me()
        except NotSignedIn as exc:
            self.post_message(self.ConnectionNoted(True))
            self.call_from_thread(self.ask_token, exc.message)
            return
        except ConsoleError:
            self.post_message(self.ConnectionNoted(False))
            return
        if remember and self.client.token:
            credentials.save_token(self.server_url, self.client.token,
                                   self.token_file)
        self.post_message(self.ConnectionNoted(True))
        self.post_message(self.SignedIn(me["name"], me["role"]))

    @on(SignedIn)
    def _signed_in(self, event: SignedIn) -> None:
        if self.role is None:
            # What the screen asked before the token was known was refused.
            self.screen.post_message(Reconnected())
        self.staff_name = event.name
        self.role = event.role
        self.sub_title = (f"{self.server_url}  {event.name}"
                          f"（{ROLE_LABELS.get(event.role, event.role)}）")

    # --- connection ---------------------------------------------------------

    def note_connection(self, ok: bool) -> None:
        """Called from workers after each request."""
        self.post_message(self.ConnectionNoted(ok))

    @on(ConnectionNoted)
    def _noted(self, event: ConnectionNoted) -> None:
        was = self.online
        self.online = event.ok
        if not event.ok and self._retry_timer is None:
            self._retry_timer = self.set_interval(RETRY_SECONDS, self._retry)
        if event.ok and self._retry_timer is not None:
            self._retry_timer.stop()
            self._retry_timer = None
        if event.ok and not was:
            log.info("server %s answers again", self.server_url)
            if self.role is None:
                self.sign_in()
            self.screen.post_message(Reconnected())

    def _retry(self) -> None:
        self._ping()

    @work(thread=True, exclusive=True, group="ping", exit_on_error=False)
    def _ping(self) -> None:
        try:
            self.client.healthz()
        except ConsoleError:
            return
        self.post_message(self.ConnectionNoted(True))


def run(args: argparse.Namespace) -> int:
    """``station-tui center --url URL``: open the console."""
    from station_tui.logs import setup_file_logging

    url = getattr(args, "url", None) or os.environ.get(ENV_URL)
    if not url:
        raise InputError("请用 --url 指定中心服务器地址，例如 "
                         "station-tui center --url http://127.0.0.1:8000", field="url")
    if not url.startswith(("http://", "https://")):
        raise InputError(f"服务器地址“{url}”应以 http:// 或 https:// 开头", field="url")
    setup_file_logging("station-tui-console")
    ConsoleApp(url).run()
    return 0
