"""``station-tui backup FILE``: a consistent copy of the station database."""

from __future__ import annotations

import argparse
from pathlib import Path

from station_tui.errors import StorageError
from station_tui.storage.backup import backup_to
from station_tui.storage.db import default_db_path


def run(args: argparse.Namespace) -> int:
    source = Path(args.db or default_db_path())
    if not source.exists():
        raise StorageError(f"找不到数据库文件 {source}")
    target = backup_to(source, args.file)
    print(f"已备份到 {target}")
    return 0
