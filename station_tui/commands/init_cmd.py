"""``station-tui init``: set a station PC up without the UI."""

from __future__ import annotations

import argparse

from station_tui.operations.station import set_setting, setup_station
from station_tui.storage.db import default_db_path, open_sqlite


def run(args: argparse.Namespace) -> int:
    db = open_sqlite(args.db or default_db_path())
    try:
        station = setup_station(
            code=args.code, name=args.name, town=args.town,
            village=args.village, partner=args.partner, phone=args.phone,
        )
        if args.center:
            set_setting("center_url", args.center.rstrip("/"))
        if args.token:
            set_setting("center_token", args.token)
    finally:
        db.close()
    print(f"站点 {station.code} {station.name} 已设置，数据库：{args.db or default_db_path()}")
    return 0
