"""``station-tui sync`` (one round, for a scheduled task) and ``restore``."""

from __future__ import annotations

import argparse
import sys

from station_tui.logs import setup_file_logging
from station_tui.operations.station import get_setting, require_profile
from station_tui.storage.db import default_db_path, open_sqlite
from sync.client.http import CenterClient
from sync.client.restore import restore_station
from sync.client.rounds import run_round


def _progress(done: int, total: int) -> None:
    print(f"\r已上传 {done}/{total} 条", end="", file=sys.stderr, flush=True)


def run_sync(args: argparse.Namespace) -> int:
    setup_file_logging()
    db = open_sqlite(args.db or default_db_path())
    try:
        result = run_round(progress=_progress)
    finally:
        db.close()
    if result.ok:
        print(f"\n同步完成：上传 {result.sent} 条，下载 {result.pulled} 条，"
              f"退回 {result.set_aside} 条，用时 {result.elapsed_ms / 1000:.1f} 秒")
        return 0
    print(f"\n同步失败：{result.error}", file=sys.stderr)
    return 1


def run_restore(args: argparse.Namespace) -> int:
    setup_file_logging()
    db = open_sqlite(args.db or default_db_path())
    try:
        profile = require_profile()
        url, token = get_setting("center_url") or "", get_setting("center_token") or ""
        with CenterClient(url, token) as center:
            counts = restore_station(
                center, profile,
                progress=lambda kind, n: print(f"\r恢复 {kind}：{n} 条", end="",
                                               file=sys.stderr, flush=True),
            )
    finally:
        db.close()
    print(f"\n已从中心恢复 {sum(counts.values())} 条记录"
          "（村民姓名、电话、地址不在中心，只能从本机备份恢复）")
    return 0
