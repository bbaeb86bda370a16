"""Shown when the integrity check at start finds the database damaged."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

#: Lines of SQLite's report to show; the log keeps the first 2,000 characters.
DETAIL_LINES = 4


class DamagedModal(ModalScreen[bool]):
    """Says the database is damaged and where the backups are.

    Dismisses with True when the partner chooses to quit and restore.
    """

    DEFAULT_CSS = """
    DamagedModal {
        align: center middle;
    }
    DamagedModal > Vertical {
        width: 80;
        height: auto;
        border: thick $error;
        background: $surface;
        padding: 1 2;
    }
    DamagedModal .damage-detail {
        margin: 1 0 0 0;
        color: $text-muted;
        max-height: 6;
    }
    """

    def __init__(self, db_path: Path, backup_dir: Path, detail: str) -> None:
        super().__init__()
        self.db_path = db_path
        self.backup_dir = backup_dir
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("数据库已损坏", classes="modal-title")
            name = self.db_path.name
            backups = sorted(self.backup_dir.glob("station-*.sqlite3"))
            where = (
                f"每天的自动备份在：{self.backup_dir}（最近一份 {backups[-1].name}）\n"
                if backups else
                f"还没有自动备份（应在 {self.backup_dir}）：请找中心或最近一次"
                "用 station-tui backup 做的备份，或用 station-tui restore 从中心取回本站记录。\n"
            )
            yield Static(
                f"检查发现数据库文件 {self.db_path} 有损坏，继续记账可能丢失数据。\n"
                + where +
                "恢复方法：\n"
                "1. 退出本程序，把损坏的文件另存一份；\n"
                "2. 把最近一天的备份 station-日期.sqlite3 复制过去，"
                f"改名为 {name}，覆盖原文件；\n"
                f"3. 删除同一文件夹里的 {name}-wal 和 {name}-shm（如果有），"
                "再打开程序。\n"
                "如有疑问请联系县公共服务中心。",
                markup=False,
            )
            # SQLite's own words, for whoever helps: labelled, not explained.
            yield Static("技术细节（给技术人员看）：\n"
                         + "\n".join(self.detail.splitlines()[:DETAIL_LINES]),
                         classes="damage-detail", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("退出程序", id="damage-quit", variant="error")
                yield Button("仍然继续", id="damage-continue")

    def on_mount(self) -> None:
        self.query_one("#damage-quit", Button).focus()

    @on(Button.Pressed)
    def _answered(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "damage-quit")
