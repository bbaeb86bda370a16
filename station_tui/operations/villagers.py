"""Villagers the station serves: remembered, found, and erased on request.

A villager is remembered by phone number, so the same person is stored once
however often a form names them. The search helpers (last four digits of
the phone, pinyin initials of the name) are filled when a villager is
written, so that finding one is an indexed lookup.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from dataclasses import dataclass, replace
from typing import Any

from peewee import Expression, ModelSelect

from station_tui.domain import clock
from station_tui.domain.phone import last_four, normalize_mobile
from station_tui.domain.phone_text import holds_mobile
from station_tui.domain.pinyin import initials
from station_tui.domain.text import clean
from station_tui.errors import (
    FieldChecks,
    InputError,
    NotFoundError,
    RuleError,
)
from station_tui.operations import changes
from station_tui.operations.order_fields import optional
from station_tui.operations.pages import PageKey, newest_first
from station_tui.operations.station import current_code
from station_tui.records import (
    STATION_RECORDS,
    Outbox,
    Record,
    ServiceRecord,
    Villager,
)
from station_tui.storage.db import write_txn

log = logging.getLogger(__name__)

FIND_LIMIT = 8


@dataclass(frozen=True)
class Party:
    """The villager named on a record: what the record stores of them."""

    name: str | None
    phone: str | None
    villager: uuid.UUID | None = None

    @property
    def complete(self) -> bool:
        """Both name and phone are known (a required ledger field)."""
        return bool(self.name and self.phone)

    @property
    def phone_last4(self) -> str:
        return last_four(self.phone)

    @property
    def name_initials(self) -> str:
        return initials(self.name)

    def columns(self, name: str, phone: str) -> dict[str, Any]:
        """The record columns naming this party, under the record's names."""
        return {"villager": self.villager, name: self.name, phone: self.phone,
                "phone_last4": self.phone_last4,
                "name_initials": self.name_initials}


#: Longest person name: room for a long minority or foreign name, short
#: enough that a whole address or note pasted in is caught.
NAME_MAX = 32
#: Seven digits or more, spaces and dashes aside: a phone (mobile or
#: landline) typed into a name field, valid number or not.
_DIGIT_RUN = re.compile(r"\d{7,}")


def _name(text: str | None, *, field: str, label: str) -> str | None:
    """A typed person's name (every form's, and 村民's rename).

    A phone typed into it would be listed unmasked, so a name holding a
    mobile number or any run of seven digits (``12345678901``) is refused,
    as is one without a single letter or character of a name.
    """
    name = optional(text, field=field, label=f"{label}姓名", max_length=NAME_MAX)
    if name is None:
        return None
    if holds_mobile(name) or _DIGIT_RUN.search(re.sub(r"[\s\-]", "", name)):
        raise InputError(
            f"{label}姓名“{name}”像是电话号码，请把号码填在{label}手机号一栏，"
            f"姓名栏只填姓名（最多 {NAME_MAX} 字）", field=field)
    if not any(ch.isalpha() for ch in name):
        raise InputError(f"{label}姓名“{name}”里没有文字，请填写姓名"
                         f"（最多 {NAME_MAX} 字）", field=field)
    return name


def check_party(name: str | None, phone: str | None, *,
                name_field: str = "name", phone_field: str = "phone",
                label: str = "村民") -> Party:
    """Check a typed name and phone; at least one must be given (C01)."""
    checks = FieldChecks()
    clean_name = checks.take(_name, name, field=name_field, label=label)
    clean_phone = (
        checks.take(normalize_mobile, phone, field=phone_field)
        if clean(phone) else None
    )
    checks.raise_all()
    if clean_name is None and clean_phone is None:
        raise InputError(f"请填写{label}姓名和手机号", field=name_field)
    return Party(name=clean_name, phone=clean_phone)


