"""The bar of keys: every key the screen in front offers stays readable."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.cells import cell_len
from textual.widgets import Input

from station_tui.records import StationProfile
from station_tui.ui.app import StationApp
from station_tui.ui.screens.parcels_in_screen import ParcelsInScreen
from station_tui.ui.screens.preview_screen import PreviewScreen
from station_tui.ui.widgets.key_bar import KeyBar, KeyItems


def bar_lines(app: StationApp) -> list[str]:
    bar = app.screen.query_one(KeyBar)
    items = bar.render()
    assert isinstance(items, KeyItems)
    return [line.plain for line in items.lines(bar.content_region.width)]


@pytest.mark.parametrize("key", ["f3", "f4", "f9"])
@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_every_key_of_a_busy_screen_is_shown_whole(
        station: StationProfile, db_path: Path, size: tuple[int, int],
        key: str) -> None:
    """The busiest screens' keys: none is cut at 80 or 120 columns."""
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=size) as pilot:
        await pilot.press(key)
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        lines = bar_lines(app)
        width = bar.content_region.width

        assert all(cell_len(line) <= width for line in lines)
        assert bar.region.height == len(lines) > 1
        text = "\n".join(lines)
        shown = [(key, label) for key, label, _ in bar.shown_keys()]
        for key, label in shown:
            # Never split between a key and its label, nor across lines.
            assert f"{key} {label}" in text, (key, label, lines)
        assert ("F3", "收件") in shown and ("^k", "考核") in shown
        assert shown[-2:] == [("F12", "同步"), ("^p", "查找")]
        assert shown[-1] == ("^p", "查找")
        # The bar sits above the status bar, inside the screen.
        assert bar.region.bottom <= size[1] - 1


async def test_the_bar_follows_focus_and_ctrl_k_works_from_a_text_field(
        station: StationProfile, db_path: Path) -> None:
    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.focused, Input)
        await pilot.press(*"YT123")
        assert "^k 考核" in "\n".join(bar_lines(app))

        await pilot.press("ctrl+k")
        await pilot.pause()
        assert isinstance(app.screen, PreviewScreen)
        await pilot.press("f3")
        await pilot.pause()
        # What was typed before is still there: Ctrl+K did not delete it.
        assert isinstance(app.focused, Input) and app.focused.value == "YT123"


async def test_no_screen_switch_while_a_dialog_waits(
        station: StationProfile, db_path: Path) -> None:
    """Ctrl+K (a priority key) used to switch away from an open dialog,
    which then popped up again later over another screen."""
    from station_tui.operations import opening
    from station_tui.domain import clock
    from station_tui.ui.screens.settle_modal import SettleModal
    from station_tui.ui.screens.today_screen import TodayScreen

    opening.open_station(at=clock.now() - 30 * 3600)
    app = StationApp(db_path)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(50):
            await pilot.pause(0.05)
            if isinstance(app.screen, SettleModal):
                break
        assert isinstance(app.screen, SettleModal)
        for key in ("ctrl+k", "f3", "f1"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, SettleModal), key
        # Nor through the palette.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"收件")
        await pilot.pause(0.5)
        assert type(app.screen).__name__ == "StationPalette"
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, SettleModal)
        assert app.current_mode == "today"
        assert isinstance(app.screen_stack[0], TodayScreen)


async def test_while_a_dialog_is_open_the_bar_shows_its_keys(
        station: StationProfile, db_path: Path) -> None:
    from station_tui.ui.screens.ask_modal import AskModal

    app = StationApp(db_path, start_checks=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f5")
        await pilot.pause()
        own = [label for _, label, _ in
               app.screen.query_one(KeyBar).shown_keys()]
        assert "保存" in own
        bar = app.screen.query_one(KeyBar)
        await pilot.press(*"张三")
        await pilot.press("ctrl+q")  # asks about the typing
        await pilot.pause(0.3)
        assert isinstance(app.screen, AskModal)
        shown = bar.shown_keys()
        labels = [label for _, label, _ in shown]
        assert "保存" not in labels  # the 代购 form's keys do not work now
        assert any(key == "esc" for key, _, _ in shown), shown
        # No screen can be reached while the dialog waits: no F-keys shown.
        assert not any(key.startswith("F") and enabled for key, _, enabled in shown)
        await pilot.press("escape")
        await pilot.pause(0.3)
        assert "保存" in [label for _, label, _ in bar.shown_keys()]
