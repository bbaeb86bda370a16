"""The daily report (日报): a day's figures, a note, submit, amend, history."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, DataTable, Input, Label, Static

from station_tui.domain import clock
from station_tui.domain.money import format_fen
from station_tui.errors import FieldChecks, InputError, StationError
from station_tui.operations import daily_report
from station_tui.operations.daily_report import DayFigures, DayStatus, ReportRow
from station_tui.records import database_proxy
from station_tui.domain import labels
from station_tui.ui.screens.report_confirm_modal import ReportConfirmModal
from station_tui.ui.widgets.form_field import FormField, clear_errors, show_error

log = logging.getLogger(__name__)


def figures_text(figures: DayFigures) -> str:
    """The figures as the partner reads them, one kind a line."""
    f = figures
    hours, rest = divmod(f.open_seconds, 3600)
    open_line = f"营业：{hours} 小时 {rest // 60} 分（{f.open_spells} 段）"
    if f.still_open:
        open_line += "，尚未关门"
    lines = [
        f"代收：到件 {f.parcels_in} 件（到件破损 {f.parcels_in_damaged}），"
        f"取件 {f.parcels_picked_up} 件",
        f"代寄：{f.parcels_out} 件，运费 {format_fen(f.parcels_out_fee_fen)} 元",
        f"代购：登记 {f.purchase_registered} 单 {format_fen(f.purchase_registered_fen)}"
        f" 元，下单 {f.purchase_ordered} 单 {format_fen(f.purchase_ordered_fen)} 元",
        f"代销：登记 {f.sale_registered} 单 {format_fen(f.sale_registered_fen)} 元，"
        f"下单 {f.sale_ordered} 单 {format_fen(f.sale_ordered_fen)} 元",
        f"退款：{f.refunds} 笔 {format_fen(f.refunds_fen)} 元",
    ]
    for category, name in labels.SERVICE_CATEGORY.items():
        s = f.services.get(category)
        if s is not None:
            lines.append(f"{name}：{s.count} 笔 {format_fen(s.amount_fen)} 元，"
                         f"服务费 {format_fen(s.fee_fen)} 元")
    lines.append(open_line)
    return "\n".join(lines)


def status_text(status: DayStatus) -> str:
    timeliness = labels.REPORT_TIMELINESS[status.timeliness]
    if status.original is not None:
        text = (f"已于 {clock.format_time(status.original.submitted_at)} 提交"
                f"（{timeliness}），已锁定")
        if status.amendments:
            text += f"；已更正 {status.amendments} 次"
        return text
    if not status.due:
        return f"{labels.REST_KIND.get(status.rest_kind or '', '休息日')}，无需日报"
    return f"未提交（{timeliness}）"


def report_figures_text(view: DayView) -> str:
    """A locked day shows what was submitted (the latest amendment), and
    says so when the ledger has changed since; an open day its compilation."""
    latest = view.status.latest if view.status.locked else None
    if latest is None:
        return f"{view.day.isoformat()} 汇总\n{figures_text(view.figures)}"
    submitted = DayFigures.from_json(latest.figures)
    kind = "更正" if latest.amends else "提交"
    text = (f"{view.day.isoformat()} 已{kind}的日报"
            f"（{clock.format_time(latest.submitted_at)}）\n{figures_text(submitted)}")
    # Compared without the open time: it grows while a spell is open.
    if _comparable(submitted) != _comparable(view.figures):
        text += ("\n\n提交后记录又有变动，现在汇总为：\n"
                 f"{figures_text(view.figures)}\n如需报给中心，请按“更正”")
    return text


def _comparable(figures: DayFigures) -> DayFigures:
    return replace(figures, open_seconds=0, still_open=False)


@dataclass(frozen=True)
class DayView:
    """Everything the screen shows for one day, read in a worker."""

    day: date
    figures: DayFigures
    status: DayStatus
    warning: str | None
    missing: list[date]
    recent: list[ReportRow]


class ReportScreen(Screen[None]):
    """Compile, submit and amend the daily report; see recent reports."""

    DEFAULT_CSS = """
    ReportScreen {
        layout: vertical;
        padding: 0 1;
    }
    ReportScreen #report-warning {
        color: $warning;
        text-style: bold;
        height: auto;
        display: none;
    }
    ReportScreen #report-warning.-shown {
        display: block;
    }
    ReportScreen .report--row {
        height: auto;
    }
    ReportScreen .report--row Button {
        margin: 1 1 0 0;
    }
    ReportScreen #field-day {
        width: 24;
    }
    ReportScreen #report-figures {
        height: auto;
        border: round $primary;
        padding: 0 1;
    }
    ReportScreen #report-status {
        height: auto;
        text-style: bold;
    }
    ReportScreen #report-recent {
        height: 1fr;
        min-height: 5;
    }
    """

    BINDINGS = [
        # Short labels: the footer must fit them at 80 columns.
        Binding("ctrl+s", "submit", "提交"),
        Binding("ctrl+r", "amend", "更正"),
        Binding("ctrl+l", "reload", "汇总"),
    ]

    class DayLoaded(Message):
        """A day's figures, status and history were read."""

        def __init__(self, view: DayView) -> None:
            super().__init__()
            self.view = view

    class Submitted(Message):
        """A report or an amendment was saved."""

        def __init__(self, day: date, amendment: bool) -> None:
            super().__init__()
            self.day = day
            self.amendment = amendment

    class SubmitFailed(Message):
        """Saving was refused; ``error`` says why."""

        def __init__(self, error: StationError) -> None:
            super().__init__()
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self._view: DayView | None = None
        self._day = clock.local_date(clock.now())

    def compose(self) -> ComposeResult:
        yield Static("", id="report-warning", markup=False)
        with Horizontal(classes="report--row"):
            yield FormField("日期", name="day", value=self._day.isoformat(),
                            placeholder="例：2026-04-01")
            yield Button("汇总 (Ctrl+L)", id="reload")
        yield Static("正在汇总……", id="report-figures", markup=False)
        yield Static("", id="report-status", markup=False)
        yield FormField("备注", name="note", placeholder="当天情况说明（可不填）")
        with Horizontal(classes="report--row"):
            yield Button("提交日报 (Ctrl+S)", id="submit", variant="primary",
                         disabled=True)
            yield Button("提交更正 (Ctrl+R)", id="amend", disabled=True)
        with Vertical():
            yield Label("最近日报")
            yield DataTable(id="report-recent", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#report-recent", DataTable)
        table.add_columns("日期", "提交时间", "及时性", "类别", "备注")
        self._load(self._day)

    # Loading -----------------------------------------------------------

    def _typed_day(self) -> date:
        """The typed day; InputError for a wrong, empty or future one.

        A future day has no figures yet and no report can be submitted for
        it, so it is refused here, before anything is compiled or asked.
        """
        typed = self.query_one("#field-day", FormField).value
        if not typed.strip():
            raise InputError("请填写日期", field="day")
        day = clock.parse_day(typed, field="day")
        today = clock.local_date(clock.now())
        if day > today:
            raise InputError(
                f"{day.isoformat()} 还没到：只能汇总和提交今天"
                f"（{today.isoformat()}）或以前的日报", field="day")
        return day

    def _chosen_day(self) -> date | None:
        """The typed day, or None when it is marked wrong instead."""
        field = self.query_one("#field-day", FormField)
        try:
            day = self._typed_day()
        except StationError as error:
            show_error(self, error)
            return None
        field.clear_error()
        return day

    @on(Button.Pressed, "#reload")
    def action_reload(self) -> bool:
        """Compile the typed day; False when the date is not accepted."""
        day = self._chosen_day()
        if day is None:
            return False
        self._day = day
        self._load(day)
        return True

    @on(Input.Submitted, "#input-day")
    def _day_entered(self, event: Input.Submitted) -> None:
        # Enter compiles the day and moves on to the note, like every form.
        event.stop()
        if self.action_reload():
            self.query_one("#field-note", FormField).input.focus()

    @on(Input.Submitted, "#input-note")
    def _note_entered(self, event: Input.Submitted) -> None:
        # The note is the last field: Enter submits, or amends a locked day.
        event.stop()
        view = self._view
        self._confirm(amendment=view is not None and view.status.locked)

    @work(thread=True, exclusive=True, group="report-load")
    def _load(self, day: date) -> None:
        with database_proxy.connection_context():
            now = clock.now()
            view = DayView(
                day=day,
                figures=daily_report.compile_day(day, now=now),
                status=daily_report.day_status(day, now=now),
                warning=daily_report.yesterday_warning(now=now),
                missing=daily_report.missing_days(now=now),
                recent=daily_report.recent_reports(now=now),
            )
        self.post_message(self.DayLoaded(view))

    @on(DayLoaded)
    def _show_day(self, event: DayLoaded) -> None:
        view = event.view
        if view.day != self._day:  # the partner chose another day meanwhile
            return
        self._view = view
        # The day typed is shown now: choosing it was not work to lose.
        self.query_one("#field-day", FormField).mark_saved()
        self.query_one("#report-figures", Static).update(report_figures_text(view))
        self.query_one("#report-status", Static).update(status_text(view.status))
        self._show_warning(view)
        future = view.day > clock.local_date(clock.now())
        self.query_one("#submit", Button).disabled = view.status.locked or future
        self.query_one("#amend", Button).disabled = not view.status.locked
        table = self.query_one("#report-recent", DataTable)
        table.clear()
        for row in view.recent:
            table.add_row(
                row.day.isoformat(), clock.format_time(row.submitted_at),
                labels.REPORT_TIMELINESS[row.timeliness],
                "更正" if row.is_amendment else "原报", row.note,
                key=str(row.uuid),
            )

    def _show_warning(self, view: DayView) -> None:
        parts = [view.warning] if view.warning else []
        if view.missing:
            shown = "、".join(d.strftime("%m-%d") for d in view.missing[-7:])
            more = f" 等 {len(view.missing)} 天" if len(view.missing) > 7 else ""
            parts.append(f"未提交日报的日子：{shown}{more}")
        banner = self.query_one("#report-warning", Static)
        banner.update("\n".join(parts))
        banner.set_class(bool(parts), "-shown")

    # Submitting --------------------------------------------------------

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        self._confirm(amendment=False)

    @on(Button.Pressed, "#amend")
    def action_amend(self) -> None:
        self._confirm(amendment=True)

    def _confirm(self, *, amendment: bool) -> None:
        clear_errors(self)
        view = self._view
        note = self.query_one("#field-note", FormField).value
        # Day and note are checked together, so both are marked at once.
        checks = FieldChecks()
        day = checks.take(self._typed_day)
        checks.take(daily_report.check_note, note)
        try:
            checks.raise_all()
        except InputError as error:
            show_error(self, error)
            return
        if day is None or view is None:
            return
        if day != view.day:  # the day was changed but not yet compiled
            self.action_reload()
            return
        if amendment and not view.status.locked:
            self.notify(f"{day.isoformat()} 的日报还没有提交，不能更正",
                        severity="warning")
            return
        if not amendment and view.status.locked:
            self.notify(f"{day.isoformat()} 的日报已锁定，如需修改请提交更正",
                        severity="warning")
            return
        title = f"{'提交更正' if amendment else '提交日报'}：{day.isoformat()}"

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self._save(day, note, amendment)

        self.app.push_screen(
            ReportConfirmModal(title, figures_text(view.figures), note), answered)

    @work(thread=True, group="report-save")
    def _save(self, day: date, note: str, amendment: bool) -> None:
        try:
            with database_proxy.connection_context():
                if amendment:
                    daily_report.amend(day, note)
                else:
                    daily_report.submit(day, note)
        except StationError as error:
            self.post_message(self.SubmitFailed(error))
            return
        self.post_message(self.Submitted(day, amendment))

    @on(Submitted)
    def _saved(self, event: Submitted) -> None:
        what = "更正" if event.amendment else "日报"
        self.notify(f"{event.day.isoformat()} 的{what}已提交并锁定")
        self.query_one("#field-note", FormField).value = ""
        if event.day == self._day:
            self._load(event.day)

    @on(SubmitFailed)
    def _refused(self, event: SubmitFailed) -> None:
        if not show_error(self, event.error):
            self.notify(event.error.message, severity="error")
