"""Benchmark: the demo county's annual assessment against a plain GROUP BY.

    python benchmarks/bench_assess.py --db sqlite:////tmp/county.sqlite3
    python benchmarks/bench_assess.py --db postgresql://postgres@127.0.0.1/county

Builds the demo county first when the database has no stations. The
baseline is one ``SELECT station, COUNT(*) … GROUP BY station`` over each
table the engine reads, in the same run, so the two numbers compare the
engine with the cheapest possible pass over the same rows. Not run in CI.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peewee import fn  # noqa: E402

from station_tui.assessment.database import migrate_center, open_server_db  # noqa: E402
from station_tui.assessment.demo import build  # noqa: E402
from station_tui.assessment.engine import assess  # noqa: E402
from station_tui.records import STATION_RECORDS  # noqa: E402
from station_tui.records.center import CenterStation  # noqa: E402


def baseline(year: int) -> tuple[float, int]:
    started = time.perf_counter()
    rows = 0
    for model in STATION_RECORDS:
        day = getattr(model, "ordered_day", None) or model.happened_day
        query = (model.select(model.station, fn.COUNT(model.uuid))
                 .where(day >= f"{year}-01-01", day < f"{year + 1}-01-01")
                 .group_by(model.station).tuples())
        rows += sum(n for _, n in query)
    return time.perf_counter() - started, rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--stations", type=int, default=254)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    db = open_server_db(args.db)
    migrate_center(db)
    if not CenterStation.select().exists():
        done = build(db, year=args.year, stations=args.stations, seed=1)
        print(f"demo: {done['rows']:,} rows, loaded in {done['load_seconds']:.1f} s, "
              f"{done['total_seconds']:.1f} s with indexes")
    print(f"database: {args.db}")
    for run in range(1, args.runs + 1):
        seconds, rows = baseline(args.year)
        started = time.perf_counter()
        result = assess(str(args.year))
        engine = time.perf_counter() - started
        print(f"run {run}: plain GROUP BY over {rows:,} records {seconds:.2f} s; "
              f"assessment of {len(result.stations)} stations {engine:.2f} s")
    db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
