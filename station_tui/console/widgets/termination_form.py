"""The center's decision on a station to be terminated: executed, with the
equipment-return checklist ticked off, or exempted, with its reason."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Checkbox, Label

from station_tui.console.labels import (
    DECISION,
    RETURN_CHECKLIST,
    TERMINATION_GROUND,
    choices,
)
from station_tui.console.widgets.record_form import RecordForm, Spec

SPECS = [
    Spec("station", "站点编码", placeholder="QS0101"),
    Spec("day", "日期", default="today"),
    Spec("ground", "清退原因", kind="choice", default="last_place", row=1,
         choices=tuple(choices(TERMINATION_GROUND))),
    Spec("decision", "处理结果", kind="choice", default="executed", row=1,
         choices=tuple(choices(DECISION))),
    Spec("reason", "理由（必填）", row=2),
    Spec("permanent", "永久终止合作（严重违规）", kind="flag", row=3),
]


class TerminationForm(RecordForm):
    """Termination with the checklist of what the station hands back."""

    DEFAULT_CSS = """
    TerminationForm #checklist {
        grid-size: 3;
        height: auto;
        grid-gutter: 0 1;
    }
    """

    def __init__(self) -> None:
        super().__init__("termination", SPECS,
                         hint="执行清退时逐项勾选已收回的设备；Ctrl+S 保存")

    def compose_extra(self) -> ComposeResult:
        yield Label("设备收回清单")
        with Grid(id="checklist"):
            for n, line in enumerate(RETURN_CHECKLIST):
                yield Checkbox(line, id=f"check-{n}")

    def values(self) -> dict[str, Any]:
        out = super().values()
        out["checklist"] = [line for n, line in enumerate(RETURN_CHECKLIST)
                            if self.query_one(f"#check-{n}", Checkbox).value]
        return out

    def saved(self) -> None:
        super().saved()
        for box in self.query("#checklist Checkbox").results(Checkbox):
            box.value = False
