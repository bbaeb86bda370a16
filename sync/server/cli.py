"""``station-tui serve`` and ``station-tui center …`` on the server machine."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from peewee import Database

from station_tui.assessment.database import (
    default_server_url,
    open_center_db,
    redacted,
)
from station_tui.assessment.rules import load_rules
from station_tui.errors import InputError
from sync.server import accounts
from sync.server.app import ENV_DB, ENV_RULES

log = logging.getLogger(__name__)


def run_serve(args: argparse.Namespace) -> int:
    """Migrate once, then hand over to uvicorn (and its workers)."""
    import uvicorn

    url = args.db or default_server_url()
    if bool(args.certfile) != bool(args.keyfile):
        raise InputError("--certfile 和 --keyfile 需要同时给出", field="certfile")
    rules = load_rules(args.rules)  # a bad file stops here, before any worker
    open_center_db(url).close_all()
    os.environ[ENV_DB] = url
    if args.rules:
        os.environ[ENV_RULES] = os.path.abspath(args.rules)
    else:
        os.environ.pop(ENV_RULES, None)
    scheme = "https" if args.certfile else "http"
    print(f"中心服务端：{scheme}://{args.host}:{args.port}  数据库：{redacted(url)}  "
          f"接口文档：{scheme}://{args.host}:{args.port}/docs", file=sys.stderr)
    print(f"考核规则：{rules.name}（{rules.hash}）", file=sys.stderr)
    uvicorn.run(
        "sync.server.app:app_from_env", factory=True,
        host=args.host, port=args.port, workers=args.workers,
        ssl_certfile=args.certfile, ssl_keyfile=args.keyfile,
        proxy_headers=True, log_level="info",
    )
    return 0


def run_center(args: argparse.Namespace) -> int:
    """Account commands; with no action, the center console."""
    action = getattr(args, "center_command", None)
    if action is None:
        from station_tui.console.app import run

        return run(args)
    db = open_center_db(args.db or default_server_url())
    try:
        return _center_action(action, args, db)
    finally:
        # Closed here so a caller in the same process (demo, tests) may
        # replace or reopen the file at once.
        db.close_all()


def _center_action(action: str, args: argparse.Namespace, db: Database) -> int:
    with db.connection_context():
        if action == "add-user":
            token_id, token = accounts.add_user(args.name, args.role)
            print(f"账户 {args.name}（{args.role}）令牌编号 {token_id}")
        elif action == "add-station":
            token_id, token, created = accounts.add_station(
                args.code, args.name, args.town, args.village)
            state = "已登记" if created else "已存在，已签发新令牌"
            print(f"站点 {args.code} {args.name} {state}；令牌编号 {token_id}")
        else:
            revoked = accounts.revoke(args.token_id)
            print(f"令牌 {revoked.token_id}（{revoked.kind} {revoked.subject}）已吊销")
            return 0
    print("令牌只显示这一次，请妥善交给使用人：")
    print(token)
    return 0
