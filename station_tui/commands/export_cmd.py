"""``station-tui export``: a ledger to CSV, XLSX or JSON, phones masked."""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

from station_tui.domain import clock
from station_tui.errors import InputError, StorageError
from station_tui.operations.ledger_search import ALL_KINDS, TRANSACTION_KINDS, Kind
from station_tui.storage.db import default_db_path, open_sqlite


def _day(text: str | None, field: str) -> date | None:
    return clock.parse_day(text, field=field) if text else None


def _kinds(name: str) -> tuple[Kind, ...]:
    if name == "all":
        return TRANSACTION_KINDS
    for kind in ALL_KINDS:
        if kind == name:
            return (kind,)
    raise InputError(f"没有“{name}”这种台账", field="kind")


def run(args: argparse.Namespace) -> int:
    from station_tui.exports import export_ledger, suffix_mismatch
    from station_tui.operations.ledger_search import LedgerQuery

    query = LedgerQuery(
        kinds=_kinds(args.kind),
        date_from=_day(args.date_from, "from"),
        date_to=_day(args.date_to, "to"),
    )
    out = Path(args.out)
    if not out.parent.is_dir():
        raise InputError(f"输出目录 {out.parent} 不存在", field="out")
    if out.is_dir():
        raise InputError(f"{out} 是一个目录，请给出文件名", field="out")
    # Refused rather than renamed: a script expects the file it named.
    mismatch = suffix_mismatch(out, args.format)
    if mismatch:
        raise InputError(mismatch, field="out")
    source = Path(args.db or default_db_path())
    if not source.exists():
        raise StorageError(f"找不到数据库文件 {source}")

    db = open_sqlite(source)
    try:
        started = time.monotonic()
        count = export_ledger(query, out, args.format)
    finally:
        db.close()
    print(f"已导出 {count} 条记录到 {out}（{time.monotonic() - started:.1f} 秒）")
    return 0
