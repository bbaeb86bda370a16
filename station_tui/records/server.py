"""The center's tables: station records as received, accounts, sync log.

They are defined here, below both the sync server and the assessment, so
that the one schema of the center database
(``station_tui.assessment.database.migrate_center``) can create them for
``serve``, ``demo``, ``assess`` and the tests alike.

A station record is stored on the server in a table of the same name and
layout as on the station, so the record models read it unchanged (the
assessment queries ``PurchaseOrder`` etc. directly). The server's own
columns (when it was received, in which batch, the phone hash and the
"filled" flags that stand in for personal data) are added by a subclass
per record kind, ``SERVER_RECORDS[kind]``. Personal columns stay NULL.

The server's columns carry SQL defaults as well as Python ones, so that a
writer that knows only the station model (the demo loader, the
assessment's test builders) can insert rows; ingest always sets them.

Uniqueness rules that a station enforces at its counter (one tracking
number per station) are plain indexes here: the server must take what two
devices of one station recorded, not fail a batch on it.
"""

from __future__ import annotations

from typing import Any

from peewee import (
    BigAutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    CompositeKey,
    IntegerField,
    Model,
    ModelIndex,
    SQL,
    TextField,
    UUIDField,
)

from station_tui.records import STATION_RECORDS, BaseModel, Record

#: The column (and wire field) holding the keyed hash of a record's phone.
PHONE_HASH_FIELD = "phone_hash"


def filled_flag(field: str) -> str:
    """The name of the flag saying a personal field was filled."""
    return f"{field}_filled"


def _default(sql: str) -> list[SQL]:
    return [SQL(f"DEFAULT {sql}")]


def _plain_indexes(model: type[Record]) -> list[Any]:
    """The model's indexes with every unique one made non-unique."""
    plain: list[Any] = []
    for index in model._meta.indexes:
        if isinstance(index, ModelIndex):
            plain.append(ModelIndex(model, index._expressions, unique=False,
                                    where=index._where, name=index._name + "_srv"))
        else:
            fields, _unique = index
            plain.append((fields, False))
    return plain


def _server_model(model: type[Record]) -> type[Record]:
    attrs: dict[str, Any] = {
        "__doc__": f"{model.__name__} as the center stores it.",
        "__module__": __name__,
        "received_at": BigIntegerField(default=0, constraints=_default("0")),
        "batch_id": CharField(max_length=36, default="", constraints=_default("''")),
        "entered_by": CharField(max_length=64, default="",
                                constraints=_default("''")),
        "clock_offset": IntegerField(default=0, constraints=_default("0")),
        "clock_flagged": BooleanField(default=False, constraints=_default("FALSE")),
    }
    for name in model.personal_fields:
        attrs[filled_flag(name)] = BooleanField(default=False,
                                                constraints=_default("FALSE"))
    if model.phone_field:
        attrs[PHONE_HASH_FIELD] = CharField(max_length=32, null=True, index=True)
    attrs["Meta"] = type("Meta", (), {
        "table_name": model._meta.table_name,
        "indexes": _plain_indexes(model),
    })
    return type(f"Server{model.__name__}", (model,), attrs)


#: kind -> server model, in STATION_RECORDS order.
SERVER_RECORDS: dict[str, type[Record]] = {
    m.record_kind(): _server_model(m) for m in STATION_RECORDS
}

#: Columns the server fills itself, never taken from the wire.
SERVER_COLUMNS = ("received_at", "batch_id", "entered_by", "clock_offset",
                  "clock_flagged")


class StaffAccount(BaseModel):
    """A center staff member and their role."""

    name = CharField(max_length=64, primary_key=True)
    #: admin | inspector | viewer
    role = CharField(max_length=16)
    created_at = BigIntegerField()
    created_by = CharField(max_length=64)


class ApiToken(BaseModel):
    """A bearer token; only a hash of its secret is kept."""

    token_id = CharField(max_length=16, primary_key=True)
    secret_hash = CharField(max_length=64)
    #: staff | station
    kind = CharField(max_length=8)
    #: staff account name or station code
    subject = CharField(max_length=64, index=True)
    created_at = BigIntegerField()
    created_by = CharField(max_length=64)
    revoked_at = BigIntegerField(null=True)


class RecordVersion(BaseModel):
    """Every (uuid, version) ever accepted, with a digest of its content.

    This is what makes applying a change idempotent and a conflict visible:
    the same version again with the same digest is a duplicate, with
    another digest a conflict.
    """

    uuid = UUIDField()
    version = IntegerField()
    kind = CharField(max_length=32)
    station = CharField(max_length=32)
    digest = CharField(max_length=32)
    batch_id = CharField(max_length=36)
    received_at = BigIntegerField()

    class Meta:
        primary_key = CompositeKey("uuid", "version")


class SyncBatch(BaseModel):
    """One batch as first received: who sent it, both clocks, the outcome."""

    batch_id = CharField(max_length=36, primary_key=True)
    station = CharField(max_length=32)
    device = CharField(max_length=36)
    token_id = CharField(max_length=16)
    schema_version = IntegerField()
    client_clock = BigIntegerField()
    received_at = BigIntegerField()
    clock_offset = IntegerField()
    clock_flagged = BooleanField()
    changes = IntegerField()
    accepted = IntegerField()
    duplicates = IntegerField()
    set_aside = IntegerField()
    last_seq = BigIntegerField()

    class Meta:
        indexes = ((("station", "received_at"), False),)


class SyncRefusal(BaseModel):
    """A change the server set aside, so staff can see it too."""

    id = BigAutoField()
    station = CharField(max_length=32, index=True)
    batch_id = CharField(max_length=36)
    seq = BigIntegerField()
    kind = CharField(max_length=32)
    record_uuid = CharField(max_length=36, null=True)
    version = IntegerField(null=True)
    reason = TextField()
    received_at = BigIntegerField()


class ServerSetting(BaseModel):
    """Server-wide values: the county phone-hash key."""

    key = CharField(max_length=64, primary_key=True)
    value = TextField()


SERVER_TABLES: tuple[type[Model], ...] = (
    StaffAccount, ApiToken, RecordVersion, SyncBatch, SyncRefusal, ServerSetting,
)
