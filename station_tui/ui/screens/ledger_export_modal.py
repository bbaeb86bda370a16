"""Asks where to export the current ledger search, and in which format."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from station_tui.exports import FORMATS, Format, path_for_format
from station_tui.ui.widgets.form_field import FormField

FORMAT_LABELS: dict[Format, str] = {
    "csv": "CSV（Excel 可直接打开）",
    "xlsx": "Excel 工作簿（XLSX）",
    "json": "JSON（给程序用）",
}


class LedgerExportModal(ModalScreen[tuple[Path, Format] | None]):
    """Dismisses with (file, format), or None when cancelled."""

    DEFAULT_CSS = """
    LedgerExportModal {
        align: center middle;
    }
    LedgerExportModal > Vertical {
        width: 80;
        height: auto;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    LedgerExportModal .export--title {
        text-style: bold;
    }
    LedgerExportModal Select {
        margin-bottom: 1;
    }
    LedgerExportModal Horizontal {
        height: auto;
        align-horizontal: right;
    }
    LedgerExportModal Button {
        margin-left: 2;
    }
    LedgerExportModal .export--keys {
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "取消"),
        # As in every form: Ctrl+S does what Enter on 导出 does.
        Binding("ctrl+s", "export", "导出", priority=True),
    ]

    def __init__(self, default: Path, fmt: Format, count_text: str) -> None:
        super().__init__()
        self._default = default
        self._format = fmt
        self._count_text = count_text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("导出当前查询结果", classes="export--title")
            yield Static(self._count_text, markup=False)
            yield Label("格式")
            yield Select(
                [(FORMAT_LABELS[f], f) for f in FORMATS], value=self._format,
                allow_blank=False, id="export-format",
            )
            yield FormField("保存到", name="path", value=str(self._default))
            yield Static("电话号码一律只导出 138****1111 形式。")
            yield Static("Enter 或 Ctrl+S 导出　Esc 取消", classes="export--keys")
            with Horizontal():
                yield Button("导出", id="export", variant="primary")
                yield Button("取消 (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#input-path", Input).focus()

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        # The file name follows the format, so a .csv is never XLSX inside.
        field = self.query_one("#field-path", FormField)
        path = Path(field.value)
        if path.suffix.lower().lstrip(".") in FORMATS:
            field.value = str(path.with_suffix(f".{event.value}"))

    @on(Input.Submitted, "#input-path")
    @on(Button.Pressed, "#export")
    def action_export(self) -> None:
        field = self.query_one("#field-path", FormField)
        text = field.value.strip()
        fmt = self.query_one("#export-format", Select).value
        if not text:
            field.show_error("请填写要保存的文件路径")
            return
        path = Path(text).expanduser()
        if path.is_dir():
            field.show_error(f"“{path}”是一个文件夹，请在后面加上文件名")
            return
        if not path.parent.is_dir():
            field.show_error(f"文件夹“{path.parent}”不存在")
            return
        # The extension follows the format: 台账.csv chosen as XLSX is saved
        # as 台账.xlsx (the notice after the export names the file).
        path = path_for_format(path, fmt)  # type: ignore[arg-type]
        field.value = str(path)
        self.dismiss((path, fmt))  # type: ignore[arg-type]

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
