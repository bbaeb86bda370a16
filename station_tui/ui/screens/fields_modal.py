"""A small dialog that asks for a few values (or just a yes) and runs a job.

Used for the steps of a record that need a reason, an amount or an order
number, and to confirm a step that cannot be taken back. The job runs in a
worker thread; a wrong value is marked at its field and the dialog stays
open with what was typed, so nothing is half-saved or lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from station_tui.errors import StationError
from station_tui.ui.workers import in_worker
from station_tui.ui.widgets.form_field import (
    FormField,
    enter_pressed,
    show_error,
    values,
)


@dataclass(frozen=True)
class ModalField:
    """One value the dialog asks for."""

    label: str
    name: str
    value: str = ""
    placeholder: str = ""


class FieldsModal(ModalScreen[bool]):
    """Ask, run the job with what was typed, close with True when it worked."""

    DEFAULT_CSS = """
    FieldsModal {
        align: center middle;
    }
    FieldsModal > #dialog {
        width: 64;
        height: auto;
        padding: 1 2;
        border: thick $accent;
        background: $surface;
    }
    FieldsModal #dialog-title {
        text-style: bold;
        margin-bottom: 1;
    }
    FieldsModal #dialog-detail {
        margin-bottom: 1;
    }
    FieldsModal #dialog-error {
        color: $error;
        height: auto;
    }
    FieldsModal #dialog-keys {
        color: $text-muted;
        margin-top: 1;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "取消"),
        Binding("enter", "submit", "确定", show=False),
        Binding("ctrl+s", "submit", "确定"),
    ]

    def __init__(self, title: str, job: Callable[[dict[str, str]], Any], *,
                 detail: str = "", fields: Sequence[ModalField] = ()) -> None:
        super().__init__()
        self.title_text = title
        self.detail = detail
        self.fields = tuple(fields)
        self.job = job
        self._busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="dialog-title")
            if self.detail:
                yield Static(self.detail, id="dialog-detail")
            for spec in self.fields:
                yield FormField(spec.label, name=spec.name, value=spec.value,
                                placeholder=spec.placeholder)
            yield Static("", id="dialog-error")
            yield Static("Enter 下一项，末项 Enter 或 Ctrl+S 确定    Esc 取消",
                         id="dialog-keys")

    @on(Input.Submitted)
    def _entered(self, event: Input.Submitted) -> None:
        if enter_pressed(self, event):
            self.action_submit()

    def action_cancel(self) -> None:
        if not self._busy:
            self.dismiss(False)

    def action_submit(self) -> None:
        if self._busy:
            return
        self._busy = True
        self.query_one("#dialog-error", Static).update("")
        self._run(values(self))

    @work(thread=True, group="modal-job")
    def _run(self, typed: dict[str, str]) -> None:
        try:
            in_worker(lambda: self.job(typed))
        except StationError as exc:
            self.app.call_from_thread(self._failed, exc)
        else:
            self.app.call_from_thread(self.dismiss, True)

    def _failed(self, error: StationError) -> None:
        self._busy = False
        if not show_error(self, error):
            self.query_one("#dialog-error", Static).update(error.message)
