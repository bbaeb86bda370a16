"""One station's assessment, point by point: every line of every item,
the points lost and the records behind them."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Static

from station_tui.assessment.result import ITEMS
from station_tui.console.labels import GRADES
from station_tui.console.screens.console_screen import ConsoleScreen

#: Fields of a record not worth a line in the side panel.
HIDDEN = {"version", "updated_at", "voided_at", "void_reason", "photos"}


def is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


class ScoreDetailScreen(ConsoleScreen):
    """Why a station has the score it has."""

    DEFAULT_CSS = """
    ScoreDetailScreen #head {
        padding: 0 1;
        height: auto;
    }
    ScoreDetailScreen #lines {
        width: 2fr;
    }
    ScoreDetailScreen #record {
        width: 1fr;
        border-left: solid $primary 40%;
        padding: 0 1;
    }
    """

    BINDINGS = [Binding("escape", "back", "返回"),
                Binding("l", "lost_only", "只看失分")]

    def __init__(self, period: str, result: dict[str, Any]) -> None:
        super().__init__()
        self.period = period
        self.result = result
        self.lost_only = False
        self._refs: dict[str, list[str]] = {}

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        yield Static("", id="head")
        with Horizontal():
            yield DataTable(id="lines", cursor_type="row", zebra_stripes=True)
            yield Static("选中一行按 Enter 查看依据的记录", id="record")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        r = self.result
        self.title = f"{self.period} 扣分明细 {r['name']}"
        self.query_one("#head", Static).update(
            f"[b]{r['name']}[/b]（{r['code']}，{r['town']}）  总分 [b]{r['total']}[/b]"
            f"  名次 {r['rank'] or '—'}  等级 {GRADES.get(r.get('grade') or '', '—')}"
            f"  督查扣分 {r['deductions']}  {r.get('grade_note') or ''}"
            f"  {'；'.join(r.get('warnings', []))}")
        table = self.query_one("#lines", DataTable)
        table.add_columns("项目", "得分", "说明", "分值", "依据")
        self.show_lines()
        table.focus()

    def show_lines(self) -> None:
        table = self.query_one("#lines", DataTable)
        table.clear()
        self._refs.clear()
        groups = [(f"{n}. {ITEMS[int(n)][0]}", item["score"], item["lines"])
                  for n, item in self.result["items"].items()]
        groups.append(("督查扣分", f"-{self.result['deductions']}",
                       self.result["deduction_lines"]))
        for title, score, lines in groups:
            for i, line in enumerate(lines):
                lost = Decimal(line["points"]) < 0
                if self.lost_only and not lost:
                    continue
                key = f"{title}-{i}"
                self._refs[key] = list(line["refs"])
                table.add_row(
                    title, score, line["text"],
                    Text(line["points"], style="bold red" if lost else ""),
                    f"{len(line['refs'])} 条" if line["refs"] else "", key=key)

    def action_lost_only(self) -> None:
        self.lost_only = not self.lost_only
        self.show_lines()

    @on(DataTable.RowSelected, "#lines")
    def _chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        refs = self._refs.get(str(event.row_key.value), [])
        panel = self.query_one("#record", Static)
        if not refs:
            panel.update("这一行没有单独的依据记录（由台账汇总计算）")
            return
        ids = [ref for ref in refs if is_uuid(ref)]
        if not ids:
            panel.update(escape("\n".join(refs)))
            return
        panel.update(f"正在读取 {len(ids)} 条记录…")
        self.call("records", lambda client: [client.record(i) for i in ids[:20]])

    def answer_records(self, found: list[dict[str, Any]]) -> None:
        blocks = []
        for item in found:
            fields = [f"{k}: {escape(str(v))}" for k, v in item["record"].items()
                      if k not in HIDDEN and v not in (None, "")]
            blocks.append(f"[b]{item['kind']}[/b]\n" + "\n".join(fields))
        self.query_one("#record", Static).update("\n\n".join(blocks))

    def action_back(self) -> None:
        self.app.pop_screen()
