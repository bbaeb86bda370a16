"""``station-tui backup FILE``: a consistent copy of the station database."""

from __future__ import annotations

import argparse
from pathlib import Path

from station_tui.errors import StorageError
from station_tui.storage.backup import backup_to
from station_tui.storage.db import default_db_path


def run(args: argparse.Namespace) -> int:
    db = args.db or str(default_db_path())
    # The center's embedded database is named by URL (serve --db sqlite:///…).
    source = Path(db.removeprefix("sqlite://")) if db.startswith("sqlite:") else Path(db)
    if not source.exists():
        raise StorageError(f"找不到数据库文件 {source}")
    target = Path(args.file)
    if target.exists() and not args.force:
        raise StorageError(
            f"{target} 已经存在，没有覆盖。请换一个文件名，或加 --force 覆盖它")
    if target.resolve() == source.resolve():
        raise StorageError(f"备份文件不能是数据库本身：{target}")
    target = backup_to(source, target)
    print(f"已备份到 {target}")
    return 0
