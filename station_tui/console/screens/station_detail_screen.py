"""One station: its ledgers by month, opening-rule record, daily report
timeliness, complaints and the current assessment preview."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Label, Static

from station_tui.assessment.result import ITEMS
from station_tui.console.labels import COMPLAINT_KIND, INSPECTION_KIND, STATION_STATUS
from station_tui.console.screens.console_screen import ConsoleScreen
from station_tui.domain import clock
from station_tui.domain.money import format_fen

LEDGER_NAMES = {
    "parcel_in": "代收包裹", "parcel_out": "代寄包裹", "handover": "交接清单",
    "purchase_order": "代购单", "sale_order": "代销单", "refund": "退款",
    "service_record": "便民服务", "daily_report": "日报", "report_submission":
    "统计报表", "open_spell": "营业时段", "rest_day": "休息日",
}


def _table(id: str) -> DataTable[str | Text]:
    return DataTable(id=id, zebra_stripes=True, cursor_type="row")


class StationDetailScreen(ConsoleScreen):
    """Everything the center knows about one station, on one page."""

    DEFAULT_CSS = """
    StationDetailScreen VerticalScroll {
        padding: 0 1;
    }
    StationDetailScreen .heading {
        text-style: bold;
        color: $accent;
        margin: 1 0 0 0;
    }
    StationDetailScreen DataTable {
        height: auto;
        max-height: 16;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("i", "enter('inspection')", "督查"),
        Binding("o", "enter('onsite')", "现场评分"),
        Binding("c", "enter('complaint')", "投诉"),
        Binding("ctrl+r", "reload", "刷新"),
    ]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        with VerticalScroll():
            yield Static("正在读取…", id="info")
            yield Label("考核预览（本年度，截至今天）", classes="heading")
            yield Static("", id="total")
            yield _table("preview")
            yield Label("台账按月汇总", classes="heading")
            yield _table("ledgers")
            yield Label("日报及统计报表上报", classes="heading")
            yield Static("", id="reports")
            yield Label("营业时间未达标的周", classes="heading")
            yield Static("", id="opening")
            yield Label("投诉", classes="heading")
            yield _table("complaints")
            yield Label("督查记录", classes="heading")
            yield _table("inspections")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.title = f"站点详情 {self.code}"
        self.action_reload()

    def action_reload(self) -> None:
        code = self.code
        self.call("station", lambda client: client.station(code))
        self.call("preview", lambda client: client.preview(code))
        self.call("complaints", lambda client: client.records(
            "complaint", station=code, limit=200))
        self.call("inspections", lambda client: client.records(
            "inspection", station=code, limit=200))

    def on_reconnected(self) -> None:
        self.action_reload()

    def answer_station(self, data: dict[str, Any]) -> None:
        s = data["station"]
        synced = (clock.format_time(s["last_received_at"])
                  if s.get("last_received_at") else "从未同步")
        offset = s.get("clock_offset")
        self.query_one("#info", Static).update(
            f"[b]{s['name']}[/b]（{s['code']}）  {s['town']} {s['village']}  "
            f"状态：{STATION_STATUS.get(s['status'], s['status'])}  "
            f"合伙人：{s.get('partner') or '—'}  服务起始：{s['active_from']}\n"
            f"最近同步：{synced}  时钟偏差："
            f"{'—' if offset is None else f'{offset:+d} 秒'}"
            f"{'（已标记）' if s.get('clock_flagged') else ''}  "
            f"被搁置的修改：{s.get('set_aside', 0)}  待认可的时钟异常报表："
            f"{s.get('open_clock_flags', 0)}")
        table = self.query_one("#ledgers", DataTable)
        table.clear(columns=True)
        table.add_column("台账", key="kind")
        for month in data["months"]:
            table.add_column(month[5:] + "月", key=month)
        for kind, label in LEDGER_NAMES.items():
            counts = data["ledgers"].get(kind, {})
            table.add_row(label, *(str(counts.get(m, 0)) for m in data["months"]),
                          key=kind)
        for key, label in (("purchase_fen", "代购金额(元)"),
                           ("sale_fen", "代销金额(元)")):
            amounts = data["amounts"].get(key, {})
            table.add_row(label, *(format_fen(amounts.get(m, 0))
                                   for m in data["months"]), key=key)

    def answer_preview(self, data: dict[str, Any]) -> None:
        result = data["stations"][0] if data.get("stations") else None
        if result is None:
            self.query_one("#total", Static).update("本期不在服务期内，无考核预览")
            return
        self.query_one("#total", Static).update(
            f"总分 [b]{result['total']}[/b]（督查扣分 {result['deductions']}）  "
            f"交易额 {format_fen(result['volume_fen'])} 元  "
            f"{'；'.join(result.get('warnings', []))}")
        table = self.query_one("#preview", DataTable)
        table.clear(columns=True)
        table.add_columns("项目", "得分", "满分", "说明")
        for number, item in result["items"].items():
            name, top = ITEMS[int(number)]
            lost = [ln["text"] for ln in item["lines"]
                    if ln["points"].startswith("-")]
            table.add_row(f"{number}. {name}", item["score"], str(top),
                          "；".join(lost)[:80], key=str(number))
        reports = result["items"].get("6", {}).get("lines", [])
        self.query_one("#reports", Static).update(
            "\n".join(f"{ln['text']}  {ln['points']}" for ln in reports) or "—")
        weeks = [v for v in data.get("extras", {}).get("opening_violations", [])
                 if v["station"] == self.code]
        self.query_one("#opening", Static).update(
            f"共 {len(weeks)} 周未达标：" + "；".join(
                f"{v['week']} 满 8 小时 {v['full_days']}/{v['required']} 天"
                f"，休息 {v['rest_days']} 天" for v in weeks[:12])
            + ("…" if len(weeks) > 12 else "") if weeks else "本年度每周都达标")

    def answer_complaints(self, rows: list[dict[str, Any]]) -> None:
        table = self.query_one("#complaints", DataTable)
        table.clear(columns=True)
        table.add_columns("日期", "类型", "归责站点", "单号", "内容", "录入")
        for r in rows:
            table.add_row(r["day"], COMPLAINT_KIND.get(r["kind"], r["kind"]),
                          "是" if r["attributed"] else "否", r["tracking_no"],
                          r["note"][:40], r["entered_by"], key=r["uuid"])
        if not rows:
            table.add_row("—", "没有投诉", "", "", "", "")

    def answer_inspections(self, rows: list[dict[str, Any]]) -> None:
        table = self.query_one("#inspections", DataTable)
        table.clear(columns=True)
        table.add_columns("日期", "类型", "检查人员", "不配合", "工作较差", "说明")
        for r in rows:
            table.add_row(r["day"], INSPECTION_KIND.get(r["kind"], r["kind"]),
                          r["inspector"], "是" if r["refused"] else "",
                          "是" if r["poor_work"] else "", r["note"][:40],
                          key=r["uuid"])
        if not rows:
            table.add_row("—", "没有督查记录", "", "", "", "")

    def action_back(self) -> None:
        self.app.pop_screen()

    async def action_enter(self, kind: str) -> None:
        """Enter a record for this station on the data-entry screen."""
        await self.app.switch_mode("entry")
        screen: Any = self.app.screen
        screen.prefill(kind, station=self.code)
