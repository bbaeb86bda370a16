"""Guessing the courier company from a tracking number.

A guess only: the partner can override it, and an unknown format never
blocks intake. Patterns follow the public numbering of each company.
"""

from __future__ import annotations

import re

from station_tui.domain.text import clean
from station_tui.errors import InputError

CARRIERS: dict[str, str] = {
    "SF": "顺丰",
    "JD": "京东",
    "EMS": "EMS",
    "ZTO": "中通",
    "YTO": "圆通",
    "STO": "申通",
    "YD": "韵达",
    "JT": "极兔",
    "DB": "德邦",
    "YZ": "邮政",
    "OTHER": "其他",
}

_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("SF", re.compile(r"^SF\d{12,15}$")),
    ("JD", re.compile(r"^JD[A-Z0-9]{10,16}$")),
    ("JT", re.compile(r"^JT\d{13}$")),
    ("DB", re.compile(r"^DPK\d{12,13}$")),
    ("EMS", re.compile(r"^E[A-Z]\d{9}CN$|^1\d{12}$")),
    ("YTO", re.compile(r"^YT\d{13,15}$")),
    ("ZTO", re.compile(r"^7[35]\d{12}$")),
    ("STO", re.compile(r"^77\d{11,13}$")),
    ("YD", re.compile(r"^(31|43|46)\d{11,13}$")),
    ("YZ", re.compile(r"^9\d{12}$")),
]

_TRACKING = re.compile(r"^[A-Z0-9-]{6,40}$")


def _shortened(text: str, keep: int = 24) -> str:
    """A long scan cut for a message that still fits beside the field."""
    return text if len(text) <= keep else f"{text[:keep]}…"


def normalize_tracking(text: str | None, *, field: str = "tracking_no") -> str:
    """Upper-cased, width-folded tracking number without spaces."""
    raw = clean(text).upper().replace(" ", "")
    if not raw:
        raise InputError("请扫描或输入快递单号", field=field)
    if not 6 <= len(raw) <= 40:
        raise InputError(
            f"单号“{_shortened(raw)}”有 {len(raw)} 个字符，单号应为 6–40 个字符，"
            "请核对是否扫错或连扫了两次",
            field=field,
        )
    if not _TRACKING.match(raw):
        raise InputError(
            f"单号“{raw}”含有不能出现在单号里的字符（只能是字母、数字、-）",
            field=field,
        )
    return raw


def guess_carrier(tracking_no: str) -> str:
    """Carrier code for a tracking number, ``OTHER`` when unknown."""
    for code, pattern in _RULES:
        if pattern.match(tracking_no):
            return code
    return "OTHER"
