"""Scanner throughput through a real pty (case C02).

100 distinct tracking numbers + Enter, one key per millisecond on an
absolute schedule, into ParcelsInScreen in a child process; the baseline
is the same key stream into a bare Textual app with one Input.

    python -m benchmarks.bench_scan [--scans 100] [--parcels 0]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.fixtures import build_station_db, setup_demo_station
from station_tui.records import ParcelIn
from station_tui.storage.db import open_sqlite
from tests.pty_scan import PtyScanner, scan_keys

GOAL_SCANS_PER_S = 50


@dataclass
class Run:
    name: str
    handled: int
    exact: int
    stored: int | None
    feed_s: float
    total_s: float
    lag_ms: float

    @property
    def scans_per_s(self) -> float:
        return self.exact / self.total_s


def _run(mode: str, db_path: Path, numbers: list[str], work: Path) -> Run:
    keys = scan_keys(numbers)
    with PtyScanner(db_path, work / f"progress-{mode}.txt", mode) as scanner:
        scanner.wait_for_text("扫描或输入单号")
        time.sleep(0.5)  # let the first list query finish
        start, last = scanner.feed(keys)
        try:
            done = scanner.wait_for_scans(len(numbers), timeout=30)
        except TimeoutError:
            done = time.perf_counter()
        outcomes = scanner.progress()
    values = [v for _, v in outcomes]
    exact = sum(1 for a, b in zip(values, numbers) if a == b)
    stored = None
    if mode == "screen":
        db = open_sqlite(db_path)
        stored = ParcelIn.select().where(ParcelIn.tracking_no.in_(numbers)).count()
        db.close()
    return Run(mode, len(outcomes), exact, stored, last - start, done - start,
               (done - last) * 1000)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scans", type=int, default=100)
    parser.add_argument("--parcels", type=int, default=0,
                        help="parcels already in the database (e.g. 200000)")
    args = parser.parse_args()
    numbers = [f"SF{5234567890000 + i}" for i in range(args.scans)]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db_path = work / "station.sqlite3"
        if args.parcels:
            build_station_db(db_path, args.parcels).close()
        else:
            db = open_sqlite(db_path)
            setup_demo_station()
            db.close()
        base = _run("bare", db_path, numbers, work)
        ours = _run("screen", db_path, numbers, work)

    print(f"{args.scans} scans, {len(scan_keys(numbers))} keys at 1 ms/key, "
          f"{args.parcels} parcels already stored")
    print(f"{'':24}{'bare Input':>14}{'ParcelsInScreen':>18}")
    rows = [
        ("scans handled", base.handled, ours.handled),
        ("scans exact (not merged/split)", base.exact, ours.exact),
        ("parcels stored", "-", ours.stored),
        ("key feed (s)", f"{base.feed_s:.3f}", f"{ours.feed_s:.3f}"),
        ("all handled after (s)", f"{base.total_s:.3f}", f"{ours.total_s:.3f}"),
        ("scans/s", f"{base.scans_per_s:.1f}", f"{ours.scans_per_s:.1f}"),
        ("lag after last Enter (ms)", f"{base.lag_ms:.1f}", f"{ours.lag_ms:.1f}"),
    ]
    for label, a, b in rows:
        print(f"{label:32}{a!s:>8}{b!s:>18}")
    print(f"ratio scans/s ours/bare: {ours.scans_per_s / base.scans_per_s:.2f}; "
          f"lag ours/bare: {ours.lag_ms / max(base.lag_ms, 0.001):.2f}")
    print(f"goal ≥ {GOAL_SCANS_PER_S} scans/s: "
          f"{'met' if ours.scans_per_s >= GOAL_SCANS_PER_S else 'MISSED'}; "
          f"none merged or lost: "
          f"{'yes' if ours.exact == args.scans == ours.stored else 'NO'}")


if __name__ == "__main__":
    main()
