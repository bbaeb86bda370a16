"""Opening the parcel list and a last-four search with 200,000 parcels (C10).

Figures: a bare SELECT of one page (the baseline), the same page through
``parcels_in.page``, and through ParcelsInScreen (headless): time from the
list's query being started to its first page being in the table, on opening
and after four digits in the search box (debounce excluded, and
reported apart; so is composing the screen itself, which does not
depend on the number of parcels). Goal: ≤ 100 ms each, at most one page of rows loaded.
Also timed through ``parcels_in.page``: a search by the first two pinyin
initials on the waiting list, and by one initial on the list of all
parcels (the most rows a prefix can match; they are sorted, not walked).

    python -m benchmarks.bench_parcels_list [--parcels 200000] [--db FILE]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from textual.app import App
from textual.widgets import Input

from benchmarks.fixtures import build_station_db
from station_tui.operations import parcels_in
from station_tui.records import ParcelIn, database_proxy
from station_tui.storage.db import open_sqlite
from station_tui.ui.screens.parcels_in_screen import SEARCH_DEBOUNCE_S, ParcelsInScreen
from station_tui.ui.widgets.paged_table import PagedTable

GOAL_MS = 100
REPEATS = 15
BARE_PAGE = ("SELECT * FROM parcel_in WHERE status = ? AND voided_at IS NULL "
             "ORDER BY happened_at DESC, rowid DESC LIMIT 50")
BARE_LAST4 = ("SELECT * FROM parcel_in WHERE phone_last4 = ? AND status = ? "
              "AND voided_at IS NULL ORDER BY happened_at DESC, rowid DESC LIMIT 50")


def _median_ms(action, repeats: int = REPEATS) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeats):
        began = time.perf_counter()
        action()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


class BenchApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.pages: list[tuple[float, PagedTable.PageLoaded]] = []

    def on_paged_table_page_loaded(self, event: PagedTable.PageLoaded) -> None:
        self.pages.append((time.perf_counter(), event))


async def _wait(app: BenchApp, count: int) -> None:
    while len(app.pages) < count:
        await asyncio.sleep(0.0005)


async def _ui_times(last4: str) -> tuple[list[float], list[float], list[float],
                                         int, int]:
    app = BenchApp()
    mounts, opens, searches = [], [], []
    rows_open = rows_search = 0
    async with app.run_test(size=(150, 40)) as pilot:
        for _ in range(REPEATS):
            app.pages.clear()
            began = time.perf_counter()
            screen = ParcelsInScreen()
            await app.push_screen(screen)
            mounts.append((time.perf_counter() - began) * 1000)
            await _wait(app, 1)
            opens.append(app.pages[0][1].total_ms)
            table = screen.query_one("#parcels", PagedTable)
            rows_open = max(rows_open, table.row_count)

            screen.query_one("#search", Input).value = last4
            typed = time.perf_counter()
            await _wait(app, 2)
            assert (app.pages[1][0] - typed) * 1000 >= SEARCH_DEBOUNCE_S * 1000
            searches.append(app.pages[1][1].total_ms)
            rows_search = max(rows_search, table.row_count)
            await app.pop_screen()
            await pilot.pause()
    return mounts, opens, searches, rows_open, rows_search


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parcels", type=int, default=200_000)
    parser.add_argument("--db", type=Path, help="reuse (or build) this database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or Path(tmp) / "station.sqlite3"
        if path.exists():
            db = open_sqlite(path)
        else:
            began = time.perf_counter()
            db = build_station_db(path, args.parcels)
            took = time.perf_counter() - began
            print(f"built {args.parcels} parcels in {took:.1f} s")
        total = ParcelIn.select().count()
        waiting = ParcelIn.select().where(ParcelIn.status == "waiting").first()
        last4 = waiting.phone_last4

        raw = database_proxy.obj.connection()
        bare_page = _median_ms(lambda: raw.execute(BARE_PAGE, ("waiting",)).fetchall())
        bare_last4 = _median_ms(
            lambda: raw.execute(BARE_LAST4, (last4, "waiting")).fetchall())
        op_page = _median_ms(lambda: parcels_in.page("waiting"))
        op_last4 = _median_ms(lambda: parcels_in.page("waiting", last4))
        two = waiting.name_initials[:2]
        op_two = _median_ms(lambda: parcels_in.page("waiting", two))
        one, one_count = raw.execute(
            "SELECT substr(name_initials, 1, 1) AS first, COUNT(*) FROM parcel_in "
            "WHERE name_initials != '' GROUP BY first ORDER BY 2 DESC LIMIT 1"
        ).fetchone()
        op_one = _median_ms(lambda: parcels_in.page("all", one))
        mounts, opens, searches, rows_open, rows_search = asyncio.run(
            _ui_times(last4))
        db.close()

    ui_open, ui_search = statistics.median(opens), statistics.median(searches)
    print(f"{total} parcels; last four searched: {last4}; medians of {REPEATS} runs")
    print(f"{'':34}{'open list':>12}{'last-four':>12}")
    for label, a, b in (
        ("bare SELECT of one page (ms)", bare_page, bare_last4),
        ("parcels_in.page (ms)", op_page, op_last4),
        ("screen: query → rows in table (ms)", ui_open, ui_search),
    ):
        print(f"{label:34}{a:>12.2f}{b:>12.2f}")
    print(f"screen compose and mount, whatever the row count: "
          f"{statistics.median(mounts):.1f} ms")
    print(f"parcels_in.page, initials prefix: “{two}” on the waiting list "
          f"{op_two:.2f} ms; “{one}” on all parcels ({one_count} match) "
          f"{op_one:.2f} ms")
    print(f"ratio screen/bare: open {ui_open / bare_page:.1f}×, "
          f"search {ui_search / bare_last4:.1f}×; "
          f"page()/bare: {op_page / bare_page:.1f}×, {op_last4 / bare_last4:.1f}×")
    print(f"rows in the table: {rows_open} after opening, {rows_search} after "
          f"the search (page size 50); search debounce "
          f"{SEARCH_DEBOUNCE_S * 1000:.0f} ms "
          "not counted above")
    met = max(ui_open, ui_search, op_two, op_one) <= GOAL_MS and rows_open <= 50
    print(f"goal ≤ {GOAL_MS} ms each, ≤ one page loaded: {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
