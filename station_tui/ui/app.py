"""The station app: screens from the navigation table, checks at start.

Screen modules are imported only when a screen is first shown, and the
database checks run in a worker after the first frame, so that the app is
on the screen at once even on an old PC with a large database.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from peewee import DatabaseError
from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen

from station_tui.errors import RuleError, StationError, StorageError
from station_tui.operations.station import get_setting, profile
from station_tui.records import database_proxy
from station_tui.ui.navigation import NAVIGATION
from station_tui.ui.widgets.chrome import screen_chrome
from station_tui.ui.workers import in_worker, worker_connection

# Only what the first frame needs is imported here; the rest (opening
# rules, dialogs, the palette) when first used, after the first frame.
if TYPE_CHECKING:
    from textual.command import Provider

    from station_tui.operations.opening import UnclosedSpell
    from station_tui.records import StationProfile
    from station_tui.ui.sync_controller import SyncController

log = logging.getLogger(__name__)

NAV_BY_MODE = {entry.mode: entry for entry in NAVIGATION}
#: The screen the app opens on (F1 今日).
FIRST_MODE = NAVIGATION[0].mode


def load_screen_class(target: str) -> type[Screen[object]]:
    """Import ``module:Class`` from the navigation table."""
    module_name, class_name = target.split(":")
    screen_class: type[Screen[object]] = getattr(
        importlib.import_module(module_name), class_name
    )
    return screen_class


def backup_dir_for(db_path: Path) -> Path:
    """Rolling backups live beside the database, in ``backups``.

    For the default database that is ``<user data dir>/backups``; a
    database given with ``--db`` keeps its backups apart from it.
    """
    return db_path.parent / "backups"


#: Screen class name -> its title in the navigation table.
TITLE_BY_CLASS = {entry.target.split(":")[1]: entry.title for entry in NAVIGATION}


def screen_title(screen: Screen[object]) -> str:
    """What the partner calls a screen: 代购, 首次设置, or a dialog's title."""
    name = type(screen).__name__
    if name in TITLE_BY_CLASS:
        return TITLE_BY_CLASS[name]
    if name == "SetupScreen":
        return "首次设置"
    title = screen.query(".modal-title")
    if title:
        return f"“{title.first().render()}”对话框"
    return "对话框"


def width_class(width: int) -> str:
    """The HORIZONTAL_BREAKPOINTS class a screen this wide gets."""
    return max((b for b in StationApp.HORIZONTAL_BREAKPOINTS if width >= b[0]),
               default=(0, ""))[1]


def station_label(station: StationProfile | None) -> str:
    if station is None:
        return "尚未设置站点"
    return f"{station.name}（{station.code}）"


def _screens_provider() -> type[Provider]:
    """The palette's screen list, imported when the palette first opens."""
    from station_tui.ui.palette import ScreensProvider

    return ScreensProvider


def _key_label(key: str) -> str:
    """How the bar of keys shows a key: F3, ^k."""
    return f"^{key[5:]}" if key.startswith("ctrl+") else key.upper()


