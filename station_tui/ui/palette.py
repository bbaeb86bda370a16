"""Command-palette entries for every screen of the navigation table."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

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