def remember_party(party: Party, *, address: str | None = None) -> Party:
    """Link the party to the villager of that name and phone, new or known.

    Relatives may share a phone, so a phone names a household, not one
    person: the same phone with another name is another villager, never a
    rename of the one remembered first. A party without both name and
    phone is not remembered. Call inside ``write_txn``.
    """
    if not party.complete:
        return party
    found = (
        Villager.select()
        .where(Villager.phone == party.phone, Villager.name == party.name,
               Villager.voided_at.is_null(), Villager.erased_at.is_null())
        .order_by(Villager.entered_at)
        .first()
    )
    if found is None:
        found = changes.create(
            Villager, station=current_code(), name=party.name, phone=party.phone,
            address=address, phone_last4=party.phone_last4,
            name_initials=party.name_initials,
        )
    elif address and found.address != address:
        changes.update(found, address=address)
    return replace(party, villager=found.uuid)


def sharing_phone(villager: Villager) -> list[Villager]:
    """The other live villagers with this villager's phone (a household)."""
    if not villager.phone:
        return []
    return list(
        Villager.select()
        .where(Villager.phone == villager.phone, Villager.uuid != villager.uuid,
               Villager.voided_at.is_null(), Villager.erased_at.is_null())
        .order_by(Villager.entered_at)
    )


def rename(villager_id: uuid.UUID | str, name: str | None) -> Villager:
    """Correct a villager's name, asked for on its own (村民, ``n``).

    Records already written keep the name they were written with.
    """
    new_name = _name(name, field="name", label="村民")
    if new_name is None:
        raise InputError("请填写村民姓名", field="name")
    with write_txn():
        villager = Villager.get_or_none(Villager.uuid == villager_id)
        if villager is None or villager.voided or villager.erased_at is not None:
            raise NotFoundError("找不到这位村民")
        if any(v.name == new_name for v in sharing_phone(villager)):
            raise InputError(f"这个手机号已有村民“{new_name}”", field="name")
        if villager.name == new_name:
            return villager
        return changes.update(villager, name=new_name,
                              name_initials=initials(new_name))


def remember(name: str | None, phone: str | None,
             address: str | None = None) -> Villager:
    """Remember a villager typed on the villagers screen (name and phone)."""
    checks = FieldChecks()
    if not clean(name):
        checks.add(InputError("请填写村民姓名", field="name"))
    if not clean(phone):
        checks.add(InputError("请填写村民手机号", field="phone"))
    party = checks.take(check_party, name, phone)
    clean_address = checks.take(optional, address, field="address",
                                label="地址", max_length=200)
    checks.raise_all()
    assert party is not None
    with write_txn():
        linked = remember_party(party, address=clean_address)
        return Villager.get_by_id(linked.villager)


def _query_filter(query: str) -> Expression | None:
    """The indexed condition a typed query stands for, or None for a name.

    Ranges (``>= q`` and ``< q`` + the next character) keep the search on
    the index, which LIKE with SQLite's case-insensitive default would not.
    """
    if query.isdigit():
        if len(query) == 11:
            return Villager.phone == query
        if len(query) > 4:
            return Villager.phone.endswith(query)
        if len(query) == 4:
            return Villager.phone_last4 == query
        return (Villager.phone_last4 >= query) & (Villager.phone_last4 < query + ":")
    if query.isascii() and query.isalpha():
        low = query.lower()
        return (Villager.name_initials >= low) & (Villager.name_initials < low + "{")
    return None


def find_query(text: str, *, limit: int = FIND_LIMIT) -> ModelSelect:
    """The select that ``find`` runs for a cleaned, non-empty query."""
    live = Villager.voided_at.is_null() & Villager.erased_at.is_null()
    condition = _query_filter(text)
    if condition is None:
        condition = Villager.name.contains(text)
    return (
        Villager.select()
        .where(live & condition)
        .order_by(Villager.updated_at.desc(), Villager.uuid)
        .limit(limit)
    )


