"""营业: clock open and closed, declare or withdraw rest days, the week."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import Callable

from peewee import DatabaseError
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, DataTable, Input, Static
from textual.worker import get_current_worker

from station_tui.domain import clock
from station_tui.domain.opening_rule import DEFAULT_RULE, WeekStatus
from station_tui.errors import StationError, StorageError
from station_tui.operations import opening
from station_tui.ui.formatting import duration, weekday
from station_tui.ui.screens.ask_modal import CONFIRM, AskModal
from station_tui.ui.widgets.figures_table import FiguresTable
from station_tui.ui.widgets.form_field import (
    FormField,
    clear_errors,
    mark_saved,
    show_error,
)
from station_tui.ui.widgets.week_table import WeekTable, week_summary
from station_tui.ui.workers import worker_connection

log = logging.getLogger(__name__)

CLOSE_KINDS = {"clock": "打卡", "settled": "补记"}
REST_KINDS = {"rest": "休息日", "holiday": "中心假日"}


def state_line(view: opening.OpeningView) -> Text:
    hours = duration(view.today_seconds)
    if view.open_since is not None:
        since = clock.format_time(view.open_since, "%m-%d %H:%M")
        return Text.assemble(("● 营业中", "bold green"),
                             f"  {since} 开门，今天已营业 {hours}")
    return Text.assemble(("○ 关门", "bold yellow"), f"  今天已营业 {hours}")


class OpeningScreen(Screen[None]):
    """Opening hours: the counter's clock, rest days and this week's tally."""

    BINDINGS = [
        ("o", "open", "开门"),
        ("c", "close", "关门"),
        # Shown in the hint under the week, not in the crowded footer.
        Binding("left_square_bracket", "week(-1)", "上一周", show=False),
        Binding("right_square_bracket", "week(1)", "下一周", show=False),
    ]

    class Loaded(Message):
        def __init__(self, view: opening.OpeningView) -> None:
            super().__init__()
            self.view = view

    class Done(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Failed(Message):
        def __init__(self, error: StationError) -> None:
            super().__init__()
            self.error = error

    class RestChecked(Message):
        """A rest day's date was read, with what it would do to the week."""

        def __init__(self, day: date, warning: str | None) -> None:
            super().__init__()
            self.day = day
            self.warning = warning

    def __init__(self) -> None:
        super().__init__()
        #: Weeks away from the current one; 0 follows the calendar past midnight.
        self.week_offset = 0

    def compose(self) -> ComposeResult:
        yield Static("营业", classes="screen-title")
        yield Static("正在读取…", id="opening-state")
        with Horizontal(classes="buttons"):
            yield Button("开门 (o)", id="opening-open", variant="success")
            yield Button("关门 (c)", id="opening-close", variant="warning")
        with Horizontal(id="opening-columns"):
            with Vertical(classes="column"):
                yield Static("今天的开关门", classes="section-title")
                yield FiguresTable(id="opening-spells")
                yield Static("申报休息日（当天开门前或提前申报，每周最多 2 天）",
                             classes="section-title")
                with Horizontal(classes="form-row"):
                    tomorrow = clock.local_date(clock.now()) + timedelta(days=1)
                    yield FormField("日期", name="day", value=tomorrow.isoformat())
                    yield FormField("撤销原因（撤销时填）", name="reason")
                with Horizontal(classes="buttons"):
                    yield Button("申报休息日", id="opening-rest")
                    yield Button("撤销休息日", id="opening-withdraw")
                yield Static("今后的休息日", classes="section-title")
                yield FiguresTable(id="opening-rests")
            with Vertical(classes="column"):
                yield Static("", id="opening-week-title", classes="section-title")
                yield WeekTable(id="opening-week")
                yield Static("", id="opening-week-summary")
                yield Static("[ ] 换周；在表中按回车，把那天填进休息日日期",
                             classes="hint")

    def on_mount(self) -> None:
        self.query_one("#opening-spells", FiguresTable).add_columns(
            "开门", "关门", "时长", "方式"
        )
        self.query_one("#opening-rests", FiguresTable).add_columns(
            "日期", "星期", "类别", "申报时间"
        )
        self.query_one("#opening-open", Button).focus()
        self.set_interval(60, self._reload)

    def on_screen_resume(self) -> None:
        self._reload()

    # -- actions ----------------------------------------------------------

    def action_open(self) -> None:
        self._apply(lambda: f"已开门：{_hm(opening.open_station().opened_at)}")

    def action_close(self) -> None:
        def close() -> str:
            spell = opening.close_station()
            assert spell.closed_at is not None
            return f"已关门：{_hm(spell.closed_at)}，本次营业 " + duration(
                spell.closed_at - spell.opened_at
            )

        self._apply(close)

    def action_week(self, step: int) -> None:
        self.week_offset += step
        self._reload()

    @on(Button.Pressed, "#opening-open")
    def _open_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_open()

    @on(Button.Pressed, "#opening-close")
    def _close_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_close()

    @on(Button.Pressed, "#opening-rest")
    @on(Input.Submitted, "#input-day")
    def _rest_pressed(self, event: Button.Pressed | Input.Submitted) -> None:
        """Ask before declaring: a rest day cannot be taken back once past."""
        event.stop()
        clear_errors(self)
        self._check_rest(self.query_one("#field-day", FormField).value)

    @work(thread=True, group="opening-write")
    def _check_rest(self, typed: str) -> None:
        """Read what the rest day would do to its week, then ask."""
        try:
            day = clock.parse_day(typed, field="day")
            with worker_connection():
                # Refused before asking, not after the partner said yes.
                opening.check_rest_day_allowed(day)
                after = opening.week_status(day, extra_marks={day: "rest"})
        except StationError as exc:
            self.post_message(self.Failed(exc))
            return
        except DatabaseError as exc:
            log.exception("reading the week before a rest day failed")
            self.post_message(self.Failed(StorageError(f"读取营业记录失败：{exc}")))
            return
        self.post_message(self.RestChecked(day, rest_day_warning(after)))

    @on(RestChecked)
    def _ask_rest(self, event: RestChecked) -> None:
        day = event.day
        detail = "当天开门前或提前申报；当天开过门就不能再申报。"
        if event.warning:
            detail = f"{event.warning}\n{detail}"

        def answered(answer: str | None) -> None:
            if answer == CONFIRM:
                self._apply(lambda: self._declare(day))

        self.app.push_screen(
            AskModal(f"申报 {day.isoformat()} {weekday(day)} 为休息日？", detail,
                     [("申报休息日", CONFIRM)]),
            answered)

    @staticmethod
    def _declare(day: date) -> str:
        opening.declare_rest_day(day)
        return f"已申报休息日：{day.isoformat()} {weekday(day)}"

    @on(Button.Pressed, "#opening-withdraw")
    @on(Input.Submitted, "#input-reason")
    def _withdraw_pressed(self, event: Button.Pressed | Input.Submitted) -> None:
        event.stop()
        clear_errors(self)
        typed = self.query_one("#field-day", FormField).value
        reason = self.query_one("#field-reason", FormField).value

        def withdraw() -> str:
            rest = opening.withdraw_rest_day(typed, reason)
            day = rest.happened_day
            return f"已撤销休息日：{day.isoformat()} {weekday(day)}"

        self._apply(withdraw)

    @on(DataTable.RowSelected, "#opening-week")
    def _week_row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        field = self.query_one("#field-day", FormField)
        field.value = str(event.row_key.value)
        field.input.focus()

    # -- workers ----------------------------------------------------------

    @work(thread=True, group="opening-write")
    def _apply(self, action: Callable[[], str]) -> None:
        try:
            with worker_connection():
                text = action()
        except StationError as exc:
            self.post_message(self.Failed(exc))
        except DatabaseError as exc:
            log.exception("opening action failed")
            self.post_message(self.Failed(StorageError(f"没有保存，数据库出错：{exc}")))
        else:
            self.post_message(self.Done(text))

    @work(thread=True, exclusive=True, group="opening-read")
    def _load(self, week_day: date) -> None:
        try:
            with worker_connection():
                view = opening.opening_view(week_day)
        except DatabaseError as exc:
            log.exception("reading opening hours failed")
            self.post_message(self.Failed(StorageError(f"读取营业记录失败：{exc}")))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.Loaded(view))

    def _reload(self) -> None:
        today = clock.local_date(clock.now())
        self._load(today + timedelta(days=7 * self.week_offset))

    @on(Done)
    def _done(self, event: Done) -> None:
        self.notify(event.text)
        self.query_one("#field-reason", FormField).value = ""
        mark_saved(self)  # the day typed was declared or withdrawn
        self._reload()

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        if not show_error(self, event.error):
            self.notify(event.error.message, title="不能办理", severity="error")

    @on(Loaded)
    def _show(self, event: Loaded) -> None:
        view = event.view
        today = clock.local_date(view.now)
        self.query_one("#opening-state", Static).update(state_line(view))
        spells = self.query_one("#opening-spells", FiguresTable)
        spells.clear()
        for spell in view.today_spells:
            end = spell.closed_at
            spells.add_row(
                _hm(spell.opened_at),
                _hm(end) if end is not None else "营业中",
                Text(duration((end or view.now) - spell.opened_at), justify="right"),
                CLOSE_KINDS.get(spell.close_kind or "", ""),
            )
        rests = self.query_one("#opening-rests", FiguresTable)
        rests.clear()
        for rest in view.coming_rest_days:
            rests.add_row(
                rest.happened_day.isoformat(), weekday(rest.happened_day),
                REST_KINDS.get(rest.kind, rest.kind),
                clock.format_time(rest.declared_at),
            )
        week = view.week.week
        self.query_one("#opening-week-title", Static).update(
            f"{week.start.isocalendar().year} 年第 {week.start.isocalendar().week} 周"
            f"  {week.start.isoformat()} 至 "
            f"{(week.end - timedelta(days=1)).isoformat()}"
            + ("（本周）" if week.start <= today < week.end else "")
        )
        self.query_one("#opening-week", WeekTable).show_week(
            view.week, today, open_now=view.open_since is not None)
        self.query_one("#opening-week-summary", Static).update(
            week_summary(view.week)
        )


def rest_day_warning(after: WeekStatus) -> str | None:
    """Say so when the week, with the rest day, can no longer meet the rule."""
    if after.met or after.reachable:
        return None
    return (f"注意：申报后这一周已无法达到 {after.required} 天营业满 "
            f"{DEFAULT_RULE.min_day_hours} 小时的要求（可以照样申报）。")


def _hm(instant: int) -> str:
    return clock.format_time(instant, "%H:%M")
