"""Feeding a barcode scanner's keys to the intake screen through a real pty.

The child process (``python -m tests.pty_scan DB PROGRESS MODE``) runs a
small app: MODE ``screen`` shows ParcelsInScreen, MODE ``bare`` a bare
Textual app with one Input (the benchmark's baseline). Each handled scan
appends one line ``outcome<TAB>value`` to PROGRESS, so the parent knows
when every key has been dealt with. The parent writes the keys on an
absolute schedule (key i at start + i × interval), never with sleeps
between presses, which drift (case C02).
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]


# --- the child ------------------------------------------------------------


def _child(db_path: str, progress_path: str, mode: str) -> None:
    from textual import on
    from textual.app import App, ComposeResult
    from textual.widgets import Input

    from station_tui.storage.db import open_sqlite

    open_sqlite(db_path)
    out: IO[str] = open(progress_path, "a", encoding="utf-8", buffering=1)

    if mode == "bare":
        class BareApp(App[None]):
            def compose(self) -> ComposeResult:
                yield Input(id="scan", placeholder="扫描或输入单号后回车")

            @on(Input.Submitted)
            def _submitted(self, event: Input.Submitted) -> None:
                out.write(f"seen\t{event.value}\n")
                event.input.value = ""

        BareApp().run()
        return

    from station_tui.ui.screens.parcels_in_screen import ParcelsInScreen

    class HarnessApp(App[None]):
        def on_mount(self) -> None:
            self.push_screen(ParcelsInScreen())

        @on(ParcelsInScreen.ScanHandled)
        def _handled(self, event: ParcelsInScreen.ScanHandled) -> None:
            out.write(f"{event.outcome}\t{event.value}\n")

    HarnessApp().run()


# --- the parent -------------------------------------------------------------


def scan_keys(numbers: Sequence[str]) -> str:
    """What a scanner types: each number followed by Enter (CR)."""
    return "".join(f"{n}\r" for n in numbers)


class PtyScanner:
    """A child app on a pseudo-terminal, with its screen kept by pyte."""

    def __init__(self, db_path: Path, progress_path: Path, mode: str = "screen",
                 size: tuple[int, int] = (40, 160)) -> None:
        import pyte
        from ptyprocess import PtyProcess

        self.progress_path = progress_path
        progress_path.write_text("", encoding="utf-8")
        env = dict(os.environ, TERM="xterm-256color", PYTHONPATH=str(ROOT),
                   TEXTUAL_ANIMATIONS="none")
        self.screen = pyte.Screen(size[1], size[0])
        self._stream = pyte.ByteStream(self.screen)
        self._lock = threading.Lock()
        self.proc = PtyProcess.spawn(
            [sys.executable, "-m", "tests.pty_scan", str(db_path),
             str(progress_path), mode],
            cwd=str(ROOT), env=env, dimensions=size,
        )
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        """Keep reading the child's output so it never blocks on a full pty."""
        while True:
            try:
                data = self.proc.read(65536)
            except EOFError:
                return
            with self._lock:
                self._stream.feed(data)

    def text(self) -> str:
        with self._lock:
            return "\n".join(self.screen.display)

    def wait_for_text(self, needle: str, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.text():
            if time.monotonic() > deadline or not self.proc.isalive():
                raise TimeoutError(f"{needle!r} never appeared:\n{self.text()}")
            time.sleep(0.05)

    def feed(self, keys: str, interval: float = 0.001) -> tuple[float, float]:
        """Write key i at start + i × interval; returns (start, last key sent).

        Sleeping until shortly before each send time and spinning the rest
        keeps every key on its absolute slot; a late key does not push the
        following ones later.
        """
        fd = self.proc.fd
        data = keys.encode("utf-8")
        start = time.perf_counter() + 0.01
        for i in range(len(data)):
            due = start + i * interval
            wait = due - time.perf_counter()
            if wait > 0.0005:
                time.sleep(wait - 0.0004)
            while time.perf_counter() < due:
                pass
            os.write(fd, data[i:i + 1])
        return start, time.perf_counter()

    def progress(self) -> list[tuple[str, str]]:
        lines = self.progress_path.read_text(encoding="utf-8").splitlines()
        return [tuple(line.split("\t", 1)) for line in lines]  # type: ignore[misc]

    def wait_for_scans(self, count: int, timeout: float = 60.0) -> float:
        """Wait until ``count`` scans were handled; returns when (perf_counter)."""
        deadline = time.monotonic() + timeout
        while len(self.progress()) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"only {len(self.progress())} of {count} scans handled:\n"
                    f"{self.text()}")
            time.sleep(0.002)
        return time.perf_counter()

    def quit(self) -> None:
        if self.proc.isalive():
            os.write(self.proc.fd, b"\x11")  # ctrl+q
            deadline = time.monotonic() + 10
            while self.proc.isalive() and time.monotonic() < deadline:
                time.sleep(0.05)
        if self.proc.isalive():
            self.proc.terminate(force=True)
        self._reader.join(timeout=5)

    def __enter__(self) -> PtyScanner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.quit()


if __name__ == "__main__":
    _child(sys.argv[1], sys.argv[2], sys.argv[3])
