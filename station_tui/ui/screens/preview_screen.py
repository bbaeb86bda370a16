"""考核: the station's own assessment "if the period ended today"."""

from __future__ import annotations

import logging
from datetime import timedelta

from peewee import DatabaseError
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static, Tab, Tabs
from textual.worker import get_current_worker

from station_tui.domain import clock
from station_tui.errors import StationError
from station_tui.operations.preview import (
    CHOICES,
    Choice,
    StationPreview,
    build_preview,
    current_half,
)
from station_tui.ui.widgets.preview_table import PreviewTable
from station_tui.ui.workers import worker_connection

log = logging.getLogger(__name__)


def period_line(found: StationPreview) -> Text:
    period = found.period
    last = period.end - timedelta(days=1)
    head = (f"{period.name} {CHOICES[found.choice]}"
            f"（{period.start:%m-%d} 至 {last:%m-%d}）")
    if found.counted_until is None:
        return Text(f"{head}：还没有开始，没有可计算的记录")
    return Text.assemble(
        (head, "bold"), f"，统计到 {found.counted_until:%m-%d}",
        f"，本站计入 {found.result.active_days if found.result else 0} 天",
        ("（今天的记录明天计入）", "dim"))


def total_line(found: StationPreview) -> Text:
    result = found.result
    if result is None:
        return Text("")
    how = ("年终考核按分数线相当于" if found.graded
           else "半年考核只计算、不评等级；按分数线相当于")
    return Text.assemble(
        "合计", (f"{result.total}", "bold"), "分。", how,
        (f"“{found.grade_by_score}”", "bold"),
        "。最终等级和名次要看全县各站点的得分，以中心公布为准。")


def center_line(found: StationPreview) -> Text:
    got = found.center_result
    if got is None:
        return Text("还没有收到中心的考核结果。", style="dim")
    rank = f"第 {got.rank} 名，" if got.rank else ""
    grade = f"{got.grade}，" if got.grade else ""
    return Text(f"中心最近的考核结果：{got.period} {rank}{grade}{got.total} 分"
                f"（{clock.format_time(got.computed_at)} 计算）")


def notes(found: StationPreview) -> Text:
    text = Text("\n".join(found.waiting_for_center), style="yellow")
    if found.last_pull_at:
        text.append(f"\n中心记录最近一次同步：{clock.format_time(found.last_pull_at)}",
                    style="dim")
    text.append(f"\n计分规则：{found.rules_label}", style="dim")
    return text


class PreviewScreen(Screen[None]):
    """This station's twelve items, total and grade by score, per period."""

    BINDINGS = [("r", "refresh", "重新计算")]

    class Loaded(Message):
        def __init__(self, preview: StationPreview) -> None:
            super().__init__()
            self.preview = preview

    class Failed(Message):
        def __init__(self, message: str) -> None:
            super().__init__()
            self.message = message

    def __init__(self) -> None:
        super().__init__()
        self.choice: Choice = current_half(clock.local_date(clock.now()))

    def compose(self) -> ComposeResult:
        yield Static("考核预览：假如本期今天结束", classes="screen-title")
        yield Tabs(*(Tab(label, id=key) for key, label in CHOICES.items()),
                   active=self.choice, id="preview-periods")
        with VerticalScroll(id="preview-body"):
            yield Static("正在计算…", id="preview-period")
            yield Static("", id="preview-total")
            yield Static("", id="preview-center")
            yield PreviewTable(id="preview-items")
            yield Static("", id="preview-notes")
            yield Static("←/→ 切换期间，Tab 到表格后 ↑/↓ 翻看，R 重新计算",
                         classes="hint")

    def on_screen_resume(self) -> None:
        self.action_refresh()

    @on(Tabs.TabActivated, "#preview-periods")
    def _period_chosen(self, event: Tabs.TabActivated) -> None:
        if event.tab.id in CHOICES and event.tab.id != self.choice:
            self.choice = event.tab.id  # type: ignore[assignment]
            self.action_refresh()

    def action_refresh(self) -> None:
        self.query_one("#preview-period", Static).update(
            Text(f"正在计算{CHOICES[self.choice]}的考核预览…", style="italic"))
        self._load(self.choice)

    @work(thread=True, exclusive=True, group="preview")
    def _load(self, choice: Choice) -> None:
        try:
            with worker_connection():
                found = build_preview(choice)
        except DatabaseError as exc:
            log.exception("computing the assessment preview failed")
            self.post_message(self.Failed(f"读取考核数据失败：{exc}"))
            return
        except StationError as exc:
            self.post_message(self.Failed(exc.message))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(found))

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.query_one("#preview-period", Static).update("")
        self.notify(event.message, severity="error", timeout=10)

    @on(Loaded)
    def _show(self, event: Loaded) -> None:
        found = event.preview
        if found.choice != self.choice:
            return  # a period no longer chosen
        self.query_one("#preview-period", Static).update(period_line(found))
        self.query_one("#preview-total", Static).update(total_line(found))
        self.query_one("#preview-center", Static).update(center_line(found))
        self.query_one("#preview-items", PreviewTable).show(found.result)
        self.query_one("#preview-notes", Static).update(notes(found))
