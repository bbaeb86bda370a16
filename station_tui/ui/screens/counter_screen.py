"""The shape every counter ledger screen shares: a form over a record list.

Enter moves to the next field; Enter in the last field (or Ctrl+S) saves
the form in a worker thread; a wrong value
is marked at its field and everything typed stays. The list below shows
one page of records at a time, read from the database by a worker, so a
long ledger never loads whole. Subclasses say what the form holds, how it
is saved, how a row reads, and which keys act on the selected row.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, ClassVar, Generic, Sequence, TypeVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from station_tui.errors import StationError
from station_tui.operations.pages import PageKey, key_of
from station_tui.records import Record
from station_tui.ui.workers import in_worker
from station_tui.ui.screens.fields_modal import ModalField
from station_tui.ui.screens.large_amount import (
    ConfirmingFieldsModal,
    ask_to_confirm,
    confirmed,
    large_amounts,
)
from station_tui.ui.widgets.choice_field import ChoiceField
from station_tui.ui.widgets.form_field import (
    FormField,
    clear_errors,
    enter_pressed,
    show_error,
    values,
)
from station_tui.ui.widgets.villager_picker import VillagerPicker

log = logging.getLogger(__name__)

R = TypeVar("R", bound=Record)
Cells = tuple[Any, ...]


class RecordsTable(DataTable[Any]):
    """A DataTable that redraws its cells once its columns have grown.

    DataTable sizes columns to new rows when it idles, but keeps the cells
    it drew before at the old width (Textual 8.2): drawn in between, an
    amount stayed cut to its header's width (19.90 as 19.9, 45.80 as 45.8)
    until the next key. Dropping the drawn cells when a width changed
    redraws them whole.
    """

    async def _on_idle(self, event: events.Idle) -> None:
        before = [c.content_width for c in self.columns.values()]
        await super()._on_idle(event)
        if before != [c.content_width for c in self.columns.values()]:
            self._clear_caches()
            self.refresh()


class CounterScreen(Screen[None], Generic[R]):
    """A form to record something, above a paged list of what was recorded."""

    DEFAULT_CSS = """
    CounterScreen {
        layout: vertical;
    }
    CounterScreen > #heading {
        height: 1;
        padding: 0 1;
        background: $panel;
        text-style: bold;
    }
    CounterScreen > #form {
        height: auto;
        padding: 0 1;
    }
    CounterScreen #form Horizontal {
        height: auto;
    }
    CounterScreen > #records {
        height: 1fr;
    }
    CounterScreen > #page-info {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """

    BINDINGS = [
        Binding("ctrl+s", "save", "保存"),
        Binding("ctrl+n", "new", "新登记"),
        Binding("ctrl+l", "toggle_list", "列表/表单"),
        Binding("left_square_bracket", "prev_page", "上一页"),
        Binding("right_square_bracket", "next_page", "下一页"),
    ]

    #: The line above the form.
    HEADING: ClassVar[str] = ""
    #: The list's column titles.
    COLUMNS: ClassVar[tuple[str, ...]] = ()
    #: Rows loaded at once: the list never holds more.
    PAGE_SIZE: ClassVar[int] = 50
    #: The time column the list is ordered by.
    page_time_field: ClassVar[str] = "happened_at"
    #: Actions that act on the list's selected row (shown only there).
    ROW_ACTIONS: ClassVar[frozenset[str]] = frozenset()

    def __init__(self) -> None:
        super().__init__()
        self._rows: dict[str, R] = {}
        self._page_starts: list[PageKey | None] = [None]
        self._next_start: PageKey | None = None
        self._saving = False
        self._shown = False

    # -- what subclasses provide -------------------------------------------

    def compose_form(self) -> ComposeResult:
        raise NotImplementedError

    def save_record(self, typed: dict[str, str]) -> R:
        """Write the form's record; runs in a worker thread.

        ``large_ok(typed)`` says the partner confirmed amounts above the
        limit (see ``large_amount``).
        """
        raise NotImplementedError

    def fetch_page(self, before: PageKey | None, limit: int) -> list[R]:
        """One page of records; runs in a worker thread."""
        raise NotImplementedError

    def row_cells(self, record: R) -> Cells:
        """How a record reads in the list; runs in a worker thread."""
        raise NotImplementedError

    def page_cells(self, records: list[R]) -> list[Cells]:
        """The rows of a page; override to read what rows share at once."""
        return [self.row_cells(r) for r in records]

    def saved_text(self, record: R) -> str:
        return "已保存"

    def prepare_form(self) -> None:
        """Finish the mounted form (suggesters, choices); UI thread."""

    def form_defaults(self) -> dict[str, str]:
        """Values the form starts with again after a save."""
        return {}

    def collect(self) -> dict[str, str]:
        """What the form holds, by field name (UI thread)."""
        typed = values(self.form)
        for picker in self.form.query(VillagerPicker):
            typed.update(picker.values())
        for choice in self.form.query(ChoiceField):
            typed[choice.field_name] = choice.value
        return typed

    # -- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(self.HEADING, id="heading")
        with Vertical(id="form"):
            yield from self.compose_form()
        yield RecordsTable(id="records", cursor_type="row", zebra_stripes=True)
        yield Static("", id="page-info")

    @property
    def form(self) -> Vertical:
        return self.query_one("#form", Vertical)

    @property
    def table(self) -> DataTable[Any]:
        return self.query_one("#records", DataTable)

    def on_mount(self) -> None:
        self.table.add_columns(*self.COLUMNS)
        self.prepare_form()
        self.reset_form()
        self.reload()

    def on_screen_resume(self) -> None:
        # Another screen may have changed what this one lists (a villager's
        # data erased on 村民, an order voided elsewhere): read it again,
        # cursor kept, and the villagers a picker offers too.
        if not self._shown:
            return  # the first page is still on its way from on_mount
        selected = self.selected()
        self.reload(keep=str(selected.uuid) if selected is not None else None)
        for picker in self.form.query(VillagerPicker):
            picker.refresh_matches()

    def check_action(self, action: str,
                     parameters: tuple[object, ...]) -> bool | None:
        if action == "next_page":
            return self.table.has_focus and self._next_start is not None
        if action == "prev_page":
            return self.table.has_focus and len(self._page_starts) > 1
        if action in self.ROW_ACTIONS:
            return self.table.has_focus
        return True

    @on(DataTable.RowHighlighted)
    @on(DataTable.RowSelected)
    def _row_moved(self) -> None:
        self.refresh_bindings()

    # -- saving the form -----------------------------------------------------

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        if self.form not in event.input.ancestors:
            return
        if enter_pressed(self.form, event):
            self.action_save()

    def action_save(self) -> None:
        if self._saving:
            return  # a double Enter must not save the record twice
        self._saving = True
        clear_errors(self.form)
        self._save(self.collect())

    @work(thread=True, group="save")
    def _save(self, typed: dict[str, str]) -> None:
        try:
            record = in_worker(lambda: self.save_record(typed))
        except StationError as exc:
            self.app.call_from_thread(self._save_failed, exc, typed)
            return
        log.info("saved %s %s", record.record_kind(), record.uuid)
        try:
            warning = in_worker(lambda: self.saved_warning(record))
        except StationError:
            warning = ""  # the record is saved; a failed check must not hide that
        self.app.call_from_thread(self._saved, record, warning)

    def _save_failed(self, error: StationError, typed: dict[str, str]) -> None:
        amounts = large_amounts(error)
        if amounts:
            # Still saving: nothing else is saved while the partner is asked.
            ask_to_confirm(self.app, amounts,
                           lambda ok: self._large_answered(ok, error, typed))
            return
        self._saving = False
        if not show_error(self.form, error):
            self.notify(error.message, severity="error")

    def _large_answered(self, ok: bool, error: StationError,
                        typed: dict[str, str]) -> None:
        if ok:
            self._save(confirmed(typed))  # the very values the partner saw
            return
        self._saving = False
        show_error(self.form, error)

    def saved_warning(self, record: R) -> str:
        """Something the partner should check about a saved record, or ""."""
        return ""

    def _saved(self, record: R, warning: str = "") -> None:
        self._saving = False
        self.notify(self.saved_text(record), title="已保存")
        if warning:
            self.notify(warning, severity="warning", timeout=15)
        self.reset_form()
        self.reload()

    def reset_form(self) -> None:
        """Empty every field (defaults back in) and focus the first one."""
        defaults = self.form_defaults()
        for picker in self.form.query(VillagerPicker):
            picker.clear()
        for choice in self.form.query(ChoiceField):
            choice.reset()
        for field in self.form.query(FormField):
            if any(isinstance(a, VillagerPicker) for a in field.ancestors):
                continue  # cleared by its picker
            field.value = defaults.get(field.field_name, "")
        clear_errors(self.form)
        self.focus_form()

    def focus_form(self) -> None:
        """Focus the form's first field (a choice or an input)."""
        for widget in self.focus_chain:
            if self.form in widget.ancestors:
                widget.focus()
                return

    def action_new(self) -> None:
        self.reset_form()

    def action_toggle_list(self) -> None:
        """Go to the list, or back to the form without clearing it."""
        if self.table.has_focus:
            self.focus_form()
        else:
            self.table.focus()

    # -- the list ------------------------------------------------------------

    def reload(self, *, keep: str | None = None) -> None:
        """Show the current page again, keeping the cursor on ``keep``."""
        self._load(self._page_starts[-1], keep)

    @work(thread=True, exclusive=True, group="page")
    def _load(self, before: PageKey | None, keep: str | None) -> None:
        def read() -> tuple[list[R], list[Cells]]:
            # One row more than a page tells whether a next page exists.
            rows = self.fetch_page(before, self.PAGE_SIZE + 1)
            shown = rows[: self.PAGE_SIZE]
            return rows, self.page_cells(shown)

        try:
            rows, cells = in_worker(read)
        except StationError as exc:
            self.app.call_from_thread(self.notify, exc.message, severity="error")
            return
        self.app.call_from_thread(self._show_page, rows, cells, keep)

    def _show_page(self, rows: list[R], cells: list[Cells],
                   keep: str | None) -> None:
        table = self.table
        self._shown = True
        shown = rows[: self.PAGE_SIZE]
        more = len(rows) > self.PAGE_SIZE
        self._next_start = key_of(shown[-1], self.page_time_field) if more else None
        self._rows = {str(r.uuid): r for r in shown}
        table.clear()
        for record, row in zip(shown, cells):
            table.add_row(*row, key=str(record.uuid))
        if keep in self._rows:
            table.move_cursor(row=table.get_row_index(keep))
        page = len(self._page_starts)
        hint = "  ] 下一页" if more else ""
        back = "  [ 上一页" if page > 1 else ""
        self.query_one("#page-info", Static).update(
            f"第 {page} 页，本页 {len(shown)} 条{back}{hint}"
        )
        self.refresh_bindings()

    def action_next_page(self) -> None:
        if self._next_start is not None:
            self._page_starts.append(self._next_start)
            self.reload()

    def action_prev_page(self) -> None:
        if len(self._page_starts) > 1:
            self._page_starts.pop()
            self.reload()

    def selected(self) -> R | None:
        """The record under the list's cursor, if the list has rows."""
        table = self.table
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return self._rows.get(key or "")

    # -- acting on the selected row -------------------------------------------

    def ask(self, title: str, job: Callable[[R, dict[str, str]], Any], *,
            detail: str = "", fields: Sequence[ModalField] = (),
            done: str = "已保存",
            warn: Callable[[Any], str] | None = None) -> None:
        """Ask in a dialog, run ``job`` on the selected record, then reload.

        ``warn`` turns what the job returned into a warning to show after
        it (or "" for none).
        """
        record = self.selected()
        if record is None:
            self.notify("列表里还没有记录", severity="warning")
            return
        key = str(record.uuid)
        warnings: list[str] = []

        def run(typed: dict[str, str]) -> Any:
            # Runs on the dialog's worker, so the warning's read does too.
            result = job(record, typed)
            if warn is not None:
                warnings.append(warn(result))
            return result

        def closed(ok: bool | None) -> None:
            if ok:
                self.notify(done)
                warning = warnings[-1] if warnings else ""
                if warning:
                    self.notify(warning, severity="warning", timeout=15)
                self.reload(keep=key)
            self.table.focus()

        self.app.push_screen(
            ConfirmingFieldsModal(title, run,
                                  detail=detail, fields=fields),
            closed,
        )
