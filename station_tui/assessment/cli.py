"""``station-tui assess PERIOD``: compute and print or export an assessment."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

from station_tui.assessment import publish
from station_tui.assessment.database import (
    default_server_url,
    migrate_center,
    open_server_db,
    sqlite_path,
)
from station_tui.assessment.engine import assess_today
from station_tui.assessment.rules import load_rules
from station_tui.domain.periods import parse_period
from station_tui.errors import InputError

log = logging.getLogger(__name__)


def run(args: argparse.Namespace) -> int:
    period = parse_period(args.period)
    rules = load_rules(getattr(args, "rules", None))
    fmt = args.format
    if fmt == "xlsx" and not args.out:
        raise InputError("xlsx 格式需要 --out 文件", field="out")
    url = args.db or default_server_url()
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise InputError(f"中心数据库“{path}”不存在，请检查 --db", field="db")
    db = open_server_db(url)
    try:
        migrate_center(db)
        started = time.perf_counter()
        result = assess_today(period, rules, only=getattr(args, "station", None))
        seconds = time.perf_counter() - started
    finally:
        db.close_all()
    for warning in result.warnings:
        print(f"注意：{warning}", file=sys.stderr)
    full = bool(getattr(args, "full", False))
    if fmt == "table":
        text = publish.render_table(result)
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    elif args.out:
        publish.write(result, fmt, Path(args.out), full)
    else:
        data = publish.to_json(result) if fmt == "json" else publish.WRITERS[fmt](
            result, full)
        sys.stdout.buffer.write(data)
    print(f"{period.name}：{len(result.stations)} 个站点，用时 {seconds:.2f} 秒；"
          f"规则 {rules.name}（{rules.hash}）", file=sys.stderr)
    return 0
