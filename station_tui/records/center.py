"""Records the county center keeps: its stations, and what it enters.

Every center record is stamped with the staff account that entered it.
Models with ``pull_to_station`` set are sent down to stations: those with
``station`` NULL to every station, the others only to that station.
The assessment work adds its models (inspections, on-site rounds,
trainings, campaigns, complaints, …) here and lists them in CENTER_RECORDS.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from peewee import (
    BigIntegerField,
    CharField,
    DateField,
    IntegerField,
    TextField,
    UUIDField,
)

from station_tui.records.base import BaseModel


class CenterStation(BaseModel):
    """A station as the center knows it (the server's station registry)."""

    code = CharField(max_length=32, primary_key=True)
    name = CharField(max_length=64)
    town = CharField(max_length=64)
    village = CharField(max_length=64)
    #: township | village
    level = CharField(max_length=16, default="village")
    #: active | warned | rectifying | to_be_terminated | terminated
    status = CharField(max_length=24, default="active")
    #: First and last day of service; periods prorate targets by these.
    active_from = DateField()
    active_until = DateField(null=True)
    created_at = BigIntegerField()
    created_by = CharField(max_length=64)


class CenterRecord(BaseModel):
    """Base of what center staff enter: versioned, stamped, voided."""

    pull_to_station: ClassVar[bool] = False

    uuid = UUIDField(primary_key=True, default=uuid.uuid4)
    version = IntegerField(default=1)
    #: The station concerned; NULL for records that concern every station.
    station = CharField(max_length=32, null=True, index=True)
    entered_by = CharField(max_length=64)
    entered_at = BigIntegerField()
    updated_at = BigIntegerField()
    voided_at = BigIntegerField(null=True)
    void_reason = TextField(null=True)

    @classmethod
    def record_kind(cls) -> str:
        return cls._meta.table_name


class ReportRequest(CenterRecord):
    """A statistics report the center asks for, with a deadline (item 6)."""

    pull_to_station = True

    title = CharField(max_length=128)
    description = TextField(default="")
    #: Submissions before this instant are on time (half-open).
    deadline_at = BigIntegerField()


class Notice(CenterRecord):
    """A notice from the center to stations."""

    pull_to_station = True

    title = CharField(max_length=128)
    body = TextField()
    published_at = BigIntegerField()


CENTER_RECORDS: tuple[type[BaseModel], ...] = (
    CenterStation,
    ReportRequest,
    Notice,
)
