"""Records for the ledger tests, written the way operations write them."""

from __future__ import annotations

import asyncio
from typing import Any, Callable

from textual.app import App
from textual.screen import Screen

from station_tui.domain import clock
from station_tui.domain.phone import last_four
from station_tui.domain.pinyin import initials
from station_tui.operations import changes
from station_tui.records import (
    ParcelIn,
    ParcelOut,
    PurchaseOrder,
    Record,
    SaleOrder,
    ServiceRecord,
)
from station_tui.storage.db import write_txn

STATION = "QY-001"


def at(text: str) -> int:
    """A Shanghai local time as an instant."""
    return clock.parse_local(text)


def add(model: type[Record], when: str | int, **fields: Any) -> Any:
    happened = at(when) if isinstance(when, str) else when
    with write_txn():
        return changes.create(model, station=STATION, happened_at=happened, **fields)


def _person(name: str | None, phone: str | None) -> dict[str, str]:
    return {"phone_last4": last_four(phone), "name_initials": initials(name)}


def parcel_in(when: str | int, number: str, name: str | None = None,
              phone: str | None = None, **fields: Any) -> Any:
    return add(ParcelIn, when, tracking_no=number, carrier="SF", shelf_slot="A1",
               pickup_code=number[-4:], recipient_name=name, recipient_phone=phone,
               **_person(name, phone), **fields)


def parcel_out(when: str | int, name: str, phone: str, **fields: Any) -> Any:
    fields.setdefault("fee_fen", 1000)
    return add(ParcelOut, when, carrier="ZTO", weight_g=500, sender_name=name,
               sender_phone=phone, **_person(name, phone), **fields)


def purchase(when: str | int, name: str, phone: str, **fields: Any) -> Any:
    fields.setdefault("amount_fen", 19900)
    return add(PurchaseOrder, when, goods="电饭煲", quantity=1, platform="拼多多",
               villager_name=name, villager_phone=phone, **_person(name, phone),
               **fields)


def sale(when: str | int, name: str, phone: str, **fields: Any) -> Any:
    return add(SaleOrder, when, product="小米", quantity=10, unit_price_fen=800,
               amount_fen=8000, channel="o2o", seller_name=name, seller_phone=phone,
               **_person(name, phone), **fields)


def service(when: str | int, name: str, phone: str, **fields: Any) -> Any:
    fields.setdefault("amount_fen", 5000)
    return add(ServiceRecord, when, category="payment", kind="phone",
               customer_name=name, customer_phone=phone, **_person(name, phone),
               **fields)


class ScreenApp(App[None]):
    """A bare app showing one screen, for Pilot tests of that screen."""

    def __init__(self, make: Callable[[], Screen[None]]) -> None:
        super().__init__()
        self._make = make

    def on_mount(self) -> None:
        self.push_screen(self._make())


async def settle(app: App[None]) -> None:
    """Wait until the workers have run and their messages are handled."""
    for _ in range(4):
        await app.workers.wait_for_complete()
        await asyncio.sleep(0.02)
