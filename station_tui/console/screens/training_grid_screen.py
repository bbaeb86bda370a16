"""Training attendance as a grid: stations down, sessions across, one key
per mark (present, leave, absent, late, unexcused early, test failed)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Static

from station_tui.console.client import ConsoleClient
from station_tui.console.screens.console_screen import ConsoleScreen

KEYS_HELP = ("p 出勤（测试通过）  l 请假  a 旷课  t 迟到  e 无故早退  "
             "f 测试不通过  x 清除迟到、早退")


def mark(record: dict[str, Any] | None) -> Text:
    """What a cell shows for an attendance record."""
    if record is None:
        return Text("·", style="dim")
    if record["presence"] == "leave":
        return Text("假", style="yellow")
    if record["presence"] == "absent":
        return Text("旷", style="bold red")
    parts = ["出"]
    if record.get("late"):
        parts.append("迟")
    if record.get("left_early"):
        parts.append("早")
    if record.get("test") == "fail":
        parts.append("败")
    return Text("".join(parts), style="green" if len(parts) == 1 else "yellow")


def next_values(current: dict[str, Any] | None, key: str,
                has_test: bool) -> dict[str, Any]:
    """The attendance a key makes of a cell's current one."""
    present = {"presence": "present", "late": False, "left_early": False,
               "test": "pass" if has_test else None}
    if current is not None and current["presence"] == "present":
        present.update(late=bool(current.get("late")),
                       left_early=bool(current.get("left_early")),
                       test=current.get("test"))
    if key == "l":
        return {"presence": "leave"}
    if key == "a":
        return {"presence": "absent"}
    if key == "t":
        present["late"] = not present["late"]
    elif key == "e":
        present["left_early"] = not present["left_early"]
    elif key == "f":
        present["test"] = "pass" if present["test"] == "fail" else "fail"
    elif key == "x":
        present.update(late=False, left_early=False)
    return present


class TrainingGridScreen(ConsoleScreen):
    """Attendance of every station at every session, entered by keys."""

    DEFAULT_CSS = """
    TrainingGridScreen #grid {
        height: 1fr;
    }
    TrainingGridScreen #help {
        padding: 0 1;
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("p", "mark('p')", "出勤", show=False),
        Binding("l", "mark('l')", "请假", show=False),
        Binding("a", "mark('a')", "旷课", show=False),
        Binding("t", "mark('t')", "迟到", show=False),
        Binding("e", "mark('e')", "早退", show=False),
        Binding("f", "mark('f')", "测试不通过", show=False),
        Binding("x", "mark('x')", "清除迟到早退", show=False),
        Binding("ctrl+r", "reload", "刷新"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sessions: list[dict[str, Any]] = []
        self.stations: list[dict[str, Any]] = []
        self.cells: dict[tuple[str, str], dict[str, Any]] = {}

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        yield Static(KEYS_HELP, id="help")
        yield DataTable(id="grid", cursor_type="cell", zebra_stripes=True)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.title = "培训出勤"
        self.action_reload()

    def action_reload(self) -> None:
        def load(client: ConsoleClient) -> tuple[Any, Any, Any]:
            return (client.records("training", limit=200), client.all_stations(),
                    client.records("attendance", limit=20000))
        self.call("grid", load)

    def on_reconnected(self) -> None:
        self.action_reload()

    def answer_grid(self, found: tuple[Any, Any, Any]) -> None:
        sessions, stations, attendance = found
        self.sessions = sorted(sessions, key=lambda s: s["day"])
        self.stations = stations
        self.cells = {(a["station"], a["session"]): a for a in attendance}
        table = self.query_one("#grid", DataTable)
        table.clear(columns=True)
        table.add_column("站点", key="station")
        for s in self.sessions:
            table.add_column(f"{s['day'][5:]} {s['title'][:8]}", key=s["uuid"])
        for st in self.stations:
            table.add_row(f"{st['code']} {st['name'][:10]}",
                          *(mark(self.cells.get((st["code"], s["uuid"])))
                            for s in self.sessions), key=st["code"])
        table.focus()

    def _cell(self) -> tuple[str, dict[str, Any]] | None:
        table = self.query_one("#grid", DataTable)
        coordinate = table.cursor_coordinate
        if not table.row_count or coordinate.column == 0:
            return None
        station = str(table.coordinate_to_cell_key(coordinate).row_key.value)
        return station, self.sessions[coordinate.column - 1]

    def action_mark(self, key: str) -> None:
        cell = self._cell()
        if cell is None:
            self.notify("请把光标移到某次培训的格子上", severity="warning")
            return
        if not self.may_enter():
            return
        station, session = cell
        values = {"station": station, "session": session["uuid"],
                  **next_values(self.cells.get((station, session["uuid"])), key,
                                bool(session["has_test"]))}
        coordinate = self.query_one("#grid", DataTable).cursor_coordinate
        self.call(f"mark-{station}-{session['uuid']}",
                  lambda client: client.set_attendance(values),
                  on_answer=lambda _: self._marked(coordinate, station,
                                                   session["uuid"], values))

    def _marked(self, at: Coordinate, station: str, session: str,
                values: dict[str, Any]) -> None:
        self.cells[(station, session)] = values
        self.query_one("#grid", DataTable).update_cell_at(at, mark(values))
