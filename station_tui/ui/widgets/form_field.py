"""A labelled input with its own error line, for every form in the app."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from station_tui.domain.text import join_surrogates
from station_tui.errors import StationError, each_error


class FieldInput(Input):
    """An Input that passes keys typed just after Enter to the next field.

    Enter is acted on by the app (bindings) and the screen (moving focus)
    after this field has already been handed the keys that followed it, so
    a burst such as a paste, an IME commit or a fast typist's "王五⏎138…"
    would all land here. Keys that arrive within HOLD seconds of an Enter or a Tab
    are kept back, then handed to whichever widget has focus by then.
    (The scan field needs none of this: it keeps focus and takes Enter
    itself, see widgets/scan_input.py.)
    """

    HOLD = 0.05
    #: Keys whose effect (moving focus) comes after the keys that follow.
    MOVING_KEYS = frozenset({"enter", "tab", "shift+tab"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[events.Key] | None = None

    def _on_key(self, event: events.Key) -> None:
        # Textual calls Input's own _on_key after this one, unless the event
        # is prevented here.
        if self._held is not None:
            event.stop()
            event.prevent_default()
            self._held.append(event)
        elif event.key in self.MOVING_KEYS:
            self._held = []
            self.set_timer(self.HOLD, self._release)

    def _on_paste(self, event: events.Paste) -> None:
        # A one-line field: pasted lines are joined with spaces instead of
        # all but the first being dropped without a word.
        lines = [line.strip() for line in event.text.splitlines() if line.strip()]
        event.stop()
        event.prevent_default()  # Input's own handler would paste again
        super()._on_paste(events.Paste(" ".join(lines)))

    def _release(self) -> None:
        held, self._held = self._held or [], None
        for event in held:
            # Fresh events, as from the keyboard: the app hands each to the
            # widget that has focus now, with its key bindings.
            self.app.post_message(events.Key(event.key, event.character))


class FormField(Vertical):
    """Label, input and an error line that says why the value is wrong.

    The input keeps what was typed when an error is shown; the error clears
    as soon as the value changes.
    """

    DEFAULT_CSS = """
    FormField {
        height: auto;
        width: 1fr;
        margin: 0 1 0 0;
    }
    FormField > Label {
        color: $text-muted;
    }
    FormField > .form-field--error {
        color: $error;
        height: auto;
        display: none;
    }
    FormField.-invalid > .form-field--error {
        display: block;
    }
    FormField.-invalid > Input {
        border: tall $error;
    }
    FormField > Input > .input--placeholder {
        /* An example must not pass for a value that was filled in. */
        text-style: italic;
    }
    """

    def __init__(self, label: str, *, name: str, value: str = "",
                 placeholder: str = "", password: bool = False,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id or f"field-{name}", classes=classes)
        self.field_name = name
        self._label = label
        self._value = value
        #: What the program put in last; anything else was typed.
        self._baseline = value
        self._placeholder = placeholder
        self._password = password

    def compose(self) -> ComposeResult:
        yield Label(self._label)
        yield FieldInput(value=self._value, placeholder=self._placeholder,
                         password=self._password, id=f"input-{self.field_name}")
        yield Static("", classes="form-field--error")

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def value(self) -> str:
        return join_surrogates(self.input.value)

    @value.setter
    def value(self, text: str) -> None:
        self._baseline = text
        self.input.value = text

    def mark_saved(self) -> None:
        """What the field holds has been acted on (saved, or a day chosen
        and shown): quitting now loses nothing typed here."""
        self._baseline = self.input.value

    @property
    def unsaved(self) -> bool:
        """Something was typed here that the form has not saved yet."""
        return self.input.value.strip() != self._baseline.strip()

    def show_error(self, message: str) -> None:
        self.query_one(".form-field--error", Static).update(message)
        self.add_class("-invalid")

    def clear_error(self) -> None:
        self.remove_class("-invalid")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.clear_error()


def next_input(container: Widget, current: Input) -> Input | None:
    """The text field after ``current`` in ``container``, in focus order.

    Every form moves on with Enter and saves with Enter in its last text
    field: None says ``current`` is that last field. Choices (Select) are
    skipped, because Enter on a choice opens its list; Tab reaches them.
    """
    chain = container.screen.focus_chain
    if current not in chain:
        return None
    for widget in chain[chain.index(current) + 1:]:
        if isinstance(widget, Input) and container in widget.ancestors:
            return widget
    return None


def enter_pressed(container: Widget, event: Input.Submitted) -> bool:
    """Move to the next field on Enter; True when the form should be saved."""
    event.stop()
    following = next_input(container, event.input)
    if following is None:
        return True
    following.focus()
    return False


def has_unsaved(container: Widget) -> bool:
    """Any field under ``container`` holds typing that was not saved: a
    form field, or a number typed into the scan field without its Enter."""
    from station_tui.ui.widgets.scan_input import ScanInput

    return (any(f.unsaved for f in container.query(FormField))
            or any(scan.value.strip() for scan in container.query(ScanInput)))


def mark_saved(container: Widget) -> None:
    """Every field under ``container`` holds what has been acted on."""
    for field in container.query(FormField):
        field.mark_saved()


def values(container: Widget) -> dict[str, str]:
    """Every FormField's value under ``container``, by field name."""
    return {f.field_name: f.value for f in container.query(FormField)}


def show_error(container: Widget, error: StationError, *,
               focus: bool = True) -> bool:
    """Mark every field ``error`` names, each with its own message.

    An InputErrors marks all its fields at once; the first of them in the
    form is focused, unless ``focus`` is False (while scanning, the cursor
    must stay in the scan field). Returns False when no field here is
    named, so the caller says it another way (an error about the whole
    form, not one field).
    """
    fields = {f.field_name: f for f in container.query(FormField)}
    named: dict[str, StationError] = {}
    for each in each_error(error):
        if each.field in fields:
            named.setdefault(each.field, each)
    for name, first_error in named.items():
        fields[name].show_error(first_error.message)
    if focus and named:
        first = next(f for f in fields.values() if f.field_name in named)
        first.input.focus()
    return bool(named)


def clear_errors(container: Widget) -> None:
    for field in container.query(FormField):
        field.clear_error()
