"""The keys of the screen in front, on lines that wrap instead of cutting."""

from __future__ import annotations

from typing import Iterable

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

#: Between two keys on a line, from WIDE columns on.
GAP = "  "
WIDE = 100


class KeyItems:
    """Rich renderable: "key label" items packed onto as few lines as fit.

    An item never breaks across lines; one wider than the line is cropped.
    """

    def __init__(self, items: Iterable[Text]) -> None:
        self.items = list(items)

    def lines(self, width: int) -> list[Text]:
        # Two spaces between keys read best; an 80-column console gets one,
        # so that a busy screen's keys still fit on three lines.
        gap = GAP if width >= WIDE else " "
        lines: list[Text] = []
        line = Text()
        for item in self.items:
            if line and line.cell_len + len(gap) + item.cell_len > width:
                lines.append(line)
                line = Text()
            if line:
                line.append(gap)
            line.append_text(item)
        if line:
            lines.append(line)
        return lines

    def __rich_console__(self, console: Console,
                         options: ConsoleOptions) -> RenderResult:
        for line in self.lines(options.max_width):
            line.no_wrap = True
            line.overflow = "crop"
            yield line

    def __rich_measure__(self, console: Console,
                         options: ConsoleOptions) -> Measurement:
        widest = max((item.cell_len for item in self.items), default=0)
        return Measurement(min(widest, options.max_width), options.max_width)


class KeyBar(Widget):
    """What Textual's Footer shows, as text: every key stays readable.

    Textual's footer is one line of one widget per key; on a screen with
    many keys the last ones are cut off at 120 columns, and its compact
    style clips a character at 80. This bar wraps onto a second line
    instead, and is a single widget to lay out.
    """

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: auto;
        max-height: 5;
        padding: 0 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        text-style: bold;
    }
    """

    COMPONENT_CLASSES = {"key-bar--key"}

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.app.screen_change_signal.subscribe(self, self._screen_changed)

    def front(self) -> Screen[object]:
        """The screen whose keys work now: a dialog over this bar's screen
        (dialogs have no bar of their own), else this bar's screen."""
        front = self.app.screen
        if (front is not self.screen and isinstance(front, ModalScreen)
                and self.screen in self.app.screen_stack):
            return front
        return self.screen

    def _screen_changed(self, screen: Screen[object]) -> None:
        if not self.is_attached:
            return
        if screen is not self.screen and isinstance(screen, ModalScreen):
            screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.refresh(layout=True)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.front():
            self.refresh(layout=True)

    def shown_keys(self) -> list[tuple[str, str, bool]]:
        """(key as shown, label, enabled) of each key the bar shows.

        The keys of the screen in front (a dialog's while one is open) first,
        then the app's in the order it declares them (F1 … F12), then the
        palette's key, which reaches everything.
        """
        app = self.app
        declared = [b.key if isinstance(b, Binding) else b[0] for b in app.BINDINGS]
        palette_key = app.COMMAND_PALETTE_BINDING
        screen_keys: list[tuple[str, str, bool]] = []
        app_keys: list[tuple[int, tuple[str, str, bool]]] = []
        palette: list[tuple[str, str, bool]] = []
        for key, active in self.front().active_bindings.items():
            binding = active.binding
            if not binding.show and key != palette_key:
                continue
            entry = (app.get_key_display(binding), binding.description,
                     active.enabled)
            if key == palette_key:
                palette.append(entry)
            elif active.node is app:
                order = declared.index(key) if key in declared else len(declared)
                app_keys.append((order, entry))
            else:
                screen_keys.append(entry)
        app_keys.sort(key=lambda pair: pair[0])
        return screen_keys + [entry for _, entry in app_keys] + palette

    def render(self) -> KeyItems:
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        dim = Style(dim=True)
        items = []
        for key, label, enabled in self.shown_keys():
            item = Text.assemble((key, key_style), " ", label)
            if not enabled:
                item.stylize(dim)
            items.append(item)
        return KeyItems(items)
