"""The command palette in Chinese, and its entries for every screen."""

from __future__ import annotations

from functools import partial

from rich.align import Align
from rich.text import Text
from textual.command import (
    CommandList,
    CommandPalette,
    DiscoveryHit,
    Hit,
    Hits,
    Provider,
)
from textual.widgets.option_list import Option

from station_tui.ui.navigation import NAVIGATION, NavEntry


def _display(entry: NavEntry) -> str:
    return f"{entry.key.upper()} {entry.title}"


class ScreensProvider(Provider):
    """Lists the screens with their help text; choosing one shows it.

    A screen matches on its key and title, its help text, or its English
    mode name (so ``today`` finds 今日 without a Chinese input method).
    """

    def _enabled(self) -> bool:
        return self.app.check_action("show_mode", ()) is not False

    def _command(self, entry: NavEntry) -> partial[object]:
        return partial(self.app.run_action, f"app.show_mode('{entry.mode}')")

    async def discover(self) -> Hits:
        if not self._enabled():
            return
        for entry in NAVIGATION:
            yield DiscoveryHit(_display(entry), self._command(entry), help=entry.help)

    async def search(self, query: str) -> Hits:
        if not self._enabled():
            return
        matcher = self.matcher(query)
        for entry in NAVIGATION:
            display = _display(entry)
            score = max(
                matcher.match(display),
                matcher.match(entry.mode),
                matcher.match(entry.help) * 0.8,
            )
            if score > 0:
                yield Hit(score, matcher.highlight(display), self._command(entry),
                          text=display, help=entry.help)


PLACEHOLDER = "查找界面或命令：输入名称、拼音或英文名（today）…"
NO_MATCHES = "没有找到"


class StationPalette(CommandPalette):
    """Textual's command palette with its own words in Chinese."""

    def __init__(self) -> None:
        super().__init__(placeholder=PLACEHOLDER, id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own version adds the English "No matches found"; this is
        # the same countdown with the words in Chinese.
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(NO_MATCHES, style="not bold")),
                           disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN,
                                                show_no_matches)
