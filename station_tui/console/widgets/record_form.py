"""A form for one kind of center record, built from a list of fields.

Ctrl+S sends ``RecordForm.Submitted`` with the values; the screen saves
them through the server and calls ``saved()`` (which clears the fields
that change from one record to the next) or marks the wrong field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Checkbox, Label, Select, Static

from station_tui.console.widgets.select_options import set_options_keeping
from station_tui.domain import clock
from station_tui.ui.widgets.form_field import FormField, clear_errors

Kind = Literal["text", "choice", "flag"]


@dataclass(frozen=True)
class Spec:
    """One field: its wire name, Chinese label and how it is entered."""

    name: str
    label: str
    kind: Kind = "text"
    choices: tuple[tuple[str, str], ...] = ()
    placeholder: str = ""
    default: str | bool = ""
    #: Kept after a save (the station, the day, the inspector).
    sticky: bool = False
    #: Fields laid out on one line share a row number.
    row: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def today() -> str:
    return clock.local_date(clock.now()).isoformat()


class RecordForm(VerticalScroll):
    """Fields of one record kind and a line saying how to save."""

    DEFAULT_CSS = """
    RecordForm {
        height: 1fr;
        padding: 0 1;
    }
    RecordForm > Horizontal {
        height: auto;
    }
    RecordForm Checkbox {
        margin: 1 1 0 0;
    }
    RecordForm .hint {
        color: $text-muted;
        margin: 1 0 0 0;
    }
    RecordForm .field-select {
        height: auto;
        width: 1fr;
    }
    """

    BINDINGS = [Binding("ctrl+s", "submit", "保存", priority=True)]

    class Submitted(Message):
        def __init__(self, form: RecordForm, values: dict[str, Any]) -> None:
            super().__init__()
            self.form = form
            self.values = values

        @property
        def control(self) -> RecordForm:
            return self.form

    def __init__(self, kind: str, specs: list[Spec], *, hint: str = "",
                 id: str | None = None) -> None:
        super().__init__(id=id or f"form-{kind}")
        self.kind = kind
        self.specs = specs
        self.hint = hint

    def compose(self) -> ComposeResult:
        rows: dict[int, list[Spec]] = {}
        for spec in self.specs:
            rows.setdefault(spec.row, []).append(spec)
        for specs in rows.values():
            with Horizontal():
                for spec in specs:
                    yield self._widget(spec)
        yield from self.compose_extra()
        yield Static(self.hint or "Ctrl+S 保存；出错的栏目会标红并说明原因",
                     classes="hint")

    def compose_extra(self) -> ComposeResult:
        """Widgets a special form adds below the fields."""
        yield from ()

    def _widget(self, spec: Spec) -> Any:
        if spec.kind == "flag":
            return Checkbox(spec.label, value=bool(spec.default),
                            id=f"flag-{spec.name}")
        if spec.kind == "choice":
            return Vertical(Label(spec.label),
                           Select(list(spec.choices), id=f"select-{spec.name}",
                                  allow_blank=not spec.default,
                                  value=spec.default or Select.NULL,
                                  prompt="请选择"),
                           classes="field-select")
        return FormField(spec.label, name=spec.name, value=self._default(spec),
                         placeholder=spec.placeholder)

    def _default(self, spec: Spec) -> str:
        if spec.default == "today":
            return today()
        return str(spec.default or "")

    def set_value(self, name: str, value: str) -> None:
        for f in self.query(FormField):
            if f.field_name == name:
                f.value = value

    def set_choices(self, name: str, options: list[tuple[str, str]]) -> None:
        set_options_keeping(self.query_one(f"#select-{name}", Select), options)

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in self.specs:
            if spec.kind == "flag":
                out[spec.name] = self.query_one(f"#flag-{spec.name}", Checkbox).value
            elif spec.kind == "choice":
                value = self.query_one(f"#select-{spec.name}", Select).value
                out[spec.name] = value if isinstance(value, str) else ""
            else:
                out[spec.name] = next(f.value for f in self.query(FormField)
                                      if f.field_name == spec.name)
        return out

    def action_submit(self) -> None:
        clear_errors(self)
        self.post_message(self.Submitted(self, self.values()))

    def saved(self) -> None:
        """Clear what changes from one record to the next."""
        for spec in self.specs:
            if spec.sticky:
                continue
            if spec.kind == "flag":
                self.query_one(f"#flag-{spec.name}", Checkbox).value = bool(
                    spec.default)
            elif spec.kind == "text":
                self.set_value(spec.name, self._default(spec))

    @on(Select.Changed)
    async def _select_changed(self, event: Select.Changed) -> None:
        # A change of a field is the form's own business, not the screen's.
        event.stop()
        await self.on_choice(event.select.id or "", event.value)

    async def on_choice(self, select_id: str, value: Any) -> None:
        """A special form reacts to one of its choices."""
