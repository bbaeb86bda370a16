"""The wire format: pydantic models derived from the Peewee records.

One Peewee model is the one definition of a record; its wire model is made
from it here with ``playhouse.pydantic_utils.to_pydantic``, then tightened
so that anything the server database would refuse (a string longer than
its column, an integer outside its column, a NUL character) is refused at
validation, change by change, instead of failing a whole batch in SQL.

Personal fields (``Record.personal_fields``) and their search helpers
(``Record.local_fields``) never travel. In their place a record carries
``<field>_filled`` flags and, where it has a phone, ``phone_hash``: a keyed
hash (``domain.phone.phone_hash``) with the county key the server issues.
Wire models forbid unknown fields, so a client that tried to send a name or
a phone would be refused.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from functools import lru_cache
from typing import Annotated, Any, Literal, Optional, Union, get_args

from peewee import (
    BigIntegerField,
    CharField,
    Field as PeeweeField,
    IntegerField,
    Model,
    TextField,
)
from playhouse.pydantic_utils import to_pydantic
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, create_model

from station_tui.domain.phone import phone_hash
from station_tui.records import STATION_RECORDS, Record
from station_tui.records.center import CENTER_RECORDS
from station_tui.records.server import PHONE_HASH_FIELD, filled_flag

#: The wire format's version. The server accepts this one and the one
#: before it (``UPGRADES`` turns a previous-version record into a current
#: one); older clients are told to upgrade.
SCHEMA_VERSION = 1
OLDEST_ACCEPTED = max(1, SCHEMA_VERSION - 1)

#: UPGRADES[v](kind, record) turns a version-v record dict into version v+1.
UPGRADES: dict[int, Any] = {}

_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)
_NO_NUL = r"^[^\x00]*$"


def _limits(field: PeeweeField) -> dict[str, Any]:
    if isinstance(field, BigIntegerField):
        return {"ge": _INT64[0], "le": _INT64[1]}
    if isinstance(field, IntegerField):
        return {"ge": _INT32[0], "le": _INT32[1]}
    if isinstance(field, CharField):
        return {"max_length": field.max_length, "pattern": _NO_NUL}
    if isinstance(field, TextField):
        return {"pattern": _NO_NUL}
    return {}


def _tighten(field: PeeweeField, annotation: Any) -> Any:
    """``annotation`` with the column's limits; Optional stays outside."""
    limits = _limits(field)
    if not limits:
        return annotation
    args = [a for a in get_args(annotation) if a is not type(None)]
    if args and len(args) < len(get_args(annotation)):
        return Optional[Annotated[args[0], Field(**limits)]]
    return Annotated[annotation, Field(**limits)]


def _derive(model: type[Model], name: str, extra: dict[str, Any]) -> type[BaseModel]:
    personal = tuple(getattr(model, "personal_fields", ()))
    local = tuple(getattr(model, "local_fields", ()))
    generated = to_pydantic(model, exclude=(*personal, *local), model_name=name)
    fields: dict[str, Any] = {}
    for field_name, info in generated.model_fields.items():
        info.annotation = _tighten(model._meta.fields[field_name], info.annotation)
        if field_name == "uuid":
            # Made where the record is created, never by the receiver.
            info.default_factory = None
        fields[field_name] = (info.annotation, info)
    return create_model(
        name,
        __config__=ConfigDict(extra="forbid"),
        __doc__=f"{model.__doc__ or model.__name__}\n\nWire form of ``{name[:-4]}``.",
        **fields,
        **extra,
    )


def _personal_extras(model: type[Model]) -> dict[str, Any]:
    extra: dict[str, Any] = {
        filled_flag(f): (bool, Field(default=False, description=f"{f} was filled"))
        for f in getattr(model, "personal_fields", ())
    }
    if getattr(model, "phone_field", None):
        extra[PHONE_HASH_FIELD] = (
            Optional[Annotated[str, Field(pattern=r"^[0-9a-f]{32}$")]],
            Field(default=None, description="keyed hash of the phone"),
        )
    return extra


@lru_cache(maxsize=None)
def record_wire_model(model: type[Model]) -> type[BaseModel]:
    """The wire model of a station record or a center record."""
    return _derive(model, f"{model.__name__}Wire", _personal_extras(model))


def pulled_models() -> tuple[type[Model], ...]:
    """Center models sent down to stations, in CENTER_RECORDS order."""
    return tuple(m for m in CENTER_RECORDS if getattr(m, "pull_to_station", False))


def center_models_by_kind() -> dict[str, type[Model]]:
    return {m._meta.table_name: m for m in pulled_models()}


