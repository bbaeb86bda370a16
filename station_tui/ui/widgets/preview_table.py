"""The twelve items of a preview with their breakdown, as one table."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from station_tui.assessment.result import Line, StationResult

#: Cells of the fixed columns: item name, points; the rest is the reason.
NAME_WIDTH = 23
POINTS_WIDTH = 10
#: Each column pads one cell on either side; two more for the scrollbar.
PADDING = 2 * 3 + 2
MIN_REASON_WIDTH = 20


def _points(value: Decimal) -> Text:
    return Text(f"{value:+.2f}" if value else "0.00", justify="right",
                style="red" if value < 0 else "")


def _score(score: Decimal, top: int) -> Text:
    return Text(f"{score:.2f}/{top}", justify="right", style="bold")


class PreviewTable(DataTable[Any]):
    """One row per item (score / max and its first reason), then a row for
    each further line of its breakdown; inspection deductions and the
    total last. The reason column wraps to the table's width, so long
    Chinese reasons stay readable on an 80-column console."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False)
        self._result: StationResult | None = None

    def on_mount(self) -> None:
        self._add_columns()

    def _reason_width(self) -> int:
        return max(MIN_REASON_WIDTH,
                   self.size.width - NAME_WIDTH - POINTS_WIDTH - PADDING)

    def _add_columns(self) -> None:
        self.add_column("项目", width=NAME_WIDTH, key="item")
        self.add_column("得分", width=POINTS_WIDTH, key="points")
        self.add_column("说明（扣分及原因）", width=self._reason_width(), key="why")

    def show(self, result: StationResult | None) -> None:
        """Fill the table with ``result``; None leaves it empty."""
        self._result = result
        self.clear(columns=True)
        self._add_columns()
        if result is None:
            return
        for number, item in result.items.items():
            self._lines(f"item-{number}", Text(f"{number:>2} {item.name}"),
                        _score(item.score, item.max), item.lines)
        self._lines("deductions", Text("督查扣分"), _points(-result.deductions),
                    result.deduction_lines or [Line("本期没有督查扣分", Decimal(0))])
        self.add_row(Text("合计", style="bold"), _score(result.total, 100),
                     Text("12 项之和减督查扣分，在 0 到 100 分之间"), key="total")

    def _lines(self, key: str, label: Text, score: Text, lines: list[Line]) -> None:
        first, *rest = lines or [Line("", Decimal(0))]
        self.add_row(label, score, self._why(first), key=key, height=None)
        for index, line in enumerate(rest, start=1):
            self.add_row("", _points(line.points), self._why(line),
                         key=f"{key}-line-{index}", height=None)

    def _why(self, line: Line) -> Text:
        return Text(line.text, style="red" if line.points < 0 else "")

    def on_resize(self) -> None:
        # The reason column follows the width; rows re-wrap to it.
        if self.columns and self.columns["why"].width != self._reason_width():
            self.show(self._result)
