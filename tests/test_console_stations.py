"""The console's stations list and station detail, against a live server."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest
from textual.widgets import DataTable, Select, Static

from console_support import LiveServer, build_demo, copy_demo, live_server
from station_tui.console.app import ConsoleApp
from station_tui.console import credentials


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo") / "demo.sqlite3")


@pytest.fixture
def server(demo_template: Path, tmp_path: Path) -> Iterator[LiveServer]:
    with live_server(copy_demo(demo_template, tmp_path)) as live:
        yield live


def console(server: LiveServer, role: str = "inspector") -> ConsoleApp:
    credentials.save_token(server.url, server.tokens[role])
    return ConsoleApp(server.url)


async def wait_for(pilot, condition, timeout: float = 20.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await pilot.pause(0.05)


async def test_stations_screen_lists_every_station_and_filters_by_township(
        server: LiveServer) -> None:
    app = console(server)
    async with app.run_test(size=(160, 45)) as pilot:
        table = app.screen.query_one("#stations", DataTable)
        await wait_for(pilot, lambda: table.row_count == 8)
        await wait_for(pilot, lambda: app.role == "inspector")
        town = app.screen.query_one("#town", Select)
        await wait_for(pilot, lambda: len(town._options) > 1)
        town.value = "龙港镇"
        await wait_for(pilot, lambda: table.row_count == 1)
        assert table.get_row_at(0)[0] == "QS0100"


async def test_reloading_the_township_list_keeps_the_chosen_township(
        server: LiveServer) -> None:
    """The reload after signing in used to land after a township was chosen
    now and then, and the list fell back to all eight stations."""
    app = console(server)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = app.screen
        table = screen.query_one("#stations", DataTable)
        town = screen.query_one("#town", Select)
        await wait_for(pilot, lambda: app.role == "inspector")
        await wait_for(pilot, lambda: len(town._options) > 1
                       and not screen.busy("towns"))
        town.value = "龙港镇"
        await wait_for(pilot, lambda: table.row_count == 1)
        screen.action_reload()
        await wait_for(pilot, lambda: not screen.busy("towns")
                       and not table.loading_page)
        await pilot.pause(0.2)
        assert town.value == "龙港镇"
        assert table.row_count == 1
        assert table.get_row_at(0)[0] == "QS0100"
