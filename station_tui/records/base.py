"""The record base: UUID, version, times, voiding.

Every station record carries the station code so that one model serves the
station database (one station) and the server database (all of them).
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from peewee import (
    BigIntegerField,
    CharField,
    DatabaseProxy,
    DateField,
    IntegerField,
    Model,
    TextField,
    UUIDField,
)

database_proxy = DatabaseProxy()


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class Record(BaseModel):
    """A synced ledger record: versioned, voided with a reason, never deleted."""

    #: Fields that hold a villager's personal data. They stay on the station
    #: PC: the wire and the server never carry them (see ``sync.wire``).
    personal_fields: ClassVar[tuple[str, ...]] = ()
    #: Search helpers derived from personal fields; local only as well.
    local_fields: ClassVar[tuple[str, ...]] = ()
    #: Phone field whose keyed hash goes on the wire, if any.
    phone_field: ClassVar[str | None] = None

    uuid = UUIDField(primary_key=True, default=uuid.uuid4)
    station = CharField(max_length=32, index=True)
    version = IntegerField(default=1)
    happened_at = BigIntegerField()
    happened_day = DateField()
    entered_at = BigIntegerField()
    updated_at = BigIntegerField()
    voided_at = BigIntegerField(null=True)
    void_reason = TextField(null=True)

    @classmethod
    def record_kind(cls) -> str:
        return cls._meta.table_name

    @property
    def voided(self) -> bool:
        return self.voided_at is not None
