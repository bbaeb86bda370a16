"""What every station screen ends with: the status bar and the bar of keys."""

from __future__ import annotations

from typing import Iterator

from textual.widget import Widget

from station_tui.ui.widgets.key_bar import KeyBar
from station_tui.ui.widgets.status_bar import StatusBar


def screen_chrome() -> Iterator[Widget]:
    """The status bar, then the keys (they wrap onto a second line)."""
    yield StatusBar()
    yield KeyBar()
