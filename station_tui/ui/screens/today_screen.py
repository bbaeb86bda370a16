"""今日: open or closed, today's business, waiting parcels, report, week."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from peewee import DatabaseError
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import get_current_worker

from station_tui.domain import clock
from station_tui.domain.money import format_fen
from station_tui.errors import StorageError
from station_tui.ui.formatting import duration, weekday
from station_tui.domain.labels import SERVICE_CATEGORY
from station_tui.ui.widgets.chrome import screen_chrome
from station_tui.ui.widgets.figures_table import FiguresTable
from station_tui.ui.widgets.week_table import WEEK_COLUMNS, week_rows, week_summary
from station_tui.ui.workers import worker_connection

if TYPE_CHECKING:
    from station_tui.operations.today import TodaySummary

log = logging.getLogger(__name__)

KIND_LABELS = {
    "parcel_in": "代收快递",
    "parcel_out": "代寄快递",
    "purchase": "代购订单",
    "sale": "代销订单",
    "refund": "退款",
    **{f"service:{code}": label for code, label in SERVICE_CATEGORY.items()},
}

REFRESH_SECONDS = 60


def _money(fen: int | None) -> Text:
    return Text("" if fen is None else format_fen(fen), justify="right")


def _count(n: int) -> Text:
    return Text(str(n), justify="right")


def open_line(summary: TodaySummary) -> Text:
    """The first line: open or closed, and today's hours so far."""
    hours = duration(summary.open_seconds)
    if summary.open_since is not None:
        since = clock.format_time(summary.open_since, "%H:%M")
        if clock.local_date(summary.open_since) != summary.day:
            since = clock.format_time(summary.open_since, "%m-%d %H:%M")
        return Text.assemble(("● 营业中", "bold green"),
                             f"  {since} 开门，今天已营业 {hours}")
    if summary.mark == "rest":
        return Text.assemble(("休息日", "bold cyan"), "  今天已申报休息")
    if summary.mark == "holiday":
        return Text.assemble(("中心假日", "bold cyan"), f"  今天营业 {hours}")
    return Text.assemble(("○ 未营业", "bold yellow"),
                         f"  今天已营业 {hours}，按 F2 去开门")


def report_line(summary: TodaySummary) -> Text:
    state = summary.report
    if state.submitted_at is not None:
        text = Text.assemble(
            ("已提交", "green"),
            f"  {clock.format_time(state.submitted_at, '%H:%M')} 提交",
        )
    elif not state.due:
        text = Text("今天是休息日，不用交日报", style="cyan")
    else:
        text = Text.assemble(("未提交", "yellow"), "  今天 24:00 前提交（F8 日报）")
    if state.yesterday_missing:
        text.append("\n昨天的日报没有提交，请尽快补交（F8 日报）", style="bold red")
    return text


class TodayScreen(Screen[None]):
    """Today at a glance; refreshed when shown and every minute."""

    BINDINGS = [("r", "refresh", "刷新")]

    class Loaded(Message):
        def __init__(self, summary: TodaySummary) -> None:
            super().__init__()
            self.summary = summary

    class Failed(Message):
        def __init__(self, error: StorageError) -> None:
            super().__init__()
            self.error = error

    def compose(self) -> ComposeResult:
        yield Static("今日", id="today-title", classes="screen-title")
        yield Static("正在读取…", id="today-open")
        with Horizontal(id="today-columns"):
            with Vertical(classes="column"):
                yield Static("今日业务", classes="section-title")
                yield FiguresTable(id="today-kinds")
                yield Static("待取件", classes="section-title")
                yield FiguresTable(id="today-waiting")
            with Vertical(classes="column"):
                yield Static("本周营业（每周至少 5 天，每天满 8 小时）",
                             classes="section-title")
                yield FiguresTable(id="today-week")
                yield Static("", id="today-week-summary")
                yield Static("今日日报", classes="section-title")
                yield Static("", id="today-report")
        # The app's first screen: composed with its chrome, not given it later.
        yield from screen_chrome()

    def on_mount(self) -> None:
        kinds = self.query_one("#today-kinds", FiguresTable)
        kinds.add_columns("业务", "笔数", "金额（元）", "服务费（元）")
        # The waiting table's columns come with the first figures (_show):
        # the figures' module is imported in the worker, after the first frame.
        self.query_one("#today-week", FiguresTable).add_columns(*WEEK_COLUMNS)
        self.set_interval(REFRESH_SECONDS, self.action_refresh)

    def on_screen_resume(self) -> None:
        # Drawn first, then read: the figures never hold up a frame.
        self.call_after_refresh(self.action_refresh)

    def action_refresh(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="today")
    def _load(self) -> None:
        from station_tui.operations.today import today_summary

        try:
            with worker_connection():
                summary = today_summary()
        except DatabaseError as exc:
            log.exception("reading today's figures failed")
            self.post_message(self.Failed(StorageError(f"读取今日数据失败：{exc}")))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(summary))

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.notify(event.error.message, severity="error", timeout=10)

    @on(Loaded)
    def _show(self, event: Loaded) -> None:
        summary = event.summary
        self.query_one("#today-title", Static).update(
            f"今日  {summary.day.isoformat()} {weekday(summary.day)}"
        )
        self.query_one("#today-open", Static).update(open_line(summary))
        kinds = self.query_one("#today-kinds", FiguresTable)
        kinds.clear()
        for line in summary.lines:
            kinds.add_row(KIND_LABELS[line.kind], _count(line.count),
                          _money(line.amount_fen), _money(line.fee_fen),
                          key=line.kind)
        waiting = self.query_one("#today-waiting", FiguresTable)
        over = summary.waiting.over
        days = sorted(over)
        if not waiting.columns:
            waiting.add_columns("待取件", *(f"超过 {d} 天" for d in days))
        waiting.clear()
        waiting.add_row(
            _count(summary.waiting.total),
            *(Text(str(over[d]), justify="right",
                   style="bold red" if over[d] and d == days[-1] else "")
              for d in days),
            key="waiting",
        )
        week = self.query_one("#today-week", FiguresTable)
        week.clear()
        for label, cells in week_rows(summary.week, summary.day,
                                      open_now=summary.open_since is not None):
            week.add_row(*cells, key=label)
        self.query_one("#today-week-summary", Static).update(week_summary(summary.week))
        self.query_one("#today-report", Static).update(report_line(summary))
