"""A table of figures to read, not to move around in."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable


class FiguresTable(DataTable[Any]):
    """A DataTable without cursor or focus, so Tab skips it.

    DataTable measures wide characters, so Chinese labels and numbers
    line up in columns where padded strings would not.
    """

    can_focus = False

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, show_cursor=False, cursor_type="none")
