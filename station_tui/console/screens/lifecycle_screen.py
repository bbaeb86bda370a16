"""Partners' life cycle: recruitment steps, agreements, warnings, upgrades,
rectification orders and their follow-up, and termination."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Label, TabbedContent, TabPane

from station_tui.console.labels import (
    DECISION,
    OUTCOME,
    PARTNER_STATUS,
    PARTNER_STEP,
    TERMINATION_GROUND,
    choices,
)
from station_tui.console.screens.console_screen import ConsoleScreen
from station_tui.console.widgets.record_form import RecordForm, Spec
from station_tui.console.widgets.termination_form import TerminationForm

FORMS: dict[str, tuple[str, list[Spec]]] = {
    "partner": ("新合伙人", [
        Spec("name", "姓名"), Spec("phone", "手机号"),
        Spec("station", "站点编码（招募时可空）", row=1),
    ]),
    "partner_event": ("周期环节", [
        Spec("partner", "合伙人编号（在左表选中按 Enter）", sticky=True),
        Spec("step", "环节", kind="choice", default="training", row=1,
             choices=tuple(choices(PARTNER_STEP))),
        Spec("outcome", "结果", kind="choice", default="done", row=1,
             choices=tuple(choices(OUTCOME))),
        Spec("day", "日期", default="today", row=2),
        Spec("level", "新等级（升级时填）", row=2),
        Spec("reason", "原因（警告、整改、终止必填）", row=3),
        Spec("permanent", "永久终止合作", kind="flag", row=4),
    ]),
    "rectification": ("整改通知", [
        Spec("station", "站点编码"),
        Spec("failed_period", "不合格的考核期间", placeholder="2026"),
        Spec("issued_day", "下达日期", default="today", row=1),
        Spec("deadline_day", "整改期限", placeholder="2027-03-31", row=1),
        Spec("note", "说明", row=2),
    ]),
}


class LifecycleScreen(ConsoleScreen):
    """Partners and the center's decisions about stations."""

    DEFAULT_CSS = """
    LifecycleScreen #lists {
        height: 14;
    }
    LifecycleScreen #lists > Vertical {
        width: 1fr;
    }
    LifecycleScreen #lists DataTable {
        height: 1fr;
    }
    LifecycleScreen TabbedContent {
        height: 1fr;
    }
    LifecycleScreen .heading {
        text-style: bold;
        color: $accent;
    }
    """

    BINDINGS = [Binding("ctrl+r", "reload", "刷新")]

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        with Horizontal(id="lists"):
            with Vertical():
                yield Label("合伙人", classes="heading")
                yield DataTable(id="partners", cursor_type="row", zebra_stripes=True)
            with Vertical():
                yield Label("所选合伙人的环节记录", classes="heading")
                yield DataTable(id="events", cursor_type="row", zebra_stripes=True)
            with Vertical():
                yield Label("整改与清退", classes="heading")
                yield DataTable(id="orders", cursor_type="row", zebra_stripes=True)
        with TabbedContent(id="tabs"):
            for kind, (title, specs) in FORMS.items():
                with TabPane(title, id=f"tab-{kind}"):
                    yield RecordForm(kind, specs)
            with TabPane("清退", id="tab-termination"):
                yield TerminationForm()
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.title = "合作周期"
        self.query_one("#partners", DataTable).add_columns(
            "姓名", "站点", "状态", "等级", "编号")
        self.query_one("#events", DataTable).add_columns(
            "日期", "环节", "结果", "原因", "录入")
        self.query_one("#orders", DataTable).add_columns(
            "站点", "类型", "日期", "期限或结果", "说明")
        self.action_reload()

    def action_reload(self) -> None:
        self.call("partners", lambda client: client.records("partner", limit=5000))
        self.call("orders", lambda client: (
            client.records("rectification", limit=1000),
            client.records("termination", limit=1000)))

    def on_reconnected(self) -> None:
        self.action_reload()

    def form(self, kind: str) -> RecordForm:
        return self.query_one(f"#form-{kind}", RecordForm)

    def answer_partners(self, rows: list[dict[str, Any]]) -> None:
        table = self.query_one("#partners", DataTable)
        table.clear()
        for r in rows:
            table.add_row(r["name"], r["station"] or "—",
                          PARTNER_STATUS.get(r["status"], r["status"]),
                          str(r["level"]), r["uuid"][:8], key=r["uuid"])

    def answer_orders(self, found: tuple[list[Any], list[Any]]) -> None:
        rectifications, terminations = found
        followed = self._follow_up()
        table = self.query_one("#orders", DataTable)
        table.clear()
        for r in rectifications:
            state = followed.get(r["station"], f"期限 {r['deadline_day']}")
            table.add_row(r["station"], f"整改（{r['failed_period']}不合格）",
                          r["issued_day"], state, r["note"][:30], key=r["uuid"])
        for t in terminations:
            table.add_row(t["station"], TERMINATION_GROUND.get(t["ground"], ""),
                          t["day"], DECISION.get(t["decision"], t["decision"]),
                          t["reason"][:30], key=t["uuid"])

    def _follow_up(self) -> dict[str, str]:
        """Rectifications the last computed assessment has checked."""
        out: dict[str, str] = {}
        for data in self.console.assessments.values():
            for item in data.get("extras", {}).get("to_disqualify", []):
                verdict = "整改期满仍不合格，拟取消资格" if not item["passed"] \
                    else "整改合格"
                out[item["station"]] = f"{verdict}（{item['total']} 分）"
        return out

    @on(DataTable.RowHighlighted, "#partners")
    def _partner_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        partner = str(event.row_key.value)
        self.call("events", lambda client: client.records(
            "partner_event", partner=partner, limit=200))

    @on(DataTable.RowSelected, "#partners")
    def _partner_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.query_one(TabbedContent).active = "tab-partner_event"
        self.form("partner_event").set_value("partner", str(event.row_key.value))

    def answer_events(self, rows: list[dict[str, Any]]) -> None:
        table = self.query_one("#events", DataTable)
        table.clear()
        for r in sorted(rows, key=lambda r: (r["day"], r["entered_at"])):
            table.add_row(r["day"], PARTNER_STEP.get(r["step"], r["step"]),
                          OUTCOME.get(r["outcome"], r["outcome"]),
                          r["reason"][:30], r["entered_by"], key=r["uuid"])

    def prefill_termination(self, station: str, ground: str) -> None:
        self.query_one(TabbedContent).active = "tab-termination"
        form = self.form("termination")
        form.set_value("station", station)
        form.query_one("#select-ground").value = ground  # type: ignore[attr-defined]

    @on(RecordForm.Submitted)
    def _submitted(self, event: RecordForm.Submitted) -> None:
        event.stop()
        form, values = event.form, event.values
        self.save_form(form, lambda client: client.enter(form.kind, values),
                       lambda _: self._saved(form, values))

    def _saved(self, form: RecordForm, values: dict[str, Any]) -> None:
        form.saved()
        self.notify("已保存", timeout=4)
        self.action_reload()
        partner = values.get("partner") if form.kind == "partner_event" else None
        if partner:
            self.call("events", lambda client: client.records(
                "partner_event", partner=partner, limit=200))
