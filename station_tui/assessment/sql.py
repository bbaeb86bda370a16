"""Small SQL expressions that differ between SQLite and PostgreSQL.

Dates are ISO text on SQLite and ``date`` on PostgreSQL; these helpers turn
them into numbers the engine can compare with epoch instants, so that the
deadline of every day is computed in the query, not row by row in Python.
"""

from __future__ import annotations

from peewee import SQL, Cast, Database, Node, NodeList, PostgresqlDatabase, fn

from station_tui.records import database_proxy

#: Asia/Shanghai is UTC+8 all year (no daylight saving since 1991).
SHANGHAI_OFFSET = 8 * 3600
DAY = 86_400


def _db() -> Database:
    return database_proxy.obj


def is_postgres() -> bool:
    return isinstance(_db(), PostgresqlDatabase)


def epoch_days(field: Node) -> Node:
    """Whole days from 1970-01-01 to the date in ``field``."""
    if is_postgres():
        return NodeList((field, SQL("- DATE '1970-01-01'")), parens=True)
    return Cast(fn.julianday(field) - 2440587.5, "INTEGER")


def day_start(field: Node) -> Node:
    """The instant of 00:00 Shanghai time on the date in ``field``."""
    return epoch_days(field) * DAY - SHANGHAI_OFFSET


def week_index(field: Node) -> Node:
    """A number shared by the days of one ISO week (Monday to Sunday).

    1970-01-01 was a Thursday, so days + 3 counts from a Monday.
    """
    return (epoch_days(field) + 3) / 7


def month_key(field: Node) -> Node:
    """``YYYY-MM`` of the date in ``field``."""
    if is_postgres():
        return fn.to_char(field, "YYYY-MM")
    return fn.substr(field, 1, 7)


def case_sum(condition: Node, value: Node | int = 1) -> Node:
    """SUM(CASE WHEN condition THEN value ELSE 0 END)."""
    from peewee import Case

    return fn.COALESCE(fn.SUM(Case(None, ((condition, value),), 0)), 0)
