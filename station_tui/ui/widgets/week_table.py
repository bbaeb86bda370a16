"""A week's open hours, day by day, against the 5-day/8-hour rule."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from station_tui.ui.formatting import duration, weekday

# The rule's module is imported when a week is first drawn, after the first
# frame: the today screen imports this one for its first frame.
if TYPE_CHECKING:
    from station_tui.domain.opening_rule import DayStatus, WeekStatus


def day_note(day: DayStatus, today: date, open_now: bool = False) -> Text:
    """What the rule makes of one day, coloured; ``open_now``: the station
    is open at this moment (today's hours still growing)."""
    from station_tui.domain.opening_rule import DEFAULT_RULE

    if day.mark == "holiday":
        return Text("中心假日", style="cyan")
    if day.mark == "rest":
        return Text("休息日", style="cyan")
    if not day.active:
        return Text("未设站", style="dim")
    if day.qualifies:
        return Text("达标", style="green")
    if day.day > today:
        return Text("")
    hours = DEFAULT_RULE.min_day_hours
    if day.day == today:
        if open_now:
            return Text("营业中", style="yellow")
        # The same words as a past day, in yellow: today is not over yet.
        return Text(f"不足{hours}小时" if day.open_seconds else "未开门",
                    style="yellow")
    if day.open_seconds:
        return Text(f"不足{hours}小时", style="red")
    return Text("未营业", style="red")


def week_summary(status: WeekStatus) -> str:
    """One line: open days so far against the days the week requires."""
    from station_tui.domain.opening_rule import DEFAULT_RULE

    hours = DEFAULT_RULE.min_day_hours
    head = (
        f"满{hours}小时的营业日 {status.qualifying} 天，"
        f"本周需 {status.required} 天"
    )
    if status.met:
        verdict = "已达标"
    elif status.finished:
        verdict = "未达标"
    elif not status.reachable:
        verdict = "已无法达标"
    else:
        verdict = f"还差 {status.required - status.qualifying} 天"
    rests = f"休息日 {status.rest_days}/{DEFAULT_RULE.max_rest_days}"
    if status.holidays:
        rests += f"，中心假日 {status.holidays} 天"
    return f"{head}，{verdict}；{rests}"


#: Column labels of a week, day by day.
WEEK_COLUMNS = ("日期", "星期", "营业时长", "情况")


def week_rows(status: WeekStatus, today: date,
              open_now: bool = False) -> list[tuple[str, list[Text]]]:
    """(ISO date, cells) for each day of the week, Monday first."""
    rows = []
    for day in status.days:
        hours = duration(day.open_seconds) if day.open_seconds else ""
        label = day.day.isoformat()
        rows.append((label, [
            Text(label, style="bold" if day.day == today else ""),
            Text(weekday(day.day)),
            Text(hours, justify="right"),
            day_note(day, today, open_now),
        ]))
    return rows


class WeekTable(DataTable[Text]):
    """Seven rows, Monday to Sunday; row keys are ISO dates."""

    DEFAULT_CSS = """
    WeekTable {
        height: auto;
        max-height: 10;
    }
    """

    def on_mount(self) -> None:
        self.cursor_type = "row"
        for label, key in zip(WEEK_COLUMNS, ("day", "weekday", "hours", "note")):
            self.add_column(label, key=key)

    def show_week(self, status: WeekStatus, today: date,
                  open_now: bool = False) -> None:
        """Replace the rows with ``status``, keeping the cursor's row."""
        row = self.cursor_row
        self.clear()
        for label, cells in week_rows(status, today, open_now):
            self.add_row(*cells, key=label)
        if self.row_count:
            self.move_cursor(row=min(row, self.row_count - 1))

    @property
    def selected_day(self) -> date | None:
        """The day under the cursor."""
        if not self.row_count:
            return None
        key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return date.fromisoformat(str(key.value))
