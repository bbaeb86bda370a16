"""Quarterly volumes: each quarter's ranking, consecutive last places, the
stations to be terminated with the center's decision, and a chart of
monthly volumes per township."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Input, Label, Select, Sparkline, Static

from station_tui.console.labels import DECISION
from station_tui.console.screens.console_screen import ConsoleScreen
from station_tui.console.widgets.busy_line import BusyLine
from station_tui.console.widgets.select_options import set_options_keeping
from station_tui.domain import clock
from station_tui.domain.money import format_fen


def town_months(data: dict[str, Any]) -> dict[str, list[int]]:
    """Monthly volume in fen per township, in month order."""
    months = data["extras"]["months"]
    towns = {r["code"]: r["town"] for r in data["stations"]}
    out: dict[str, list[int]] = defaultdict(lambda: [0] * len(months))
    for code, by_month in data["extras"]["monthly_volume"].items():
        row = out[towns.get(code, "")]
        for i, key in enumerate(months):
            row[i] += by_month.get(key, 0)
    return dict(sorted(out.items()))


class VolumesScreen(ConsoleScreen):
    """Transaction volume by quarter and the last-place rule."""

    DEFAULT_CSS = """
    VolumesScreen #controls {
        height: auto;
        padding: 0 1;
    }
    VolumesScreen #year {
        width: 12;
    }
    VolumesScreen #quarter {
        width: 24;
    }
    VolumesScreen VerticalScroll {
        padding: 0 1;
    }
    VolumesScreen DataTable {
        height: auto;
        max-height: 20;
    }
    VolumesScreen .heading {
        text-style: bold;
        color: $accent;
        margin: 1 0 0 0;
    }
    VolumesScreen .chart-row {
        height: 1;
    }
    VolumesScreen .chart-row > Label {
        width: 12;
    }
    VolumesScreen .chart-row > Sparkline {
        width: 48;
    }
    VolumesScreen .chart-row > .figure {
        width: 1fr;
        margin: 0 0 0 2;
    }
    """

    BINDINGS = [
        Binding("ctrl+r", "compute", "重新计算"),
        Binding("f9", "publish", "公布季度排名"),
        Binding("d", "decide", "清退决定"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        with Horizontal(id="controls"):
            yield Input(str(clock.local_date(clock.now()).year), id="year")
            yield Select([], prompt="选择要公布的季度", id="quarter")
        yield BusyLine(id="busy")
        with VerticalScroll():
            yield Label("各季度交易额与排名（末位标红）", classes="heading")
            yield DataTable(id="quarters", cursor_type="row", zebra_stripes=True)
            yield Label("连续末位，拟清退（选中按 d 录入执行或豁免）", classes="heading")
            yield DataTable(id="terminate", cursor_type="row")
            yield Label("各乡镇月度交易额", classes="heading")
            yield VerticalScroll(id="chart")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.title = "季度交易额"
        self.action_compute()

    def action_compute(self) -> None:
        year = self.query_one("#year", Input).value.strip()
        self.query_one(BusyLine).start(f"正在计算 {year} 年交易额")
        self.call("assessment", lambda client: client.assessment(year))

    @on(Input.Submitted, "#year")
    def _year(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_compute()

    def failed_assessment(self, error: Any) -> bool:
        self.query_one(BusyLine).stop()
        return False

    def answer_assessment(self, data: dict[str, Any]) -> None:
        self.query_one(BusyLine).stop()
        self.data = data
        self.console.assessments[data["period"]] = data
        extras = data["extras"]
        quarters = extras.get("quarters", [])
        set_options_keeping(self.query_one("#quarter", Select), [
            (q["name"] + ("（已公布）" if q["published"] else ""), q["name"])
            for q in quarters])
        self._show_quarters(data, quarters, extras.get("last_place_streaks", {}))
        self._show_terminate(extras.get("to_terminate", []))
        self._show_chart(data)

    def _show_quarters(self, data: dict[str, Any], quarters: list[dict[str, Any]],
                       streaks: dict[str, int]) -> None:
        table = self.query_one("#quarters", DataTable)
        table.clear(columns=True)
        table.add_columns("编码", "站点", "乡镇", *(
            q["name"] + ("（已公布）" if q["published"] else "") for q in quarters),
            "连续末位")
        cells: dict[str, dict[str, Any]] = defaultdict(dict)
        for q in quarters:
            for row in q["rows"]:
                cells[row["station"]][q["name"]] = row
        for r in data["stations"]:
            line: list[str | Text] = [r["code"], r["name"], r["town"]]
            for q in quarters:
                row = cells[r["code"]].get(q["name"])
                if row is None:
                    line.append("")
                    continue
                rank = f"第{row['rank']}" if row["rank"] else "不排名"
                text = f"{format_fen(row['volume_fen'])}（{rank}）"
                if row.get("published_fen") is not None:
                    text += f" 更正 {format_fen(row['published_fen'])}"
                line.append(Text(text, style="bold red" if row["last"] else ""))
            streak = streaks.get(r["code"], 0)
            line.append(Text(str(streak) if streak else "",
                             style="bold red" if streak >= 3 else ""))
            table.add_row(*line, key=r["code"])

    def _show_terminate(self, rows: list[dict[str, Any]]) -> None:
        table = self.query_one("#terminate", DataTable)
        table.clear(columns=True)
        table.add_columns("编码", "连续末位季度数", "中心决定")
        for item in rows:
            table.add_row(item["station"], str(item["quarters"]),
                          DECISION.get(item["decision"] or "", "待决定"),
                          key=item["station"])

    def _show_chart(self, data: dict[str, Any]) -> None:
        chart = self.query_one("#chart", VerticalScroll)
        chart.remove_children()
        months = data["extras"]["months"]
        rows = []
        for town, fen in town_months(data).items():
            peak = max(fen) if fen else 0
            rows.append(Horizontal(
                Label(town), Sparkline([f / 100 for f in fen]),
                Static(f"合计 {format_fen(sum(fen))} 元，最高 "
                       f"{months[fen.index(peak)][5:] if fen else ''}月",
                       classes="figure"),
                classes="chart-row"))
        chart.mount(*rows)

    def action_publish(self) -> None:
        quarter = self.query_one("#quarter", Select).value
        if not isinstance(quarter, str):
            self.notify("请先在上方选择要公布的季度", severity="warning")
            return
        if self.console.role != "admin":
            self.notify("公布季度排名需要管理员账户", severity="error")
            return
        self.call("publish", lambda client: client.publish_quarter(quarter))

    def answer_publish(self, answer: dict[str, Any]) -> None:
        self.notify(f"{answer['quarter']} 季度排名已公布并冻结", timeout=5)
        self.action_compute()

    async def action_decide(self) -> None:
        table = self.query_one("#terminate", DataTable)
        if not table.row_count:
            self.notify("没有拟清退的站点")
            return
        if not self.may_enter():
            return
        code = str(table.coordinate_to_cell_key(table.cursor_coordinate)
                   .row_key.value)
        await self.app.switch_mode("lifecycle")
        screen: Any = self.app.screen
        screen.prefill_termination(code, "last_place")
