"""Asks the partner to confirm a daily report (or its amendment) before it locks."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class ReportConfirmModal(ModalScreen[bool]):
    """Shows what will be submitted; dismisses with True to submit."""

    DEFAULT_CSS = """
    ReportConfirmModal {
        align: center middle;
    }
    ReportConfirmModal > Vertical {
        width: 72;
        max-height: 90%;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    ReportConfirmModal .report-confirm--title {
        text-style: bold;
        margin-bottom: 1;
    }
    ReportConfirmModal VerticalScroll {
        height: auto;
        max-height: 20;
    }
    ReportConfirmModal .report-confirm--warning {
        color: $warning;
        margin: 1 0;
    }
    ReportConfirmModal Horizontal {
        height: auto;
        align-horizontal: right;
    }
    ReportConfirmModal Button {
        margin-left: 2;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "取消"),
        Binding("y", "confirm", "确认", show=False),
    ]

    def __init__(self, title: str, summary: str, note: str) -> None:
        super().__init__()
        self._title = title
        self._summary = summary
        self._note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title, classes="report-confirm--title")
            with VerticalScroll():
                yield Static(self._summary, markup=False)
                yield Static(f"备注：{self._note or '（无）'}", markup=False)
            yield Static("提交后锁定，不能再改；以后只能提交更正，原报保留。",
                         classes="report-confirm--warning")
            with Horizontal():
                yield Button("确认提交 (Y)", id="confirm", variant="primary")
                yield Button("取消 (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
