"""A DataTable that pages its rows from a query by keyset, a page at a time."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import on, work
from textual.message import Message
from textual.widgets import DataTable

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PagedRow:
    """One row: its key, its keyset position and the cells to show."""

    key: str
    cursor: Hashable
    cells: tuple[str | Text, ...]


#: Called in a worker thread with the last row's cursor (None for the first
#: page) and the page size; returns at most that many rows in list order.
Fetcher = Callable[[Hashable | None, int], Sequence[PagedRow]]

MARK_COLUMN = "mark"

#: The widest a text cell is shown, in terminal cells (a Han character
#: takes two): a column is as wide as its widest cell, so without a cap one
#: long name or address would push the columns after it off the screen.
CELL_WIDTH_MAX = 20


def fit_cell(cell: str | Text, width: int = CELL_WIDTH_MAX) -> str | Text:
    """A text cell cut to ``width`` terminal cells, ending in … when cut.

    Plain strings are what people typed (names, numbers, places) and are
    cut; a Text is a label the screen composed (a status, a time), whose
    width the screen knows, and is shown whole.
    """
    if isinstance(cell, Text) or cell_len(cell) <= width:
        return cell
    # set_cell_size pads a double-width character that would be split.
    return set_cell_size(cell, width - 1).rstrip() + "…"


class PagedTable(DataTable[str | Text]):
    """Rows come from ``fetcher`` a page at a time, never the whole table.

    ``show(fetcher)`` starts a new list (a new filter or search); the first
    page is fetched in a thread worker and a later page when the cursor
    reaches the last row. Results of a list that has since been replaced
    are dropped, so a slow query never overwrites a newer one. With
    ``markable`` a first column shows rows marked with space. No text cell
    is shown wider than ``cell_width`` (cut with …), so every column stays
    on the screen whatever one row holds.
    """

    DEFAULT_CSS = """
    PagedTable {
        height: 1fr;
    }
    """

    BINDINGS = [("space", "toggle_mark", "选择")]

    class PageLoaded(Message):
        """A page reached the table (``first`` for the page after ``show``).

        ``elapsed_ms`` is the query in its thread; ``total_ms`` runs from
        the request to the rows being in the table.
        """

        def __init__(self, table: PagedTable, rows: int, first: bool,
                     elapsed_ms: float, total_ms: float) -> None:
            super().__init__()
            self.table = table
            self.rows = rows
            self.first = first
            self.elapsed_ms = elapsed_ms
            self.total_ms = total_ms

        @property
        def control(self) -> PagedTable:
            return self.table

    class _Fetched(Message):
        def __init__(self, generation: int, rows: Sequence[PagedRow], first: bool,
                     requested: float, elapsed_ms: float) -> None:
            super().__init__()
            self.generation = generation
            self.rows = rows
            self.first = first
            self.requested = requested
            self.elapsed_ms = elapsed_ms

    def __init__(self, columns: Sequence[tuple[str, str]], *, page_size: int = 50,
                 markable: bool = False, cell_width: int = CELL_WIDTH_MAX,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row",
                         zebra_stripes=True)
        self._columns = list(columns)
        self.page_size = page_size
        self.markable = markable
        self.cell_width = cell_width
        self.marked: set[str] = set()
        self._fetcher: Fetcher | None = None
        self._generation = 0
        self._last_cursor: Hashable | None = None
        self._has_more = False
        self._loading = False
        self._cursors: dict[str, Hashable] = {}

    def on_mount(self) -> None:
        if self.markable:
            self.add_column("", key=MARK_COLUMN, width=2)
        for key, label in self._columns:
            self.add_column(label, key=key)

    @property
    def loading_page(self) -> bool:
        return self._loading

    @property
    def current_key(self) -> str | None:
        """The key of the row under the cursor, if any."""
        if self.row_count == 0:
            return None
        row_key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        return str(row_key.value)

    def show(self, fetcher: Fetcher) -> None:
        """Replace the list with the first page of ``fetcher``."""
        self._fetcher = fetcher
        self._generation += 1
        self._last_cursor = None
        self._has_more = False
        self.marked.clear()
        self._request(first=True)

    def reload(self) -> None:
        """Fetch the current list again from the top (after a change)."""
        if self._fetcher is not None:
            self.show(self._fetcher)

    def _request(self, *, first: bool) -> None:
        assert self._fetcher is not None
        self._loading = True
        self._fetch(self._generation, self._fetcher, self._last_cursor, first,
                    time.perf_counter())

    @work(thread=True, group="paged-table")
    def _fetch(self, generation: int, fetcher: Fetcher, after: Hashable | None,
               first: bool, requested: float) -> None:
        started = time.perf_counter()
        rows = fetcher(after, self.page_size)
        elapsed = (time.perf_counter() - started) * 1000
        log.debug("page of %d rows in %.1f ms", len(rows), elapsed)
        self.post_message(self._Fetched(generation, rows, first, requested, elapsed))

    @on(_Fetched)
    def _apply(self, event: _Fetched) -> None:
        event.stop()
        if event.generation != self._generation:
            return  # a newer list replaced this one while it was fetched
        self._loading = False
        keep = self.current_key if event.first else None
        if event.first:
            self.clear()
            self._cursors.clear()
        for row in event.rows:
            if row.key in self._cursors:
                continue
            shown = tuple(fit_cell(c, self.cell_width) for c in row.cells)
            cells = (("✓" if row.key in self.marked else ""), *shown)
            self.add_row(*(cells if self.markable else shown), key=row.key)
            self._cursors[row.key] = row.cursor
        if event.rows:
            self._last_cursor = event.rows[-1].cursor
        self._has_more = len(event.rows) >= self.page_size
        if keep is not None and keep in self._cursors:
            self.move_cursor(row=self.get_row_index(keep))
        total = (time.perf_counter() - event.requested) * 1000
        self.post_message(self.PageLoaded(self, len(event.rows), event.first,
                                          event.elapsed_ms, total))

    @on(DataTable.RowHighlighted)
    def _maybe_more(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self.row_count - 1:
            self.load_more()

    def load_more(self) -> None:
        """Fetch the next page if there may be one and none is on its way."""
        if self._has_more and not self._loading and self._fetcher is not None:
            self._request(first=False)

    def check_action(self, action: str,
                     parameters: tuple[object, ...]) -> bool | None:
        # Space marks rows only in a list made for marking; elsewhere the
        # footer must not offer a key that does nothing.
        if action == "toggle_mark":
            return self.markable
        return True

    def action_toggle_mark(self) -> None:
        key = self.current_key
        if not self.markable or key is None:
            return
        if key in self.marked:
            self.marked.discard(key)
        else:
            self.marked.add(key)
        self.update_cell(key, MARK_COLUMN, "✓" if key in self.marked else "")
