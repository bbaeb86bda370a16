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
