"""A table of figures to read, not to move around in."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widget import Widget

Cell = str | Text


class FiguresTable(Widget):
    """Columns of figures drawn as one Rich table: no cursor, no focus.

    Rich measures wide characters, so Chinese labels and numbers line up in
    columns where padded strings would not. A few short rows need none of a
    DataTable's cursor, scrolling and per-cell styles, which cost a tenth
    of the today screen's first frame. The methods are a DataTable's names
    for the little this needs.
    """

    DEFAULT_CSS = """
    FiguresTable {
        height: auto;
        width: auto;
        max-width: 100%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns: list[str] = []
        self._rows: list[tuple[str | None, tuple[Cell, ...]]] = []

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def add_columns(self, *labels: str) -> None:
        self.columns.extend(labels)
        self.refresh(layout=True)

    def add_row(self, *cells: Cell, key: str | None = None) -> None:
        if len(cells) != len(self.columns):
            raise ValueError(f"{len(cells)} cells for {len(self.columns)} columns")
        self._rows.append((key, cells))
        self.refresh(layout=True)

    def clear(self) -> None:
        self._rows.clear()
        self.refresh(layout=True)

    def get_row(self, key: str) -> list[Cell]:
        for row_key, cells in self._rows:
            if row_key == key:
                return list(cells)
        raise KeyError(key)

    def get_row_at(self, index: int) -> list[Cell]:
        return list(self._rows[index][1])

    def render(self) -> Table:
        # Built when drawn, once for all the rows added since the last frame.
        table = Table(box=None, padding=(0, 1), show_edge=False,
                      header_style="bold", pad_edge=False)
        for label in self.columns:
            table.add_column(label, no_wrap=True)
        for _key, cells in self._rows:
            table.add_row(*cells)
        return table

