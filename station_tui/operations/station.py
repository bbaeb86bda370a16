"""Setting a station PC up, and reading its profile."""

from __future__ import annotations

import re
import uuid

from station_tui.domain import clock
from station_tui.domain.phone import normalize_mobile
from station_tui.domain.text import clean
from station_tui.errors import FieldChecks, InputError, RuleError
from station_tui.records import Setting, StationProfile
from station_tui.storage.db import write_txn

_CODE = re.compile(r"^[A-Za-z0-9_-]{2,32}$")


def profile() -> StationProfile | None:
    return StationProfile.select().first()


def require_profile() -> StationProfile:
    found = profile()
    if found is None:
        raise RuleError("本机还没有设置站点，请先运行初始化")
    return found


def setup_station(*, code: str, name: str, town: str, village: str,
                  partner: str, phone: str) -> StationProfile:
    """Create this PC's station profile; every field is checked first."""
    checks = FieldChecks()
    values: dict[str, str] = {}
    for field, value, label in (
        ("code", code, "站点编码"),
        ("name", name, "站点名称"),
        ("town", town, "乡镇"),
        ("village", village, "村"),
        ("partner", partner, "合伙人姓名"),
    ):
        values[field] = clean(value)
        if not values[field]:
            checks.add(InputError(f"请填写{label}", field=field))
    if values["code"] and not _CODE.match(values["code"]):
        checks.add(InputError(
            f"站点编码“{values['code']}”只能用字母、数字、-、_，2 到 32 位",
            field="code",
        ))
    values["phone"] = checks.take(normalize_mobile, phone, field="phone") or ""
    checks.raise_all()
    with write_txn():
        if profile() is not None:
            raise RuleError("本机已经设置过站点，不能重复初始化")
        return StationProfile.create(
            code=values["code"], name=values["name"], town=values["town"],
            village=values["village"], partner_name=values["partner"],
            partner_phone=values["phone"], device_id=str(uuid.uuid4()),
            created_at=clock.now(),
        )


def get_setting(key: str, default: str | None = None) -> str | None:
    row = Setting.get_or_none(Setting.key == key)
    return row.value if row else default


def set_setting(key: str, value: str) -> None:
    Setting.insert(key=key, value=value).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: value}
    ).execute()


def current_code() -> str:
    """This PC's station code, for stamping new records."""
    return require_profile().code
