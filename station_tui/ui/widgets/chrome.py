"""What every station screen ends with: the status bar and the footer of keys."""

from __future__ import annotations

from typing import Iterator

from textual.widget import Widget
from textual.widgets import Footer

from station_tui.ui.widgets.status_bar import StatusBar


def screen_chrome() -> Iterator[Widget]:
    """The status bar, then the compact footer (it fits 80 columns)."""
    yield StatusBar()
    yield Footer(compact=True)
