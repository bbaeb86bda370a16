"""Data entry: inspections, on-site rounds, complaints, report requests,
ledger-score overrides, clock-flag acceptances, trainings and campaigns.

Each kind is a tab holding its form; switching tabs or screens keeps what
was typed, and a refused save marks the field the server named.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, TabbedContent, TabPane

from station_tui.console.labels import (
    COMPLAINT_KIND,
    INSPECTION_KIND,
    OVERRIDE_PART,
    choices,
)
from station_tui.console.screens.console_screen import ConsoleScreen
from station_tui.console.widgets.onsite_form import OnsiteForm
from station_tui.console.widgets.record_form import RecordForm, Spec
from station_tui.domain import clock

STATION = Spec("station", "站点编码", placeholder="QS0101", sticky=True)
DAY = Spec("day", "日期", default="today", sticky=True)

FORMS: dict[str, tuple[str, list[Spec]]] = {
    "inspection": ("督查", [
        STATION, DAY,
        Spec("inspector", "检查人员", sticky=True),
        Spec("kind", "类型", kind="choice", default="visit", row=1,
             choices=tuple(choices(INSPECTION_KIND))),
        Spec("refused", "不配合检查（−10）", kind="flag", row=2),
        Spec("poor_work", "工作较差（−5）", kind="flag", row=2),
        Spec("note", "说明（举报、批评必填）", row=3),
    ]),
    "complaint": ("投诉", [
        STATION, DAY,
        Spec("kind", "投诉类型", kind="choice", default="service", row=1,
             choices=tuple(choices(COMPLAINT_KIND))),
        Spec("attributed", "中心认定为站点服务不到位", kind="flag", default=True,
             row=2),
        Spec("tracking_no", "快递单号", row=3),
        Spec("note", "投诉内容", row=3),
    ]),
    "report_request": ("报表通知", [
        Spec("title", "报表名称"),
        Spec("deadline", "截止时间", placeholder="2026-12-20 18:00"),
        Spec("station", "站点编码（空为全部站点）", row=1),
        Spec("description", "说明", row=1),
    ]),
    "override": ("台账改分", [
        STATION,
        Spec("period", "考核期间", placeholder="2026", sticky=True),
        Spec("part", "评分部分", kind="choice", default="purchase_ledger", row=1,
             choices=tuple(choices(OVERRIDE_PART))),
        Spec("score", "分数（0–5）", row=1),
        Spec("reason", "改分理由", row=2),
    ]),
    "clock_flag": ("时钟异常认可", [
        Spec("flag", "时钟异常记录编号（在下表选中按 Enter）"),
        Spec("note", "认可理由", row=1),
    ]),
    "training": ("培训", [
        Spec("title", "培训名称"), DAY,
        Spec("has_test", "有现场测试", kind="flag", default=True, row=1),
    ]),
    "campaign": ("营销活动", [
        Spec("title", "活动名称"),
        Spec("start_day", "开始日期", default="today"),
        Spec("end_day", "结束日期", default="today"),
    ]),
    "campaign_entry": ("活动参与", [
        Spec("campaign", "营销活动", kind="choice", sticky=True),
        STATION,
        Spec("took_part", "完整参加", kind="flag", default=True, row=1),
    ]),
}
ORDER = ("inspection", "onsite", "complaint", "report_request", "override",
         "clock_flag", "training", "campaign", "campaign_entry")


def _saver(kind: str, values: dict[str, Any]) -> Any:
    if kind == "clock_flag":
        return lambda client: client.accept_clock_flag(values["flag"].strip(),
                                                       values["note"])
    return lambda client: client.enter(kind, values)


class EntryScreen(ConsoleScreen):
    """Where inspectors and staff enter the center's records."""

    DEFAULT_CSS = """
    EntryScreen TabbedContent {
        height: 1fr;
    }
    EntryScreen #open-flags {
        height: 12;
    }
    """

    BINDINGS = [Binding("ctrl+r", "reload", "刷新列表")]

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        with TabbedContent(id="tabs"):
            for kind in ORDER:
                if kind == "onsite":
                    with TabPane("现场评分", id="tab-onsite"):
                        yield OnsiteForm()
                    continue
                title, specs = FORMS[kind]
                with TabPane(title, id=f"tab-{kind}"):
                    yield RecordForm(kind, specs)
                    if kind == "clock_flag":
                        yield DataTable(id="open-flags", cursor_type="row")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.title = "录入"
        self.watch(self.app, "staff_name", self._default_inspector, init=True)
        self.action_reload()

    def _default_inspector(self, name: str) -> None:
        for form in self.query(RecordForm):
            if any(s.name == "inspector" for s in form.specs):
                if not any(f.value for f in form.query("#field-inspector Input")
                           .results()):
                    form.set_value("inspector", name)

    def form(self, kind: str) -> RecordForm:
        return self.query_one(f"#form-{kind}", RecordForm)

    def prefill(self, kind: str, *, station: str) -> None:
        """Open ``kind``'s tab with the station filled in."""
        self.query_one(TabbedContent).active = f"tab-{kind}"
        form = self.form(kind)
        form.set_value("station", station)
        form.set_value("inspector", form.values().get("inspector")
                       or self.console.staff_name)

    def action_reload(self) -> None:
        self.call("campaigns", lambda client: client.records("campaign", limit=200))
        self.call("flags", lambda client: client.records("clock_flag", limit=500))

    def on_reconnected(self) -> None:
        self.action_reload()

    def answer_campaigns(self, rows: list[dict[str, Any]]) -> None:
        self.form("campaign_entry").set_choices("campaign", [
            (f"{r['title']}（{r['start_day']}–{r['end_day']}）", r["uuid"])
            for r in rows])

    def answer_flags(self, rows: list[dict[str, Any]]) -> None:
        table = self.query_one("#open-flags", DataTable)
        table.clear(columns=True)
        table.add_columns("站点", "报表", "时钟偏差", "收到时间", "编号")
        for r in rows:
            if r.get("accepted_by"):
                continue
            table.add_row(r["station"], r["record_kind_name"],
                          f"{r['skew_seconds']:+d} 秒",
                          clock.format_time(r["received_at"]), r["uuid"],
                          key=r["uuid"])

    @on(DataTable.RowSelected, "#open-flags")
    def _flag_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.form("clock_flag").set_value("flag", str(event.row_key.value))

    @on(RecordForm.Submitted)
    def _submitted(self, event: RecordForm.Submitted) -> None:
        event.stop()
        kind = event.form.kind
        self.save_form(event.form, _saver(kind, event.values),
                       lambda answer: self._saved(kind))

    def _saved(self, kind: str) -> None:
        self.form(kind).saved()
        title = "现场评分" if kind == "onsite" else FORMS[kind][0]
        self.notify(f"{title}已保存（{self.console.staff_name}）", timeout=4)
        if kind in ("campaign", "clock_flag"):
            self.action_reload()
