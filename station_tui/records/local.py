"""Tables only the station database has: its profile, settings, outbox."""

from __future__ import annotations

from peewee import (
    AutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    IntegerField,
    TextField,
    UUIDField,
)

from station_tui.records.base import BaseModel


class StationProfile(BaseModel):
    """This PC's station; exactly one row once set up."""

    code = CharField(max_length=32, unique=True)
    name = CharField(max_length=64)
    town = CharField(max_length=64)
    village = CharField(max_length=64)
    partner_name = CharField(max_length=64)
    partner_phone = CharField(max_length=16)
    device_id = CharField(max_length=36)
    created_at = BigIntegerField()


class Setting(BaseModel):
    """Small key/value settings (center URL, token, last sync, …)."""

    key = CharField(max_length=64, primary_key=True)
    value = TextField()


class Outbox(BaseModel):
    """One change to push: a full snapshot of the record after the change.

    Written in the same transaction as the change itself, so a record and
    its outbox row exist together or not at all.
    """

    seq = AutoField()
    kind = CharField(max_length=32)
    record_uuid = UUIDField()
    version = IntegerField()
    snapshot = TextField()
    created_at = BigIntegerField()
    sent_at = BigIntegerField(null=True, index=True)
    batch_id = CharField(max_length=36, null=True)
    #: A change the server refused or found in conflict waits here, with the
    #: server's reason, until the partner fixes the record.
    set_aside = BooleanField(default=False)
    error = TextField(null=True)


class SyncRound(BaseModel):
    """One sync round with the center, as this PC saw it."""

    started_at = BigIntegerField()
    finished_at = BigIntegerField(null=True)
    ok = BooleanField(default=False)
    sent = IntegerField(default=0)
    pulled = IntegerField(default=0)
    set_aside = IntegerField(default=0)
    #: The center's clock when it answered, and this PC's clock minus it.
    server_time = BigIntegerField(null=True)
    clock_offset = IntegerField(null=True)
    #: Chinese, for the status line; NULL when the round went through.
    error = TextField(null=True)