class StationApp(App[None]):
    """The keyboard-driven ledger app for one station PC."""

    TITLE = "农村电商服务站点台账"
    DEFAULT_MODE = FIRST_MODE
    CSS_PATH = "app.tcss"
    #: Below 110 columns the two-column screens stack (see app.tcss).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    COMMANDS = App.COMMANDS | {_screens_provider}
    BINDINGS = [
        Binding("ctrl+q", "quit", "退出", key_display="^q", priority=True),
        Binding("ctrl+p", "command_palette", "查找", show=False,
                key_display="^p", priority=True),
        *(
            # Ctrl+ keys go before a text field's own: Input deletes to the
            # end of the line with Ctrl+K, which would hide 考核 (Ctrl+K).
            Binding(entry.key, f"show_mode('{entry.mode}')", entry.title,
                    key_display=_key_label(entry.key), tooltip=entry.help,
                    priority=entry.key.startswith("ctrl+"))
            for entry in NAVIGATION
        ),
        Binding("f12", "sync_now", "同步", key_display="F12"),
    ]

    station_text: reactive[str] = reactive("")
    """Station name and code, mirrored by every StatusBar."""
    sync_text: reactive[str] = reactive("")
    """What sync last did; sync work sets it, every StatusBar shows it."""

    class StartChecked(Message):
        """The database check after the first frame found something to show."""

        def __init__(self, *, damage: str | None = None,
                     unclosed: UnclosedSpell | None = None,
                     backup_error: str | None = None) -> None:
            super().__init__()
            self.damage = damage
            self.unclosed = unclosed
            self.backup_error = backup_error

    def __init__(self, db_path: Path | str, *, backup_dir: Path | None = None,
                 start_checks: bool = True) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.backup_dir = backup_dir or backup_dir_for(self.db_path)
        self.profile: StationProfile | None = None
        self._start_checks = start_checks
        #: perf_counter() when the command began, to log the time to show.
        self.started_at: float | None = None
        self._chromed: set[str] = set()
        #: Started after the first frame when a center is configured; the
        #: sync client's imports (httpx) must not slow the start.
        self.sync_controller: SyncController | None = None
        self._last_sync_error: str | None = None

    # -- start-up ---------------------------------------------------------

    def get_default_screen(self) -> Screen[object]:
        """The first screen: 今日 on a PC set up, a blank one under setup.

        Built here, as the first mode's own screen, rather than switched to
        from a blank screen after mounting: a mode switch at start parses
        the whole stylesheet twice more, a tenth of the cold start.
        """
        # The one query the first frame waits for: is this PC set up?
        self.profile = profile()
        self.station_text = station_label(self.profile)
        if self.profile is None:
            return Screen(id="_default")
        self._chromed.add(FIRST_MODE)
        screen = load_screen_class(NAV_BY_MODE[FIRST_MODE].target)()
        # Born with the class its width will give it, so that the first
        # resize does not restyle every widget of it once more.
        screen.add_class(width_class(self.size.width), update=False)
        return screen

    async def on_mount(self) -> None:
        # From now on F1 switches back to the first mode's screen.
        self.add_mode(FIRST_MODE, load_screen_class(NAV_BY_MODE[FIRST_MODE].target))
        if self.profile is None:
            from station_tui.ui.screens.setup_screen import SetupScreen

            await self.push_screen(SetupScreen(), self._setup_done)

    def on_ready(self) -> None:
        if not gc.isenabled():
            # The command line paused collection for the start (cli.main).
            # What start-up made lives as long as the app: kept out of every
            # later collection, so collections stay short (scans, typing).
            gc.freeze()
            gc.enable()
        if self.started_at is not None:
            log.info("first frame %.0f ms after start",
                     (time.perf_counter() - self.started_at) * 1000)
        if self._start_checks:
            self.check_database()
            self.start_sync()

    async def _setup_done(self, station: StationProfile | None) -> None:
        if station is None:
            self.exit()
            return
        self.profile = station
        self.station_text = station_label(station)
        self.notify(f"站点 {station.code} 已设置", title="设置完成")
        # The first mode's screen goes over the blank one setup was shown on.
        await self.push_screen(load_screen_class(NAV_BY_MODE[FIRST_MODE].target)())
        self._chromed.add(FIRST_MODE)
        if self._start_checks:
            self.start_sync()

    @work(thread=True, group="start-checks", exit_on_error=False)
    def check_database(self) -> None:
        """Integrity check, unclosed spell, rolling backup: in that order.

        A damaged database is not backed up, so that the rolling backups
        keep the last good copies instead of replacing them.
        """
        from station_tui.operations import opening

        try:
            with worker_connection():
                rows = database_proxy.obj.execute_sql("PRAGMA quick_check").fetchall()
                verdict = "\n".join(str(row[0]) for row in rows)
                unclosed = (
                    opening.find_unclosed() if verdict == "ok" and self.profile
                    else None
                )
        except DatabaseError as exc:
            # A check that cannot even read the file has found damage too.
            verdict = str(exc)
        if verdict != "ok":
            log.error("quick_check of %s failed: %.2000s", self.db_path, verdict)
            self.post_message(self.StartChecked(damage=verdict))
            return
        if unclosed is not None:
            self.post_message(self.StartChecked(unclosed=unclosed))
        try:
            from station_tui.storage.backup import rolling_backup

            rolling_backup(self.db_path, self.backup_dir)
        except (OSError, sqlite3.Error) as exc:
            log.exception("rolling backup into %s failed", self.backup_dir)
            self.post_message(self.StartChecked(backup_error=str(exc)))

    @on(StartChecked)
    async def _start_checked(self, event: StartChecked) -> None:
        if event.damage is not None:
            from station_tui.ui.screens.damaged_modal import DamagedModal

            await self.push_screen(
                DamagedModal(self.db_path, self.backup_dir, event.damage),
                self._damage_answered,
            )
        if event.unclosed is not None:
            from station_tui.ui.screens.settle_modal import SettleModal

            await self.push_screen(SettleModal(event.unclosed))
        if event.backup_error is not None:
            self.notify(
                f"今天的自动备份没有成功：{event.backup_error}。"
                f"请检查 {self.backup_dir} 所在磁盘",
                title="备份失败", severity="warning", timeout=15,
            )

    # -- sync ---------------------------------------------------------------

    def start_sync(self) -> None:
        """Sync in the background every few minutes when a center is set."""
        if self.profile is None or self.sync_controller is not None:
            return
        if not (get_setting("center_url") and get_setting("center_token")):
            # Short enough to fit an 80-column status bar beside name and clock.
            self.sync_text = "仅本机记录（未设置中心）"
            return
        from station_tui.ui.sync_controller import SyncController

        self.sync_controller = SyncController(self)
        self.sync_controller.start()

    def action_sync_now(self) -> None:
        if self.sync_controller is None:
            # The center may have been set (init, or Ctrl+O on 中心) since start.
            self.start_sync()
            if self.sync_controller is None:
                self.notify("还没有设置中心地址和令牌：在“中心”界面（F11）按 Ctrl+O "
                            "设置，或用 station-tui init --center 地址 --token 令牌",
                            severity="warning")
            return
        self.sync_controller.sync_now()

    def on_sync_controller_status_changed(
            self, message: SyncController.StatusChanged) -> None:
        from station_tui.ui.sync_controller import describe

        status = message.status
        self.sync_text = describe(status)
        error = None if status.running else status.error
        if error and error != self._last_sync_error:
            self.notify(f"同步没有完成：{error}。记录已保存在本机，稍后自动重试",
                        title="同步", severity="warning")
        if not status.running:
            self._last_sync_error = error

    # -- quitting -----------------------------------------------------------

    def unsaved_screens(self) -> list[str]:
        """Titles of the open screens whose forms hold unsaved typing."""
        from station_tui.ui.widgets.form_field import has_unsaved

        titles: list[str] = []
        # Every mode keeps its own stack; a form left on F5 while F4 is
        # showing still holds its typing, so look through all of them.
        for stack in self._screen_stacks.values():
            for screen in stack:
                if has_unsaved(screen):
                    title = screen_title(screen)
                    if title not in titles:
                        titles.append(title)
        return titles

    async def action_quit(self) -> None:
        """Quit, asking first about unsaved typing and an open station."""
        from station_tui.ui.screens.ask_modal import UNSAVED_CHOICES, AskModal

        if isinstance(self.screen, AskModal):
            return  # already asking
        unsaved = self.unsaved_screens()
        if unsaved:
            detail = f"还没保存的输入：{'、'.join(unsaved)}。退出后就没有了。"
            await self.push_screen(
                AskModal("放弃未保存的内容并退出？", detail, UNSAVED_CHOICES),
                self._unsaved_answered)
            return
        self._check_open()

    def _unsaved_answered(self, answer: str | None) -> None:
        from station_tui.ui.screens.ask_modal import DISCARD

        if answer == DISCARD:
            self._check_open()

    @work(thread=True, group="quit", exit_on_error=False)
    def _check_open(self) -> None:
        """Read whether the station is clocked open, then quit or ask."""
        from station_tui.operations import opening

        is_open = False
        if self.profile is not None:
            try:
                is_open = in_worker(opening.current_spell) is not None
            except StationError:
                log.exception("could not read the opening state at quit")
        self.call_from_thread(self._open_checked, is_open)

    def _open_checked(self, is_open: bool) -> None:
        from station_tui.ui.screens.ask_modal import OPEN_CHOICES, AskModal

        if not is_open:
            self.exit()
            return
        self.push_screen(
            AskModal("站点还在营业，退出前要关门吗？",
                      "关门并退出：记下现在为关门时间。\n保持营业并退出：不记关门，"
                      "下次打开时会问何时关的门。", OPEN_CHOICES),
            self._open_answered)

    def _open_answered(self, answer: str | None) -> None:
        from station_tui.ui.screens.ask_modal import CLOSE

        if answer == CLOSE:
            self._close_and_quit()
        elif answer is not None:
            self.exit()

    @work(thread=True, group="quit", exit_on_error=False)
    def _close_and_quit(self) -> None:
        from station_tui.operations import opening

        try:
            in_worker(opening.close_station)
        except RuleError:
            pass  # closed meanwhile (on another screen): nothing to record
        except StationError as exc:
            self.call_from_thread(self.notify, f"关门没有记下：{exc.message}",
                                  severity="error")
            return
        self.call_from_thread(self.exit)

    def _damage_answered(self, quit_now: bool | None) -> None:
        if quit_now:
            self.exit(return_code=3)

    # -- screens ----------------------------------------------------------

    def check_action(self, action: str,
                     parameters: tuple[object, ...]) -> bool | None:
        if action == "show_mode":
            # Until the station is set up there is nothing the screens can show.
            if self.profile is None or self.dialog_in_front():
                return False
        return True

    def dialog_in_front(self) -> bool:
        """A dialog waits for an answer (the palette does not count).

        Switching screens would leave it on its screen's stack, to pop up
        again later over work it no longer belongs to.
        """
        from textual.command import CommandPalette
        from textual.screen import ModalScreen

        screen = self.screen
        return isinstance(screen, ModalScreen) and not isinstance(
            screen, CommandPalette)

    async def action_show_mode(self, mode: str) -> None:
        await self.show_mode(mode)

    async def show_mode(self, mode: str) -> bool:
        """Show a screen of the navigation table, importing it the first time."""
        entry = NAV_BY_MODE[mode]
        if mode not in self._chromed:
            try:
                screen_class = load_screen_class(entry.target)
            except ImportError:
                log.exception("screen %s is not installed", entry.target)
                self.notify(f"“{entry.title}”功能在这个版本里还没有安装",
                            severity="error")
                return False
            self.add_mode(mode, screen_class)
        await self.switch_mode(mode)
        if mode not in self._chromed:
            self._chromed.add(mode)
            await self._add_chrome(self.screen)
        return True

    async def _add_chrome(self, screen: Screen[object]) -> None:
        """Give a screen the bar of keys and the status bar it lacks."""
        missing = [widget for widget in screen_chrome()
                   if not screen.query(type(widget))]
        if missing:
            await screen.mount_all(missing)

    def action_command_palette(self) -> None:
        """The palette with Chinese placeholder and "nothing found" text."""
        from station_tui.ui.palette import StationPalette

        if self.use_command_palette and not StationPalette.is_open(self):
            self.push_screen(StationPalette())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        # No 按键帮助: Textual's keys panel lists the bindings in English
        # and has no key to close it; the bar of keys shows them instead.
        yield SystemCommand("切换配色", "浅色、深色等界面配色", self.action_change_theme)
        yield SystemCommand("退出", "关闭程序（数据已随时保存）", self.action_quit)


