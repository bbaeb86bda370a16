"""Peewee models: the one definition of every record, used by the station
database, the wire format (see ``sync.wire``) and the server database."""

from station_tui.records.base import BaseModel, Record, database_proxy
from station_tui.records.ledger import (
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
from station_tui.records.local import Outbox, Setting, StationProfile, SyncRound

#: Records a station writes and pushes, in dependency order.
STATION_RECORDS: tuple[type[Record], ...] = (
    Villager,
    OpenSpell,
    RestDay,
    Handover,
    ParcelIn,
    ParcelOut,
    PurchaseOrder,
    SaleOrder,
    Refund,
    ServiceRecord,
    DailyReport,
    ReportSubmission,
)

#: Tables only the station database has.
LOCAL_TABLES: tuple[type[BaseModel], ...] = (
    StationProfile, Setting, Outbox, SyncRound,
)

RECORDS_BY_KIND: dict[str, type[Record]] = {m.record_kind(): m for m in STATION_RECORDS}

__all__ = [
    "BaseModel", "Record", "database_proxy", "STATION_RECORDS", "LOCAL_TABLES",
    "RECORDS_BY_KIND", "DailyReport", "Handover", "OpenSpell", "ParcelIn",
    "ParcelOut", "PurchaseOrder", "Refund", "ReportSubmission", "RestDay", "SaleOrder",
    "ServiceRecord", "Villager", "Outbox", "Setting", "StationProfile", "SyncRound",
]
