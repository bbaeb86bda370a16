"""Cold start to the first frame, on a station database of 200,000 parcels.

Each run is a fresh Python process. The parent writes a monotonic time
stamp into the child's environment just before starting it; the child
prints the time since that stamp when its app is ready (Textual's ``Ready``:
the first frame has been drawn), headless, and exits. So every run counts
the interpreter starting, the imports, opening the database and composing
the first screen.

- station: ``station-tui --db FILE`` through the real command line
  (``station_tui.cli.main``), the app run headless;
- baseline: a bare Textual app showing one DataTable, started the same way.

Goal: station ≤ 1.3 × baseline (medians of 10 runs each).

    python -m benchmarks.bench_startup [--runs 10] [--parcels 200000] [--db FILE]
"""

# Only the standard library at module level: the child imports this module
# too, and its imports belong to what is measured on both sides alike.
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_RATIO = 1.3
STAMP = "BENCH_START_NS"
SIZE = (120, 40)


def _elapsed_ms() -> float:
    return (time.monotonic_ns() - int(os.environ[STAMP])) / 1e6


def _report_and_exit(app: object) -> None:
    """Print the time to the first frame (once) and leave."""
    print(f"first-frame-ms {_elapsed_ms():.1f}", flush=True)
    app.exit()  # type: ignore[attr-defined]


def child_baseline() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable()

        def on_ready(self) -> None:
            _report_and_exit(self)

    Bare().run(headless=True, size=SIZE)


class _PatchWhenLoaded:
    """Patches ``station_tui.ui.app`` as it is first imported.

    The station's command line decides what it imports and when (it pauses
    garbage collection before its heavy imports, for one), so the child
    imports nothing of the app's itself: this finder, first on
    ``sys.meta_path``, only wraps the loader of that one module.
    """

    def __init__(self, patch: object) -> None:
        self.patch = patch

    def find_spec(self, name: str, path: object = None, target: object = None):
        if name != "station_tui.ui.app":
            return None
        sys.meta_path.remove(self)
        import importlib.util

        spec = importlib.util.find_spec(name)
        loader = spec.loader
        load = loader.exec_module

        def exec_module(module: object) -> None:
            load(module)
            self.patch(module)  # type: ignore[operator]

        loader.exec_module = exec_module
        return spec


def child_station(db: str, log_dir: str) -> None:
    # The app's own command line, with two changes: it runs headless and it
    # leaves once the first frame is drawn.
    os.environ["XDG_STATE_HOME"] = log_dir

    def patch(module: object) -> None:
        app_class = module.StationApp  # type: ignore[attr-defined]
        ready, run = app_class.on_ready, app_class.run

        def on_ready(self: object) -> None:
            ready(self)
            _report_and_exit(self)

        def run_headless(self: object, **_: object) -> None:
            run(self, headless=True, size=SIZE)

        app_class.on_ready = on_ready
        app_class.run = run_headless

    sys.meta_path.insert(0, _PatchWhenLoaded(patch))  # type: ignore[arg-type]
    from station_tui.cli import main

    main(["--db", db])


def _one_run(args: list[str]) -> float:
    env = dict(os.environ)
    # An installed app starts from compiled modules (pip compiles them at
    # install; an editable install writes them at its first start), as
    # Textual's are here. With this set, every run would compile the app's
    # modules from source again; the warm-up run writes them instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env[STAMP] = str(time.monotonic_ns())
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_startup", *args],
        env=env, capture_output=True, text=True, encoding="utf-8", check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith("first-frame-ms "):
            return float(line.split()[1])
    raise RuntimeError(f"no first frame from {args}: rc={done.returncode}\n"
                       f"{done.stdout[-2000:]}\n{done.stderr[-2000:]}")


def _station_db(path: Path | None, parcels: int, tmp: Path) -> Path:
    target = path or tmp / "station.sqlite3"
    if not target.exists():
        subprocess.run([sys.executable, "-m", "benchmarks.fixtures", str(target),
                        str(parcels)], check=True)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--parcels", type=int, default=200_000)
    parser.add_argument("--db", type=Path, help="reuse (or build) this database")
    parser.add_argument("--child", choices=["baseline", "station"],
                        help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "baseline":
        child_baseline()
        return
    if args.child == "station":
        child_station(str(args.db), os.environ["BENCH_LOG_DIR"])
        return

    with tempfile.TemporaryDirectory() as tmp:
        db = _station_db(args.db, args.parcels, Path(tmp))
        os.environ["BENCH_LOG_DIR"] = str(Path(tmp) / "state")
        size_mb = db.stat().st_size / 1e6
        # One warm-up each, so both sides start with the same files cached.
        _one_run(["--child", "baseline"])
        _one_run(["--child", "station", "--db", str(db)])
        bare, station = [], []
        for _ in range(args.runs):  # interleaved: drift hits both alike
            bare.append(_one_run(["--child", "baseline"]))
            station.append(_one_run(["--child", "station", "--db", str(db)]))

    bare_ms, station_ms = statistics.median(bare), statistics.median(station)
    ratio = station_ms / bare_ms
    print(f"database: {size_mb:.0f} MB; {args.runs} runs each, fresh processes, "
          "headless, process start → first frame")
    print(f"{'':28}{'median':>10}{'min':>10}{'max':>10}")
    for label, times in (("bare Textual + DataTable", bare),
                         ("station app (--db)", station)):
        print(f"{label:28}{statistics.median(times):>8.0f}ms{min(times):>8.0f}ms"
              f"{max(times):>8.0f}ms")
    print(f"ratio station/bare: {ratio:.2f}× (goal ≤ {GOAL_RATIO}×: "
          f"{'met' if ratio <= GOAL_RATIO else 'MISSED'})")


if __name__ == "__main__":
    main()
