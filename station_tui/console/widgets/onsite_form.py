"""The on-site scoring round of one item, each part with its cap shown and
the all-or-nothing parts marked as such."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Static

from station_tui.console.widgets.record_form import RecordForm, Spec
from station_tui.domain.scoring import ONSITE_PARTS
from station_tui.ui.widgets.form_field import FormField

PART_NAMES = ("part_a", "part_b", "part_c")
ITEM_NAMES = {1: "设施设备使用维护", 2: "营业场所卫生保洁", 3: "政策宣传创业服务",
              10: "提供便民综合服务情况", 12: "快递专区功能划分"}
SPECS = [
    Spec("station", "站点编码", placeholder="QS0101", sticky=True),
    Spec("day", "评分日期", default="today", sticky=True),
    Spec("inspector", "检查人员", sticky=True),
    Spec("item", "评分项目", kind="choice", sticky=True, row=1, default="1",
         choices=tuple((f"{n}. {name}", str(n)) for n, name in ITEM_NAMES.items())),
    Spec("note", "说明", row=3),
    Spec("photos", "照片文件名（逗号分隔）", row=3),
]


def part_label(name: str, cap: int, whole: bool) -> str:
    rule = f"只能 0 或 {cap} 分（全或无）" if whole else f"0–{cap} 分，酌情"
    return f"{name}（{rule}）"


class OnsiteForm(RecordForm):
    """Items 1, 2, 3, 10 and 12, scored at the station by an inspector."""

    DEFAULT_CSS = """
    OnsiteForm #parts {
        height: auto;
        border: round $primary 40%;
        padding: 0 1;
    }
    OnsiteForm #onsite-total {
        text-style: bold;
    }
    """

    def __init__(self) -> None:
        super().__init__("onsite", SPECS)
        self.item = 1

    def compose_extra(self) -> ComposeResult:
        with Vertical(id="parts"):
            yield from self._part_fields(self.item)
        yield Static("", id="onsite-total")

    def _part_fields(self, item: int) -> list[Any]:
        widgets: list[Any] = []
        for key, (name, cap, whole) in zip(PART_NAMES, ONSITE_PARTS[item]):
            widgets.append(FormField(part_label(name, cap, whole), name=key,
                                     placeholder=f"0–{cap}" if not whole
                                     else f"0 或 {cap}"))
        if item == 1:
            widgets.append(Checkbox("设备损毁未及时报修、已停止运行（本项 0 分）",
                                    id="flag-equipment_down"))
        return widgets

    def on_mount(self) -> None:
        self._show_total()

    async def on_choice(self, select_id: str, value: Any) -> None:
        if select_id != "select-item" or not isinstance(value, str):
            return
        if int(value) == self.item and self.query("#parts FormField"):
            return
        self.item = int(value)
        parts = self.query_one("#parts", Vertical)
        await parts.remove_children()
        await parts.mount(*self._part_fields(self.item))
        self._show_total()

    @on(Input.Changed)
    def _part_typed(self, event: Input.Changed) -> None:
        self._show_total()

    @on(Checkbox.Changed)
    def _down_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._show_total()

    def _show_total(self) -> None:
        top = sum(cap for _, cap, _ in ONSITE_PARTS[self.item])
        total = Decimal(0)
        for f in self.query("#parts FormField").results(FormField):
            try:
                total += Decimal(f.value.strip() or "0")
            except InvalidOperation:
                pass
        down = self.query("#flag-equipment_down").results(Checkbox)
        if any(box.value for box in down):
            total = Decimal(0)
        self.query_one("#onsite-total", Static).update(
            f"第 {self.item} 项 {ITEM_NAMES[self.item]}：合计 {total} / {top} 分")

    def values(self) -> dict[str, Any]:
        out = super().values()
        for f in self.query("#parts FormField").results(FormField):
            out[f.field_name] = f.value.strip() or "0"
        down = self.query("#flag-equipment_down").results(Checkbox)
        out["equipment_down"] = any(box.value for box in down)
        return out

    def saved(self) -> None:
        super().saved()
        for f in self.query("#parts FormField").results(FormField):
            f.value = ""
        for box in self.query("#flag-equipment_down").results(Checkbox):
            box.value = False
        self._show_total()
