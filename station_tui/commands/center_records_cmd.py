"""``station-tui center record|void-record|accept-report|publish-quarter``:
center records entered on the server machine, one or in bulk."""

from __future__ import annotations

import argparse
import csv
import json
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from peewee import Database

from station_tui.errors import InputError


@contextmanager
def _opened(args: argparse.Namespace) -> Iterator[Database]:
    from station_tui.assessment.database import default_server_url, open_center_db

    db = open_center_db(args.db or default_server_url())
    try:
        yield db
    finally:
        db.close_all()


def _rows(args: argparse.Namespace) -> list[dict[str, Any]]:
    rows = _parsed(args)
    for number, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise InputError(f"第 {number} 条不是 JSON 对象（{{\"字段\": 值}}），"
                             f"而是 {json.dumps(row, ensure_ascii=False)[:40]}",
                             field="json" if args.json else "file")
    return rows


def _parsed(args: argparse.Namespace) -> list[Any]:
    if args.json:
        try:
            value = json.loads(args.json)
        except json.JSONDecodeError as exc:
            raise InputError(f"--json 不是有效的 JSON：{exc.msg}", field="json") from None
        return value if isinstance(value, list) else [value]
    path = Path(args.file)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"文件 {path} 无法读取：{exc.strerror}", field="file") from None
    except UnicodeDecodeError:
        raise InputError(f"文件 {path} 不是 UTF-8 编码，请另存为 UTF-8 后再录入",
                         field="file") from None
    if path.suffix.lower() == ".csv":
        return [{k: v for k, v in row.items() if v != ""}
                for row in csv.DictReader(text.splitlines())]
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"文件 {path} 不是有效的 JSON：{exc.msg}", field="file") from None
    return value if isinstance(value, list) else [value]


def run_record(args: argparse.Namespace) -> int:
    from station_tui.operations.center_ops import enter, enter_many

    with _opened(args):
        rows = _rows(args)
        if len(rows) == 1:
            record = enter(args.kind, rows[0], staff=args.by)
            print(f"已录入 {args.kind}：{record.uuid}")
        else:
            print(f"已录入 {enter_many(args.kind, rows, staff=args.by)} 条 {args.kind}")
    return 0


def run_void(args: argparse.Namespace) -> int:
    from station_tui.operations.center_ops import void

    with _opened(args):
        void(args.kind, args.id, staff=args.by, reason=args.reason)
    print(f"已作废 {args.kind} {args.id}")
    return 0


def run_accept(args: argparse.Namespace) -> int:
    from station_tui.operations.center_ops import accept_clock_flag

    with _opened(args):
        accept_clock_flag(args.flag, staff=args.by, note=args.note)
    print(f"已认可时钟异常批次中的报表 {args.flag}")
    return 0


def run_publish(args: argparse.Namespace) -> int:
    from station_tui.assessment.rules import load_rules
    from station_tui.assessment.volumes import publish_quarter

    rules = load_rules(args.rules)
    with _opened(args):
        published = publish_quarter(args.quarter, staff=args.by, rules_hash=rules.hash)
    rows = json.loads(published.rows)
    last = [r["station"] for r in rows if r["last"]]
    print(f"{published.quarter} 交易额排名已公布并冻结：{len(rows)} 个站点，"
          f"末位 {'、'.join(last) or '无'}")
    return 0
