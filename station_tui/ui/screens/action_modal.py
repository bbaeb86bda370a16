"""A small form in a modal: fields, then one operation run on Enter."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static

from station_tui.errors import StationError
from station_tui.ui.widgets.form_field import (
    FormField,
    clear_errors,
    enter_pressed,
    show_error,
    values,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChoiceSpec:
    """A field chosen from a fixed set (shown as a Select)."""

    name: str
    label: str
    options: Sequence[tuple[str, str]]  # (label, value)
    value: str | None = None


@dataclass(frozen=True)
class TextSpec:
    """A typed field (shown as a FormField)."""

    name: str
    label: str
    value: str = ""
    placeholder: str = ""


class ActionModal(ModalScreen[str | None]):
    """Ask for a few values and run ``action`` with them.

    ``action`` gets the values by field name and returns the message to
    show once done; an InputError marks its field and keeps what was typed,
    any other StationError is notified and the modal stays open. ``detail``,
    the first line under the title, names what the dialog acts on.
    """

    DEFAULT_CSS = """
    ActionModal {
        align: center middle;
    }
    ActionModal > Vertical {
        width: 64;
        height: auto;
        border: thick $accent;
        background: $surface;
        padding: 1 2;
    }
    ActionModal .action-modal--title {
        text-style: bold;
    }
    ActionModal .action-modal--detail {
        color: $text;
        background: $boost;
    }
    ActionModal .action-modal--fields {
        height: auto;
        margin-top: 1;
    }
    ActionModal .action-modal--hint {
        color: $text-muted;
        margin-top: 1;
    }
    """

    BINDINGS = [
        Binding("escape", "cancel", "取消"),
        Binding("ctrl+s", "submit", "确定"),
    ]

    def __init__(self, title: str, fields: Sequence[TextSpec | ChoiceSpec],
                 action: Callable[[dict[str, str]], str], *,
                 detail: str = "") -> None:
        super().__init__()
        self.heading = title
        self.detail = detail
        self.fields = list(fields)
        self.action = action

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.heading, classes="action-modal--title")
            if self.detail:
                yield Static(self.detail, classes="action-modal--detail",
                             markup=False)
            yield from self._fields()
            yield Static("Enter 下一项，末项 Enter 或 Ctrl+S 确定　Esc 取消",
                         classes="action-modal--hint")

    def _fields(self) -> ComposeResult:
        with Vertical(classes="action-modal--fields"):
            for spec in self.fields:
                if isinstance(spec, ChoiceSpec):
                    yield Label(spec.label)
                    yield Select([(lbl, val) for lbl, val in spec.options],
                                 value=spec.value or spec.options[0][1],
                                 allow_blank=False, id=f"choice-{spec.name}")
                else:
                    yield FormField(spec.label, name=spec.name, value=spec.value,
                                    placeholder=spec.placeholder)

    def on_mount(self) -> None:
        # Typing goes to the first typed field; choices are picked with Tab.
        fields = self.query(FormField)
        if fields:
            fields.first().input.focus()

    def values(self) -> dict[str, str]:
        found = values(self)
        for spec in self.fields:
            if isinstance(spec, ChoiceSpec):
                found[spec.name] = str(self.query_one(f"#choice-{spec.name}",
                                                      Select).value)
        return found

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        if enter_pressed(self, event):
            self.action_submit()

    def action_submit(self) -> None:
        clear_errors(self)
        try:
            message = self.action(self.values())
        except StationError as exc:
            if not show_error(self, exc):
                self.notify(exc.message, severity="error")
            return
        self.dismiss(message)

    def action_cancel(self) -> None:
        self.dismiss(None)
