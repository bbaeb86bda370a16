"""A station's standing (CenterStation.status), derived from its records.

The status is never set by hand: it is recomputed from the station's live
standing records (partner events, rectification orders and their outcome,
termination decisions) and from the engine's pending marks (a run of last
places in published quarters, a failed rectification) each time one of
them is entered or voided, so voiding a record restores what was before.
Call ``refresh`` inside the transaction that wrote the record.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

from station_tui.domain import clock
from station_tui.domain.periods import parse_period
from station_tui.records.center import (
    CenterStation,
    PartnerEvent,
    PublishedRanking,
    Rectification,
    Termination,
)

log = logging.getLogger(__name__)

#: Partner life-cycle steps that change the station's standing.
STEP_STATUS = {"signed": "active", "reinstated": "active", "upgraded": "active",
               "warned": "warned", "rectifying": "rectifying",
               "terminated": "terminated"}


@dataclass(frozen=True)
class Standing:
    """One record that sets a station's standing from ``day`` on."""

    day: date
    entered_at: int
    status: str


def derive_status(records: Iterable[Standing], pending: bool) -> str:
    """The latest standing record decides; an undecided engine mark (to be
    terminated or disqualified) overrides anything but a termination."""
    latest = max(records, key=lambda r: (r.day, r.entered_at), default=None)
    status = latest.status if latest is not None else "active"
    if pending and status != "terminated":
        return "to_be_terminated"
    return status


def _d(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def longest_last_run(code: str) -> int:
    """The longest run of consecutive published quarters ``code`` was
    ranked last in (a gap or an unpublished quarter ends a run)."""
    rows = PublishedRanking.select().where(PublishedRanking.voided_at.is_null())
    best = run = 0
    previous_end: date | None = None
    for published in sorted(rows, key=lambda p: p.quarter):
        quarter = parse_period(published.quarter)
        if previous_end != quarter.start:
            run = 0
        previous_end = quarter.end
        last = any(r["station"] == code and r["last"] and r["rank"] is not None
                   for r in json.loads(published.rows))
        run = run + 1 if last else 0
        best = max(best, run)
    return best


def last_place_stations(published: PublishedRanking) -> list[str]:
    return [r["station"] for r in json.loads(published.rows)
            if r["last"] and r["rank"] is not None]


def _decided(code: str, ground: str) -> bool:
    return Termination.select().where(
        Termination.station == code, Termination.voided_at.is_null(),
        Termination.ground == ground).exists()


def _standing_records(code: str) -> tuple[list[Standing], Rectification | None]:
    records = [Standing(_d(e.day), e.entered_at, STEP_STATUS[e.step])
               for e in PartnerEvent.select().where(
                   PartnerEvent.station == code, PartnerEvent.voided_at.is_null(),
                   PartnerEvent.step.in_(tuple(STEP_STATUS)),
                   PartnerEvent.outcome != "fail")]
    orders = list(Rectification.select().where(
        Rectification.station == code, Rectification.voided_at.is_null()))
    records += [Standing(_d(o.issued_day), o.entered_at, "rectifying")
                for o in orders]
    records += [Standing(_d(t.day), t.entered_at,
                         "terminated" if t.decision == "executed" else "active")
                for t in Termination.select().where(
                    Termination.station == code, Termination.voided_at.is_null())]
    latest = max(orders, key=lambda o: (_d(o.issued_day), o.entered_at),
                 default=None)
    return records, latest


def refresh(code: str | None) -> str | None:
    """Recompute and store ``code``'s status; returns it (None: no station)."""
    if code is None:
        return None
    station = CenterStation.get_or_none(CenterStation.code == code)
    if station is None:
        return None
    from station_tui.assessment.engine import rectification_passed
    from station_tui.assessment.rules import load_rules

    rules = load_rules()
    records, order = _standing_records(code)
    pending = (longest_last_run(code)
               >= int(rules.number("elimination", "consecutive_last_quarters"))
               and not _decided(code, "last_place"))
    today = clock.local_date(clock.now())
    if order is not None and _d(order.deadline_day) < today:
        passed = rectification_passed(order, rules)
        if passed:
            records.append(Standing(_d(order.deadline_day) + timedelta(days=1),
                                    order.entered_at, "active"))
        elif passed is False and not _decided(code, "rectification_failed"):
            pending = True
    status = derive_status(records, pending)
    if status != station.status:
        CenterStation.update(status=status).where(
            CenterStation.code == code).execute()
        log.info("station %s: %s → %s", code, station.status, status)
    return status
