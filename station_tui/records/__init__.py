"""Peewee models: the one definition of every record, used by the station
database, the wire format (see ``sync.wire``) and the server database.

The ledger models (and the tuples listing them) are imported on first use:
the app's first frame reads only the station's profile, and building a
dozen model classes would hold it up.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from station_tui.records.base import BaseModel, Record, database_proxy
from station_tui.records.local import Outbox, Setting, StationProfile, SyncRound

if TYPE_CHECKING:
    from station_tui.records.ledger import (
        RECORDS_BY_KIND,
        STATION_RECORDS,
        DailyReport,
        Handover,
        OpenSpell,
        ParcelIn,
        ParcelOut,
        PurchaseOrder,
        Refund,
        ReportSubmission,
        RestDay,
        SaleOrder,
        ServiceRecord,
        Villager,
    )

#: Tables only the station database has.
LOCAL_TABLES: tuple[type[BaseModel], ...] = (
    StationProfile, Setting, Outbox, SyncRound,
)

_FROM_LEDGER = frozenset({
    "RECORDS_BY_KIND", "STATION_RECORDS", "DailyReport", "Handover", "OpenSpell",
    "ParcelIn", "ParcelOut", "PurchaseOrder", "Refund", "ReportSubmission",
    "RestDay", "SaleOrder", "ServiceRecord", "Villager",
})


def __getattr__(name: str) -> Any:
    if name in _FROM_LEDGER:
        from station_tui.records import ledger

        return getattr(ledger, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BaseModel", "Record", "database_proxy", "STATION_RECORDS", "LOCAL_TABLES",
    "RECORDS_BY_KIND", "DailyReport", "Handover", "OpenSpell", "ParcelIn",
    "ParcelOut", "PurchaseOrder", "Refund", "ReportSubmission", "RestDay", "SaleOrder",
    "ServiceRecord", "Villager", "Outbox", "Setting", "StationProfile", "SyncRound",
]
