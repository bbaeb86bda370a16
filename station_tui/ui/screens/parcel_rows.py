"""Rows of the parcel and handover lists, fetched in worker threads."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

from rich.text import Text

from station_tui.domain.carriers import CARRIERS
from station_tui.domain.money import format_fen
from station_tui.domain.phone import mask
from station_tui.operations import handovers, parcels_in, parcels_out
from station_tui.operations.parcel_common import cursor_of, short_time
from station_tui.records import Handover, ParcelIn, ParcelOut, database_proxy
from station_tui.domain.labels import NOTIFY_METHOD, PARCEL_IN_STATUS, PARCEL_OUT_STATUS
from station_tui.ui.widgets.paged_table import Fetcher, PagedRow

T = TypeVar("T")

IN_COLUMNS = [("code", "取件码"), ("tracking", "快递单号"), ("carrier", "快递"),
              ("name", "收件人"), ("phone", "手机"), ("arrived", "到站"),
              ("status", "状态")]
OUT_COLUMNS = [("tracking", "快递单号"), ("carrier", "快递"), ("sender", "寄件人"),
               ("phone", "手机"), ("region", "寄往"), ("weight", "重量kg"),
               ("fee", "运费"), ("accepted", "收寄"), ("status", "状态")]
HANDOVER_COLUMNS = [("direction", "方向"), ("carrier", "快递"),
                    ("courier", "快递员"), ("count", "件数"), ("signer", "签收人"),
                    ("signed", "签字时间")]


def in_worker_thread(query: Callable[[], T]) -> T:
    """Run a read on this worker thread's own connection, closed afterwards."""
    with database_proxy.connection_context():
        return query()


def _cursor(after: Hashable | None) -> tuple[int, int] | None:
    return after  # type: ignore[return-value]


def _in_status(p: ParcelIn) -> Text:
    label = PARCEL_IN_STATUS.get(p.status, p.status)
    text = Text(label, style="bold" if p.status == "waiting" else "dim")
    if p.status == "waiting":
        notified = NOTIFY_METHOD.get(p.notify_method or "", "")
        text.append(f" 已{notified}通知" if notified else " 未通知",
                    style="green" if notified else "yellow")
    if p.damaged_on_arrival:
        text.append(" 到站破损", style="red")
    return text


def in_row(p: ParcelIn) -> PagedRow:
    cells = (p.pickup_code, p.tracking_no, CARRIERS.get(p.carrier, p.carrier),
             p.recipient_name or "", mask(p.recipient_phone),
             short_time(p.happened_at), _in_status(p))
    return PagedRow(key=p.uuid.hex, cursor=cursor_of(p), cells=cells)


def in_fetcher(filter: parcels_in.ListFilter, search: str) -> Fetcher:
    def fetch(after: Hashable | None, limit: int) -> Sequence[PagedRow]:
        found = in_worker_thread(
            lambda: parcels_in.page(filter, search, _cursor(after), limit))
        return [in_row(p) for p in found]
    return fetch


def out_row(p: ParcelOut) -> PagedRow:
    cells = (p.tracking_no or "（待补）", CARRIERS.get(p.carrier, p.carrier),
             p.sender_name or "", mask(p.sender_phone), p.destination_region,
             f"{p.weight_g / 1000:g}", format_fen(p.fee_fen),
             short_time(p.happened_at),
             PARCEL_OUT_STATUS.get(p.status, p.status))
    return PagedRow(key=p.uuid.hex, cursor=cursor_of(p), cells=cells)


def out_fetcher(filter: parcels_out.OutFilter) -> Fetcher:
    def fetch(after: Hashable | None, limit: int) -> Sequence[PagedRow]:
        found = in_worker_thread(
            lambda: parcels_out.page(filter, _cursor(after), limit))
        return [out_row(p) for p in found]
    return fetch


def handover_row(h: Handover, count: int) -> PagedRow:
    way = "收件" if h.direction == "in" else "寄出"
    signed = (short_time(h.signed_at) if h.signed_at
              else Text("未签字", style="yellow"))
    cells = (way, CARRIERS.get(h.carrier, h.carrier), h.courier_name, str(count),
             h.signer or "", signed)
    return PagedRow(key=h.uuid.hex, cursor=cursor_of(h), cells=cells)


def handover_fetcher() -> Fetcher:
    def fetch(after: Hashable | None, limit: int) -> Sequence[PagedRow]:
        def query() -> list[PagedRow]:
            found = handovers.page(after=_cursor(after), limit=limit)
            counts = handovers.counts(found)
            return [handover_row(h, counts.get(h.uuid, 0)) for h in found]
        return in_worker_thread(query)
    return fetch
