"""``station-tui init``: set a station PC up, or set its center, without the UI.

A first ``init`` needs every station field. On a PC already set up (through
the app's first-run form, say), ``init --center URL --token T`` alone sets
or changes where and with which token it syncs.
"""

from __future__ import annotations

import argparse

from station_tui.errors import InputError
from station_tui.operations.station import profile, set_setting, setup_station
from station_tui.storage.db import default_db_path, open_sqlite, write_txn

#: The station fields of a first init: flag (argparse dest) and Chinese name.
STATION_FLAGS: tuple[tuple[str, str], ...] = (
    ("code", "站点编码"), ("name", "站点名称"), ("town", "乡镇"),
    ("village", "村"), ("partner", "合伙人姓名"), ("phone", "合伙人手机号"),
)


def center_settings(url: str | None, token: str | None) -> dict[str, str]:
    """The center settings given, checked; nothing is stored yet."""
    from sync.client.http import check_center_url, check_token

    settings = {}
    if url is not None:
        settings["center_url"] = check_center_url(url)
    if token is not None:
        settings["center_token"] = check_token(token)
    return settings


def _set_center(settings: dict[str, str]) -> None:
    with write_txn():
        for key, value in settings.items():
            set_setting(key, value)


def _describe(settings: dict[str, str]) -> str:
    parts = []
    if "center_url" in settings:
        parts.append(f"中心地址 {settings['center_url']}")
    if "center_token" in settings:
        token_id = settings["center_token"].split(".")[0]
        parts.append(f"令牌（编号 {token_id}）")
    return "、".join(parts)


def run(args: argparse.Namespace) -> int:
    db_path = args.db or default_db_path()
    db = open_sqlite(db_path)
    try:
        settings = center_settings(args.center, args.token)
        given = [flag for flag, _ in STATION_FLAGS if getattr(args, flag)]
        station = profile()
        if station is not None:
            if given:
                raise InputError(
                    f"本机已经设置过站点 {station.code} {station.name}，不能重复初始化。"
                    "只改中心设置时请只写 --center 地址 --token 令牌",
                    field=given[0])
            if not settings:
                raise InputError(
                    f"本机已经设置过站点 {station.code} {station.name}。"
                    "要设置中心，请用 station-tui init --center 地址 --token 令牌",
                    field="center")
            _set_center(settings)
            print(f"站点 {station.code} {station.name} 已设置{_describe(settings)}，"
                  f"数据库：{db_path}")
            return 0
        missing = [f"--{flag}（{label}）" for flag, label in STATION_FLAGS
                   if not getattr(args, flag)]
        if missing:
            raise InputError("首次设置站点还缺少：" + "、".join(missing), field="code")
        station = setup_station(
            code=args.code, name=args.name, town=args.town,
            village=args.village, partner=args.partner, phone=args.phone,
        )
        _set_center(settings)
    finally:
        db.close()
    center = f"，{_describe(settings)}" if settings else "（未设置中心，仅本机记录）"
    print(f"站点 {station.code} {station.name} 已设置{center}，数据库：{db_path}")
    return 0
