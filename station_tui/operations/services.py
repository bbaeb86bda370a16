"""Convenience and financial services (便民, 金融) done for villagers.

Bill payments and top-ups, ticket and hotel bookings, and financial
services are each one record with the amount handled and the station's
fee. The fee is never transaction volume; it may be zero, the amount may
not (except a loan referral, whose amount may not be known yet).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from station_tui.domain.money import parse_yuan
from station_tui.domain.phone import mask, normalize_mobile
from station_tui.domain.phone_text import mask_phones
from station_tui.domain.text import clean
from station_tui.errors import FieldChecks, InputError, NotFoundError, RuleError
from station_tui.operations import changes
from station_tui.operations.order_fields import (
    check_limit,
    happened_at,
    optional,
    required,
)
from station_tui.operations.pages import PageKey, newest_first
from station_tui.operations.station import current_code
from station_tui.operations.villagers import check_party, remember_party
from station_tui.records import ServiceRecord
from station_tui.storage.db import write_txn

from station_tui.domain.labels import SERVICE_KIND, SERVICE_KINDS_BY_CATEGORY

CATEGORY_OF = {
    kind: category
    for category, kinds in SERVICE_KINDS_BY_CATEGORY.items()
    for kind in kinds
}
#: A referral may be recorded before the loan's amount is known.
AMOUNT_MAY_BE_ZERO = ("loan_referral",)


@dataclass(frozen=True)
class AccountField:
    """What a service's account field holds, and whether it is required."""

    label: str
    required: bool = False

    @property
    def form_label(self) -> str:
        return self.label if self.required else f"{self.label}（可空）"


#: The account field of each kind: the form's label, the messages' word.
#: Water and electricity are paid to a 户号 and a top-up goes to a phone,
#: so those are required; the rest may be left empty.
ACCOUNT_FIELDS: dict[str, AccountField] = {
    "water": AccountField("户号", required=True),
    "electricity": AccountField("户号", required=True),
    "internet": AccountField("宽带账号"),
    "phone": AccountField("充值手机号", required=True),
    "train": AccountField("车次或订单号"),
    "air": AccountField("航班或订单号"),
    "hotel": AccountField("酒店订单号"),
    "loan_referral": AccountField("贷款机构"),
    "withdrawal": AccountField("银行卡尾号"),
    "lottery": AccountField("彩票种类"),
}


def _account(kind: str, text: str | None) -> str | None:
    spec = ACCOUNT_FIELDS[kind]
    if spec.required and not clean(text):
        raise InputError(f"请填写{spec.label}", field="account")
    if kind == "phone":
        return normalize_mobile(text, field="account")
    return optional(text, field="account", label=spec.label, max_length=64)


def shown_account(kind: str, account: str | None) -> str:
    """A service's account as lists and exports show it.

    A top-up's account is always a phone; any other account (a broadband
    account is often the customer's mobile number) is masked where it
    holds one, and a water or electricity account number stays whole.
    """
    if kind == "phone":
        return mask(account)
    return mask_phones(account)


def record(*, kind: str | None, name: str | None = None,
           phone: str | None = None, account: str | None = None,
           amount: str | None, fee: str | None = "0", note: str | None = None,
           when: str | None = None, large_ok: bool = False) -> ServiceRecord:
    """Record one service; name and phone are optional, checked if given.

    An amount or fee above the limit needs ``large_ok`` (confirmed).
    """
    if kind not in CATEGORY_OF:
        raise InputError("请选择服务项目", field="kind")
    checks = FieldChecks()
    party = None
    if clean(name) or clean(phone):
        party = checks.take(check_party, name, phone)
    checked_account = checks.take(_account, kind, account)
    amount_fen = checks.take(parse_yuan, amount, field="amount",
                             allow_zero=kind in AMOUNT_MAY_BE_ZERO)
    fee_fen = checks.take(parse_yuan, fee or "0", field="fee", allow_zero=True)
    checked_note = checks.take(optional, note, field="note", label="备注",
                               max_length=500)
    at = checks.take(happened_at, when)
    checks.raise_all()
    check_limit("service", [
        ("amount", "金额", amount_fen), ("fee", "服务费", fee_fen),
    ], large_ok=large_ok)
    with write_txn():
        columns: dict[str, Any] = {}
        if party is not None:
            columns = remember_party(party).columns("customer_name",
                                                    "customer_phone")
        return changes.create(
            ServiceRecord, station=current_code(), happened_at=at,
            category=CATEGORY_OF[kind], kind=kind, account=checked_account,
            amount_fen=amount_fen, fee_fen=fee_fen, note=checked_note, **columns,
        )


def void(record_id: str, reason: str | None) -> ServiceRecord:
    """Void a service entered by mistake; records are never deleted."""
    why = required(reason, field="reason", label="作废原因")
    with write_txn():
        found = ServiceRecord.get_or_none(ServiceRecord.uuid == record_id)
        if found is None:
            raise NotFoundError("找不到这条便民服务记录")
        if found.voided:
            raise RuleError(f"这条{SERVICE_KIND[found.kind]}记录已经作废了")
        return changes.void(found, why)


def recent(*, limit: int = 50, before: PageKey | None = None
           ) -> list[ServiceRecord]:
    """One page of services, newest first; ``before`` is the last row's key."""
    return newest_first(ServiceRecord, limit=limit, before=before)
