"""The ``station-tui`` command line.

Subcommand handlers live in their own modules and are imported only when
chosen, so that opening the app does not pay for the server's imports.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import sys
from typing import Sequence

from station_tui import __version__

log = logging.getLogger(__name__)

#: subcommand -> "module:function" taking the parsed args, returning an exit code
HANDLERS: dict[str, str] = {
    "app": "station_tui.ui.app:run",
    "init": "station_tui.commands.init_cmd:run",
    "backup": "station_tui.commands.backup_cmd:run",
    "export": "station_tui.commands.export_cmd:run",
    "sync": "sync.client.cli:run_sync",
    "restore": "sync.client.cli:run_restore",
    "serve": "sync.server.cli:run_serve",
    "center": "sync.server.cli:run_center",
    "assess": "station_tui.assessment.cli:run",
    "demo": "station_tui.assessment.demo:run",
}


def _add_db(parser: argparse.ArgumentParser, *, sub: bool = True) -> None:
    # On a subcommand the default is suppressed, so that ``station-tui
    # --db F init …`` keeps F instead of the subcommand's None.
    parser.add_argument(
        "--db", metavar="PATH", default=argparse.SUPPRESS if sub else None,
        help="station database file (default: in the user data directory)",
    )


RECORD_KINDS = ("holiday", "inspection", "onsite", "training", "attendance",
                "campaign", "campaign_entry", "complaint", "override",
                "report_request", "rectification", "termination", "partner",
                "partner_event")


def _add_center_records(center_sub: argparse._SubParsersAction) -> None:
    """Center records entered on the server machine (docs/assessment.md)."""
    handler = "station_tui.commands.center_records_cmd:"
    record = center_sub.add_parser("record", help="enter center records")
    record.add_argument("kind", choices=RECORD_KINDS)
    record.add_argument("--db", metavar="URL")
    record.add_argument("--by", required=True, help="staff account entering it")
    source = record.add_mutually_exclusive_group(required=True)
    source.add_argument("--json", help="one record as a JSON object")
    source.add_argument("--file", help="JSON list or CSV with a header row")
    record.set_defaults(handler=handler + "run_record")
    void = center_sub.add_parser("void-record", help="void a center record")
    void.add_argument("kind", choices=RECORD_KINDS)
    void.add_argument("id", help="the record's UUID")
    void.add_argument("--db", metavar="URL")
    void.add_argument("--by", required=True)
    void.add_argument("--reason", required=True)
    void.set_defaults(handler=handler + "run_void")
    accept = center_sub.add_parser(
        "accept-report", help="accept a report from a clock-flagged batch")
    accept.add_argument("flag", help="the clock flag's UUID")
    accept.add_argument("--db", metavar="URL")
    accept.add_argument("--by", required=True)
    accept.add_argument("--note", required=True)
    accept.set_defaults(handler=handler + "run_accept")
    publish = center_sub.add_parser(
        "publish-quarter", help="publish and freeze a quarter's volume ranking")
    publish.add_argument("quarter", help="e.g. 2026Q1")
    publish.add_argument("--db", metavar="URL")
    publish.add_argument("--by", required=True)
    publish.add_argument("--rules", metavar="FILE")
    publish.set_defaults(handler=handler + "run_publish")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="station-tui",
        description="农村电商服务站点台账（站点端）与县级公共服务中心服务端",
    )
    parser.add_argument("--version", action="version", version=__version__)
    _add_db(parser, sub=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    init = sub.add_parser(
        "init", help="set this PC's station up, or its center, without the UI",
        description="A first init needs every station field; on a station "
                    "already set up, --center and --token alone set its center.")
    _add_db(init)
    for flag, text in (
        ("--code", "station code"), ("--name", "station name"),
        ("--town", "township"), ("--village", "village"),
        ("--partner", "partner's name"), ("--phone", "partner's mobile"),
    ):
        init.add_argument(flag, help=text + " (first init)")
    init.add_argument("--center", metavar="URL", help="center server URL")
    init.add_argument("--token", help="station token from the center")

    backup = sub.add_parser("backup", help="consistent copy of the database")
    _add_db(backup)
    backup.add_argument("file", help="where to write the copy")
    backup.add_argument("--force", action="store_true",
                        help="overwrite FILE if it exists")

    export = sub.add_parser("export", help="export a ledger to a file")
    _add_db(export)
    export.add_argument(
        "--kind", required=True,
        choices=["parcel_in", "parcel_out", "purchase_order", "sale_order",
                 "refund", "service_record", "daily_report", "villager", "all"],
    )
    export.add_argument("--format", default="csv", choices=["csv", "xlsx", "json"])
    export.add_argument("--out", required=True, metavar="FILE")
    export.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    export.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")

    sync_p = sub.add_parser("sync", help="one sync round with the center")
    _add_db(sync_p)
    restore = sub.add_parser("restore", help="rebuild this station from the center")
    _add_db(restore)

    serve = sub.add_parser("serve", help="run the center server")
    serve.add_argument("--db", metavar="URL",
                       help="sqlite:///path or postgresql://… (default: embedded)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.add_argument("--certfile")
    serve.add_argument("--keyfile")
    serve.add_argument("--rules", metavar="FILE", help="the center's rules file")

    center = sub.add_parser("center", help="center accounts, or the console")
    center.add_argument("--url", help="server URL for the console")
    center_sub = center.add_subparsers(dest="center_command", metavar="ACTION")
    add_user = center_sub.add_parser("add-user", help="create a staff account")
    add_user.add_argument("--db", metavar="URL")
    add_user.add_argument("--name", required=True)
    add_user.add_argument("--role", required=True,
                          choices=["admin", "inspector", "viewer"])
    add_station = center_sub.add_parser("add-station", help="register a station")
    add_station.add_argument("--db", metavar="URL")
    for flag in ("--code", "--name", "--town", "--village"):
        add_station.add_argument(flag, required=True)
    revoke = center_sub.add_parser("revoke", help="revoke a token")
    revoke.add_argument("--db", metavar="URL")
    revoke.add_argument("token_id", help="token id printed when it was made")

    _add_center_records(center_sub)

    assess = sub.add_parser("assess", help="compute a period's assessment")
    assess.add_argument("period", help="2026, 2026H1, 2026Q3 or 2026-07")
    assess.add_argument("--db", metavar="URL")
    assess.add_argument("--format", default="table",
                        choices=["table", "json", "csv", "xlsx", "html"])
    assess.add_argument("--out", metavar="FILE")
    assess.add_argument("--rules", metavar="FILE")
    assess.add_argument("--station", metavar="CODE",
                        help="one station, every lost point traced to its records")
    assess.add_argument("--full", action="store_true",
                        help="the fuller annual report for the leading group's office")

    demo = sub.add_parser("demo", help="generate a realistic demo county")
    demo.add_argument("--db", metavar="URL")
    demo.add_argument("--year", type=int, default=2026)
    demo.add_argument("--stations", type=int, default=254)
    demo.add_argument("--seed", type=int, default=1)
    _let_top_level_db_through(parser)
    return parser


def _let_top_level_db_through(parser: argparse.ArgumentParser) -> None:
    """``station-tui --db X sync`` must act on X.

    A subcommand's own ``--db`` default (None) would overwrite the value
    the top-level parser already stored, so every subcommand's ``--db``
    sets nothing unless given; the top-level default (None) stays the
    fallback, and a ``--db`` after the subcommand still wins.
    """
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                for option in sub._actions:
                    if option.dest == "db":
                        option.default = argparse.SUPPRESS
                _let_top_level_db_through(sub)


def _everyday_start(argv: Sequence[str]) -> argparse.Namespace | None:
    """``station-tui`` or ``station-tui --db PATH``: the start a partner makes
    every morning, read without building every subcommand's parser (about
    7 ms of the cold start). Anything else goes through the full parser."""
    if not argv:
        return argparse.Namespace(command=None, db=None)
    if len(argv) == 2 and argv[0] == "--db" and not argv[1].startswith("-"):
        return argparse.Namespace(command=None, db=argv[1])
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = _everyday_start(argv) or build_parser().parse_args(argv)
    command = args.command or "app"
    if command == "app":
        # No garbage collection until the app's first frame: start-up makes
        # objects that live as long as the app, and collecting among them
        # cost a tenth of the cold start (station_tui.ui.app resumes it).
        gc.disable()
        from station_tui.storage.sqlite_only import (
            import_peewee_without_server_drivers,
        )

        import_peewee_without_server_drivers()
    target = getattr(args, "handler", None) or HANDLERS[command]
    module_name, func_name = target.split(":")
    handler = getattr(importlib.import_module(module_name), func_name)
    try:
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # one clear line for the operator, details in the log
        from station_tui.errors import StationError, each_error

        if isinstance(exc, StationError):
            # Every wrong option at once, as the forms mark every field.
            for error in each_error(exc):
                print(f"错误：{error.message}", file=sys.stderr)
            return 2
        log.exception("command %s failed", command)
        raise
