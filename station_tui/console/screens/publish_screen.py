"""Publication: the annual ranking (public notice), the quarterly volume
ranking and the annual report for the leading group's office, exported as
CSV (UTF-8 with BOM), XLSX or HTML, with a preview of the HTML page."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Label, Select, Static

from station_tui.console import volume_notice
from station_tui.console.client import ConsoleClient
from station_tui.console.html_tables import read_tables
from station_tui.console.screens.console_screen import ConsoleScreen
from station_tui.console.widgets.busy_line import BusyLine
from station_tui.domain import clock

WHAT = {
    "notice": "年度排名公示（排名、站点、乡镇、得分、等级）",
    "volumes": "季度交易额排名公示",
    "report": "报领导组办公室的年度报告（各项得分、等级分布、整改清退、季度交易额）",
}
FORMATS = {"csv": "CSV（Excel 可直接打开）", "xlsx": "XLSX", "html": "HTML 网页"}


def default_folder() -> Path:
    return Path.home() / "公示"


def file_name(what: str, period: str, fmt: str) -> str:
    stem = {"notice": "考核结果公示", "volumes": "季度交易额排名",
            "report": "年度考核报告"}[what]
    return f"{period}{stem}.{fmt}"


def _write(out: Path, data: bytes) -> None:
    """Beside the target, then renamed: never a half file under its name."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.write_bytes(data)
    partial.replace(out)


class PublishScreen(ConsoleScreen):
    """Exports with no personal data, and what they will look like."""

    DEFAULT_CSS = """
    PublishScreen #choices {
        height: auto;
        padding: 0 1;
    }
    PublishScreen #choices > * {
        width: 1fr;
    }
    PublishScreen #period {
        max-width: 14;
    }
    PublishScreen #preview {
        height: 1fr;
        padding: 0 1;
    }
    PublishScreen #preview DataTable {
        height: auto;
        max-height: 30;
    }
    PublishScreen .heading {
        text-style: bold;
        color: $accent;
        margin: 1 0 0 0;
    }
    """

    BINDINGS = [Binding("f9", "export", "导出"),
                Binding("f10", "preview", "预览网页")]

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        with Horizontal(id="choices"):
            yield Input(str(clock.local_date(clock.now()).year), id="period")
            yield Select([(v, k) for k, v in WHAT.items()], value="notice",
                         allow_blank=False, id="what")
            yield Select([(v, k) for k, v in FORMATS.items()], value="csv",
                         allow_blank=False, id="format")
        yield Input(str(default_folder()), id="folder",
                    placeholder="保存到哪个文件夹")
        yield BusyLine(id="busy")
        yield Static("F9 导出到文件夹；F10 预览网页内容。公示不含任何手机号、"
                     "村民或合伙人姓名。", id="status")
        yield VerticalScroll(id="preview")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.title = "公示与报告"

    def choice(self) -> tuple[str, str, str]:
        period = self.query_one("#period", Input).value.strip()
        what = str(self.query_one("#what", Select).value)
        fmt = str(self.query_one("#format", Select).value)
        return period, what, fmt

    def _fetcher(self, period: str, what: str, fmt: str
                 ) -> Callable[[ConsoleClient], bytes]:
        busy = self.query_one(BusyLine)

        def progress(done: int, total: int | None) -> None:
            self.app.call_from_thread(busy.advance, done, total)

        def fetch(client: ConsoleClient) -> bytes:
            if what == "volumes":
                data = client.assessment(period)
                return volume_notice.to_html(data) if fmt == "html" else \
                    _volume_file(data, fmt)
            return client.download(period, fmt, full=what == "report",
                                   progress=progress)
        return fetch

    def action_export(self) -> None:
        period, what, fmt = self.choice()
        folder = Path(self.query_one("#folder", Input).value.strip()
                      or default_folder()).expanduser()
        out = folder / file_name(what, period, fmt)
        fetch = self._fetcher(period, what, fmt)
        self.query_one(BusyLine).start(f"正在导出 {out.name}")

        def export(client: ConsoleClient) -> Path:
            _write(out, fetch(client))
            return out

        self.call("export", export)

    def answer_export(self, out: Path) -> None:
        self.query_one(BusyLine).stop()
        size = out.stat().st_size
        self.query_one("#status", Static).update(f"已导出：{out}（{size:,} 字节）")
        self.notify(f"已导出 {out.name}", timeout=5)

    def failed_export(self, error: Any) -> bool:
        self.query_one(BusyLine).stop()
        return False

    def action_preview(self) -> None:
        period, what, _ = self.choice()
        fetch = self._fetcher(period, what, "html")
        self.query_one(BusyLine).start("正在生成网页预览")
        self.call("preview", lambda client: fetch(client).decode("utf-8"))

    def answer_preview(self, page: str) -> None:
        self.query_one(BusyLine).stop()
        title, tables = read_tables(page)
        box = self.query_one("#preview", VerticalScroll)
        box.remove_children()
        widgets: list[Any] = [Label(title, classes="heading")]
        for table in tables:
            if table.heading and table.heading != title:
                widgets.append(Label(table.heading, classes="heading"))
            grid: DataTable[str] = DataTable(zebra_stripes=True)
            widgets.append(grid)
        box.mount(*widgets)
        grids = list(box.query(DataTable))
        for grid, table in zip(grids, tables):
            if not table.rows:
                continue
            grid.add_columns(*table.rows[0])
            for row in table.rows[1:]:
                grid.add_row(*row)

    def failed_preview(self, error: Any) -> bool:
        self.query_one(BusyLine).stop()
        return False

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        event.stop()


def _volume_file(data: dict[str, Any], fmt: str) -> bytes:
    """The quarterly notice as CSV or XLSX bytes, written through a file."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"volumes.{fmt}"
        volume_notice.write(data, fmt, out)
        return out.read_bytes()
