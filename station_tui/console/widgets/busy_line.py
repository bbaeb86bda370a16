"""A progress line for long server work: what is being done, a bar and
the seconds it has taken so far, while the rest of the screen stays live."""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.timer import Timer
from textual.widgets import Label, ProgressBar


class BusyLine(Horizontal):
    """Shown while work runs; the bar fills when the size is known."""

    DEFAULT_CSS = """
    BusyLine {
        height: 1;
        display: none;
        padding: 0 1;
    }
    BusyLine.-busy {
        display: block;
    }
    BusyLine > Label {
        width: auto;
        margin: 0 2 0 0;
    }
    """

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self._what = ""
        self._started = 0.0
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Label("")
        yield ProgressBar(total=None, show_eta=False)

    def start(self, what: str) -> None:
        self._what = what
        self._started = time.monotonic()
        self.query_one(ProgressBar).update(total=None, progress=0)
        self.add_class("-busy")
        self._tick()
        if self._timer is None:
            self._timer = self.set_interval(0.5, self._tick)

    def advance(self, done: int, total: int | None) -> None:
        self.query_one(ProgressBar).update(total=total, progress=done)

    def stop(self) -> None:
        self.remove_class("-busy")
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    @property
    def running(self) -> bool:
        return self.has_class("-busy")

    def _tick(self) -> None:
        seconds = int(time.monotonic() - self._started)
        self.query_one(Label).update(f"{self._what}… {seconds} 秒")
