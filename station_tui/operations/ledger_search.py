"""The ledger search (台账): every kind of record, one page at a time.

A search names the kinds to look in, an optional text and an optional
date range. The text is read as a phone's last four digits, a whole phone
number, a name or its pinyin initials, or the start of a tracking or order
number. Each (kind, matching column) pair is one indexed query ordered by
(happened_at, uuid) descending; a page takes the next ``limit`` rows after a
cursor from each and merges them, so no page ever loads or sorts a whole
table (keyset paging, case C10).
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Iterator, Literal, Sequence

from peewee import JOIN, Expression, Field, ModelSelect

from station_tui.domain import clock
from station_tui.domain.pinyin import initials
from station_tui.domain.text import clean
from station_tui.errors import InputError
from station_tui.records import (
    DailyReport,
    ParcelIn,
    ParcelOut,
    PurchaseOrder,
    Record,
    Refund,
    SaleOrder,
    ServiceRecord,
    Villager,
)

Kind = Literal[
    "parcel_in", "parcel_out", "purchase_order", "sale_order", "refund",
    "service_record", "villager", "daily_report",
]

#: What "all" means: the kinds that are transactions of the station.
TRANSACTION_KINDS: tuple[Kind, ...] = (
    "parcel_in", "parcel_out", "purchase_order", "sale_order", "refund",
    "service_record",
)
ALL_KINDS: tuple[Kind, ...] = (*TRANSACTION_KINDS, "villager", "daily_report")

KIND_LABELS: dict[str, str] = {
    "parcel_in": "代收", "parcel_out": "代寄", "purchase_order": "代购",
    "sale_order": "代销", "refund": "退款", "service_record": "便民服务",
    "villager": "村民", "daily_report": "日报",
}

PAGE_SIZE = 50

# The upper end of a prefix range: a prefix search is a range on the plain
# (binary) index, which SQLite can walk, where LIKE 'x%' could not.
_PREFIX_END = "\U0010ffff"


@dataclass(frozen=True)
class Terms:
    """What the search text was read as; empty fields do not filter."""

    last4: str = ""
    phone: str = ""
    initials: str = ""
    name: str = ""
    numbers: tuple[str, ...] = ()

    #: Set when the text was typed but reduced to nothing usable (only
    #: invisible characters): such a search finds nothing, never all.
    nothing: bool = False

    @property
    def empty(self) -> bool:
        return not (self.last4 or self.initials or self.name or self.numbers
                    or self.nothing)


def parse_terms(text: str | None) -> Terms:
    """Read the search box.

    Four digits are a phone's last four; eleven digits starting with 1 a
    whole phone number (or a number's start); other digits and letters with
    digits the start of a tracking or order number; letters alone pinyin
    initials (or a number's start, ``SF``); anything with Chinese a name.
    """
    raw = clean(text).replace(" ", "")
    if not raw:
        # Text that was typed but cleaned away is no search for "all".
        return Terms(nothing=bool(text and text.strip()))
    if raw.isascii() and raw.isdigit():
        if len(raw) == 4:
            return Terms(last4=raw)
        if len(raw) == 11 and raw.startswith("1"):
            return Terms(last4=raw[-4:], phone=raw, numbers=(raw,))
        return Terms(numbers=(raw,))
    if raw.isascii() and raw.isalpha():
        return Terms(initials=raw.lower(), numbers=_variants(raw))
    if raw.isascii():
        return Terms(numbers=_variants(raw))
    return Terms(initials=initials(raw), name=raw)


def _variants(raw: str) -> tuple[str, ...]:
    # Tracking numbers are stored upper-cased; order numbers as typed.
    return tuple(dict.fromkeys((raw.upper(), raw)))


@dataclass(frozen=True)
class LedgerQuery:
    """A search: which kinds, what text, which days (both ends included)."""

    text: str = ""
    kinds: tuple[Kind, ...] = TRANSACTION_KINDS
    date_from: date | None = None
    date_to: date | None = None

    def __post_init__(self) -> None:
        unknown = [k for k in self.kinds if k not in KIND_LABELS]
        if unknown:
            raise InputError(f"没有“{unknown[0]}”这种台账", field="kind")
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InputError(
                f"开始日期 {self.date_from} 晚于结束日期 {self.date_to}",
                field="date_from",
            )


@dataclass(frozen=True)
class Cursor:
    """Where a page ended: the last row's (happened_at, uuid hex)."""

    happened_at: int
    uuid_hex: str


@dataclass(frozen=True)
class Hit:
    """One record found; refunds carry their order's columns as attributes."""

    kind: Kind
    record: Record

    @property
    def key(self) -> tuple[int, str]:
        return (self.record.happened_at, self.record.uuid.hex)


@dataclass(frozen=True)
class Page:
    hits: list[Hit]
    #: None when this was the last page.
    next_cursor: Cursor | None


@dataclass(frozen=True)
class _Person:
    """The columns that identify a villager in one kind of record."""

    last4: Field
    phone: Field
    initials: Field
    name: Field


@dataclass(frozen=True)
class _Spec:
    model: type[Record]
    select: Callable[[], ModelSelect]
    people: tuple[_Person, ...] = ()
    numbers: tuple[Field, ...] = field(default=())


def _person(model: Any, name: str, phone: str) -> _Person:
    return _Person(model.phone_last4, getattr(model, phone), model.name_initials,
                   getattr(model, name))


def _refunds() -> ModelSelect:
    return (
        Refund.select(
            Refund,
            PurchaseOrder.villager_name.alias("po_name"),
            PurchaseOrder.villager_phone.alias("po_phone"),
            PurchaseOrder.goods.alias("po_goods"),
            PurchaseOrder.platform_order_no.alias("po_number"),
            SaleOrder.seller_name.alias("so_name"),
            SaleOrder.seller_phone.alias("so_phone"),
            SaleOrder.product.alias("so_goods"),
            SaleOrder.order_no.alias("so_number"),
        )
        .join(PurchaseOrder, JOIN.LEFT_OUTER, on=(Refund.order == PurchaseOrder.uuid))
        .switch(Refund)
        .join(SaleOrder, JOIN.LEFT_OUTER, on=(Refund.order == SaleOrder.uuid))
        .objects()
    )


_SPECS: dict[Kind, _Spec] = {
    "parcel_in": _Spec(
        ParcelIn, ParcelIn.select,
        (_person(ParcelIn, "recipient_name", "recipient_phone"),),
        (ParcelIn.tracking_no,),
    ),
    "parcel_out": _Spec(
        ParcelOut, ParcelOut.select,
        (_person(ParcelOut, "sender_name", "sender_phone"),),
        (ParcelOut.tracking_no,),
    ),
    "purchase_order": _Spec(
        PurchaseOrder, PurchaseOrder.select,
        (_person(PurchaseOrder, "villager_name", "villager_phone"),),
        (PurchaseOrder.platform_order_no,),
    ),
    "sale_order": _Spec(
        SaleOrder, SaleOrder.select,
        (_person(SaleOrder, "seller_name", "seller_phone"),),
        (SaleOrder.order_no,),
    ),
    "refund": _Spec(
        Refund, _refunds,
        (_person(PurchaseOrder, "villager_name", "villager_phone"),
         _person(SaleOrder, "seller_name", "seller_phone")),
        (PurchaseOrder.platform_order_no, SaleOrder.order_no),
    ),
    "service_record": _Spec(
        ServiceRecord, ServiceRecord.select,
        (_person(ServiceRecord, "customer_name", "customer_phone"),),
        (ServiceRecord.account,),
    ),
    "villager": _Spec(
        Villager, Villager.select, (_person(Villager, "name", "phone"),),
    ),
    "daily_report": _Spec(DailyReport, DailyReport.select),
}


def _prefix(column: Field, text: str) -> Expression:
    return (column >= text) & (column < text + _PREFIX_END)


def _conditions(spec: _Spec, terms: Terms) -> list[Expression | None]:
    """One condition per indexed way the text can match; [None] for all."""
    if terms.empty:
        return [None]
    found: list[Expression | None] = []
    for person in spec.people:
        if terms.last4:
            match = person.last4 == terms.last4
            if terms.phone:
                match &= person.phone == terms.phone
            found.append(match)
        if terms.initials:
            match = _prefix(person.initials, terms.initials)
            if terms.name:
                match &= person.name.startswith(terms.name)
            found.append(match)
        elif terms.name:
            # No initials to walk an index by (𠮷, 🙂): match the name as
            # typed, anywhere in it, rather than dropping the filter.
            found.append(person.name.contains(terms.name))
    for column in spec.numbers:
        found.extend(_prefix(column, number) for number in terms.numbers)
    return found


def _filtered(spec: _Spec, query: LedgerQuery,
              condition: Expression | None) -> ModelSelect:
    """The kind's select with one text condition and the date range."""
    select = spec.select()
    if condition is not None:
        select = select.where(condition)
    if query.date_from:
        select = select.where(
            spec.model.happened_at >= clock.day_start(query.date_from))
    if query.date_to:
        select = select.where(spec.model.happened_at < clock.day_end(query.date_to))
    return select


def _sources(query: LedgerQuery) -> Iterator[tuple[Kind, ModelSelect]]:
    """Every (kind, query) pair to merge."""
    terms = parse_terms(query.text)
    for kind in dict.fromkeys(query.kinds):
        spec = _SPECS[kind]
        for condition in _conditions(spec, terms):
            yield kind, _filtered(spec, query, condition)


def _after(select: ModelSelect, model: type[Record],
           cursor: Cursor | None) -> ModelSelect:
    if cursor is not None:
        # The first term bounds the index range; the second breaks ties
        # between rows of the same second by uuid.
        select = select.where(
            (model.happened_at <= cursor.happened_at)
            & ((model.happened_at < cursor.happened_at)
               | (model.uuid < cursor.uuid_hex))
        )
    return select.order_by(model.happened_at.desc(), model.uuid.desc())


def page_queries(query: LedgerQuery, after: Cursor | None = None,
                 limit: int = PAGE_SIZE) -> list[tuple[Kind, ModelSelect]]:
    """The queries one page runs: each reads at most ``limit + 1`` rows."""
    return [
        (kind, _after(select, _SPECS[kind].model, after).limit(limit + 1))
        for kind, select in _sources(query)
    ]


def search_page(query: LedgerQuery, after: Cursor | None = None,
                limit: int = PAGE_SIZE) -> Page:
    """The next ``limit`` records after ``after``, newest first."""
    streams = [
        iter([Hit(kind, record) for record in select])
        for kind, select in page_queries(query, after, limit)
    ]
    hits = list(itertools.islice(_merged(streams), limit + 1))
    if len(hits) > limit:
        return Page(hits[:limit], Cursor(*hits[limit - 1].key))
    return Page(hits, None)


def _merged(streams: list[Iterator[Hit]]) -> Iterator[Hit]:
    """Hits from streams sorted newest first, as one stream, each once."""
    last: tuple[int, str] | None = None
    for hit in heapq.merge(*streams, key=lambda h: h.key, reverse=True):
        # A record matched by two conditions comes twice, side by side.
        if hit.key != last:
            last = hit.key
            yield hit


def iter_hits(query: LedgerQuery) -> Iterator[Hit]:
    """Every record of a search, newest first, for exports.

    Each source query runs once and is read as the merge needs its rows,
    so no row is fetched twice and none is held longer than it takes to
    write it.
    """
    yield from _merged([_stream(kind, select) for kind, select in _sources(query)])


def _stream(kind: Kind, select: ModelSelect) -> Iterator[Hit]:
    for record in _after(select, _SPECS[kind].model, None).iterator():
        yield Hit(kind, record)


def reread(kind: Kind, uuids: Sequence[str]) -> list[Hit]:
    """These records of one kind as they are now, to redraw listed rows."""
    spec = _SPECS[kind]
    hits: list[Hit] = []
    # Chunks keep each IN list within SQLite's limit on bound values.
    for start in range(0, len(uuids), 500):
        chunk = list(uuids[start:start + 500])
        select = spec.select().where(spec.model.uuid.in_(chunk))
        hits.extend(Hit(kind, record) for record in select)
    return hits


def count_hits(query: LedgerQuery) -> int:
    """How many records a search finds (one count query per kind)."""
    terms = parse_terms(query.text)
    total = 0
    for kind in dict.fromkeys(query.kinds):
        spec = _SPECS[kind]
        conditions = _conditions(spec, terms)
        if not conditions:
            continue
        either = conditions[0]
        for condition in conditions[1:]:
            either = either | condition
        total += _filtered(spec, query, either).count()
    return total
