"""A labelled Select that lines up with the FormFields beside it."""

from __future__ import annotations

from typing import Iterable

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Label, Select


class ChoiceField(Vertical):
    """Label over a Select of (label, code) choices; never blank."""

    DEFAULT_CSS = """
    ChoiceField {
        height: auto;
        width: 1fr;
        margin: 0 1 0 0;
    }
    ChoiceField > Label {
        color: $text-muted;
    }
    """

    def __init__(self, label: str, *, name: str,
                 choices: Iterable[tuple[str, str]], value: str | None = None,
                 id: str | None = None) -> None:
        super().__init__(id=id or f"choice-{name}")
        self.field_name = name
        self._label = label
        self._choices = list(choices)
        self._initial = value if value is not None else self._choices[0][1]

    def compose(self) -> ComposeResult:
        yield Label(self._label)
        yield Select(self._choices, value=self._initial, allow_blank=False,
                     id=f"select-{self.field_name}")

    @property
    def select(self) -> Select[str]:
        return self.query_one(Select)

    @property
    def value(self) -> str:
        return str(self.select.value)

    @value.setter
    def value(self, code: str) -> None:
        self.select.value = code

    def reset(self) -> None:
        self.select.value = self._initial
