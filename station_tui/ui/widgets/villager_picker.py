"""Name and phone fields that find a remembered villager as they are typed.

Typing the phone's last four digits, the name's pinyin initials (``zs`` for
张三) or part of the name, in either field, lists matching villagers below;
↓ moves into the list and Enter fills both fields, so a name is typed
through the IME only once. A picked villager's phone shows masked; the full
number is handed to the form when it is saved.
"""

from __future__ import annotations

import logging

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from station_tui.domain.phone import mask
from station_tui.domain.phone_text import mask_phones
from station_tui.errors import StationError
from station_tui.operations.villagers import find
from station_tui.records import Villager
from station_tui.ui.workers import in_worker
from station_tui.ui.widgets.form_field import FormField

log = logging.getLogger(__name__)


def _pad(text: str, cells: int) -> str:
    """Pad to a width in terminal cells: a Han character takes two."""
    return text + " " * max(1, cells - cell_len(text))


class VillagerPicker(Vertical):
    """A villager's name and phone fields with a list of matches below."""

    DEFAULT_CSS = """
    VillagerPicker {
        height: auto;
        width: 2fr;
    }
    VillagerPicker > Horizontal {
        height: auto;
    }
    VillagerPicker > OptionList {
        display: none;
        height: auto;
        max-height: 8;
        margin: 0 1 0 0;
        border: round $accent;
    }
    VillagerPicker.-matches > OptionList {
        display: block;
    }
    """

    BINDINGS = [
        Binding("down", "to_matches", "选择村民", show=False),
        Binding("escape", "hide_matches", "关闭列表", show=False),
    ]

    class Picked(Message):
        """A remembered villager was chosen from the matches."""

        def __init__(self, picker: VillagerPicker, villager: Villager) -> None:
            super().__init__()
            self.picker = picker
            self.villager = villager

        @property
        def control(self) -> VillagerPicker:
            return self.picker

    def __init__(self, *, label: str = "村民", name_field: str = "name",
                 phone_field: str = "phone", id: str | None = None) -> None:
        super().__init__(id=id)
        self.label = label
        self.name_field = name_field
        self.phone_field = phone_field
        self._picked: Villager | None = None
        self._matches: dict[str, Villager] = {}
        self._query = ""

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield FormField(f"{self.label}姓名", name=self.name_field,
                            placeholder="姓名、拼音首字母或手机尾号")
            yield FormField(f"{self.label}手机号", name=self.phone_field,
                            placeholder="11 位手机号或尾号 4 位")
        yield OptionList(id="villager-matches")

    @property
    def name_input(self) -> Input:
        return self.query_one(f"#field-{self.name_field}", FormField).input

    @property
    def phone_input(self) -> Input:
        return self.query_one(f"#field-{self.phone_field}", FormField).input

    @property
    def picked(self) -> Villager | None:
        """The remembered villager the fields still show, if any."""
        return self._picked

    def values(self) -> dict[str, str]:
        """Name and phone for saving; a picked villager's full phone."""
        phone = self.phone_input.value
        if self._picked is not None and phone == mask(self._picked.phone):
            phone = self._picked.phone or ""
        return {self.name_field: self.name_input.value, self.phone_field: phone}

    def clear(self) -> None:
        self._picked = None
        self.name_input.value = ""
        self.phone_input.value = ""
        self._hide()

    def _shows_picked(self) -> bool:
        picked = self._picked
        return picked is not None and (
            self.name_input.value == (picked.name or "")
            and self.phone_input.value == mask(picked.phone)
        )

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input not in (self.name_input, self.phone_input):
            return
        if self._shows_picked():
            return
        picked = self._picked
        if picked is not None and self.phone_input.value != mask(picked.phone):
            # A new phone is a different person; a corrected name is not.
            self._picked = None
        self._query = event.value.strip()
        if not self._query:
            self._hide()
            return
        self._search(self._query)

    def refresh_matches(self) -> None:
        """Search again for the matches shown: a villager may be gone."""
        if self.has_class("-matches") and self._query:
            self._search(self._query)

    @work(thread=True, exclusive=True, group="villager-find")
    def _search(self, query: str) -> None:
        try:
            found = in_worker(lambda: find(query))
        except StationError:
            return  # the search is a convenience; typing goes on without it
        self.app.call_from_thread(self._show_matches, query, found)

    def _show_matches(self, query: str, found: list[Villager]) -> None:
        if query != self._query:
            return  # typing went on; a newer search is on its way
        options = self.query_one(OptionList)
        self._matches = {str(v.uuid): v for v in found}
        options.set_options(
            Option(f"{_pad(mask_phones(v.name), 12)}{mask(v.phone)}",
                   id=str(v.uuid))
            for v in found
        )
        self.set_class(bool(found), "-matches")

    def _hide(self) -> None:
        self.remove_class("-matches")
        self._matches = {}
        self.query_one(OptionList).clear_options()

    def check_action(self, action: str,
                     parameters: tuple[object, ...]) -> bool | None:
        if action in ("to_matches", "hide_matches"):
            # Let ↓ and Esc mean what the screen says unless a list is open.
            return self.has_class("-matches")
        return True

    def action_to_matches(self) -> None:
        options = self.query_one(OptionList)
        options.focus()
        options.highlighted = 0

    def action_hide_matches(self) -> None:
        had_focus = self.query_one(OptionList).has_focus
        self._hide()
        if had_focus:
            self.name_input.focus()

    @on(OptionList.OptionSelected, "#villager-matches")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        villager = self._matches.get(event.option.id or "")
        if villager is not None:
            self.pick(villager)

    def pick(self, villager: Villager) -> None:
        """Fill both fields from a remembered villager."""
        self._picked = villager
        self.name_input.value = villager.name or ""
        self.phone_input.value = mask(villager.phone)
        self._hide()
        self._focus_after()
        self.post_message(self.Picked(self, villager))

    def _focus_after(self) -> None:
        """Focus the form's next field, so typing goes on where it left off."""
        chain = self.screen.focus_chain
        start = chain.index(self.phone_input) if self.phone_input in chain else -1
        for widget in chain[start + 1:]:
            if self not in widget.ancestors:
                widget.focus()
                return
        self.phone_input.focus()
