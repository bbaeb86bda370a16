"""The assessment board of a period: every station's items, total, rank and
grade, sorted and filtered, with the grade distribution against the
expected shares; Enter drills into one station's lost points."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Input, Label, Select, Static

from station_tui.assessment.result import ITEMS
from station_tui.console.labels import GRADES
from station_tui.console.screens.console_screen import ConsoleScreen
from station_tui.console.widgets.busy_line import BusyLine
from station_tui.domain import clock

SORTS: dict[str, str] = {"rank": "名次", "total": "总分", "town": "乡镇",
                         "code": "编码", **{str(n): f"第 {n} 项" for n in ITEMS}}
GRADE_STYLE = {"excellent": "bold green", "good": "green", "pass": "",
               "fail": "bold red"}


def _sort_key(sort: str) -> Any:
    if sort == "rank":
        return lambda r: (r["rank"] is None, r["rank"] or 0, r["code"])
    if sort == "total":
        return lambda r: (-Decimal(r["total"]), r["code"])
    if sort in ("town", "code"):
        return lambda r: (r[sort], r["code"])
    return lambda r: (Decimal(r["items"][sort]["score"]), r["code"])


def matches(row: dict[str, Any], text: str) -> bool:
    if not text:
        return True
    grade = GRADES.get(row.get("grade") or "", "")
    return any(text in value for value in (row["code"], row["name"], row["town"],
                                           grade))


class BoardScreen(ConsoleScreen):
    """Ranking with every item's score for one period."""

    DEFAULT_CSS = """
    BoardScreen #controls {
        height: auto;
        padding: 0 1;
    }
    BoardScreen #period {
        width: 16;
    }
    BoardScreen #filter {
        width: 1fr;
    }
    BoardScreen #sort {
        width: 20;
    }
    BoardScreen #board {
        height: 1fr;
    }
    BoardScreen #distribution, BoardScreen #summary {
        padding: 0 1;
        height: auto;
    }
    """

    BINDINGS = [
        Binding("ctrl+r", "compute", "重新计算"),
        Binding("enter", "drill", "扣分明细", show=True),
        Binding("ctrl+f", "focus_filter", "筛选"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        with Horizontal(id="controls"):
            yield Input(str(clock.local_date(clock.now()).year), id="period",
                        placeholder="2026、2026H1、2026Q3")
            yield Input(placeholder="筛选：站点、编码、乡镇或等级", id="filter")
            yield Select([(label, key) for key, label in SORTS.items()],
                         value="rank", allow_blank=False, id="sort")
        yield BusyLine(id="busy")
        yield Static("", id="summary")
        yield DataTable(id="board", zebra_stripes=True, cursor_type="row")
        yield Static("", id="distribution")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.title = "考核结果"
        table = self.query_one("#board", DataTable)
        table.add_columns("名次", "编码", "站点", "乡镇",
                          *(str(n) for n in ITEMS), "扣分", "总分", "等级")
        self.action_compute()

    @property
    def period(self) -> str:
        return self.query_one("#period", Input).value.strip()

    def action_compute(self) -> None:
        period = self.period
        busy = self.query_one(BusyLine)
        busy.start(f"正在计算 {period} 的考核")
        self.call("assessment", lambda client: client.assessment(period))

    def answer_assessment(self, data: dict[str, Any]) -> None:
        self.query_one(BusyLine).stop()
        self.data = data
        self.console.assessments[data["period"]] = data
        self.show_rows()
        self.query_one("#summary", Static).update(
            f"{data['period']}（{data['start']} 至 {data['end']}，不含）共 "
            f"{len(data['stations'])} 个站点；规则 {data['rules']['name']} "
            f"{data['rules']['version']}；计算于 "
            f"{clock.format_time(data['computed_at'])}"
            + ("" if data.get("grading_mode") else "；本期只计分不评等级"))
        shares = data.get("distribution") or []
        self.query_one("#distribution", Static).update(
            "等级分布：" + "  ".join(
                f"{b['label']} {b['count']} 站 实际 "
                f"{Decimal(b['actual']) * 100:.1f}% / 规定 "
                f"{Decimal(b['expected']) * 100:.0f}%" for b in shares)
            if shares else "")

    def failed_assessment(self, error: Any) -> bool:
        self.query_one(BusyLine).stop()
        return False

    def show_rows(self) -> None:
        if self.data is None:
            return
        table = self.query_one("#board", DataTable)
        keep = None
        if table.row_count:
            keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        table.clear()
        sort = str(self.query_one("#sort", Select).value)
        text = self.query_one("#filter", Input).value.strip()
        rows = sorted((r for r in self.data["stations"] if matches(r, text)),
                      key=_sort_key(sort))
        for r in rows:
            grade = r.get("grade") or ""
            table.add_row(
                str(r["rank"] or "—"), r["code"], r["name"], r["town"],
                *(r["items"][str(n)]["score"] for n in ITEMS),
                r["deductions"], Text(r["total"], style="bold"),
                Text(GRADES.get(grade, ""), style=GRADE_STYLE.get(grade, "")),
                key=r["code"])
        if keep is not None and keep in {r["code"] for r in rows}:
            table.move_cursor(row=table.get_row_index(keep))

    @on(Select.Changed, "#sort")
    def _sorted(self, event: Select.Changed) -> None:
        event.stop()
        self.show_rows()

    @on(Input.Changed, "#filter")
    def _filtered(self, event: Input.Changed) -> None:
        event.stop()
        self.show_rows()

    @on(Input.Submitted, "#period")
    def _period(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_compute()

    @on(DataTable.RowSelected, "#board")
    def _selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_drill()

    def action_drill(self) -> None:
        table = self.query_one("#board", DataTable)
        if self.data is None or not table.row_count:
            return
        code = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        result = next(r for r in self.data["stations"] if r["code"] == code)
        from station_tui.console.screens.score_detail_screen import ScoreDetailScreen

        self.app.push_screen(ScoreDetailScreen(self.data["period"], result))

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def on_reconnected(self) -> None:
        if self.data is None:
            self.action_compute()
