"""A small App that shows one screen, for Pilot tests of the orders screens.

The real station app is built elsewhere; these tests mount a screen on its
own so that they drive exactly what this area provides.
"""

from __future__ import annotations

from typing import Callable

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import DataTable

from station_tui.ui.widgets.form_field import FormField

SIZE = (150, 45)


class ScreenApp(App[None]):
    """Pushes the screen it is given; nothing else."""

    def __init__(self, make_screen: Callable[[], Screen[None]]) -> None:
        super().__init__()
        self.make_screen = make_screen

    def on_mount(self) -> None:
        self.push_screen(self.make_screen())


async def settle(pilot: Pilot[None]) -> None:
    """Wait until every worker (saves, page loads, searches) is done.

    A finished worker posts back to the UI, which may start the next one
    (a save reloads the list), so wait until a round starts nothing new.
    """
    for _ in range(20):
        await pilot.pause()
        running = [w for w in pilot.app.workers if not w.is_finished]
        if not running:
            await pilot.pause()
            if not [w for w in pilot.app.workers if not w.is_finished]:
                return
        await pilot.app.workers.wait_for_complete()
    raise AssertionError("workers kept running")


async def type_text(pilot: Pilot[None], text: str) -> None:
    """Type text key by key, as a person (or an IME commit) would."""
    await pilot.press(*text)


def field(screen: Screen[None], name: str) -> FormField:
    return screen.query_one(f"#field-{name}", FormField)


def table_rows(screen: Screen[None]) -> list[list[str]]:
    table = screen.query_one("#records", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
