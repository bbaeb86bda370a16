"""Case C10: the parcel list of a station holding 200,000 parcels."""

from __future__ import annotations

import time

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from benchmarks.fixtures import fill_parcels
from station_tui.records import ParcelIn, StationProfile
from station_tui.ui.screens.parcels_in_screen import ParcelsInScreen
from station_tui.ui.widgets.paged_table import PagedTable


class ListApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[PagedTable.PageLoaded] = []

    def on_mount(self) -> None:
        self.push_screen(ParcelsInScreen())

    def on_paged_table_page_loaded(self, event: PagedTable.PageLoaded) -> None:
        self.loaded.append(event)


@pytest.fixture
def big_station(station: StationProfile) -> StationProfile:
    fill_parcels(200_000)
    return station


async def _wait_pages(pilot: Pilot[None], app: ListApp, count: int) -> None:
    deadline = time.monotonic() + 10
    while len(app.loaded) < count and time.monotonic() < deadline:
        await pilot.pause(0.01)
    assert len(app.loaded) >= count


async def test_list_of_200000_parcels_loads_one_page_and_searches_last_four_c10(
        big_station: StationProfile) -> None:
    """C10: one page of rows is loaded, and a last-four search answers fast."""
    target = ParcelIn.select().where(ParcelIn.status == "waiting").first()
    last4 = target.phone_last4
    expected = [p.uuid.hex for p in (
        ParcelIn.select()
        .where(ParcelIn.phone_last4 == last4, ParcelIn.status == "waiting")
        .order_by(ParcelIn.happened_at.desc(), ParcelIn.uuid.desc())
        .limit(50))]

    app = ListApp()
    async with app.run_test(size=(150, 40)) as pilot:
        await _wait_pages(pilot, app, 1)
        table = app.screen.query_one("#parcels", PagedTable)
        assert table.row_count == table.page_size
        assert app.loaded[0].elapsed_ms < 500

        app.screen.query_one("#search", Input).focus()
        typed_at = time.perf_counter()
        await pilot.press(*last4)
        typing_ms = (time.perf_counter() - typed_at) * 1000
        await pilot.pause(0.3)  # the debounce
        await app.workers.wait_for_complete()
        await pilot.pause()

        assert typing_ms < 1000  # four keys never wait for a query
        assert app.loaded[-1].rows == len(expected)
        assert app.loaded[-1].elapsed_ms < 500
        keys = [str(row.value) for row in table.rows]
        assert keys == expected
