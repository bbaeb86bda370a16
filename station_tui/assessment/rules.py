"""The rules file: every number and setting of the assessment.

The default ships as package data (``default_rules.toml``); a center can
point the server or the command line at its own with ``--rules FILE``.
Numbers are read as Decimal so that 0.5 stays 0.5.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

from station_tui.errors import InputError

DEFAULT_FILE = "default_rules.toml"
GRADING_MODES = ("caps", "threshold", "forced")


@dataclass(frozen=True)
class Band:
    """A grade band: its code, Chinese label, lowest score, expected share."""

    code: str
    label: str
    min: Decimal
    share: Decimal


@dataclass(frozen=True)
class Rules:
    """A parsed rules file, its identity, and typed access to its numbers."""

    name: str
    version: str
    sha256: str
    data: dict[str, Any]

    @property
    def hash(self) -> str:
        return self.sha256[:12]

    def number(self, section: str, key: str) -> Decimal:
        return Decimal(str(self.data[section][key]))

    def setting(self, section: str, key: str) -> Any:
        return self.data[section][key]

    @property
    def bands(self) -> tuple[Band, ...]:
        return tuple(
            Band(b["code"], b["label"], Decimal(str(b["min"])),
                 Decimal(str(b["share"])))
            for b in self.data["grading"]["bands"]
        )

    def period_share(self, kind: str) -> Fraction | None:
        raw = self.data["orders"]["period_share"].get(kind)
        return None if raw is None else Fraction(str(raw))

    def identity(self) -> dict[str, str]:
        return {"name": self.name, "version": self.version, "hash": self.hash}


def _check(data: dict[str, Any], source: str) -> None:
    mode = data.get("grading", {}).get("mode")
    if mode not in GRADING_MODES:
        raise InputError(
            f"规则文件 {source}：grading.mode “{mode}” 无效，可用 "
            + "、".join(GRADING_MODES), field="rules")
    aggregate = data.get("onsite", {}).get("aggregate")
    if aggregate not in ("mean", "latest"):
        raise InputError(
            f"规则文件 {source}：onsite.aggregate “{aggregate}” 无效，可用 mean、latest",
            field="rules")
    timely = data.get("parcels", {}).get("timely_mode")
    if timely not in ("share", "all_or_nothing"):
        raise InputError(
            f"规则文件 {source}：parcels.timely_mode “{timely}” 无效", field="rules")


def parse_rules(raw: bytes, source: str = DEFAULT_FILE) -> Rules:
    """Parse rules from TOML bytes; a center file is laid over the default,
    so it need only hold what it changes."""
    try:
        data = tomllib.loads(raw.decode("utf-8"), parse_float=Decimal)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"规则文件 {source} 无法读取：{exc}", field="rules") from None
    if source != DEFAULT_FILE:
        data = _merge(_default_data(), data)
    _check(data, source)
    return Rules(
        name=str(data.get("name", source)),
        version=str(data.get("version", "")),
        sha256=hashlib.sha256(raw).hexdigest(),
        data=data,
    )


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            merged[key] = _merge(base[key], value)
        else:
            merged[key] = value
    return merged


def _default_bytes() -> bytes:
    return resources.files(__package__).joinpath(DEFAULT_FILE).read_bytes()


def _default_data() -> dict[str, Any]:
    return tomllib.loads(_default_bytes().decode("utf-8"), parse_float=Decimal)


def load_rules(path: str | Path | None = None) -> Rules:
    """The rules at ``path``, or the shipped default."""
    if path is None:
        return parse_rules(_default_bytes())
    file = Path(path)
    try:
        raw = file.read_bytes()
    except OSError as exc:
        raise InputError(f"规则文件 {file} 无法打开：{exc.strerror}",
                         field="rules") from None
    return parse_rules(raw, str(file))
