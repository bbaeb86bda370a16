"""Pulling what the center sends down into the station's local tables.

The pulled center records land in tables of the same models the server
uses (created by station migration 2), so the station's assessment
preview reads them exactly as the server does.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from peewee import EXCLUDED, Model
from pydantic import BaseModel, ValidationError

from station_tui.operations.station import get_setting, set_setting
from station_tui.records import database_proxy
from station_tui.storage.db import write_txn
from sync.client.http import CenterClient
from sync.errors import BadReply
from sync.wire import PullReply, center_models_by_kind, record_wire_model

log = logging.getLogger(__name__)

#: Settings this module keeps.
PULL_SINCE = "pull_since"
PHONE_KEY = "phone_hash_key"
RULES_TEXT = "rules_text"
RULES_VERSION = "rules_version"


@dataclass
class PullResult:
    records: int
    server_time: int


def store_rows(model: type[Model], rows: list[dict[str, Any]]) -> None:
    """Upsert records by uuid; a newer local version is never overwritten."""
    fields = [f for f in model._meta.sorted_fields if f.name != "uuid"]
    size = max(1, 30_000 // len(model._meta.sorted_fields))
    for start in range(0, len(rows), size):
        model.insert_many(rows[start:start + size]).on_conflict(
            conflict_target=[model._meta.primary_key],
            preserve=fields,
            where=(model.version <= EXCLUDED.version),
        ).execute()


def columns_only(model: type[Model], record: dict[str, Any]) -> dict[str, Any]:
    """A wire record reduced to the model's own columns (no flags, no hash)."""
    names = model._meta.fields
    return {k: v for k, v in record.items() if k in names}


def wire_record(model: type[Model], record: dict[str, Any]) -> BaseModel:
    """A record the center sent, checked; a malformed one stops the round."""
    try:
        return record_wire_model(model).model_validate(record)
    except ValidationError as exc:
        log.warning("center sent a malformed %s: %s", model.record_kind(), exc)
        raise BadReply(
            f"中心下发的{model.record_kind()}记录格式不对，已停止同步，请联系中心"
        ) from None


def apply_pull(reply: PullReply) -> int:
    """Store a pull reply; returns how many records it carried."""
    kinds = center_models_by_kind()
    count = 0
    # A center model added in a release after this PC's last migration still
    # gets its table: creating an empty table is additive and harmless.
    database_proxy.obj.create_tables(list(kinds.values()), safe=True)
    with write_txn():
        set_setting(PHONE_KEY, reply.phone_key)
        if reply.rules_version and reply.rules_version != get_setting(RULES_VERSION):
            set_setting(RULES_TEXT, reply.rules_text or "")
            set_setting(RULES_VERSION, reply.rules_version)
        for change in reply.records:
            model = kinds.get(change.kind)
            if model is None:
                log.warning("center sent unknown kind %s; upgrade needed", change.kind)
                continue
            record = wire_record(model, change.record)
            store_rows(model, [columns_only(model, record.model_dump())])
            count += 1
        set_setting(PULL_SINCE, str(reply.next_since))
    return count


def pull_center(center: CenterClient, *, since: int | None = None) -> PullResult:
    """One pull: center records changed since the last one."""
    if since is None:
        since = int(get_setting(PULL_SINCE) or 0)
    reply = center.fetch("GET", "/api/v1/sync/pull", PullReply,
                         params={"since": since})
    count = apply_pull(reply)
    return PullResult(records=count, server_time=reply.server_time)


def phone_key() -> bytes | None:
    key = get_setting(PHONE_KEY)
    return bytes.fromhex(key) if key else None
