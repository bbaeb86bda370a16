"""``station-tui init``: set a station PC up, or set its center, without the UI.

A first ``init`` needs every station field. On a PC already set up (through
the app's first-run form, say), ``init --center URL --token T`` alone sets
or changes where and with which token it syncs.
"""

from __future__ import annotations

import argparse

from station_tui.errors import InputError
from station_tui.operations.station import profile, setup_station
from station_tui.storage.db import default_db_path, open_sqlite
from sync.client.settings import checked_center, describe_center, save_center

#: The station fields of a first init: flag (argparse dest) and Chinese name.
STATION_FLAGS: tuple[tuple[str, str], ...] = (
    ("code", "站点编码"), ("name", "站点名称"), ("town", "乡镇"),
    ("village", "村"), ("partner", "合伙人姓名"), ("phone", "合伙人手机号"),
)


def run(args: argparse.Namespace) -> int:
    db_path = args.db or default_db_path()
    db = open_sqlite(db_path)
    try:
        # Checked before anything is stored, so a wrong address sets nothing.
        settings = checked_center(args.center, args.token)
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
            save_center(args.center, args.token)
            print(f"站点 {station.code} {station.name} 已设置"
                  f"{describe_center(settings)}，数据库：{db_path}")
            return 0
        missing = [f"--{flag}（{label}）" for flag, label in STATION_FLAGS
                   if not getattr(args, flag)]
        if missing:
            raise InputError("首次设置站点还缺少：" + "、".join(missing), field="code")
        station = setup_station(
            code=args.code, name=args.name, town=args.town,
            village=args.village, partner=args.partner, phone=args.phone,
        )
        save_center(args.center, args.token)
    finally:
        db.close()
    center = f"，{describe_center(settings)}" if settings else "（未设置中心，仅本机记录）"
    print(f"站点 {station.code} {station.name} 已设置{center}，数据库：{db_path}")
    return 0
