"""Asks for the staff token once; the app keeps it for next time."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from station_tui.errors import InputError
from station_tui.ui.widgets.form_field import FormField


class TokenModal(ModalScreen[str | None]):
    """The token a center administrator issued to this staff member."""

    DEFAULT_CSS = """
    TokenModal {
        align: center middle;
    }
    TokenModal > Vertical {
        width: 72;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    TokenModal .why {
        color: $warning;
    }
    """

    BINDINGS = [Binding("escape", "cancel", "退出")]

    def __init__(self, url: str, reason: str = "") -> None:
        super().__init__()
        self.url = url
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"登录中心服务器 {self.url}")
            yield Static(self.reason, classes="why")
            yield FormField("工作人员令牌（由中心管理员发放，只需输入一次）",
                            name="token", password=True,
                            placeholder="例如 1a2b3c4d5e6f.xxxxxxxx")
            yield Static("按 Enter 登录，Esc 退出", classes="hint")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        field = self.query_one(FormField)
        token = field.value.strip()
        if "." not in token:
            error = InputError(f"令牌“{token[:8]}…”格式不对：应为 编号.密钥",
                               field="token")
            field.show_error(error.message)
            return
        self.dismiss(token)

    def action_cancel(self) -> None:
        self.dismiss(None)
