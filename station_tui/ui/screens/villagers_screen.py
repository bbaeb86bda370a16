"""村民: the villagers the station remembers, and erasing one's data."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input

from station_tui.domain import clock
from station_tui.domain.phone import mask
from station_tui.domain.phone_text import mask_phones
from station_tui.operations import villagers
from station_tui.operations.pages import PageKey
from station_tui.records import Villager
from station_tui.ui.screens.counter_screen import Cells, CounterScreen
from station_tui.ui.screens.fields_modal import ModalField
from station_tui.ui.widgets.form_field import FormField

ERASE_NOTE = (
    "将清除这位村民在代购、代销、便民、快递记录中的\n"
    "姓名、手机号和地址；金额、数量、状态等台账数字保留。\n"
    "此操作不能撤销。"
)


class VillagersScreen(CounterScreen[Villager]):
    """Remember villagers, find them, and erase one's data on request."""

    DEFAULT_CSS = """
    VillagersScreen #search {
        margin: 0 1;
    }
    """

    HEADING = "常用村民　　Enter 下一项　Ctrl+S 保存　Ctrl+F 查找　Ctrl+L 列表/表单"
    COLUMNS = ("姓名", "手机", "拼音首字母", "地址", "更新时间")
    ROW_ACTIONS = frozenset({"rename", "erase"})
    page_time_field = "updated_at"
    BINDINGS = [
        Binding("ctrl+f", "find", "查找"),
        Binding("n", "rename", "改名"),
        Binding("e", "erase", "删除个人信息"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._search = ""
        #: Names of the others on the phone just saved (a household).
        self._sharing: list[str] = []

    def compose_form(self) -> ComposeResult:
        with Horizontal():
            yield FormField("姓名", name="name")
            yield FormField("手机号", name="phone")
            yield FormField("地址", name="address", placeholder="可空")

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if widget.id == "records":
                yield Input(placeholder="查找：手机尾号 4 位、拼音首字母（zs）或姓名",
                            id="search")
            yield widget

    def save_record(self, typed: dict[str, str]) -> Villager:
        saved = villagers.remember(typed["name"], typed["phone"], typed["address"])
        self._sharing = [v.name or "" for v in villagers.sharing_phone(saved)]
        return saved

    def saved_text(self, record: Villager) -> str:
        text = f"已记住：{mask_phones(record.name)}  {mask(record.phone)}"
        if self._sharing:
            others = "、".join(mask_phones(name) for name in self._sharing)
            text += f"（与{others}共用这个手机号，各记各的）"
        return text

    def fetch_page(self, before: PageKey | None, limit: int) -> list[Villager]:
        if self._search:
            # A search shows its best matches only, on one page.
            return [] if before else villagers.find(self._search, limit=limit - 1)
        return villagers.recent(limit=limit, before=before)

    def row_cells(self, villager: Villager) -> Cells:
        return (
            mask_phones(villager.name), mask(villager.phone),
            villager.name_initials, mask_phones(villager.address),
            clock.format_time(villager.updated_at),
        )

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self._search = event.value.strip()
        self._page_starts = [None]
        self.reload()

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        self.table.focus()

    def action_find(self) -> None:
        self.query_one("#search", Input).focus()

    def action_rename(self) -> None:
        villager = self.selected()
        name = (villager.name or "") if villager is not None else ""
        self.ask("改名（只改村民名单，已记的台账不变）",
                 lambda v, t: villagers.rename(v.uuid, t["name"]),
                 detail=f"{mask_phones(name)}  "
                        f"{mask(villager.phone if villager else None)}",
                 fields=[ModalField("姓名", "name", name)], done="已改名")

    def action_erase(self) -> None:
        villager = self.selected()
        detail = ERASE_NOTE
        if villager is not None:
            detail = (f"{mask_phones(villager.name)}  {mask(villager.phone)}"
                      f"\n\n{ERASE_NOTE}")
        self.ask("删除村民个人信息", lambda v, t: villagers.erase(v.uuid, t["reason"]),
                 detail=detail, done="个人信息已删除，台账数字保留",
                 fields=[ModalField("原因", "reason", placeholder="例如：本人当面要求")])