def run(args: argparse.Namespace) -> int:
    """``station-tui [--db PATH]``: open the station app."""
    from station_tui.logs import setup_file_logging
    from station_tui.storage.db import default_db_path, open_sqlite

    started = time.perf_counter()
    log_path = setup_file_logging()
    db_path = Path(args.db) if args.db else default_db_path()
    with one_app_per_database(db_path):
        try:
            db = open_sqlite(db_path)
        except DatabaseError as exc:
            raise StorageError(f"无法打开数据库 {db_path}：{exc}") from exc
        log.info("station app starting on %s (log %s)", db_path, log_path)
        try:
            app = StationApp(db_path)
            app.started_at = started
            app.run()
        finally:
            db.close()
    return app.return_code or 0


@contextmanager
def one_app_per_database(db_path: Path) -> Iterator[None]:
    """Refuse a second app window on the same database.

    Two windows would each show a stale screen, argue over the daily backup
    and settle each other's open spells. The lock is the operating
    system's, so a window killed or a power cut leaves no stale lock.
    (Command-line work such as ``backup`` and ``sync`` may still run.)
    """
    from filelock import FileLock, Timeout

    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(db_path) + ".lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise StorageError(
            f"这个数据库已经在另一个 station-tui 窗口里打开：{db_path}。"
            "同一个数据库只能开一个窗口，请切换到那个窗口（或先把它关掉）") from None
    try:
        yield
    finally:
        lock.release()
