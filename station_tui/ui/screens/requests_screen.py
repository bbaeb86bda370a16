"""What the center sent: report requests to answer, notices, and changes
the center set aside for the partner to fix."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Label, Static

from station_tui.domain import clock
from station_tui.errors import InputError
from station_tui.ui.widgets.form_field import FormField, clear_errors, show_error

log = logging.getLogger(__name__)

KIND_NAMES = {
    "villager": "村民", "open_spell": "营业", "rest_day": "休息日",
    "handover": "交接清单", "parcel_in": "收件", "parcel_out": "寄件",
    "purchase_order": "代购", "sale_order": "代销", "refund": "退款",
    "service_record": "便民服务", "daily_report": "日报",
    "report_submission": "统计报送",
}


@dataclass(frozen=True)
class _Loaded:
    requests: list[tuple[str, str, str, str, str]]
    notices: list[tuple[str, str, str, str]]
    set_aside: list[tuple[int, str, str, str]]
    center_url: str = ""
    has_token: bool = False


def _request_state(deadline: int, first: int | None, now: int) -> str:
    if first is not None:
        late = "（逾期）" if first >= deadline else ""
        return f"已报送 {clock.format_time(first, '%m-%d %H:%M')}{late}"
    return "已逾期，请尽快报送" if now >= deadline else "待报送"


def load() -> _Loaded:
    """Everything the screen lists; runs in a worker thread."""
    from peewee import fn

    from station_tui.records import Outbox, ReportSubmission
    from station_tui.records.center import Notice, ReportRequest
    from sync.client.settings import current_center

    now = clock.now()
    firsts = dict(
        ReportSubmission.select(ReportSubmission.request,
                                fn.MIN(ReportSubmission.happened_at))
        .where(ReportSubmission.voided_at.is_null())
        .group_by(ReportSubmission.request).tuples()
    )
    requests = [
        (str(r.uuid), r.title, clock.format_time(r.deadline_at),
         _request_state(r.deadline_at, firsts.get(r.uuid), now), r.description)
        for r in ReportRequest.select().where(ReportRequest.voided_at.is_null())
        .order_by(ReportRequest.deadline_at.desc()).limit(200)
    ]
    notices = [
        (str(n.uuid), clock.format_time(n.published_at), n.title, n.body)
        for n in Notice.select().where(Notice.voided_at.is_null())
        .order_by(Notice.published_at.desc()).limit(200)
    ]
    set_aside = [
        (o.seq, KIND_NAMES.get(o.kind, o.kind), clock.format_time(o.created_at),
         o.error or "")
        for o in Outbox.select().where(Outbox.set_aside == True)  # noqa: E712
        .order_by(Outbox.seq).limit(500)
    ]
    return _Loaded(requests, notices, set_aside, *current_center())


def submit_answer(request_uuid: str, content: str) -> None:
    """Record the station's answer to a report request (pushed at next sync)."""
    import uuid

    from station_tui.domain.text import clean
    from station_tui.operations import changes
    from station_tui.operations.station import current_code
    from station_tui.records import ReportSubmission
    from station_tui.storage.db import write_txn

    text = clean(content)
    if not text:
        raise InputError("请填写报送内容", field="content")
    with write_txn():
        changes.create(ReportSubmission, station=current_code(),
                       request=uuid.UUID(request_uuid), content=text)


def save_typed_center(typed: dict[str, str], has_token: bool) -> None:
    """Store what the 中心设置 dialog got; a blank token keeps the stored one."""
    from sync.client.settings import save_center

    token: str | None = typed["token"]
    if has_token and not typed["token"].strip():
        token = None
    save_center(typed["center"], token)


def retry_set_aside(seq: int) -> None:
    """Send a set-aside change again at the next sync."""
    from station_tui.records import Outbox
    from station_tui.storage.db import write_txn

    with write_txn():
        Outbox.update(set_aside=False, error=None, batch_id=None).where(
            Outbox.seq == seq).execute()