def wire_field_names(model: type[Model]) -> tuple[str, ...]:
    return tuple(record_wire_model(model).model_fields)


# --- converting a station snapshot to its wire form -------------------------


def to_wire(model: type[Model], data: dict[str, Any], key: bytes) -> dict[str, Any]:
    """A full record dict (a station snapshot, a center row) in wire form.

    Personal and local fields are dropped; their flags and the phone hash
    stand in for them.
    """
    personal = tuple(getattr(model, "personal_fields", ()))
    dropped = set(personal) | set(getattr(model, "local_fields", ()))
    out = {k: v for k, v in data.items() if k not in dropped}
    for name in personal:
        value = data.get(name)
        out[filled_flag(name)] = bool(value is not None and str(value).strip())
    phone_field = getattr(model, "phone_field", None)
    if phone_field:
        out[PHONE_HASH_FIELD] = phone_hash(data.get(phone_field), key)
    return out


def content_hash(record: BaseModel) -> str:
    """A digest of a validated record, to tell a duplicate from a conflict.

    Field order is the model's, so the same content always digests alike.
    """
    return hashlib.sha256(record.model_dump_json().encode("utf-8")).hexdigest()[:32]


# --- batch envelope, acknowledgement, pull ----------------------------------


class Envelope(BaseModel):
    """What every batch says about where it comes from."""

    schema_version: int = Field(description="wire format version of the client")
    batch_id: uuid.UUID
    station: Annotated[str, Field(max_length=32)]
    device: Annotated[str, Field(max_length=36)]
    client_clock: int = Field(description="the station PC's clock, epoch seconds")
    #: Optional so clients made before it are still taken at this version.
    pending_after: Optional[Annotated[int, Field(ge=0, le=_INT32[1])]] = Field(
        default=None,
        description="unsent outbox changes left on the station after this batch")


class LooseChange(BaseModel):
    """A change before its record is validated against its kind."""

    seq: int
    kind: str
    record: dict[str, Any]


class LooseBatch(Envelope):
    changes: list[LooseChange]


def _change_model(model: type[Record]) -> type[BaseModel]:
    kind = model.record_kind()
    return create_model(
        f"{model.__name__}Change",
        __config__=ConfigDict(extra="forbid"),
        seq=(int, Field(description="the station's outbox sequence number")),
        kind=(Literal[kind], ...),  # type: ignore[valid-type]
        record=(record_wire_model(model), ...),
    )


CHANGE_MODELS: dict[str, type[BaseModel]] = {
    m.record_kind(): _change_model(m) for m in STATION_RECORDS
}

AnyChange = Annotated[
    Union[tuple(CHANGE_MODELS.values())],  # type: ignore[valid-type]
    Field(discriminator="kind"),
]


class Batch(Envelope):
    """A batch of outbox changes, in outbox order."""

    changes: list[AnyChange]  # type: ignore[valid-type]


class SetAside(BaseModel):
    """A change the server did not take, and why (Chinese, for the partner)."""

    seq: int
    kind: str
    uuid: Optional[str] = None
    version: Optional[int] = None
    reason: str


class BatchAck(BaseModel):
    """The server's answer once a batch is committed."""

    batch_id: uuid.UUID
    last_seq: int = Field(description="the last change of the batch now settled")
    accepted: int
    duplicates: int
    set_aside: list[SetAside]
    server_time: int
    clock_offset: int = Field(description="client clock minus server clock, s")
    clock_flagged: bool


class CenterChange(BaseModel):
    kind: str
    record: dict[str, Any]


class PullReply(BaseModel):
    """What the center sends down to one station."""

    server_time: int
    since: int
    next_since: int
    phone_key: str = Field(description="county key for phone hashes (hex)")
    rules_version: Optional[str] = None
    rules_text: Optional[str] = None
    records: list[CenterChange]


class RecordPage(BaseModel):
    """A page of one kind of station records, ordered by uuid."""

    kind: str
    records: list[dict[str, Any]]
    next_after: Optional[str] = None


class Problem(BaseModel):
    """An error reply; ``detail`` is Chinese, for people."""

    detail: str


BATCH_ADAPTER: TypeAdapter[Batch] = TypeAdapter(Batch)


def json_schema() -> dict[str, Any]:
    """JSON Schema of everything on the wire, one definition per model."""
    center = {
        m.__name__: record_wire_model(m).model_json_schema() for m in pulled_models()
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "station-tui sync wire format",
        "version": SCHEMA_VERSION,
        "batch": Batch.model_json_schema(),
        "ack": BatchAck.model_json_schema(),
        "pull": PullReply.model_json_schema(),
        "center_records": center,
    }


if __name__ == "__main__":
    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
