"""Peak memory of the station app on a database of 200,000 parcels.

Each side runs headless in a fresh process; the parent reads the child's
peak resident set size (``ru_maxrss`` from ``os.wait4``, that child only).

- station: the app on the database, driven by keys: F3 (the parcel list
  opens), Ctrl+F and four digits (a last-four search), F9 (the ledger
  opens), F9 again after searching the same four digits there;
- baseline: a bare Textual app showing one DataTable, started and stopped.

Goal: station ≤ 150 MB; the ratio to the baseline is printed beside it.

    python -m benchmarks.bench_memory [--parcels 200000] [--db FILE]
"""

# Only the standard library at module level, as in bench_startup: the
# child imports this module too.
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

GOAL_MB = 150
SIZE = (120, 40)


def child_baseline() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

        def on_ready(self) -> None:
            self.exit()

    Bare().run(headless=True, size=SIZE)


def child_station(db: str, last4: str) -> None:
    from textual.pilot import Pilot

    from station_tui.storage.db import open_sqlite
    from station_tui.ui.app import StationApp
    from station_tui.ui.widgets.paged_table import PagedTable

    async def settle(pilot: Pilot[None]) -> None:
        for _ in range(3):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause(0.05)

    async def drive(pilot: Pilot[None]) -> None:
        app = pilot.app
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        opened = app.screen.query_one("#parcels", PagedTable).row_count
        await pilot.press("ctrl+f", *last4)
        await pilot.pause(0.3)  # the search waits for typing to pause
        await settle(pilot)
        found = app.screen.query_one("#parcels", PagedTable).row_count
        await pilot.press("f9")
        await settle(pilot)
        ledger = app.screen.query_one("#ledger-table").row_count
        await pilot.press("ctrl+f", *last4, "enter")
        await settle(pilot)
        searched = app.screen.query_one("#ledger-table").row_count
        print(f"rows {opened} {found} {ledger} {searched}", flush=True)
        app.exit()

    open_sqlite(db)
    # Start checks off: a quick_check reads the whole file, which is not
    # what this measures (and is done once a day, in a worker).
    StationApp(db, start_checks=False).run(headless=True, size=SIZE,
                                           auto_pilot=drive)


def _peak_mb(args: list[str]) -> tuple[float, str]:
    """Run a child; its own peak RSS in MB and what it printed."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "benchmarks.bench_memory", *args],
            stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        printed = out.read()
    if child.returncode != 0:
        raise RuntimeError(f"{args} failed ({child.returncode}):\n{printed[-3000:]}")
    return usage.ru_maxrss / 1024, printed  # kB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parcels", type=int, default=200_000)
    parser.add_argument("--db", type=Path, help="reuse (or build) this database")
    parser.add_argument("--child", choices=["baseline", "station"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--last4", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "baseline":
        child_baseline()
        return
    if args.child == "station":
        child_station(str(args.db), args.last4)
        return

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "station.sqlite3"
        if not db.exists():
            # In a process of its own: a child's ru_maxrss counts the
            # parent's memory it was forked from, so the parent stays small.
            subprocess.run([sys.executable, "-m", "benchmarks.fixtures", str(db),
                            str(args.parcels)], check=True)
        last4 = _busiest_waiting_last4(db)
        bare_mb, _ = _peak_mb(["--child", "baseline"])
        station_mb, printed = _peak_mb(["--child", "station", "--db", str(db),
                                        "--last4", last4])
        size_mb = db.stat().st_size / 1e6

    rows = next(line.split()[1:] for line in printed.splitlines()
                if line.startswith("rows "))
    print(f"database: {size_mb:.0f} MB; last four searched: {last4}")
    print(f"rows shown: parcel list {rows[0]}, after the search {rows[1]}; "
          f"ledger {rows[2]}, after the search {rows[3]}")
    print(f"peak RSS, bare Textual + DataTable: {bare_mb:6.1f} MB")
    print(f"peak RSS, station app:              {station_mb:6.1f} MB "
          f"({station_mb / bare_mb:.2f}× the bare app)")
    print(f"goal ≤ {GOAL_MB} MB: {'met' if station_mb <= GOAL_MB else 'MISSED'}")


def _busiest_waiting_last4(db: Path) -> str:
    """The last four digits shared by the most waiting parcels."""
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(db)) as raw:
        (last4,) = raw.execute(
            "SELECT phone_last4 FROM parcel_in WHERE status = 'waiting' "
            "GROUP BY phone_last4 ORDER BY COUNT(*) DESC LIMIT 1").fetchone()
    return str(last4)


if __name__ == "__main__":
    main()
