"""The top-level ``--db`` reaches the subcommand: ``station-tui --db X init``."""

from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

import pytest

from station_tui.cli import build_parser, main
from station_tui.storage.db import default_db_path


def commands_with_db(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
                     ) -> list[tuple[str, ...]]:
    """Every (sub)command path whose parser has a --db option."""
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                if any(a.dest == "db" for a in sub._actions):
                    found.append((*path, name))
                found.extend(commands_with_db(sub, (*path, name)))
    return found


def required_args(command: tuple[str, ...]) -> list[str]:
    parser = build_parser()
    for name in command:
        parser = next(a for a in parser._actions
                      if isinstance(a, argparse._SubParsersAction)).choices[name]
    args: list[str] = []
    for action in parser._actions:
        if action.required and action.option_strings:
            args += [action.option_strings[0],
                     action.choices[0] if action.choices else "x"]
        elif not action.option_strings and action.dest not in ("help",):
            if isinstance(action, argparse._SubParsersAction):
                continue
            args.append(list(action.choices)[0] if action.choices else "2026")
    for group in parser._mutually_exclusive_groups:
        if group.required:
            args += [group._group_actions[0].option_strings[0], "x"]
    return args


COMMANDS = commands_with_db(build_parser())


def test_every_subcommand_with_a_db_option_is_checked() -> None:
    assert {("init",), ("sync",), ("backup",), ("serve",), ("assess",),
            ("center", "add-user")} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_the_top_level_db_reaches_every_subcommand(command: tuple[str, ...]) -> None:
    argv = ["--db", "/tmp/top.sqlite3", *command, *required_args(command)]

    assert build_parser().parse_args(argv).db == "/tmp/top.sqlite3"


def test_a_db_after_the_subcommand_still_wins() -> None:
    args = build_parser().parse_args(["--db", "/a", "sync", "--db", "/b"])

    assert args.db == "/b"
    assert build_parser().parse_args(["sync"]).db is None


def test_init_with_the_db_before_it_sets_that_database_up(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "x.sqlite3"

    code = main(["--db", str(target), "init", "--code", "QY-009", "--name", "站",
                 "--town", "镇", "--village", "村", "--partner", "王", "--phone",
                 "13800001111"])

    assert code == 0
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT code FROM station_profile").fetchall() == [
            ("QY-009",)]
    assert not default_db_path().exists()
    assert str(target) in capsys.readouterr().out


@pytest.mark.parametrize("argv", [[], ["--db", "station.sqlite3"],
                                  ["--db", "D:\\站点\\station.sqlite3"]])
def test_the_everyday_start_reads_as_the_full_parser_would(argv: list[str]) -> None:
    from station_tui.cli import _everyday_start

    assert _everyday_start(argv) == build_parser().parse_args(argv)


@pytest.mark.parametrize("argv", [["--db"], ["--db", "--version"], ["--version"],
                                  ["init"], ["--db", "x", "backup", "y"]])
def test_anything_else_goes_through_the_full_parser(argv: list[str]) -> None:
    from station_tui.cli import _everyday_start

    assert _everyday_start(argv) is None


def test_the_app_imports_peewee_without_probing_server_drivers() -> None:
    """Only peewee's own probe is skipped: psycopg2 imports normally after."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from station_tui.storage.sqlite_only import "
        "import_peewee_without_server_drivers as skip\n"
        "skip()\n"
        "import peewee\n"
        "assert peewee.psycopg2 is None, 'peewee probed psycopg2'\n"
        "assert 'psycopg2' not in sys.modules\n"
        "import psycopg2\n"
        "print('ok', psycopg2.__name__)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True,
                          text=True, encoding="utf-8", check=False)
    assert done.stdout.strip() == "ok psycopg2", done.stderr
