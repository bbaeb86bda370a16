"""Paging a ledger list from the database, newest first.

Pages are found by the last row's key (keyset), not by an offset, so the
hundredth page costs what the first does and no row is loaded twice.
"""

from __future__ import annotations

from typing import TypeVar

from peewee import Expression, Field

from station_tui.records import Record

R = TypeVar("R", bound=Record)

#: The (time, uuid) of the last row shown: where the next page starts.
PageKey = tuple[int, str]


def newest_first(model: type[R], *, limit: int, before: PageKey | None = None,
                 time_field: Field | None = None,
                 where: Expression | None = None) -> list[R]:
    """Live (not voided) records, newest first, after ``before``."""
    at_field = time_field or model.happened_at
    query = model.select().where(model.voided_at.is_null())
    if where is not None:
        query = query.where(where)
    if before is not None:
        at, key = before
        query = query.where(
            (at_field < at) | ((at_field == at) & (model.uuid > key))
        )
    return list(query.order_by(at_field.desc(), model.uuid).limit(limit))


def key_of(record: Record, time_field: str = "happened_at") -> PageKey:
    """The page key of a row, to ask for the page after it."""
    return (getattr(record, time_field), str(record.uuid))