def find(query: str | None, *, limit: int = FIND_LIMIT) -> list[Villager]:
    """A few villagers matching phone digits, pinyin initials or a name.

    ``1111`` finds by the phone's last four digits, ``zs`` finds 张三 by
    initials, and any other text is a part of the name. Most recently
    changed first; erased and voided villagers are never found.
    """
    text = clean(query).replace(" ", "")
    if not text:
        return []
    rows = list(find_query(text, limit=limit))
    # What was typed in full (a whole name, all the initials) is the likeliest
    # wanted: put it first, then names that start with it.
    low = text.lower()
    rows.sort(key=lambda v: (v.name != text and v.name_initials != low,
                             not (v.name or "").startswith(text)))
    return rows


def recent(*, limit: int = 50, before: PageKey | None = None) -> list[Villager]:
    """Live villagers, most recently changed first, one page at a time."""
    return newest_first(Villager, limit=limit, before=before,
                        time_field=Villager.updated_at,
                        where=Villager.erased_at.is_null())


def _blank(model: type[Record], names: tuple[str, ...]) -> dict[str, Any]:
    """Empty values for the named fields: NULL where allowed, else ''."""
    fields = model._meta.fields
    return {name: None if fields[name].null else "" for name in names}


def _any(conditions: list[Expression]) -> Expression:
    either = conditions[0]
    for condition in conditions[1:]:
        either = either | condition
    return either


def _holding_records(villager: Villager) -> list[Record]:
    """Every other record that names this villager, by link or by phone.

    By phone: records of nobody in particular with that phone, and a
    top-up to it; a record linked to another villager on the same phone
    (a relative) is theirs and stays.
    """
    found: list[Record] = []
    for model in STATION_RECORDS:
        if model is Villager or not model.personal_fields:
            continue
        fields = model._meta.fields
        link = fields.get("villager")
        conditions = [link == villager.uuid] if link is not None else []
        by_phone = []
        if model.phone_field and villager.phone:
            by_phone.append(fields[model.phone_field] == villager.phone)
        if model is ServiceRecord and villager.phone:
            by_phone.append((ServiceRecord.kind == "phone")
                            & (ServiceRecord.account == villager.phone))
        if by_phone:
            unclaimed = _any(by_phone)
            if link is not None:
                unclaimed &= link.is_null()
            conditions.append(unclaimed)
        if conditions:
            found.extend(model.select().where(_any(conditions)))
    return found


def _scrub_outbox(record: Record) -> None:
    """Blank personal fields in older snapshots of the record kept locally."""
    hidden = set(record.personal_fields) | set(record.local_fields)
    rows = Outbox.select().where(Outbox.record_uuid == record.uuid,
                                 Outbox.version < record.version)
    for row in rows:
        data = json.loads(row.snapshot)
        for name in hidden & data.keys():
            data[name] = None
        row.snapshot = json.dumps(data, ensure_ascii=False)
        row.save()


def erase(villager_id: uuid.UUID | str, reason: str | None) -> int:
    """Erase a villager's personal data on their request.

    Name, phone and address are blanked on the villager and on every
    record that holds them; amounts, goods and statuses stay, so the
    ledger's figures do not change. Each changed record gets a new version
    so that the erasure syncs. Returns how many records were changed.
    """
    why = clean(reason)
    if not why:
        raise InputError("删除个人信息必须填写原因", field="reason")
    with write_txn():
        villager = Villager.get_or_none(Villager.uuid == villager_id)
        if villager is None:
            raise NotFoundError("找不到这位村民")
        if villager.erased_at is not None:
            raise RuleError("这位村民的个人信息已经删除过了")
        holding = _holding_records(villager)
        for record in holding:
            names = record.personal_fields + record.local_fields
            changes.update(record, **_blank(type(record), names))
            _scrub_outbox(record)
        changes.update(
            villager,
            **_blank(Villager, Villager.personal_fields + Villager.local_fields),
            erased_at=clock.now(), erase_reason=why,
        )
        _scrub_outbox(villager)
    log.info("erased villager %s from %d records", villager.uuid, len(holding))
    return len(holding) + 1