class RequestsScreen(Screen[None]):
    """Report requests, notices and set-aside changes, on one screen."""

    BINDINGS = [
        Binding("ctrl+s", "submit", "提交报送"),
        Binding("r", "retry", "重新上传"),
        # Not F5: that key opens 代购 on every screen.
        Binding("ctrl+l", "reload", "刷新"),
        Binding("ctrl+o", "center_settings", "中心设置"),
    ]

    # The columns go by id: the app's StatusBar is a Horizontal too, and a
    # type selector would stretch it over the whole screen.
    DEFAULT_CSS = """
    RequestsScreen > #requests-columns {
        height: 1fr;
    }
    RequestsScreen #requests-columns > Vertical {
        width: 1fr;
        padding: 0 1;
    }
    RequestsScreen DataTable {
        height: 1fr;
    }
    RequestsScreen .section-title {
        text-style: bold;
        margin-top: 1;
    }
    RequestsScreen #request-detail, RequestsScreen #notice-body {
        height: auto;
        max-height: 6;
        color: $text-muted;
    }
    """

    def compose(self) -> ComposeResult:
        with Horizontal(id="requests-columns"):
            with Vertical():
                yield Label("统计报送要求", classes="section-title")
                yield DataTable(id="requests", cursor_type="row")
                yield Static("", id="request-detail")
                yield FormField("报送内容", name="content",
                                placeholder="填写中心要求报送的数据")
                yield Button("提交报送 (Ctrl+S)", id="submit", variant="primary")
            with Vertical():
                yield Label("中心通知", classes="section-title")
                yield DataTable(id="notices", cursor_type="row")
                yield Static("", id="notice-body")
                yield Label("被中心退回的记录（修改该记录后会自动重传）",
                            classes="section-title")
                yield DataTable(id="set-aside", cursor_type="row")

    def on_mount(self) -> None:
        self.query_one("#requests", DataTable).add_columns("标题", "截止时间", "状态")
        self.query_one("#notices", DataTable).add_columns("发布时间", "标题")
        self.query_one("#set-aside", DataTable).add_columns("序号", "类型", "时间",
                                                            "原因")
        self._details: dict[str, str] = {}
        self._center = ("", False)
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="requests-load")
    def _load(self) -> None:
        from station_tui.records import database_proxy

        try:
            loaded = load()
        finally:
            database_proxy.obj.close()
        self.app.call_from_thread(self._show, loaded)

    def _show(self, loaded: _Loaded) -> None:
        self._center = (loaded.center_url, loaded.has_token)
        requests = self.query_one("#requests", DataTable)
        requests.clear()
        self._details = {}
        for key, title, deadline, state, description in loaded.requests:
            requests.add_row(title, deadline, state, key=key)
            self._details[key] = description
        notices = self.query_one("#notices", DataTable)
        notices.clear()
        for key, published, title, body in loaded.notices:
            notices.add_row(published, title, key=key)
            self._details[key] = body
        aside = self.query_one("#set-aside", DataTable)
        aside.clear()
        for seq, kind, at, reason in loaded.set_aside:
            aside.add_row(str(seq), kind, at, reason, key=str(seq))

    @staticmethod
    def _selected(table: DataTable[Any]) -> str | None:
        if table.row_count == 0:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def _detail_of(self, event: DataTable.RowHighlighted) -> str:
        # An empty table still posts RowHighlighted on ↑/↓, with no row key.
        key = event.row_key.value if event.row_key is not None else None
        return self._details.get(key or "", "")

    @on(DataTable.RowHighlighted, "#requests")
    def _request_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.query_one("#request-detail", Static).update(self._detail_of(event))

    @on(DataTable.RowHighlighted, "#notices")
    def _notice_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.query_one("#notice-body", Static).update(self._detail_of(event))

    @on(Button.Pressed, "#submit")
    def action_submit(self) -> None:
        clear_errors(self)
        request = self._selected(self.query_one("#requests", DataTable))
        if request is None:
            self.notify("没有需要报送的要求", severity="warning")
            return
        field = self.query_one("#field-content", FormField)
        try:
            submit_answer(request, field.value)
        except InputError as exc:
            show_error(self, exc)
            return
        field.value = ""
        self.notify("已提交，下次同步时上传到中心")
        self.action_reload()

    def action_center_settings(self) -> None:
        """The center's address and token, for a station set up in the app."""
        from station_tui.ui.screens.fields_modal import FieldsModal, ModalField

        url, has_token = self._center
        keep = "（已设置，留空则不改）" if has_token else ""
        fields = [
            ModalField("中心地址", "center", value=url,
                       placeholder="https://center.example.gov.cn"),
            ModalField(f"令牌{keep}", "token", placeholder="5fd4f2c451e9.xxxxxxxx"),
        ]
        self.app.push_screen(
            FieldsModal("中心设置", lambda typed: save_typed_center(typed, has_token),
                        detail="中心发放的地址和令牌；保存后下次同步即用新设置",
                        fields=fields),
            self._center_saved)

    def _center_saved(self, saved: bool | None) -> None:
        if not saved:
            return
        self.notify("中心设置已保存")
        start_sync = getattr(self.app, "start_sync", None)
        if start_sync is not None:  # the station app: sync from now on
            start_sync()
        self.action_reload()

    def action_retry(self) -> None:
        seq = self._selected(self.query_one("#set-aside", DataTable))
        if seq is None:
            self.notify("没有被退回的记录", severity="warning")
            return
        retry_set_aside(int(seq))
        self.notify(f"第 {seq} 条已放回待上传队列")
        self.action_reload()
