"""``station-tui assess PERIOD``: compute and print or export an assessment."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from station_tui.assessment import publish
from station_tui.assessment.database import default_server_url, open_center_db
from station_tui.assessment.engine import assess_today
from station_tui.assessment.rules import load_rules
from station_tui.domain.periods import parse_period
from station_tui.errors import InputError, StorageError
from station_tui.records.center import CenterStation

log = logging.getLogger(__name__)


def run(args: argparse.Namespace) -> int:
    period = parse_period(args.period)
    rules = load_rules(getattr(args, "rules", None))
    fmt = args.format
    if fmt == "xlsx" and not args.out:
        raise InputError("xlsx 格式需要 --out 文件", field="out")
    out = Path(args.out) if args.out else None
    if out is not None:
        _check_out(out)
    db = open_center_db(args.db or default_server_url(), create=False)
    try:
        if not CenterStation.select().exists():
            raise StorageError(
                "中心数据库里还没有登记任何站点：先用 station-tui center add-station "
                "登记站点，或用 station-tui demo 生成演示县")
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
        if out is None:
            sys.stdout.write(text)
        else:
            _write_out(out, text.encode("utf-8"))
    else:
        data = publish.to_json(result) if fmt == "json" else publish.WRITERS[fmt](
            result, full)
        if out is None:
            sys.stdout.buffer.write(data)
        else:
            _write_out(out, data)
    print(f"{period.name}：{len(result.stations)} 个站点，用时 {seconds:.2f} 秒；"
          f"规则 {rules.name}（{rules.hash}）", file=sys.stderr)
    return 0


def _check_out(out: Path) -> None:
    """Refuse an output path that cannot be written before computing."""
    if out.is_dir():
        raise InputError(f"“{out}”是一个文件夹，--out 要给出文件名", field="out")
    if not out.parent.is_dir():
        raise InputError(
            f"输出文件夹“{out.parent}”不存在，请先建立它或换一个 --out", field="out")


def _write_out(out: Path, data: bytes) -> None:
    """Write beside ``out`` and rename, so a failed write leaves no half file."""
    part = out.with_name(f".{out.name}.part")
    try:
        part.write_bytes(data)
        os.replace(part, out)
    except OSError as exc:
        part.unlink(missing_ok=True)
        raise InputError(f"无法写入“{out}”：{exc.strerror}", field="out") from None
